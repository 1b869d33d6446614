"""Masking secrets in what errors show: the client's API key and key-shaped strings.

A server may quote the key it was sent ("Incorrect API key provided: sk-..."), and aiohttp's
own exceptions carry the request's headers. Every error the library raises goes through
:class:`Redactor` where it is built (``APIError.__init__``, and the one mapping of transport
errors in ``_transport``), so the key shows nowhere: not in a message, ``str``, ``repr``, a
traceback or a log. Secrets are masked as OpenAI masks keys: ``sk-abc...wxyz``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

__all__ = ["Redactor", "mask", "mask_credentials"]

#: Strings shaped as OpenAI's secret keys (``sk-...``, ``sk-proj-...``, ``sk-svcacct-...``,
#: ``sk-admin-...``), not part of a longer word.
_KEY_SHAPED: Final = re.compile(r"(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{16,}")
#: A key shorter than this is masked only in credentials headers: masking every occurrence
#: of a short string in a message would garble it, and such a string is no secret.
_MIN_KEY: Final = 8
#: A secret of this length or more keeps its first 6 and last 4 characters when masked.
_MIN_SHOWN: Final = 24


def mask(secret: str) -> str:
    """``secret`` as OpenAI shows keys, ``sk-abc...wxyz``; a short one is ``***``."""
    if len(secret) < _MIN_SHOWN:
        return "***"
    return f"{secret[:6]}...{secret[-4:]}"


def mask_credentials(value: str) -> str:
    """An ``Authorization`` value with its credentials masked: ``Bearer sk-abc...wxyz``."""
    scheme, space, credentials = value.partition(" ")
    return f"{scheme} {mask(credentials)}" if space else mask(value)


class Redactor:
    """Masks one API key (and every key-shaped secret) in texts and parsed bodies."""

    __slots__ = ("_key", "_masked")

    def __init__(self, key: str | None) -> None:
        self._key = key if key is not None and len(key) >= _MIN_KEY else None
        self._masked = "" if self._key is None else mask(self._key)

    @classmethod
    def of(cls, headers: Mapping[str, str] | None) -> Redactor:
        """The redactor for the key a request's ``Authorization`` header carries."""
        auth = None if headers is None else headers.get("Authorization")
        if not auth:
            return _ANY_KEY
        return cls(auth.partition(" ")[2] or auth)

    def text(self, text: str) -> str:
        """``text`` with the key and key-shaped secrets masked."""
        key = self._key
        if key is not None and key in text:
            text = text.replace(key, self._masked)
        if "sk-" in text:
            text = _KEY_SHAPED.sub(lambda m: mask(m.group()), text)
        return text

    def value(self, value: Any) -> Any:
        """A parsed body (dicts, lists, strings, any depth) with every string masked.

        Containers are copied, not changed: the response keeps the body as it came.
        """
        if isinstance(value, str):
            return self.text(value)
        if not isinstance(value, dict | list):
            return value
        text = self.text
        top = _copy(value, text)
        todo = [top]
        while todo:  # iterative: a body may be nested deeper than the recursion limit
            node = todo.pop()
            pairs = node.items() if isinstance(node, dict) else enumerate(node)
            for k, v in pairs:
                if isinstance(v, str):
                    node[k] = text(v)
                elif isinstance(v, dict | list):
                    node[k] = child = _copy(v, text)
                    todo.append(child)
        return top


def _copy(node: dict[Any, Any] | list[Any], text: Any) -> dict[Any, Any] | list[Any]:
    if isinstance(node, list):
        return list(node)
    return {text(k) if isinstance(k, str) else k: v for k, v in node.items()}


#: The redactor of a request without a key: key-shaped secrets only.
_ANY_KEY: Final = Redactor(None)
