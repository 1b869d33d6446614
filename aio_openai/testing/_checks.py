"""Request checks shared by the fake APIs: OpenAI's 400s for bodies and their parameters.

Each check raises :class:`APIError` with the message, ``param`` and ``code`` OpenAI answers
with; the routes turn it into the JSON error body (:func:`._http.error_answer`). State
operations raise it too, for unknown ids (404) and requests the state refuses (400). Nothing
here touches HTTP: the checks take the parsed body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal, get_args, get_origin

__all__ = [
    "APIError",
    "check_boolean",
    "check_expiry",
    "check_integer",
    "check_metadata",
    "check_number",
    "check_object",
    "check_option",
    "check_polls",
    "check_small_object",
    "check_string",
    "check_string_list",
    "check_unrecognized",
    "invalid_value",
    "literal_values",
    "missing",
    "wrong_type",
]

_JSON_TYPES: Final = (
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a number"),
    (str, "a string"),
    (list, "an array"),
    (dict, "an object"),
)

#: The most properties OpenAI accepts in a ``metadata`` object.
_MAX_METADATA: Final = 16


class APIError(Exception):
    """An OpenAI error answer to send: ``{"error": {message, type, param, code}}``."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        type: str = "invalid_request_error",
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.type = type


def literal_values(annotation: Any) -> tuple[str, ...]:
    """The strings a type's Literal allows, wherever it sits (``Literal[...] | str``,
    ``list[Literal[...]]``): what the API accepts, read from the generated types."""
    if get_origin(annotation) is Literal:
        return tuple(v for v in get_args(annotation) if isinstance(v, str))
    found: list[str] = []
    for arg in get_args(annotation):
        found += [v for v in literal_values(arg) if v not in found]
    return tuple(found)


def _json_type(value: Any) -> str:
    """The JSON name of a value's type, as OpenAI's messages say it ("an integer")."""
    if value is None:
        return "null"
    for cls, name in _JSON_TYPES:
        if isinstance(value, cls):
            return name
    return type(value).__name__


def _list_words(values: Iterable[str]) -> str:
    """``'a'``, ``'a' and 'b'``, ``'a', 'b', and 'c'``."""
    quoted = [f"'{v}'" for v in values]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]


def missing(param: str) -> APIError:
    """The 400 for a required parameter that is absent."""
    return APIError(
        400,
        f"Missing required parameter: '{param}'.",
        param=param,
        code="missing_required_parameter",
    )


def wrong_type(param: str, expected: str, value: Any) -> APIError:
    """The 400 for a parameter of the wrong JSON type (``expected``: "a string", ...)."""
    return APIError(
        400,
        f"Invalid type for '{param}': expected {expected}, but got {_json_type(value)} instead.",
        param=param,
        code="invalid_type",
    )


def invalid_value(param: str, value: Any, supported: Iterable[str]) -> APIError:
    """The 400 for a value outside its enumeration."""
    return APIError(
        400,
        f"Invalid value: '{value}'. Supported values are: {_list_words(supported)}.",
        param=param,
        code="invalid_value",
    )


