"""Error mapping: statuses to typed errors, the error tree, connection failures and timeouts."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aioresponses import aioresponses as Aioresponses
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

import aio_openai
from aio_openai import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncOpenAI,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OpenAIError,
    PermissionDeniedError,
    RateLimitError,
    Request,
    Response,
    UnprocessableEntityError,
)
from aio_openai._exceptions import status_error

pytestmark = pytest.mark.usefixtures("clean_env")

KEY = "sk-unit-0123456789abcdef"
BASE = "https://api.openai.com/v1"
URL_GPT4 = f"{BASE}/models/gpt-4"

STATUS_TABLE = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
    (504, InternalServerError),
    (599, InternalServerError),
    (402, APIStatusError),
    (405, APIStatusError),
    (418, APIStatusError),
    (451, APIStatusError),
]

ERROR = {
    "message": "Something is off",
    "type": "invalid_request_error",
    "param": "model",
    "code": "some_code",
}


@pytest.fixture
async def api() -> AsyncIterator[AsyncOpenAI]:
    """A client on the default base URL, no retries (every mock answers once)."""
    c = AsyncOpenAI(api_key=KEY, max_retries=0)
    try:
        yield c
    finally:
        await c.aclose()


def make_request() -> Request:
    return Request(
        method="GET",
        url=URL(URL_GPT4),
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=aiohttp.ClientTimeout(total=1),
    )


def make_response(status: int, content: bytes, *, request_id: str | None = "req_abc") -> Response:
    headers: CIMultiDict[str] = CIMultiDict({"content-type": "application/json"})
    if request_id is not None:
        headers["x-request-id"] = request_id
    return Response(
        status=status,
        reason="Reason",
        headers=CIMultiDictProxy(headers),
        content=content,
        request=make_request(),
    )


# -- status table --------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "cls"), STATUS_TABLE)
async def test_status_maps_to_its_error_over_http(
    mock_http: Aioresponses, api: AsyncOpenAI, status: int, cls: type[APIStatusError]
) -> None:
    mock_http.get(
        URL_GPT4,
        status=status,
        payload={"error": ERROR},
        headers={"x-request-id": f"req_{status}"},
        repeat=True,
    )
    with pytest.raises(APIStatusError) as info:
        await api.models.retrieve("gpt-4")
    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    assert err.request_id == f"req_{status}"
    assert err.headers["x-request-id"] == f"req_{status}"
    assert (err.code, err.type, err.param) == ("some_code", "invalid_request_error", "model")
    assert err.message == f"Error code: {status} - Something is off"
    assert str(err) == err.message
    assert err.response.status == status
    assert err.request is not None
    assert str(err.request.url) == URL_GPT4
    assert len(mock_http.requests[("GET", URL(URL_GPT4))]) == 1


@pytest.mark.parametrize(("status", "cls"), STATUS_TABLE)
def test_status_error_maps_crafted_responses(status: int, cls: type[APIStatusError]) -> None:
    err = status_error(make_response(status, json.dumps({"error": ERROR}).encode()))
    assert type(err) is cls
    assert err.status_code == status
    assert err.request_id == "req_abc"
    assert err.code == "some_code"


@pytest.mark.parametrize("status", [400, 404, 429, 500, 502, 418])
async def test_non_json_error_body_still_gives_the_typed_error(
    mock_http: Aioresponses, api: AsyncOpenAI, status: int
) -> None:
    mock_http.get(
        URL_GPT4,
        status=status,
        body="<html>upstream went away</html>",
        content_type="text/html",
        headers={"x-request-id": "req_html"},
    )
    with pytest.raises(APIStatusError) as info:
        await api.models.retrieve("gpt-4")
    err = info.value
    assert type(err) is dict(STATUS_TABLE)[status]
    assert err.request_id == "req_html"
    assert err.body == "<html>upstream went away</html>"
    assert (err.code, err.type, err.param) == (None, None, None)
    assert "upstream went away" in err.message


def test_empty_error_body_uses_the_reason() -> None:
    err = status_error(make_response(503, b""))
    assert type(err) is InternalServerError
    assert err.body is None
    assert err.message == "Error code: 503 - Reason"


def test_error_body_without_the_error_wrapper_is_read_too() -> None:
    body = {"message": "flat", "code": "c", "type": "t", "param": "p"}
    err = status_error(make_response(400, json.dumps(body).encode()))
    assert (err.code, err.type, err.param) == ("c", "t", "p")


def test_non_string_code_is_kept_as_text() -> None:
    body = {"error": {"message": "m", "code": 1234, "type": None, "param": None}}
    err = status_error(make_response(400, json.dumps(body).encode()))
    assert err.code == "1234"
    assert err.type is None


def test_missing_request_id_is_none() -> None:
    err = status_error(make_response(404, b"{}", request_id=None))
    assert err.request_id is None


def test_error_body_is_the_inner_error_object_as_in_the_sdk() -> None:
    err = status_error(make_response(404, json.dumps({"error": ERROR}).encode()))
    assert err.body == ERROR


# -- secrets quoted by a server ------------------------------------------------------------------

OWN = "sk-own-key-0123456789abcdefWXYZ"


def request_with_key(key: str) -> Request:
    return Request(
        method="GET",
        url=URL(f"{BASE}/models/x"),
        headers={"Authorization": f"Bearer {key}"},
        timeout=aiohttp.ClientTimeout(total=5),
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"Incorrect API key provided: {OWN}.", "Incorrect API key provided: sk-own...WXYZ."),
        ("other sk-proj-AbCdEfGhIjKlMnOpQr here", None),
        ("task-abcdefghijklmnopqrstuvwxyz stays", "task-abcdefghijklmnopqrstuvwxyz stays"),
        ("sk-short stays", "sk-short stays"),
    ],
)
def test_messages_mask_the_key_and_key_shaped_secrets(text: str, shown: str | None) -> None:
    err = APIError(text, request_with_key(OWN), body={"message": text, "nested": [[{"k": text}]]})
    if shown is None:  # a key-shaped secret that is not the client's: masked all the same
        assert "sk-pro...OpQr" in err.message
        assert "AbCdEfGhIjKlMn" not in err.message
    else:
        assert err.message == shown
        assert str(err) == shown
    assert isinstance(err.body, dict)
    assert err.body["message"] == err.message
    assert err.body["nested"][0][0]["k"] == err.message


def test_a_short_key_is_masked_only_where_it_is_a_credential() -> None:
    # masking every "abc" of a message would garble it; such a key is no secret
    err = APIError("abc is the latest abc", request_with_key("abc"), body=None)
    assert err.message == "abc is the latest abc"


def test_a_body_nested_deeper_than_the_recursion_limit_is_masked() -> None:
    body: object = f"key {OWN}"
    for _ in range(5_000):
        body = [body]
    err = APIError("deep", request_with_key(OWN), body=body)
    node = err.body
    for _ in range(5_000):
        assert isinstance(node, list)
        node = node[0]
    assert node == "key sk-own...WXYZ"


def test_the_raw_body_stays_on_the_response() -> None:
    content = json.dumps({"error": {"message": f"bad key {OWN}"}}).encode()
    response = Response(status=401, content=content, request=request_with_key(OWN))
    err = status_error(response)
    assert OWN not in str(err) and OWN not in repr(err.body)
    assert err.response.content == content


# -- the error tree ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "parent"),
    [
        (APIError, OpenAIError),
        (APIStatusError, APIError),
        (BadRequestError, APIStatusError),
        (AuthenticationError, APIStatusError),
        (PermissionDeniedError, APIStatusError),
        (NotFoundError, APIStatusError),
        (ConflictError, APIStatusError),
        (UnprocessableEntityError, APIStatusError),
        (RateLimitError, APIStatusError),
        (InternalServerError, APIStatusError),
        (APIConnectionError, APIError),
        (APITimeoutError, APIConnectionError),
        (APIResponseValidationError, APIError),
    ],
)
def test_hierarchy_as_documented(cls: type[Exception], parent: type[Exception]) -> None:
    assert cls.__bases__ == (parent,)
    assert issubclass(cls, OpenAIError)


def test_branches_are_disjoint() -> None:
    assert not issubclass(APIConnectionError, APIStatusError)
    assert not issubclass(APIResponseValidationError, APIStatusError)
    assert not issubclass(APIStatusError, APIConnectionError)
    assert not issubclass(OpenAIError, ValueError)


def test_every_error_is_exported_and_documented() -> None:
    doc = aio_openai._exceptions.__doc__ or ""
    for name in aio_openai._exceptions.__all__:
        assert getattr(aio_openai, name) is getattr(aio_openai._exceptions, name)
        assert name in doc, name


def test_errors_build_with_the_sdk_signatures() -> None:
    response = make_response(404, b'{"error": {"message": "m"}}')
    assert NotFoundError("m", response=response, body=None).status_code == 404
    assert APIStatusError("m", response=response, body=None).request_id == "req_abc"
    assert APIConnectionError(request=make_request()).message == "Connection error."
    assert APITimeoutError(request=make_request()).message == "Request timed out."
    assert APIResponseValidationError(response, None).status_code == 404


# -- no usable answer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "exc",
    [
        TimeoutError(),
        aiohttp.ServerTimeoutError("read timed out"),
        aiohttp.ConnectionTimeoutError("connect timed out"),
        aiohttp.SocketTimeoutError("socket timed out"),
    ],
)
async def test_timeouts_become_api_timeout_error(
    mock_http: Aioresponses, api: AsyncOpenAI, exc: BaseException
) -> None:
    mock_http.get(URL_GPT4, exception=exc)
    with pytest.raises(APITimeoutError) as info:
        await api.models.retrieve("gpt-4")
    assert isinstance(info.value, APIConnectionError)
    assert info.value.request is not None
    assert info.value.__cause__ is exc


async def test_aioresponses_timeout_flag_is_an_api_timeout(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    mock_http.get(URL_GPT4, timeout=True)
    with pytest.raises(APITimeoutError):
        await api.models.retrieve("gpt-4")


@pytest.mark.parametrize(
    "exc",
    [
        aiohttp.ServerDisconnectedError(),
        aiohttp.ClientPayloadError("body cut short"),
        aiohttp.ClientOSError(104, "Connection reset by peer"),
        aiohttp.ClientConnectionError("refused"),
    ],
)
async def test_client_errors_become_api_connection_error(
    mock_http: Aioresponses, api: AsyncOpenAI, exc: BaseException
) -> None:
    mock_http.get(URL_GPT4, exception=exc)
    with pytest.raises(APIConnectionError) as info:
        await api.models.retrieve("gpt-4")
    assert type(info.value) is APIConnectionError
    assert info.value.__cause__ is exc
    assert info.value.message.startswith("Connection error")


@pytest.fixture
def refused_port() -> int:
    """A local port nothing listens on: bound, then closed."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def refused_error(port: int) -> APIConnectionError:
    """The error of a call to a port nothing listens on (no retries)."""
    async with AsyncOpenAI(api_key=KEY, base_url=f"http://127.0.0.1:{port}/v1", max_retries=0) as c:
        with pytest.raises(APIConnectionError) as info:
            await c.models.retrieve("gpt-4")
    return info.value


