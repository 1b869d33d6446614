"""The request builder: what one API call sends, from the client's configuration and the
call's arguments, with no I/O and no client object.

- :class:`RequestConfig`: what every request of a client shares (base URL, headers, default
  query, timeout, proxy), built once by the client;
- :func:`build_request`: the Request of one call (its URL and query, headers, JSON body,
  Idempotency-Key, timeout, per-call options, and the token estimate of metered calls);
- :func:`path_id`: an id quoted into one path segment;
- :func:`check_header`: a header that cannot split or smuggle headers;
- :func:`to_param`: a value of a request body made JSON-ready (attrs objects become dicts).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

import attrs
from yarl import URL

from ._convert import NOT_SENT, converter
from ._cost import estimate_tokens
from ._http import Request
from ._json import dumps as json_dumps
from ._models import BaseObject
from ._multipart import UploadBody, multipart_body
from ._transport import client_timeout
from ._types import NOT_GIVEN, NotGiven, RequestOptions

if TYPE_CHECKING:
    from aiohttp import ClientTimeout

__all__ = [
    "RequestConfig",
    "build_request",
    "check_header",
    "has_idempotency_key",
    "path_id",
    "quote_segment",
    "to_param",
]

#: An id that needs no quoting: unreserved characters, and ``:`` and ``@``, which a path
#: segment may carry as they are (``ft:gpt-4o-mini:org:suffix:abc123``).
_PLAIN_ID: Final = re.compile(r"[A-Za-z0-9_.~:@-]+").fullmatch


def path_id(name: str, value: str) -> str:
    """A path parameter, percent-quoted so it can never change the path or the query: ``/``,
    ``?``, ``#``, ``%`` and every other character but the unreserved ones, ``:`` and ``@``."""
    if not isinstance(value, str):
        raise TypeError(f"Expected a string for `{name}` but received {type(value).__name__}")
    if not value:
        raise ValueError(f"Expected a non-empty value for `{name}` but received {value!r}")
    if value in (".", ".."):
        raise ValueError(f"`{name}` cannot be {value!r}: it would change the path")
    return quote_segment(value)


def quote_segment(value: str) -> str:
    """``value`` percent-quoted as one path segment (see :func:`path_id`)."""
    if _PLAIN_ID(value):
        return value  # nothing to quote: the common case, without quote()'s cost
    return quote(value, safe=":@")


# -- headers ----------------------------------------------------------------------------------

_HEADER_NAME: Final = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+").fullmatch

#: Headers that frame or route the request: aiohttp sets them from the body and the URL. A
#: user's ``Transfer-Encoding: chunked`` beside aiohttp's ``Content-Length`` on an unchunked
#: body is a request-smuggling shape behind a proxy.
_FRAMING_HEADERS: Final = frozenset({"content-length", "transfer-encoding", "host", "connection"})


def check_header(name: str, value: str) -> None:
    """Refuse a header that could split or smuggle headers: a name that is not an HTTP token,
    a value with CR, LF or NUL, or a header that frames the request (set by the library)."""
    if not isinstance(name, str) or not _HEADER_NAME(name):
        raise ValueError(
            f"header name {name!r} is not a valid HTTP header name (no CR, LF, NUL, spaces or"
            " colons)"
        )
    if name.lower() in _FRAMING_HEADERS:
        raise ValueError(
            f"header {name!r} is set by the library from the body and the URL (it frames the"
            " request); it cannot be set in default_headers or extra_headers"
        )
    if not isinstance(value, str):
        raise TypeError(f"header {name!r} must be a string, got {type(value).__name__}")
    if "\r" in value or "\n" in value or "\0" in value:
        raise ValueError(f"header {name!r} contains a CR, LF or NUL character")


def has_idempotency_key(headers: Mapping[str, str]) -> bool:
    return any(name.lower() == "idempotency-key" for name in headers)


# -- bodies and queries -----------------------------------------------------------------------

#: Classes whose values go into a request body unchanged (NotGiven is dropped before).
_AS_IS: Final = frozenset({str, int, float, bool, type(None), NotGiven})