def check_unrecognized(body: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Refuse the first key of ``body`` not in ``allowed`` (the Assistants API's wording)."""
    known = set(allowed)
    for key in body:
        if key not in known:
            raise APIError(400, f"Unrecognized request argument supplied: {key}")


def check_string(
    body: Mapping[str, Any],
    key: str,
    *,
    param: str | None = None,
    required: bool = False,
    nullable: bool = True,
    min_length: int = 0,
    max_length: int | None = None,
) -> None:
    """``body[key]``, if present (or ``required``), is a string of at least ``min_length``
    (and at most ``max_length``) characters."""
    param = param or key
    if key not in body:
        if required:
            raise missing(param)
        return
    value = body[key]
    if value is None and nullable and not required:
        return
    if not isinstance(value, str):
        raise wrong_type(param, "a string", value)
    if len(value) < min_length:
        raise APIError(
            400,
            f"Invalid '{param}': empty string. Expected a string with minimum length "
            f"{min_length}, but got an empty string instead.",
            param=param,
            code="empty_string",
        )
    if max_length is not None and len(value) > max_length:
        raise APIError(
            400,
            f"Invalid '{param}': string too long. Expected a string with maximum length "
            f"{max_length}, but got a string with length {len(value)} instead.",
            param=param,
            code="string_above_max_length",
        )


def check_number(body: Mapping[str, Any], key: str, low: float, high: float) -> None:
    """``body[key]``, unless absent or null, is a number in ``low..high``."""
    value = body.get(key)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise wrong_type(key, "a decimal", value)
    if value > high:
        raise APIError(
            400,
            f"Invalid '{key}': decimal above maximum value. Expected a value <= {high:g}, "
            f"but got {value:g} instead.",
            param=key,
            code="decimal_above_max_value",
        )
    if value < low:
        raise APIError(
            400,
            f"Invalid '{key}': decimal below minimum value. Expected a value >= {low:g}, "
            f"but got {value:g} instead.",
            param=key,
            code="decimal_below_min_value",
        )


def check_integer(body: Mapping[str, Any], key: str, minimum: int) -> None:
    """``body[key]``, unless absent or null, is an integer of at least ``minimum``."""
    value = body.get(key)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise wrong_type(key, "an integer", value)
    if value < minimum:
        raise APIError(
            400,
            f"Invalid '{key}': integer below minimum value. Expected a value >= {minimum}, "
            f"but got {value} instead.",
            param=key,
            code="integer_below_min_value",
        )


def check_polls(polls: object) -> int:
    """A fake's test-facing ``configure(polls=...)``: how many retrieves each passing status
    lasts, an int >= 0 (ValueError otherwise: a test's mistake, not an API error)."""
    if isinstance(polls, bool) or not isinstance(polls, int) or polls < 0:
        raise ValueError(f"polls must be an int >= 0, got {polls!r}")
    return polls


def check_boolean(body: Mapping[str, Any], key: str) -> None:
    """``body[key]``, unless absent or null, is a boolean."""
    value = body.get(key)
    if value is not None and not isinstance(value, bool):
        raise wrong_type(key, "a boolean", value)


def check_expiry(
    body: Mapping[str, Any], key: str, *, anchor: str, unit: str, low: int, high: int
) -> None:
    """An expiry object such as ``{"anchor": "created_at", "seconds": 3600}``: its one
    ``anchor`` and an integer ``unit`` between ``low`` and ``high``."""
    value = body.get(key)
    if value is None:
        return
    if not isinstance(value, dict):
        raise wrong_type(key, "an object", value)
    if value.get("anchor") != anchor:
        raise invalid_value(f"{key}.anchor", value.get("anchor"), (anchor,))
    amount = value.get(unit)
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise wrong_type(f"{key}.{unit}", "an integer", amount)
    if not low <= amount <= high:
        raise APIError(
            400,
            f"Invalid '{key}.{unit}': expected a value between {low} and {high}, got {amount}.",
            param=f"{key}.{unit}",
        )


def check_small_object(value: Any, param: str, limit: int = _MAX_METADATA) -> dict[str, Any]:
    """``value`` as an object of at most ``limit`` properties, or OpenAI's 400."""
    if not isinstance(value, dict):
        raise wrong_type(param, "an object", value)
    if len(value) > limit:
        raise APIError(
            400,
            f"Invalid '{param}': too many properties. Expected an object with at most "
            f"{limit} properties, but got an object with {len(value)} properties instead.",
            param=param,
            code="object_above_max_properties",
        )
    return value


def check_metadata(body: Mapping[str, Any], param: str = "metadata") -> None:
    """``body["metadata"]``, unless absent or null, maps at most 16 keys to strings."""
    value = body.get("metadata")
    if value is None:
        return
    for name, item in check_small_object(value, param).items():
        if not isinstance(item, str):
            raise wrong_type(f"{param}.{name}", "a string", item)


def check_object(body: Mapping[str, Any], key: str) -> None:
    """``body[key]``, unless absent or null, is an object."""
    value = body.get(key)
    if value is not None and not isinstance(value, dict):
        raise wrong_type(key, "an object", value)


def check_string_list(body: Mapping[str, Any], key: str) -> None:
    """``body[key]``, unless absent or null, is an array of strings."""
    value = body.get(key)
    if value is None:
        return
    if not isinstance(value, list):
        raise wrong_type(key, "an array", value)
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise wrong_type(f"{key}[{i}]", "a string", item)


def check_option(body: Mapping[str, Any], key: str, words: tuple[str, ...]) -> None:
    """``body[key]``, unless absent or null, is an object or one of ``words``."""
    value = body.get(key)
    if value is None or isinstance(value, dict):
        return
    if not isinstance(value, str):
        raise wrong_type(key, "an object", value)
    if value not in words:
        raise invalid_value(key, value, words)
