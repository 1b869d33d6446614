"""The declaration of an endpoint, on the resource method that calls it.

::

    class _UpdateArgs(AssistantUpdateParams, RequestOptions, total=False): ...

    class Assistants(AssistantsResource):
        @endpoint("POST", "/assistants/{assistant_id}", _UpdateArgs)
        async def update(self, assistant_id: str, **params: Unpack[_UpdateArgs]) -> Assistant:
            return await self._call(Assistants.update, Assistant, params, assistant_id=assistant_id)

:func:`endpoint` is the one place where an endpoint's HTTP method, path template, parameters
and metering are written. It returns the method itself (no wrapper runs per call): it records
an :class:`EndpointSpec` on it and gives it a ``__signature__`` listing every parameter as an
explicit keyword (for ``help()``, ``inspect.signature`` and editors). The resource base
(``_resource.APIResource``) reads the spec on each call: :meth:`EndpointSpec.prepare` is the
one splitter of a method's keyword arguments into the path, the body or query, and the
per-call options, and raises TypeError for an unknown or a missing keyword, as Python does.

Path templates are relative to the base URL (after ``/v1``); each ``{name}`` is an id, named
as the method's parameter that fills it. ``aio_openai.resources.endpoints()`` collects every
declared endpoint into a table (the batch command reads it).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping, Sequence, Set
from typing import (
    TYPE_CHECKING,
    Any,
    Final,
    ForwardRef,
    Required,
    TypeVar,
    get_args,
    get_origin,
)
from urllib.parse import parse_qsl

import attrs

from ._request import path_id, to_param
from ._types import NOT_GIVEN, RequestOptions

if TYPE_CHECKING:
    from ._client import AsyncOpenAI

__all__ = [
    "ENDPOINT_SPEC",
    "OPTION_KEYS",
    "Endpoint",
    "EndpointSpec",
    "endpoint",
    "is_endpoint",
    "keyword_parameters",
    "spec_of",
    "takes",
]

F = TypeVar("F", bound=Callable[..., Any])

#: The attribute a declared method carries: its EndpointSpec.
ENDPOINT_SPEC: Final = "_aio_openai_endpoint"
_ID: Final = re.compile(r"\{([^{}/]+)\}")
_REQUIRED: Final = re.compile(r"(?:typing\.)?Required\[(.*)\]", re.DOTALL)
#: The keys of the per-call options (``timeout``, ``extra_headers``, ...).
OPTION_KEYS: Final = RequestOptions.__optional_keys__

#: The body of a request that sends none: never written to (no keyword goes there).
_NO_BODY: Final[dict[str, Any]] = {}
#: Where a keyword argument goes, besides the body (None) or the query (its name there).
_OPTION: Final = "\x00option"
#: A file of a multipart body: it joins the body as it is (not made JSON-ready).
_FILE: Final = "\x00file"
#: A keyword sent as a header (``betas`` as ``openai-beta``).
_HEADER: Final = "\x00header"
#: A path id given as a keyword argument (a key of the params TypedDict, not a named parameter).
_PATH: Final = "\x00path"
_UNKNOWN: Final = "\x00unknown"


def _annotations(params: type | None) -> dict[str, Any]:
    """The keys of a TypedDict (its bases' included) and their annotations."""
    return {} if params is None else dict(params.__annotations__)


def _text(annotation: Any) -> Any:
    """A string annotation as written (a TypedDict keeps it as a ForwardRef)."""
    return annotation.__forward_arg__ if isinstance(annotation, ForwardRef) else annotation


def _is_required(params: type, key: str, annotation: Any) -> bool:
    """Whether ``key`` is Required (also when its annotation is a string, which the
    TypedDict itself does not look into)."""
    if key in getattr(params, "__required_keys__", ()):
        return True
    annotation = _text(annotation)
    if isinstance(annotation, str):
        return bool(_REQUIRED.fullmatch(annotation))
    return get_origin(annotation) is Required


def _shown(annotation: Any) -> Any:
    """An annotation without its ``Required[...]``, as a signature shows it."""
    annotation = _text(annotation)
    if isinstance(annotation, str):
        match = _REQUIRED.fullmatch(annotation)
        return match.group(1) if match else annotation
    return get_args(annotation)[0] if get_origin(annotation) is Required else annotation


class EndpointSpec:
    """One endpoint as its method declares it, and how its keyword arguments are sent.

    ``params`` is the TypedDict of the method's ``**params`` (parameters and per-call options;
    None for options only). On POST the parameters go in the JSON body, but for those named
    in ``query`` (parameter name to query name); on other methods they all go in the query.
    Those named in ``headers`` (parameter name to header name) go in a header, a list joined
    by commas, under the call's ``extra_headers``. A query string in the path template
    (``/responses?beta=true``) is sent with every call, under the call's own query.
    """

    __slots__ = (
        "counts_tokens",
        "files",
        "fixed_query",
        "headers",
        "id_count",
        "ids",
        "json_without_files",
        "keys",
        "metered",
        "method",
        "name",
        "path",
        "path_format",
        "required",
        "required_keys",
        "sends_body",
    )

    def __init__(
        self,
        fn: Callable[..., Any],
        method: str,
        path: str,
        params: type | None,
        *,
        metered: bool | str,
        query: Mapping[str, str],
        files: Sequence[str] = (),
        json_without_files: bool = False,
        counts_tokens: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.method = method
        self.headers = dict(headers or {})
        template, _, fixed = path.partition("?")
        self.fixed_query = dict(parse_qsl(fixed, keep_blank_values=True))
        self.counts_tokens = counts_tokens
        self.files = tuple(files)
        self.json_without_files = json_without_files
        self.path = path
        self.metered = metered
        self.name = fn.__qualname__
        self.ids = tuple(_ID.findall(path))
        self.id_count = len(self.ids)
        self.path_format = _ID.sub("%s", template.replace("%", "%%"))
        own = inspect.signature(fn).parameters
        annotations = _annotations(params)
        missing = [name for name in self.ids if name not in own and name not in annotations]
        if missing:
            raise TypeError(f"{fn.__qualname__} has no parameter for the path's {missing}")
        self.sends_body = method == "POST" and params is not None
        keys: dict[str, str | None] = dict.fromkeys(OPTION_KEYS, _OPTION)
        required = []
        for key, annotation in annotations.items():
            if key in OPTION_KEYS or key in own:
                continue
            if key in self.ids:
                keys[key] = _PATH  # a keyword-only id, as the SDK's params TypedDict lists it
            elif key in self.files:
                keys[key] = _FILE
            elif key in self.headers:
                keys[key] = _HEADER
            elif method == "POST" and key not in query:
                keys[key] = None  # the body
            else:
                keys[key] = query.get(key, key)
            if params is not None and _is_required(params, key, annotation):
                required.append(key)
        self.keys = keys
        self.required = tuple(required)
        self.required_keys = frozenset(required)

    def prepare(
        self, params: Mapping[str, Any], fields: Mapping[str, Any]
    ) -> tuple[str, dict[str, Any] | None, dict[str, Any] | None, dict[str, Any] | None]:
        """The path, body, query and options of a call with keyword arguments ``params`` and
        the method's own named arguments ``fields`` (the path's ids fill the path; the others,
        such as ``stream``, join the body or the query). NOT_GIVEN values are left out; body
        values are made JSON-ready (:func:`_request.to_param`)."""
        body: dict[str, Any] = {} if self.sends_body else _NO_BODY
        query: dict[str, Any] | None = None
        options: dict[str, Any] | None = None
        headers: dict[str, str] | None = None
        ids = self.ids
        if params:
            keys = self.keys
            for key, value in params.items():
                where = keys.get(key, _UNKNOWN)
                if where is None:
                    if value is not NOT_GIVEN:
                        body[key] = to_param(value)
                elif where is _FILE:
                    if value is not NOT_GIVEN:
                        body[key] = value
                elif where is _OPTION:
                    if value is not NOT_GIVEN:
                        if options is None:
                            options = {}
                        options[key] = value
                elif where is _UNKNOWN:
                    raise TypeError(f"{self.name}() got an unexpected keyword argument {key!r}")
                elif where is _HEADER:
                    if value is not NOT_GIVEN:
                        sent = ",".join(map(str, value)) if isinstance(value, list) else value
                        headers = {**(headers or {}), self.headers[key]: str(sent)}
                elif where is _PATH:
                    fields = {**fields, key: value}
                elif value is not NOT_GIVEN:
                    if query is None:
                        query = {}
                    query[where] = value
        if self.required and not params.keys() >= self.required_keys:
            raise self._missing(params)
        if self.fixed_query:
            query = {**self.fixed_query, **(query or {})}
        if headers:  # under the call's own extra_headers
            options = {**(options or {})}
            options["extra_headers"] = {**headers, **(options.get("extra_headers") or {})}
        if not ids:
            path = self.path_format % ()
        elif len(ids) == 1:
            name = ids[0]
            path = self.path_format % path_id(name, fields[name])
        else:
            quoted = []
            for name in ids:
                quoted.append(path_id(name, fields[name]))
            path = self.path_format % tuple(quoted)
        if len(fields) > self.id_count:
            for name, value in fields.items():
                if name not in ids and value is not NOT_GIVEN:
                    if self.sends_body:
                        body[name] = value
                    else:
                        query = {**(query or {}), name: value}
        return (
            path,
            body if self.sends_body else None,
            query,
            options,
        )

    def _missing(self, params: Mapping[str, Any]) -> TypeError:
        names = [repr(key) for key in self.required if key not in params]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        s = "" if len(names) == 1 else "s"
        return TypeError(
            f"{self.name}() missing {len(names)} required keyword-only argument{s}: {listed}"
        )


def endpoint(
    method: str,
    path: str,
    params: type | None = None,
    *,
    metered: bool | str = False,
    query: Mapping[str, str] | Sequence[str] = (),
    files: Sequence[str] = (),
    json_without_files: bool = False,
    counts_tokens: bool = True,
    headers: Mapping[str, str] | None = None,
) -> Callable[[F], F]:
    """Declare the HTTP ``method``, the ``path`` template and the ``params`` TypedDict (the
    type of the method's ``**params``) of a resource method; returns the method unchanged.

    ``metered``: the request spends tokens of its body's ``model`` (the rate limiter counts
    them); a model name instead of True is the model the API uses when the body names none.
    ``query``: the parameters of a POST that go in the query string (a mapping renames them
    on the wire; on GET and DELETE every parameter does); an array there is sent as
    ``include[]=a&include[]=b``, as the SDK sends it (``_request.encode_query``).
    ``files``: the parameters holding files; the body is then sent as ``multipart/form-data``
    with the files streamed (``_multipart``), even when a call gives none of them (as the
    SDK sends ``audio.voices.create``), but with ``json_without_files``: then a call giving
    no file sends JSON (a file or its id: ``containers.files.create``, as the SDK does).
    ``counts_tokens=False``: a metered call the API counts as one request, with no token
    estimate of its body (audio and image calls).
    ``headers``: the parameters sent as headers (parameter name to header name; a list is
    joined by commas: the beta Responses' ``betas`` as ``openai-beta``). A query string in
    ``path`` (``"/responses?beta=true"``) goes with every call.
    """
    renames = dict(query) if isinstance(query, Mapping) else {key: key for key in query}

    def mark(fn: F) -> F:
        spec = EndpointSpec(
            fn,
            method,
            path,
            params,
            metered=metered,
            query=renames,
            files=files,
            json_without_files=json_without_files,
            counts_tokens=counts_tokens,
            headers=headers,
        )
        vars(fn).update({ENDPOINT_SPEC: spec, "__signature__": _signature(fn, params)})
        return fn

    return mark


def takes(params: type | None) -> Callable[[F], F]:
    """Give a helper that forwards its ``**params`` to an endpoint (``create_and_poll``) the
    signature listing them, as ``@endpoint`` does; returns the method unchanged."""

    def mark(fn: F) -> F:
        vars(fn)["__signature__"] = _signature(fn, params)
        return fn

    return mark


def spec_of(fn: Callable[..., Any]) -> EndpointSpec:
    """The spec a method's ``@endpoint`` recorded."""
    spec: EndpointSpec = getattr(fn, ENDPOINT_SPEC)
    return spec


def is_endpoint(fn: object) -> bool:
    """Whether ``fn`` is a method declared with ``@endpoint``."""
    return hasattr(fn, ENDPOINT_SPEC)


def keyword_parameters(
    params: type | None, annotations: Mapping[str, Any] | None = None, skip: Set[str] = frozenset()
) -> list[inspect.Parameter]:
    """The keys of the TypedDict ``params`` (or ``annotations``, keys of ``params``) as
    keyword-only parameters, but those in ``skip``: required ones first, without a default,
    then the others, defaulting to NOT_GIVEN."""
    if annotations is None:
        annotations = _annotations(params)
    required: list[inspect.Parameter] = []
    optional: list[inspect.Parameter] = []
    for key, annotation in annotations.items():
        if key in skip:
            continue
        is_required = params is not None and _is_required(params, key, annotation)
        parameter = inspect.Parameter(
            key,
            inspect.Parameter.KEYWORD_ONLY,
            default=inspect.Parameter.empty if is_required else NOT_GIVEN,
            annotation=_shown(annotation),
        )
        (required if is_required else optional).append(parameter)
    return [*required, *optional]


def _signature(fn: Callable[..., Any], params: type | None) -> inspect.Signature:
    """The method's signature with its ``**params`` written out: each parameter of
    ``params`` (required ones without a default, the others defaulting to NOT_GIVEN) and the
    per-call options, as keyword-only parameters."""
    signature = inspect.signature(fn)
    own = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
    annotations = {k: v for k, v in _annotations(params).items() if k not in OPTION_KEYS}
    annotations.update(RequestOptions.__annotations__)  # the per-call options come last
    keywords = keyword_parameters(params, annotations, skip={p.name for p in own})
    return signature.replace(parameters=[*own, *keywords])


# -- the table ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Endpoint:
    """One endpoint: ``method`` and ``path`` (a template), and the resource method calling it."""

    method: str
    path: str
    metered: bool | str
    resource: type[Any]
    name: str

    @property
    def segments(self) -> tuple[str | None, ...]:
        """The path's segments: literal ones, and None for an id."""
        return tuple(None if _ID.fullmatch(s) else s for s in self.path.strip("/").split("/"))

    def matches(self, segments: Sequence[str]) -> bool:
        """Whether the path ``segments`` (after ``/v1``, unquoted) fit the template."""
        pattern = self.segments
        return len(segments) == len(pattern) and all(
            want is None or want == got for want, got in zip(pattern, segments, strict=True)
        )

    def describe(self, id_name: str = "{id}") -> str:
        """The path as a URL with every id written ``id_name``, e.g. ``/v1/models/{id}``."""
        return "/v1" + _ID.sub(lambda _: id_name, self.path)

    def headers(self, client: AsyncOpenAI) -> Mapping[str, str] | None:
        """The headers the resource adds to its calls (the Assistants API's ``OpenAI-Beta``)."""
        headers: Mapping[str, str] | None = self.resource(client)._endpoint_headers()
        return headers
