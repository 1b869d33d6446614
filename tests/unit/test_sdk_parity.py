"""Our ``AsyncOpenAI`` against the official SDK's, method by method (the SDK is a pinned dev
dependency, bumped deliberately: a newer SDK that adds a method or a keyword fails here).

For every method of the SDK's ``AsyncOpenAI`` (``client.chat.completions.create``, ...):

- either we have it, and then it takes every keyword the SDK's takes (but the SDK's
  ``extra_headers``/``extra_query``/``extra_body``/``timeout``, which our per-call options
  cover), required where the SDK's is, and it returns types of the SDK's names (module
  prefixes aside; the members of a union by name, our unknown-variant fallbacks aside);
- or it is in ``sdk_parity_missing.txt``, the committed list of the SDK methods we do not have
  yet, which must be exactly those (a method added must leave the list).

README.md's table of the SDK's surface by area (between the ``sdk-surface`` markers) is made
from the same comparison and must be what it says now.

``python tests/unit/test_sdk_parity.py`` prints the figures (``-v``: every difference;
``--write``: rewrites the list of missing methods and README's table from what is now).
"""

from __future__ import annotations

import inspect
import re
import sys
import tomllib
import types
import typing
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, ForwardRef

import openai
import pytest

from aio_openai import AsyncOpenAI

REPO: Final = Path(__file__).resolve().parents[2]

#: Keywords of every SDK method that our per-call options (RequestOptions) stand for.
OPTION_KEYWORDS: Final = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})
#: Attributes of the SDK's client that are not resources.
CLIENT_ATTRIBUTES: Final = frozenset(
    {
        "with_raw_response",
        "with_streaming_response",
        "with_options",
        "copy",
        "close",
        "is_closed",
        "get",
        "post",
        "patch",
        "put",
        "delete",
        "request",
        "get_api_list",
        "platform_headers",
    }
)

#: The committed list of the SDK methods we do not have yet (admin ones included), one a line;
#: the later steps shrink it. ``python tests/unit/test_sdk_parity.py --write`` rewrites it.
MISSING_FILE: Final = Path(__file__).with_name("sdk_parity_missing.txt")


def read_missing() -> frozenset[str]:
    lines = (line.split("#", 1)[0].strip() for line in MISSING_FILE.read_text().splitlines())
    return frozenset(line for line in lines if line)


# -- the two surfaces --------------------------------------------------------------------


def sdk_methods() -> dict[str, Callable[..., Any]]:
    """Every method of the SDK's client, by its dotted path (``chat.completions.create``)."""
    client = openai.AsyncOpenAI(api_key="sk-parity", admin_api_key="sk-admin-parity")
    found: dict[str, Callable[..., Any]] = {}

    def walk(resource: object, path: tuple[str, ...]) -> None:
        for name in sorted(dir(type(resource))):
            if name.startswith("_") or name in ("with_raw_response", "with_streaming_response"):
                continue
            if not path and name in CLIENT_ATTRIBUTES:
                continue
            try:
                attr = inspect.getattr_static(type(resource), name)
            except AttributeError:
                continue
            if inspect.isfunction(attr):
                found[".".join((*path, name))] = getattr(resource, name)
                continue
            try:
                child = getattr(resource, name)
            except Exception:  # a client attribute that needs what we did not give
                continue
            if type(child).__module__.startswith("openai.resources"):
                walk(child, (*path, name))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the SDK's deprecated resources warn when reached
        walk(client, ())
    return found


def our_method(client: AsyncOpenAI, path: str) -> Callable[..., Any] | None:
    """Our method at ``path``, or None."""
    obj: Any = client
    for name in path.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj if callable(obj) else None


# -- return types by name ----------------------------------------------------------------


def _evaluate(text: str, fn: Callable[..., Any]) -> Any:
    """A string annotation evaluated where ``fn`` was written; its names if it will not be."""
    namespace = getattr(inspect.unwrap(fn), "__globals__", {})
    try:
        return eval(text, dict(namespace))  # annotations of the two packages, nothing else
    except Exception:  # the names it is written with, but TypeVars, Any and None (see below)
        names = frozenset(re.findall(r"\b[A-Z]\w*", text)) - {"Any", "None"}
        return frozenset(n for n in names if not isinstance(namespace.get(n), typing.TypeVar))