async def test_connection_refused_is_api_connection_error(refused_port: int) -> None:
    err = await refused_error(refused_port)
    assert type(err) is APIConnectionError
    assert isinstance(err.__cause__, aiohttp.ClientConnectorError)
    assert err.request is not None
    assert err.request.url.port == refused_port
    assert err.body is None
    assert (err.code, err.type, err.param) == (None, None, None)


# -- never_sent and reason: what the transport knows of a failure --------------------------------


@pytest.mark.parametrize(
    ("exc", "never_sent", "reason"),
    [
        (aiohttp.ConnectionTimeoutError("connect timed out"), True, None),
        (aiohttp.SocketTimeoutError("socket timed out"), False, None),
        (aiohttp.ServerDisconnectedError(), False, "the server closed the connection"),
        (aiohttp.ClientOSError(104, "Connection reset by peer"), False, "Connection reset by"),
        (aiohttp.ClientPayloadError("body cut short"), False, "ClientPayloadError: body cut"),
    ],
)
async def test_the_transport_says_whether_a_request_was_never_sent(
    mock_http: Aioresponses,
    api: AsyncOpenAI,
    exc: BaseException,
    never_sent: bool,
    reason: str | None,
) -> None:
    mock_http.get(URL_GPT4, exception=exc)
    with pytest.raises(APIConnectionError) as info:
        await api.models.retrieve("gpt-4")
    assert info.value.never_sent is never_sent
    if reason is None:
        assert isinstance(info.value, APITimeoutError)
    else:
        assert info.value.reason is not None and info.value.reason.startswith(reason)


async def test_a_refused_connection_was_never_sent(refused_port: int) -> None:
    err = await refused_error(refused_port)
    assert err.never_sent is True
    assert err.reason == "Connection refused"


def test_connection_errors_made_elsewhere_know_nothing_more() -> None:
    err = APIConnectionError(request=None)
    assert (err.never_sent, err.reason) == (False, None)
    timeout = APITimeoutError(None, message="Request deadline exceeded.")
    assert (timeout.never_sent, timeout.reason) == (False, None)


def test_a_reason_never_shows_the_key() -> None:
    request = AsyncOpenAI(api_key=KEY).build_request("GET", "/models")
    err = APIConnectionError(request=request, reason=f"proxy said {KEY}")
    assert KEY not in (err.reason or "")
