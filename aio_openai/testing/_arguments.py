"""Values that fit a JSON schema, made from a prompt: the fake model's tool arguments.

The chat completions, the Responses API and Assistants runs of the fake server call function
tools with arguments made by :func:`fill`, and a ``json_schema`` response format is answered
the same way. The model is deterministic and reads the prompt as a person skimming it would:

- a string field whose name (or description) asks for a name (``city``, ``location``,
  ``name``, ``country``, ``destination``, ...) gets a capitalised word or run of words of the
  prompt (``"Lisbon"``, ``"San Francisco"``), preferring words that do not start a sentence,
  each field the next one; other string fields get the whole prompt; ``format`` ``date``,
  ``date-time``, ``time``, ``email``, ``uri`` and ``uuid`` get a value of that form (from the
  prompt when it has one); ``minLength``/``maxLength`` are kept;
- numbers and integers take the prompt's numbers in turn (kept within ``minimum``/``maximum``),
  else the ``default``, else the ``minimum``, else 1;
- an ``enum`` gets the member the prompt names, else the ``default``, else its first member;
  a ``const`` its value; a boolean its ``default``, else true;
- objects get every property, required or not; arrays ``minItems`` items (at least one);
  ``anyOf``/``oneOf`` their first alternative that is not null, ``allOf`` its parts merged,
  and local ``$ref`` pointers (``#/$defs/...``) are followed (a schema that refers to itself
  stops after a few levels, with an empty object or array).

:func:`json_reply` is the reply to a request for JSON of a schema (a structured output): a
scripted reply that is JSON already goes as it is, so that a test can script an answer that
fits the schema or one that does not.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterator, Mapping
from typing import Any, Final

__all__ = ["fill", "json_reply"]

#: Words of a property name (or its description) that ask for a name-like value.
_NAME_HINTS: Final = frozenset(
    {
        "author", "brand", "capital", "city", "company", "country", "destination", "location",
        "name", "origin", "person", "place", "recipient", "region", "town", "venue",
    }
)  # fmt: skip

#: Capitalised words that are never names on their own.
_NOT_NAMES: Final = frozenset({"I", "I'm", "I've", "I'd", "I'll", "OK"})

#: How deep ``$ref`` pointers are followed before a self-referring schema is cut short.
_MAX_DEPTH: Final = 8

_WORD: Final = re.compile(r"[^\W_](?:[\w'\u2019-]*[^\W_])?")
_NUMBER: Final = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?!\w)")
_SENTENCE_END: Final = re.compile(r"[.!?:;]\s*$|^\s*$")
_CAMEL: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_FORMATS: Final[Mapping[str, tuple[re.Pattern[str], str]]] = {
    "date": (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "2000-01-01"),
    "date-time": (
        re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})\b"),
        "2000-01-01T00:00:00Z",
    ),
    "time": (re.compile(r"\b\d{2}:\d{2}(?::\d{2})?\b"), "00:00:00"),
    "email": (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "user@example.com"),
    "uri": (re.compile(r"\bhttps?://[^\s\"'<>]+"), "https://example.com/"),
}


def fill(schema: Any, prompt: str) -> Any:
    """A value fitting the JSON ``schema``, made from the words of ``prompt``.

    A schema that is not an object (or missing) gets the prompt itself.
    """
    return _Filler(schema, prompt).value(schema, "", 0)


def json_reply(schema: Any, reply: str, *, scripted: bool) -> str:
    """The model's text when JSON of ``schema`` is asked for: a ``scripted`` reply that is JSON
    as it is, else JSON that fits the schema, made from the reply's words."""
    if scripted:
        try:
            json.loads(reply)
        except ValueError:
            pass
        else:
            return reply
    value = fill(schema if isinstance(schema, Mapping) else {"type": "object"}, reply)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class _Filler:
    """One filling: the prompt's names and numbers are handed out in turn."""

    def __init__(self, root: Any, prompt: str) -> None:
        self.root = root
        self.prompt = prompt
        self.names = _Cycle(_names(prompt))
        self.numbers = iter([float(n) for n in _NUMBER.findall(prompt)])

    def value(self, schema: Any, key: str, depth: int) -> Any:
        """A value for ``schema``, the schema of the property ``key`` ("" at the top)."""
        if not isinstance(schema, Mapping):
            return self.prompt
        schema = self.resolve(schema)
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return self.member(enum, schema.get("default"))
        kind = _kind(schema)
        if kind == "object":
            return self.object(schema, depth)
        if kind == "array":
            return self.array(schema, key, depth)
        if kind in ("integer", "number"):
            return self.number(schema, integer=kind == "integer")
        if kind == "boolean":
            default = schema.get("default")
            return default if isinstance(default, bool) else True
        if kind == "null":
            return None
        return self.string(schema, key)

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """``schema`` with ``$ref``, ``anyOf``/``oneOf`` and ``allOf`` worked out."""
        seen = 0
        while True:
            ref = schema.get("$ref")
            if isinstance(ref, str):
                target = _pointer(self.root, ref)
                rest = {k: v for k, v in schema.items() if k != "$ref"}
                schema = {**target, **rest} if isinstance(target, Mapping) else rest
            else:
                for word in ("anyOf", "oneOf"):
                    choices = schema.get(word)
                    if isinstance(choices, list) and choices:
                        rest = {k: v for k, v in schema.items() if k != word}
                        schema = {**_first_not_null(choices, self.root), **rest}
                        break
                else:
                    parts = schema.get("allOf")
                    if not isinstance(parts, list) or not parts:
                        return schema
                    schema = _merge(
                        [{k: v for k, v in schema.items() if k != "allOf"}, *parts], self.root
                    )
            seen += 1
            if seen > _MAX_DEPTH:  # pointers that go round in a circle: no constraint left
                return {}

    def member(self, enum: list[Any], default: Any) -> Any:
        """The member of ``enum`` the prompt names, else ``default`` if a member, else the first."""
        for member in enum:
            if isinstance(member, str) and member and _mentions(self.prompt, member):
                return member
            numeric = isinstance(member, int | float) and not isinstance(member, bool)
            if numeric and any(_same_number(member, n) for n in _NUMBER.findall(self.prompt)):
                return member
        return default if default in enum else enum[0]

    def object(self, schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
        properties = schema.get("properties")
        props: Mapping[str, Any] = properties if isinstance(properties, Mapping) else {}
        if depth >= _MAX_DEPTH:
            return {}
        out = {name: self.value(sub, name, depth + 1) for name, sub in props.items()}
        required = schema.get("required")
        for name in required if isinstance(required, list) else ():
            if isinstance(name, str) and name not in out:
                out[name] = self.string({}, name)
        return out

    def array(self, schema: Mapping[str, Any], key: str, depth: int) -> list[Any]:
        if depth >= _MAX_DEPTH:
            return []
        prefix = schema.get("prefixItems")
        items = [self.value(s, key, depth + 1) for s in prefix] if isinstance(prefix, list) else []
        low = schema.get("minItems")
        count = max(1, low if isinstance(low, int) else 0)
        high = schema.get("maxItems")
        if isinstance(high, int):
            count = min(count, high)
        item_schema = schema.get("items")
        if item_schema is not False:
            while len(items) < count:
                items.append(self.value(item_schema, key, depth + 1))
        return items

    def number(self, schema: Mapping[str, Any], *, integer: bool) -> int | float:
        low, high = _bound(schema, "minimum"), _bound(schema, "maximum")
        value = next(self.numbers, None)
        if value is None:
            default = schema.get("default")
            if isinstance(default, int | float) and not isinstance(default, bool):
                value = float(default)
            else:
                value = low if low is not None else 1.0
        if "exclusiveMinimum" in schema and isinstance(schema["exclusiveMinimum"], int | float):
            floor = float(schema["exclusiveMinimum"])
            value = max(value, floor + (1 if integer else 0.5)) if value <= floor else value
        if "exclusiveMaximum" in schema and isinstance(schema["exclusiveMaximum"], int | float):
            ceiling = float(schema["exclusiveMaximum"])
            value = min(value, ceiling - (1 if integer else 0.5)) if value >= ceiling else value
        if low is not None:
            value = max(value, low)
        if high is not None:
            value = min(value, high)
        return round(value) if integer else value

    def string(self, schema: Mapping[str, Any], key: str) -> str:
        form = schema.get("format")
        if isinstance(form, str) and form == "uuid":
            text = str(uuid.UUID(bytes=hashlib.sha256(self.prompt.encode()).digest()[:16]))
        elif isinstance(form, str) and form in _FORMATS:
            pattern, placeholder = _FORMATS[form]
            found = pattern.search(self.prompt)
            text = found.group(0) if found else placeholder
        elif _name_like(key, schema.get("description")):
            text = self.names.next() or _last_word(self.prompt)
        else:
            text = self.prompt
        default = schema.get("default")
        if not text and isinstance(default, str):
            text = default
        high = schema.get("maxLength")
        if isinstance(high, int) and high >= 0:
            text = text[:high]
        low = schema.get("minLength")
        if isinstance(low, int) and len(text) < low:
            text = text + "x" * (low - len(text))
        return text


class _Cycle:
    """Hands out the names in turn, starting over when they run out (None if there are none)."""

    def __init__(self, names: list[str]) -> None:
        self._names = names
        self._next = 0

    def next(self) -> str | None:
        if not self._names:
            return None
        name = self._names[self._next % len(self._names)]
        self._next += 1
        return name


def _names(prompt: str) -> list[str]:
    """Runs of capitalised words, those that do not open a sentence first."""
    runs: list[tuple[bool, str]] = []  # (opens a sentence, words)
    current: list[str] = []
    opens = False
    last_end = 0
    for match in _WORD.finditer(prompt):
        word = match.group(0)
        gap = prompt[last_end : match.start()]
        capitalised = word[0].isupper() and word not in _NOT_NAMES
        if current and (not capitalised or gap != " "):
            runs.append((opens, " ".join(current)))
            current = []
        if capitalised:
            if not current:
                opens = bool(_SENTENCE_END.search(prompt[: match.start()]))
            current.append(word)
        last_end = match.end()
    if current:
        runs.append((opens, " ".join(current)))
    return [words for opens, words in runs if not opens] + [w for o, w in runs if o]


def _last_word(prompt: str) -> str:
    """The prompt's last word (a name asked for at the end, uncapitalised), else the prompt."""
    words = _WORD.findall(prompt)
    return words[-1] if words else prompt


def _name_like(key: str, description: Any) -> bool:
    """Whether a property's name (or else its description) asks for a name."""
    words = _CAMEL.sub(" ", key).replace("_", " ").replace("-", " ").lower().split()
    if any(_singular(w) in _NAME_HINTS for w in words):
        return True
    if isinstance(description, str) and description:
        first = description.lower().split()[:4]
        return any(_singular(w.strip(",.;:()")) in _NAME_HINTS for w in first)
    return False


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _kind(schema: Mapping[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        if isinstance(schema.get("properties"), Mapping):
            return "object"
        if "items" in schema or "prefixItems" in schema:
            return "array"
    return kind if isinstance(kind, str) else None


def _bound(schema: Mapping[str, Any], key: str) -> float | None:
    value = schema.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _mentions(text: str, words: str) -> bool:
    """Whether ``text`` holds ``words`` as whole words, ignoring case."""
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text, re.IGNORECASE) is not None


def _same_number(member: float, text: str) -> bool:
    try:
        return float(text) == member
    except ValueError:
        return False


def _pointer(root: Any, ref: str) -> Any:
    """The part of ``root`` a local ``$ref`` (``#/$defs/Name``) points at, else None."""
    if not ref.startswith("#"):
        return None
    node = root
    for part in ref[1:].split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _first_not_null(choices: list[Any], root: Any) -> Mapping[str, Any]:
    for choice in choices:
        if not isinstance(choice, Mapping):
            continue
        target = _pointer(root, choice["$ref"]) if isinstance(choice.get("$ref"), str) else choice
        if isinstance(target, Mapping) and target.get("type") != "null":
            return choice
    return {"type": "null"}


def _merge(parts: list[Any], root: Any) -> dict[str, Any]:
    """``allOf`` parts as one schema: keys merged, properties and required lists joined."""
    merged: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    required: list[Any] = []
    for part in _walk_refs(parts, root):
        for key, value in part.items():
            if key == "properties" and isinstance(value, Mapping):
                properties.update(value)
            elif key == "required" and isinstance(value, list):
                required.extend(r for r in value if r not in required)
            else:
                merged.setdefault(key, value)
    if properties:
        merged["properties"] = properties
        merged.setdefault("type", "object")
    if required:
        merged["required"] = required
    return merged


def _walk_refs(parts: list[Any], root: Any) -> Iterator[Mapping[str, Any]]:
    for part in parts:
        if isinstance(part, Mapping) and isinstance(part.get("$ref"), str):
            target = _pointer(root, part["$ref"])
            if isinstance(target, Mapping):
                yield target
        elif isinstance(part, Mapping):
            yield part