def to_param(value: Any) -> Any:
    """A request-body value: attrs objects become dicts without their unset (None) fields.

    Plain dicts, lists and scalars pass through (an explicit ``None`` in a dict stays ``null``);
    attrs objects inside them are converted too, and one-shot iterables become lists. Unknown
    keys of an object are sent as they are; the fields this package adds (``parsed``, marked
    NOT_SENT) are not.
    """
    cls = value.__class__
    if cls in _AS_IS:
        return value
    if cls is dict:
        for item in value.values():
            if item.__class__ not in _AS_IS:
                return {k: to_param(v) for k, v in value.items()}
        return value  # nothing to convert: the dict as it is
    if cls is list:
        for item in value:
            if item.__class__ not in _AS_IS:
                return [to_param(v) for v in value]
        return value
    if isinstance(value, BaseObject):
        out: dict[str, Any] = {}
        for field in attrs.fields(type(value)):
            if field.name in ("model_extra", "_request_id", "_unset") or NOT_SENT in field.metadata:
                continue
            item = getattr(value, field.name)
            if item is not None:
                out[field.alias or field.name] = to_param(item)
        for key, item in value.model_extra.items():
            out[key] = to_param(item)
        return out
    if isinstance(value, Mapping):
        return {k: to_param(v) for k, v in value.items()}
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | bytearray):
        return [to_param(v) for v in value]
    if attrs.has(type(value)):
        return converter.unstructure(value)
    return value