def type_names(annotation: Any, fn: Callable[..., Any]) -> frozenset[str]:
    """The names of the types an annotation is made of: generics and their arguments, the
    members of unions (type aliases and Annotated unions included)."""
    if isinstance(annotation, ForwardRef):
        annotation = annotation.__forward_arg__
    if isinstance(annotation, str):
        annotation = _evaluate(annotation, fn)
    if isinstance(annotation, frozenset):
        return annotation
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    generic = getattr(annotation, "__pydantic_generic_metadata__", None)
    if generic and generic["origin"] is not None:  # the SDK's pages: AsyncPage[Model]
        origin, args = generic["origin"], generic["args"]
    if origin is typing.Annotated:
        return type_names(args[0], fn)
    if origin is typing.Literal:
        return frozenset({"Literal"})
    if origin in (typing.Union, types.UnionType):
        return frozenset().union(*(type_names(a, fn) for a in args))
    if origin is not None:
        own = getattr(origin, "__name__", repr(origin))
        # a generic's None argument is a TypeVar bound to nothing (ParsedChatCompletion[None])
        given = [a for a in args if a is not None and a is not type(None)]
        return frozenset({own}).union(*(type_names(a, fn) for a in given))
    if annotation is None or annotation is type(None):
        return frozenset({"None"})
    if isinstance(annotation, typing.TypeVar) or annotation is typing.Any:
        return frozenset()  # they name no type: the overloads (or the SDK's) say which
    return frozenset({getattr(annotation, "__name__", repr(annotation))})


def return_names(fn: Callable[..., Any], *, ours: bool) -> frozenset[str]:
    """The type names of what ``fn`` returns (ours: without our unknown-variant fallbacks, and
    read from its overloads when it has them)."""
    overloads = typing.get_overloads(inspect.unwrap(fn)) if ours else []
    if overloads:
        return frozenset().union(*(_return_names(o, ours=True) for o in overloads))
    return _return_names(fn, ours=ours)


def _return_names(fn: Callable[..., Any], *, ours: bool) -> frozenset[str]:
    try:
        annotation = typing.get_type_hints(fn).get("return")
    except NameError:  # a name imported for the type checker only: read the text
        annotation = inspect.unwrap(fn).__annotations__.get("return")
    names = type_names(annotation, fn)
    return frozenset(n for n in names if not n.startswith("Unknown")) if ours else names


# -- the comparison ----------------------------------------------------------------------


class Comparison:
    """The SDK's methods against ours: what is missing, and how the others differ."""

    def __init__(self) -> None:
        client = AsyncOpenAI(api_key="sk-parity", base_url="http://127.0.0.1:9/v1")
        self.sdk = sdk_methods()
        self.ours = {path: our_method(client, path) for path in self.sdk}
        self.missing = frozenset(path for path, fn in self.ours.items() if fn is None)
        self.present = sorted(self.sdk.keys() - self.missing)

    def keyword_gaps(self, path: str) -> list[str]:
        """What our method lacks of the SDK's keywords, or takes otherwise (required or not)."""
        ours = inspect.signature(self.ours[path]).parameters  # type: ignore[arg-type]
        theirs = inspect.signature(self.sdk[path]).parameters
        gaps = []
        for name, parameter in theirs.items():
            if name in OPTION_KEYWORDS or parameter.kind is parameter.VAR_KEYWORD:
                continue
            if name not in ours:
                gaps.append(name)
            elif (ours[name].default is ours[name].empty) != (parameter.default is parameter.empty):
                gaps.append(f"{name} (required: {parameter.default is parameter.empty})")
        return gaps

    def return_difference(self, path: str) -> tuple[frozenset[str], frozenset[str]]:
        """The return type names only the SDK's method has, and those only ours has."""
        theirs = return_names(self.sdk[path], ours=False)
        ours = return_names(self.ours[path], ours=True)  # type: ignore[arg-type]
        return theirs - ours, ours - theirs

    def figures(self) -> dict[str, int]:
        gaps = [p for p in self.present if self.keyword_gaps(p)]
        returns = [p for p in self.present if any(self.return_difference(p))]
        admin = sum(p.startswith("admin.") for p in self.missing)
        return {
            "SDK methods": len(self.sdk),
            "ours present": len(self.present),
            "keyword gaps": len(gaps),
            "return-name differences": len(returns),
            "missing (non-admin)": len(self.missing) - admin,
            "missing (admin)": admin,
        }


COMPARISON: Final = Comparison()


def test_the_sdk_is_the_pinned_version() -> None:
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    pins = [r for reqs in extras.values() for r in reqs if r.startswith("openai")]
    assert pins == [f"openai[aiohttp]=={openai.__version__}"]


def test_the_missing_list_is_exactly_what_we_lack() -> None:
    assert len(COMPARISON.sdk) > 400  # the walk reached the whole SDK
    listed = read_missing()
    assert sorted(COMPARISON.missing - listed) == [], f"missing, and not in {MISSING_FILE.name}"
    assert sorted(listed - COMPARISON.missing) == [], f"present now: leave {MISSING_FILE.name}"


