"""JSON read as it streams in: the value of the text so far, its unfinished end left out.

A stream helper shows the structured output (or a tool call's arguments) while the model
writes it: :class:`PartialJSON` takes the text piece by piece (``feed``) and ``value()`` is
what the text so far holds, complete values only, with the open arrays and objects closed:
``{"a": [1, 2`` is ``{"a": [1, 2]}``, an unfinished string, key, number or literal is left
out (``{"a": "hel`` is ``{}``), a number at the very end is kept when it is one already
(``{"a": 12`` is ``{"a": 12}``), as the official SDK's partial parser does.

Each piece is scanned once (strings are skipped with ``str.find``, not character by
character), remembering the last point where the text can be cut and closed; ``value()``
then parses that prefix and its closing brackets with the C JSON parser.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

__all__ = ["PartialJSON"]

_CLOSERS: Final = {"{": "}", "[": "]"}
_SPECIAL_IN_STRING: Final = re.compile(r'["\\]')
_SCALAR_END: Final = frozenset(",]} \t\r\n")
_WHITESPACE: Final = frozenset(" \t\r\n")
_NUMBER: Final = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_LITERALS: Final = frozenset({"true", "false", "null"})
_NOTHING: Final = object()


class PartialJSON:
    """The growing text of one JSON value; ``value()`` is what it holds so far (None while
    nothing complete has come). Text that is not JSON makes ``value()`` None from there on."""

    __slots__ = (
        "_broken",
        "_cached",
        "_cached_at",
        "_expect",
        "_in_string",
        "_pos",
        "_safe",
        "_safe_closers",
        "_scalar_start",
        "_stack",
        "_string_is_key",
        "text",
    )

    def __init__(self) -> None:
        self.text = ""
        self._pos = 0  # the text before this is scanned
        self._stack: list[str] = []  # the open containers, "{" or "["
        # what comes next: "value", "key", "colon", "comma", "end"; "first_key" and
        # "first_value" just after an opening bracket (where it may close at once)
        self._expect = "value"
        self._in_string = False
        self._string_is_key = False
        self._scalar_start = -1  # where an unfinished number or literal starts
        self._safe = 0  # the text before this, closed with _safe_closers, is valid JSON
        self._safe_closers = ""
        self._broken = False
        self._cached: Any = _NOTHING
        self._cached_at = -1

    def feed(self, piece: str) -> None:
        """Add the next piece of text."""
        self.text += piece
        if not self._broken:
            try:
                self._scan()
            except ValueError:
                self._broken = True

    def value(self) -> Any:
        """The value of the text so far: complete values only, open containers closed."""
        if self._broken:
            return None
        end, closers = self._safe, self._safe_closers
        if self._scalar_start >= 0 and _NUMBER.fullmatch(self.text[self._scalar_start :]):
            end, closers = len(self.text), self._closers()  # a number at the very end
        elif self._scalar_start >= 0 and self.text[self._scalar_start :] in _LITERALS:
            end, closers = len(self.text), self._closers()
        if end == 0:
            return None
        if end != self._cached_at:
            try:
                self._cached = json.loads(self.text[:end] + closers)
            except ValueError:  # what the scan let through and JSON does not take
                self._broken = True
                return None
            self._cached_at = end
        return self._cached

    # -- scanning ------------------------------------------------------------------------------

    def _closers(self) -> str:
        return "".join(_CLOSERS[c] for c in reversed(self._stack))

    def _mark(self, end: int) -> None:
        """The text before ``end`` ends with a complete value (or an opening bracket)."""
        self._safe = end
        self._safe_closers = self._closers()

    def _after_value(self, end: int) -> None:
        self._expect = "comma" if self._stack else "end"
        self._mark(end)

    def _scan(self) -> None:
        text = self.text
        i = self._pos
        n = len(text)
        while i < n:
            if self._in_string:
                found = _SPECIAL_IN_STRING.search(text, i)
                if found is None:
                    i = n
                    break
                j = found.start()
                if text[j] == "\\":
                    if j + 1 >= n:  # the escaped character has not come yet
                        i = j
                        break
                    i = j + 2
                    continue
                self._in_string = False
                i = j + 1
                if self._string_is_key:
                    self._expect = "colon"
                else:
                    self._after_value(i)
                continue
            if self._scalar_start >= 0:
                if text[i] not in _SCALAR_END:
                    i += 1
                    continue
                scalar = text[self._scalar_start : i]
                if scalar not in _LITERALS and not _NUMBER.fullmatch(scalar):
                    raise ValueError(f"not JSON: {scalar!r}")
                self._scalar_start = -1
                self._after_value(i)
                continue
            char = text[i]
            i += 1
            if char in _WHITESPACE:
                continue
            self._token(char, i)
        self._pos = i

    def _token(self, char: str, end: int) -> None:
        """One structural character (or the start of a value) ending at ``end``."""
        expect = self._expect
        value = expect in ("value", "first_value")
        if char == '"' and (value or expect in ("key", "first_key")):
            self._in_string = True
            self._string_is_key = not value
        elif value and char in "{[":
            self._stack.append(char)
            self._expect = "first_key" if char == "{" else "first_value"
            self._mark(end)
        elif char in "}]" and self._stack and _CLOSERS[self._stack[-1]] == char:
            if expect not in ("comma", "first_key" if char == "}" else "first_value"):
                raise ValueError(f"not JSON: {char!r} where a value or key belongs")
            self._stack.pop()
            self._after_value(end)
        elif expect == "colon" and char == ":":
            self._expect = "value"
        elif expect == "comma" and char == ",":
            self._expect = "key" if self._stack[-1] == "{" else "value"
        elif value and (char == "-" or char.isdigit() or char in "tfn"):
            self._scalar_start = end - 1
        else:
            raise ValueError(f"not JSON: unexpected {char!r}")