def _json_default(value: Any) -> Any:
    if attrs.has(type(value)):
        return converter.unstructure(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _query_scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value if isinstance(value, str) else str(value)


def encode_query(
    params: Mapping[str, Any], into: dict[str, str | list[str]], *, brackets: bool = True
) -> None:
    """Add ``params`` to the query ``into`` as the SDK writes them: booleans as
    ``true``/``false``, an array as ``include[]=a&include[]=b`` (``brackets``; else as a
    repeated ``include=a&include=b``, the SDK's way for ``extra_query``), an object as
    ``metadata[key]=value``; None and NOT_GIVEN values are left out."""
    for key, value in params.items():
        if value is None or value is NOT_GIVEN:
            continue
        if isinstance(value, str):
            into[key] = value
        elif isinstance(value, Mapping):
            encode_query({f"{key}[{k}]": v for k, v in value.items()}, into, brackets=brackets)
        elif isinstance(value, Iterable) and not isinstance(value, bytes):
            if brackets and not key.endswith("[]"):
                key = f"{key}[]"
            into[key] = [_query_scalar(v) for v in value]
        else:
            into[key] = _query_scalar(value)


def _override_query(query: dict[str, str | list[str]], extra: Mapping[str, Any]) -> None:
    """Add ``extra_query`` to ``query``: its keys replace the same parameters (``key``,
    ``key[]``, ``key[...]``) of the call and the client."""
    for name in extra:
        for key in [k for k in query if k == name or k.startswith(f"{name}[")]:
            del query[key]
    encode_query(extra, query, brackets=False)


# -- the request ------------------------------------------------------------------------------


@attrs.define(kw_only=True, eq=False)
class RequestConfig:
    """What every request of one client shares; the client builds it once.

    ``base`` is the base URL without a trailing slash, query or fragment; ``headers`` the
    client's own (authorization, user agent, organization, project, ``default_headers``);
    ``query`` its ``default_query``. ``merged`` keeps the client's headers with an
    endpoint's own merged in, one entry per set of endpoint headers.
    """

    base: str
    headers: dict[str, str]
    query: dict[str, Any]
    timeout: ClientTimeout
    proxy: str | None = None
    merged: dict[tuple[tuple[str, str], ...], tuple[dict[str, str], bool]] = attrs.field(
        factory=dict, repr=False
    )
    plain_headers: tuple[dict[str, str], bool] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        self.plain_headers = (self.headers, has_idempotency_key(self.headers))

    def headers_for(
        self, endpoint_headers: Mapping[str, str] | None
    ) -> tuple[dict[str, str], bool]:
        """The client's headers with ``endpoint_headers`` merged in (they win, whatever their
        case), and whether an Idempotency-Key is among them; made once per header set."""
        key = tuple(endpoint_headers.items()) if endpoint_headers else ()
        found = self.merged.get(key)
        if found is None:
            names = {name.lower() for name, _ in key}
            headers = {k: v for k, v in self.headers.items() if k.lower() not in names}
            headers.update(key)
            found = (headers, has_idempotency_key(headers))
            if len(self.merged) < 32:  # endpoints send a handful of constant header sets
                self.merged[key] = found
        return found


#: Why a call without credentials is refused before it is sent (the SDK raises TypeError too).
NO_API_KEY: Final = (
    "This call sends the API key in Authorization, and the client has none (it was made with an"
    " admin key only): pass api_key= or set OPENAI_API_KEY"
)
NO_ADMIN_KEY: Final = (
    "client.admin calls send the admin API key in Authorization, and the client has none:"
    " pass admin_api_key= or set OPENAI_ADMIN_KEY"
)


def check_credentials(
    headers: Mapping[str, str], endpoint_headers: Mapping[str, str] | None
) -> None:
    """Raise TypeError when a request carries no credentials (an empty ``Authorization`` is
    none): the client has no key for the call, and nothing is sent. A call's own
    ``extra_headers`` may give them, whatever their case."""
    if any(name.lower() == "authorization" and value for name, value in headers.items()):
        return
    raise TypeError(
        NO_ADMIN_KEY if endpoint_headers and "Authorization" in endpoint_headers else NO_API_KEY
    )


def build_request(
    config: RequestConfig,
    method: str,
    path: str,
    *,
    body: Mapping[str, Any] | None = None,
    query: Mapping[str, Any] | None = None,
    options: RequestOptions | Mapping[str, Any] | None = None,
    metered: bool | str = False,
    endpoint_headers: Mapping[str, str] | None = None,
    files: Sequence[str] = (),
    json_without_files: bool = False,
    counts_tokens: bool = True,
) -> Request:
    """The Request for ``method`` on ``path`` (relative to the base URL), with the options.

    ``metered`` calls (those that spend tokens of a model) carry the body's ``model`` and an
    estimated token cost for the rate limiter; the rest share the key's request bucket. A
    string ``metered`` is the model the API uses when the body names none (moderations).
    ``counts_tokens=False``: the API counts the call as a request only, with no token estimate
    (audio, images); so are multipart bodies.
    ``endpoint_headers`` are the endpoint's own (``OpenAI-Beta`` for the Assistants API): they
    win over the client's headers, and the call's ``extra_headers`` win over them. NOT_GIVEN
    values of ``body`` and ``query`` are left out.
    """
    if endpoint_headers:
        merged, has_idempotency_key_ = config.headers_for(endpoint_headers)
    else:
        merged, has_idempotency_key_ = config.plain_headers
    headers = dict(merged)
    timeout = config.timeout
    params: dict[str, str | list[str]] | None = None
    max_retries = deadline = policy = None
    if config.query or query:
        params = {}
        if config.query:
            encode_query(config.query, params)
        if query:
            encode_query(query, params)
    if options:
        extra_headers = options.get("extra_headers")
        if extra_headers:
            for name, value in extra_headers.items():
                check_header(name, value)
            headers.update(extra_headers)
            has_idempotency_key_ = has_idempotency_key(headers)
        extra_query = options.get("extra_query")
        if extra_query:
            if params is None:
                params = {}
            _override_query(params, extra_query)
        extra_body = options.get("extra_body")
        if extra_body:
            body = {**(body or {}), **extra_body}
        if "timeout" in options:
            timeout = client_timeout(options["timeout"])
        key = options.get("idempotency_key")
        if key:
            check_header("Idempotency-Key", key)
            headers["Idempotency-Key"] = key
            has_idempotency_key_ = True
        max_retries = options.get("max_retries")
        if max_retries is not None and (not isinstance(max_retries, int) or max_retries < 0):
            raise ValueError(f"max_retries must be a non-negative int, got {max_retries!r}")
        deadline = options.get("deadline")
        if deadline is not None and (not isinstance(deadline, int | float) or deadline <= 0):
            raise ValueError(f"deadline must be a positive number of seconds, got {deadline!r}")
        policy = options.get("retry_policy")
    if not headers.get("Authorization"):
        check_credentials(headers, endpoint_headers)
    url = URL(config.base + path, encoded=True)
    if params:
        url = url.update_query(params)
    content = None
    upload: UploadBody | None = None
    model = None
    cost = 0
    if method == "POST" and not has_idempotency_key_:
        headers["Idempotency-Key"] = f"aio-openai-retry-{os.urandom(16).hex()}"
    if body is not None:
        body = {k: v for k, v in body.items() if v is not NOT_GIVEN}
        if files and (not json_without_files or any(name in body for name in files)):
            upload = multipart_body(body, files)
            headers["Content-Type"] = upload.content_type
            body = {k: v for k, v in body.items() if k not in files}
        else:
            content = json_dumps(body, default=_json_default)
            headers["Content-Type"] = "application/json"
        if metered:
            m = body.get("model")
            model = m if isinstance(m, str) else metered if isinstance(metered, str) else None
            if upload is None and counts_tokens:
                cost = estimate_tokens(body)
    return Request(
        method=method,
        url=url,
        headers=headers,
        content=content,
        json_data=body,
        upload=upload,
        timeout=timeout,
        model=model,
        token_cost=cost,
        max_retries=max_retries,
        deadline=deadline,
        retry_policy=policy,
        proxy=config.proxy,
    )