@pytest.mark.parametrize("path", COMPARISON.present)
def test_a_method_takes_every_keyword_of_the_sdk(path: str) -> None:
    assert COMPARISON.keyword_gaps(path) == []


@pytest.mark.parametrize("path", COMPARISON.present)
def test_a_method_returns_types_of_the_sdk_names(path: str) -> None:
    sdk_only, ours_only = COMPARISON.return_difference(path)
    assert (sorted(sdk_only), sorted(ours_only)) == ([], [])


class Renamed:
    """A return type of a name the SDK does not use."""


async def lacks_model(*, extra_headers: Any = None) -> Renamed:
    """A ``models.retrieve`` without ``model``, returning a type of another name."""
    raise NotImplementedError


async def optional_model(model: str = "gpt-4") -> Any:
    """A ``models.retrieve`` whose ``model`` is optional."""
    raise NotImplementedError


def test_the_comparison_sees_a_missing_keyword_and_a_renamed_type() -> None:
    probe = Comparison.__new__(Comparison)
    probe.sdk = {"models.retrieve": COMPARISON.sdk["models.retrieve"]}
    probe.ours = {"models.retrieve": lacks_model}
    assert probe.keyword_gaps("models.retrieve") == ["model"]
    assert probe.return_difference("models.retrieve") == ({"Model"}, {"Renamed"})
    probe.ours = {"models.retrieve": optional_model}
    assert probe.keyword_gaps("models.retrieve") == ["model (required: True)"]


README: Final = REPO / "README.md"
TABLE_BEGIN: Final = "<!-- sdk-surface:begin (tests/unit/test_sdk_parity.py --write) -->"
TABLE_END: Final = "<!-- sdk-surface:end -->"


def _area(path: str) -> str:
    """The area a method is counted in: its first resource, or its second under ``beta``."""
    parts = path.split(".")
    return ".".join(parts[:2]) if parts[0] == "beta" and len(parts) > 2 else parts[0]


def surface_table(comparison: Comparison) -> str:
    """README's table: per area, the SDK's async methods, how many we have, which we lack."""
    areas: dict[str, list[str]] = {}
    for path in comparison.sdk:
        areas.setdefault(_area(path), []).append(path)
    rows = [
        "| area | the SDK's async methods | aio_openai has | not yet |",
        "| --- | ---: | ---: | --- |",
    ]
    for area, paths in sorted(areas.items()):
        lacking = sorted(p for p in paths if p in comparison.missing)
        have = len(paths) - len(lacking)
        if not lacking:
            note = ""
        elif len(lacking) == len(paths):
            note = "all (planned)"
        else:
            note = ", ".join(f"`{p.removeprefix(area + '.')}`" for p in lacking)
        rows.append(f"| `client.{area}` | {len(paths)} | {have} | {note} |")
    total = len(comparison.sdk)
    rows.append(f"| all | {total} | {len(comparison.present)} | {len(comparison.missing)} |")
    return "\n".join(rows)


def readme_table() -> str:
    text = README.read_text()
    begin = text.index(TABLE_BEGIN) + len(TABLE_BEGIN)
    return text[begin : text.index(TABLE_END)].strip()


def test_the_readme_table_of_the_surface_is_true() -> None:
    assert readme_table() == surface_table(COMPARISON), "run tests/unit/test_sdk_parity.py --write"


def _write_readme_table() -> None:
    text = README.read_text()
    begin = text.index(TABLE_BEGIN) + len(TABLE_BEGIN)
    end = text.index(TABLE_END)
    README.write_text(f"{text[:begin]}\n{surface_table(COMPARISON)}\n{text[end:]}")


def _report(verbose: bool) -> Iterator[str]:
    for name, value in COMPARISON.figures().items():
        yield f"{name}: {value}"
    if verbose:
        for path in COMPARISON.present:
            gaps = COMPARISON.keyword_gaps(path)
            if gaps:
                yield f"KEYWORDS {path}: {', '.join(gaps)}"
            sdk_only, ours_only = COMPARISON.return_difference(path)
            if sdk_only or ours_only:
                yield f"RETURNS {path}: SDK {sorted(sdk_only)} / ours {sorted(ours_only)}"
        for path in sorted(COMPARISON.missing):
            if not path.startswith("admin."):
                yield f"MISSING {path}"


def _write_missing() -> None:
    head = [
        "# The methods of the official SDK's AsyncOpenAI that aio_openai does not have yet, one",
        "# a line (tests/unit/test_sdk_parity.py checks this is exactly what is missing).",
    ]
    MISSING_FILE.write_text("\n".join([*head, *sorted(COMPARISON.missing)]) + "\n")


if __name__ == "__main__":
    if "--write" in sys.argv:
        _write_missing()
        _write_readme_table()
    print("\n".join(_report("-v" in sys.argv)))
