"""Every endpoint in the five shapes of the official SDK's own tests (``tests/api_resources``
of openai-python), against one FakeOpenAI: the plain call with the required arguments, the
call with every parameter, ``with_raw_response``, ``with_streaming_response`` and an empty
path id (ValueError before anything is sent); and, for a method taking ``stream``, its
streams in the three modes.

Driven by the endpoint table (``aio_openai.resources.endpoints()``), the client's resources
(found by walking it) and each method's signature and params TypedDict, so an endpoint added
later is covered without a line here, once the fake serves it. The ids of a path are made
by :data:`MAKERS` (keyed by the id's name: a new kind of id needs one entry); values for
parameters come from their types, or from :data:`VALUES` (:data:`ENDPOINT_VALUES` for one
endpoint) where a name says more than its type. :data:`NOT_SERVED` lists the endpoints the
fake does not serve yet (it shrinks as the fake grows); :data:`CONTEXTS` the endpoints whose
call needs an object in a given state, or other objects made for it; :data:`NEEDED` the
arguments a request needs that the signature leaves optional.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
import typing
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from itertools import count
from typing import Annotated, Any, Final, Literal, Union, get_args, get_origin, get_type_hints

import pytest
from deprecations import ASSISTANTS_API_DEPRECATED
from support import resource_paths

from aio_openai import (
    APIResponse,
    APIStatusError,
    AsyncAPIResponse,
    AsyncOpenAI,
    AsyncPaginator,
    AsyncStream,
    NotGiven,
    RetryPolicy,
)
from aio_openai._endpoints import OPTION_KEYS, Endpoint, spec_of
from aio_openai.resources import endpoints
from aio_openai.testing import FakeOpenAI
from aio_openai.testing._audio.wav import speak
from aio_openai.testing._images.png import png
from aio_openai.testing._videos.mp4 import mp4

pytestmark = ASSISTANTS_API_DEPRECATED

#: Endpoints the fake does not serve yet, by (method, path template), with why; their shapes
#: are skipped until it does (then the entry goes).
NOT_SERVED: Final[dict[tuple[str, str], str]] = {}

_unique = count()
VAR_KEYWORD: Final = inspect.Parameter.VAR_KEYWORD


# -- the client, the fake, the resources ----------------------------------------------------------


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    """One fake for the module, in a thread; runs go one status per look, without waits."""
    with FakeOpenAI().running_in_thread() as server:
        server.state.assistants.configure(polls=1, poll_after_ms=0)
        server.state.evals.configure(looks=1)  # an eval run completes at its first retrieve
        for model in MEDIA_MODELS:  # models the fake's seed list lacks
            server.add_model(model, owned_by="system")
        yield server


@pytest.fixture
async def client(fake: FakeOpenAI, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    async with AsyncOpenAI(
        api_key="sk-shapes-0123456789",
        admin_api_key="sk-admin-shapes-0123456789",
        base_url=fake.url,
    ) as c:
        yield c


PATHS: Final = resource_paths()


def resource_of(client: Any, entry: Endpoint) -> Any:
    root = client
    for name in PATHS[entry.resource].split("."):
        root = getattr(root, name)
    return root


def ids_of(entry: Endpoint) -> list[str]:
    return re.findall(r"\{(\w+)\}", entry.path)


def entry_id(entry: Endpoint) -> str:
    return f"{entry.method} {entry.path}"


def served(entries: Iterable[Endpoint]) -> list[Any]:
    return [
        pytest.param(
            e,
            id=entry_id(e),
            marks=[pytest.mark.skip(NOT_SERVED[(e.method, e.path)])]
            if (e.method, e.path) in NOT_SERVED
            else [],
        )
        for e in entries
    ]


# -- what a method returns -------------------------------------------------------------------------


def members(tp: Any) -> list[Any]:
    """The types of a union (or the one type), Annotated unwrapped."""
    if get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    if get_origin(tp) in (Union, type(int | str)):
        return [m for arg in get_args(tp) for m in members(arg)]
    return [tp]


def classes(tp: Any) -> tuple[type, ...]:
    return tuple(m if isinstance(m, type) else get_origin(m) for m in members(tp))


class Returns:
    """What a method's annotation says it returns: an object of ``classes`` (None for
    nothing), or a page of ``page`` holding ``classes``; a stream, when it takes one; only a
    stream (``only_stream``: a subscription such as a session's events)."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        annotation = get_type_hints(fn)["return"]
        self.page: type | None = None
        self.stream = False
        self.only_stream = False
        if get_origin(annotation) is AsyncPaginator:
            item, page = get_args(annotation)
            self.page, self.classes = get_origin(page) or page, classes(item)
            return
        plain = [m for m in members(annotation) if get_origin(m) is not AsyncStream]
        self.stream = len(plain) < len(members(annotation))
        self.only_stream = not plain
        self.classes = tuple(type(None) if m is None else get_origin(m) or m for m in plain)

    def check(self, result: Any) -> None:
        if self.only_stream:
            assert isinstance(result, AsyncStream), result
            return
        if self.page is None:
            assert isinstance(result, self.classes), (result, self.classes)
            return
        assert isinstance(result, self.page), (result, self.page)
        assert all(isinstance(item, self.classes) for item in result.data)


# -- values --------------------------------------------------------------------------------------

#: A WAV of the fake's own speech (its transcript is its text) and a square PNG, as the SDK's
#: (filename, bytes, mime) file tuples.
WAV: Final = ("shapes.wav", speak("Say hi"), "audio/wav")
PNG: Final = ("shapes.png", png(8, 8, "shapes"), "image/png")
#: An MP4 of the fake's (a source video to edit, extend or make a character of) and a
#: reference image of a video's default size.
MP4: Final = ("shapes.mp4", mp4(4, 720, 1280, "shapes"), "video/mp4")
REFERENCE: Final = ("reference.png", png(720, 1280, "shapes"), "image/png")
#: The models of the calls that stream: speech as SSE events, transcriptions and images.
TTS_MODEL: Final = "gpt-4o-mini-tts"
TRANSCRIBE_MODEL: Final = "gpt-4o-transcribe"
IMAGE_MODEL: Final = "gpt-image-1"
MEDIA_MODELS: Final = (TTS_MODEL, TRANSCRIBE_MODEL, IMAGE_MODEL)
#: A skill's directory: its SKILL.md (name and description in the front matter) and a file.
SKILL_FILES: Final = [
    (
        "shapes/SKILL.md",
        b"---\nname: shapes\ndescription: Says hi.\n---\nSay hi.\n",
        "text/markdown",
    ),
    ("shapes/hi.py", b"print('hi')\n", "text/x-python"),
]
#: An eval's criterion, and a run's rows that it grades.
EVAL_CRITERION: Final = {
    "type": "string_check",
    "name": "says hi",
    "input": "{{sample.output_text}}",
    "reference": "{{item.answer}}",
    "operation": "eq",
}
EVAL_ROWS: Final = {
    "type": "jsonl",
    "source": {
        "type": "file_content",
        "content": [{"item": {"answer": "hi"}, "sample": {"output_text": "hi"}}],
    },
}
#: An agent session's inline agent.
AGENT: Final = {"model": "gpt-4o"}

#: Values for the parameters whose name says more than their type.
VALUES: Final[dict[str, Any]] = {
    "model": "gpt-4o",
    "messages": [{"role": "user", "content": "Say hi"}],
    "input": "Say hi",
    "content": "hi",
    "role": "user",
    "items": [{"type": "message", "role": "user", "content": "hi"}],
    "metadata": {"purpose": "shapes"},
    "tool_outputs": [],
    "order": "asc",
    "limit": 2,
    "n": 1,
    "stream": False,
    "max_output_tokens": 16,  # OpenAI's minimums
    "max_prompt_tokens": 256,
    "max_completion_tokens": 256,
    "seconds": 3600,  # a batch output's expiry
    # typed as any mapping here: a value of the API's shape
    "truncation_strategy": {"type": "auto"},
    "additional_messages": [{"role": "user", "content": "hi"}],
    "thread": {"messages": [{"role": "user", "content": "hi"}]},
    "tool_resources": {"code_interpreter": {"file_ids": []}},
    "tools": [{"type": "function", "function": {"name": "lookup", "parameters": {}}}],
    "prompt": "Say hi",  # the legacy completions' text (a response's stored prompt is LEFT_OUT)
    "name": "shapes",
    "completion_window": "24h",
    "endpoint": "/v1/chat/completions",
    "event_types": ["batch.completed"],
    "event_type": "batch.completed",
    # a webhook's url: a loopback port nothing listens on (a test delivery fails at once)
    "url": "http://127.0.0.1:9/hooks",
    "attributes": {"kind": "shapes"},  # a vector store file's, for search filters
    "query": "shapes",  # a vector store search's
    # files and uploads
    "file": ("shapes.jsonl", b'{"a": 1}\n', "application/jsonl"),
    "data": b"part",
    "purpose": "user_data",
    "filename": "shapes.txt",
    "bytes": 4,
    "mime_type": "text/plain",
    "expires_after": {"anchor": "created_at", "seconds": 3600},
    "md5": hashlib.md5(b"part").hexdigest(),  # of the upload's one part, ``data``
    "voice": "alloy",  # a speech's
    "language": "en",  # a transcription's or a voice consent's
    # agent sessions: one without an execution environment, and an input message
    "environment": {"type": "none"},
    "events": [{"type": "agent.session.input.message", "input": "Say hi"}],
    # fine-tuning: a project to share a checkpoint with, a grader, what it grades
    "project_ids": ["proj_shapes"],
    "grader": {
        "type": "string_check",
        "name": "shapes",
        "input": "{{sample.output_text}}",
        "reference": "{{item.answer}}",
        "operation": "eq",
    },
    "model_sample": "hi",
    "item": {"answer": "hi"},
    # realtime calls, live sessions and ChatKit
    "sdp": "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n",
    "target_uri": "tel:+15550100",
    "status_code": 486,
    "transport": {"type": "webrtc", "sdp": "v=0\r\n"},
    "user": "shapes-user",
    "workflow": {"id": "wf_shapes"},
    # the admin API's
    "start_time": 1_700_000_000,  # a usage period's start
    "email": "shapes@example.com",
    "certificate": "-----BEGIN CERTIFICATE-----\nshapes\n-----END CERTIFICATE-----",
    "certificate_ids": ["cert_shapes"],
    "currency": "USD",
    "interval": "month",
    "threshold_amount": 100,
    "retention_type": "zero_data_retention",
    "mode": "allow_list",
    "model_ids": ["gpt-4o"],
    "permissions": ["api.model.read"],
    "role_name": "shapes-role",
    "issuer": "https://issuer.example.com",
    "audience": "api://shapes",
    "attribute_matchers": {"sub": "repo:shapes"},
    "expected_version": 1,
    # a spend alert's channel, a health alert rule's condition, an external storage's bucket
    "notification_channel": {"type": "email", "recipients": ["shapes@example.com"]},
    "condition": {
        "type": "error_rate",
        "threshold": 0.5,
        "window_seconds": 300,
        "status_class": "5xx",
    },
    "provider": {"type": "aws", "bucket": "shapes", "role_arn": "arn:aws:iam::123456789012:role/s"},
}

#: A Live session's configuration (a realtime one is a Realtime call's).
LIVE_SESSION: Final = {"model": "gpt-live-1"}
REALTIME_SESSION: Final = {"type": "realtime", "model": "gpt-realtime"}

#: The roles of the admin API's objects (a project's members, the organization's users).
_MEMBER: Final = {"role": "member"}

#: The values of the images endpoints' parameters (per endpoint: a response's ``image`` is
#: no file).
IMAGE_VALUES: Final[dict[str, Any]] = {
    "image": PNG,
    "mask": PNG,  # the image's size, as OpenAI asks
    "markup": PNG,
    "size": "1024x1024",  # one every image model makes
    "svg": {"reasoning": {"effort": "low"}},  # no key required: {} is no form field at all
}

AUTOMATION_TARGET: Final = {
    "type": "new_session",
    "environment": {"type": "openai_hosted"},
    "input": [
        {"role": "user", "type": "message", "content": [{"type": "input_text", "text": "hi"}]}
    ],
}


#: Values of one endpoint's parameters (required ones too, before a maker of the name), where
#: the same name takes another shape elsewhere.
ENDPOINT_VALUES: Final[dict[tuple[str, str], dict[str, Any]]] = {
    **{
        ("POST", path): {"tools": [{"type": "function", "name": "lookup", "parameters": {}}]}
        for path in ("/responses", "/responses/input_tokens")  # a response's tools
    },
    # a container or vector store expires after it was last active (a file, after it was made)
    ("POST", "/containers"): {"expires_after": {"anchor": "last_active_at", "minutes": 20}},
    **{
        (method, path): {"expires_after": {"anchor": "last_active_at", "days": 7}}
        for method, path in (
            ("POST", "/vector_stores"),
            ("POST", "/vector_stores/{vector_store_id}"),
        )
    },
    # the models of audio and images; audio files (not the files API's .jsonl) and PNGs
    ("POST", "/audio/speech"): {"model": TTS_MODEL},
    ("POST", "/audio/transcriptions"): {"model": TRANSCRIBE_MODEL, "file": WAV},
    ("POST", "/audio/translations"): {"model": "whisper-1", "file": WAV},  # its one model
    ("POST", "/audio/voice_consents"): {"recording": WAV},
    ("POST", "/audio/voices"): {"model": "auto"},
    ("POST", "/images/generations"): IMAGE_VALUES,
    ("POST", "/images/edits"): IMAGE_VALUES,
    ("POST", "/images/variations"): {**IMAGE_VALUES, "model": "dall-e-2"},  # its one model
    # a video's model and length (not a batch's expiry), a reference image of its size
    ("POST", "/videos"): {
        "model": "sora-2",
        "seconds": "4",
        "size": "720x1280",
        "input_reference": REFERENCE,
    },
    ("POST", "/videos/extensions"): {"seconds": "4"},
    ("POST", "/videos/characters"): {"video": MP4},
    ("POST", "/decisions"): {
        "questions": [{"type": "predicate", "instructions": "Does it greet?"}],
    },
    ("POST", "/content_provenance_checks"): {"file": PNG},  # an image, not the .jsonl
    # an eval's items and how they are graded; a run's rows
    ("POST", "/evals"): {
        "data_source_config": {"type": "custom", "item_schema": {"type": "object"}},
        "testing_criteria": [EVAL_CRITERION],
    },
    ("POST", "/evals/{eval_id}/runs"): {"data_source": EVAL_ROWS},
    ("POST", "/skills/{skill_id}"): {"default_version": "1"},  # the version it was made with
    # a checkpoint's permissions are ordered "ascending" or "descending"
    ("GET", "/fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions"): {
        "order": "ascending"
    },
    # the Agents API: tools, a target, credentials, environments and files of its shapes
    **{
        ("POST", path): {
            "tools": [{"type": "function", "name": "lookup", "description": "", "parameters": {}}]
        }
        for path in ("/agents", "/agents/{agent_id}")
    },
    **{
        ("POST", path): {"target": AUTOMATION_TARGET, "type": "once", "run_at": 1_900_000_000}
        for path in ("/agents/automations", "/agents/automations/{automation_id}")
    },
    ("POST", "/vaults/{vault_id}/credentials"): {
        "auth": {"type": "static_bearer", "token": "secret", "mcp_server_url": "https://mcp.test"}
    },
    ("POST", "/vaults/{vault_id}/credentials/{credential_id}"): {
        "auth": {"type": "static_bearer", "token": "rotated"}
    },
    ("POST", "/agents/environments"): {"environment": {"type": "openai_hosted"}},
    ("POST", "/agents/environments/{environment_id}/files"): {
        "path": "/workspace/shapes.txt",
        "type": "inline",
        "data": "cGFydA==",  # b"part" in base64
    },
    **{
        ("POST", path): {
            "files": [{"type": "inline", "path": "/workspace/a.txt", "data": "YQ=="}],
            "plugins": [],  # inline ZIP archives in base64
            "skills": [],
        }
        for path in (
            "/agents/environments/templates",
            "/agents/environments/templates/{environment_template_id}",
        )
    },
    # the beta Responses take the same values as the GA ones
    **{
        ("POST", path + "?beta=true"): {
            "tools": [{"type": "function", "name": "lookup", "parameters": {}}]
        }
        for path in ("/responses", "/responses/input_tokens")
    },
    ("POST", "/realtime/calls"): {"session": REALTIME_SESSION},
    ("POST", "/realtime/calls/{call_id}/accept"): {"type": "realtime", "model": "gpt-realtime"},
    ("POST", "/realtime/client_secrets"): {
        "session": REALTIME_SESSION,
        "expires_after": {"anchor": "created_at", "seconds": 600},
    },
    ("POST", "/realtime/translations/client_secrets"): {
        "session": {"model": "gpt-realtime-translate"},
        "expires_after": {"anchor": "created_at", "seconds": 600},
    },
    ("POST", "/realtime/sessions"): {
        "model": "gpt-4o-realtime-preview",
        "client_secret": {"expires_after": {"anchor": "created_at", "seconds": 600}},
    },
    ("POST", "/realtime/transcription_sessions"): {
        "client_secret": {"expires_after": {"anchor": "created_at", "seconds": 600}},
    },
    ("POST", "/live/sessions"): {"session": LIVE_SESSION},
    ("POST", "/live/sessions/{session_id}/accept"): {"session": {**LIVE_SESSION, "type": "live"}},
    ("POST", "/live/sessions/{session_id}/fork"): {"session": LIVE_SESSION},
    ("POST", "/chatkit/sessions"): {
        "expires_after": {"anchor": "created_at", "seconds": 600},
        "rate_limits": {"max_requests_per_1_minute": 10},
    },
    # roles: of a project's members and service accounts, of the organization's users
    ("POST", "/organization/projects/{project_id}/users"): _MEMBER,
    ("POST", "/organization/projects/{project_id}/users/{user_id}"): _MEMBER,
    ("POST", "/organization/projects/{project_id}/service_accounts/{service_account_id}"): (
        _MEMBER
    ),
    ("POST", "/organization/users/{user_id}"): {"role": "reader"},
    ("POST", "/organization/invites"): {
        "role": "reader",
        "projects": [{"id": "proj_default", "role": "member"}],
    },
    # the audit log's event types (not a webhook's); an external key's cloud and purpose, a
    # workload identity provider's kind, a federation rule's permissions (not a role's)
    ("GET", "/organization/audit_logs"): {
        "event_types": ["project.created"],
        "effective_at": {"gte": 1_700_000_000},  # no key required: {} is no query at all
    },
    ("GET", "/organization/external_keys"): {"purpose": "ekm"},
    ("POST", "/organization/external_keys"): {"type": "aws", "purpose": "ekm"},
    ("POST", "/organization/workload_identity_providers"): {"type": "oidc"},
    **{
        (
            "POST",
            "/organization/workload_identity_providers/{workload_identity_provider_id}" + tail,
        ): {"permissions": {"type": "service_account_default"}}
        for tail in (
            "/federation_rules",
            "/federation_rules/{workload_identity_federation_rule_id}",
        )
    },
}

#: The calls with every parameter that OpenAI (and so the fake) refuses, and why: every other
#: one must be answered.
REFUSED: Final[dict[tuple[str, str], str]] = {
    ("POST", "/assistants"): "file_ids: an Assistants v1 parameter, the fake speaks v2",
    ("POST", "/assistants/{assistant_id}"): "file_ids, as above",
    ("POST", "/threads/{thread_id}/messages"): "file_ids, as above",
    ("POST", "/chat/completions"): "stream_options without stream=True",
    ("POST", "/completions"): "stream_options without stream=True",
    ("POST", "/vector_stores/{vector_store_id}/file_batches"): (
        "file_ids and files together: OpenAI takes exactly one of them"
    ),
    ("POST", "/containers/{container_id}/files"): "file and file_id: a container takes one",
    **{
        ("POST", path): "response_format: a GPT image model answers base64 only, and refuses it"
        for path in ("/images/generations", "/images/edits")
    },
}

#: The endpoints answering 201 Created (a Realtime call, the Evals API's creates) or 204 No
#: Content (an agent session's events); the others answer 200.
STATUSES: Final[dict[tuple[str, str], int]] = {
    ("POST", "/realtime/calls"): 201,
    ("POST", "/evals"): 201,
    ("POST", "/evals/{eval_id}/runs"): 201,
    ("POST", "/agents/sessions/{session_id}/events"): 204,
}

#: Parameters left out of the call with every parameter: ids of other objects (unknown to
#: the fake, so every such call would be a 404 that shows nothing more).
LEFT_OUT: Final = frozenset(
    {
        "after",
        "before",
        "previous_response_id",
        "conversation",
        "prompt",
        "starting_after",
        "page",  # a usage page's cursor
    }
    # and the local helpers of agent sessions (a Python type, handlers), no request parameters
    | {"output_type", "tool_handlers", "on_tool_error"}
)


def sample(tp: Any, depth: int = 0) -> Any:
    """A value of the type ``tp`` (a parameter's): the first of a Literal, a dict for a
    TypedDict with its required keys, a list of one item, ..."""
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Annotated, typing.Required, typing.NotRequired):
        return sample(args[0], depth)
    if origin is Literal:
        return args[0]
    if origin in (Union, type(int | str)):
        options = [a for a in args if a not in (type(None), NotGiven)]
        options.sort(key=_preference)
        return sample(options[0], depth)
    if _is_typeddict(tp):
        hints = get_type_hints(tp, include_extras=True)
        return {
            key: VALUES.get(key, sample(hint, depth + 1))
            for key, hint in hints.items()
            if _required(tp, key, hint) and depth < 6
        }
    if origin is not None and isinstance(origin, type):
        if issubclass(origin, Mapping):
            return {"key": "value"}
        if issubclass(origin, str):
            return "x"
        if issubclass(origin, Iterable):
            return [sample(args[0], depth + 1)] if args and depth < 6 else []
    simple = {str: "x", int: 1, float: 0.5, bool: True, object: "x", Any: "x"}
    if tp in simple:
        return simple[tp]
    if isinstance(tp, type) and issubclass(tp, Mapping):
        return {"key": "value"}
    return "x"


def _preference(tp: Any) -> int:
    """Which member of a union to sample: a TypedDict, a plain value or a Literal, then a
    mapping or a list, then anything else (a response type a parameter also takes)."""
    if _is_typeddict(tp) or tp in (str, int, float, bool) or get_origin(tp) is Literal:
        return 0
    return 1 if get_origin(tp) is not None else 2


def _is_typeddict(tp: Any) -> bool:
    return isinstance(tp, type) and hasattr(tp, "__required_keys__")


def _required(tp: Any, key: str, hint: Any) -> bool:
    """Whether a TypedDict's key is required: its resolved ``Required``/``NotRequired`` say
    (the runtime ``__required_keys__`` misses them in a module of string annotations)."""
    if get_origin(hint) in (typing.Required, typing.NotRequired):
        return get_origin(hint) is typing.Required
    return key in tp.__required_keys__


def params_of(fn: Callable[..., Any]) -> dict[str, Any]:
    """The keyword parameters of a method (its signature lists its params TypedDict's too),
    the per-call options left out, and their types (the TypedDict's, resolved)."""
    hints = get_type_hints(fn, include_extras=True, localns=_OPTION_TYPES)
    found = {
        name: hints.get(name, Any)
        for name, parameter in inspect.signature(fn).parameters.items()
        if parameter.kind is parameter.KEYWORD_ONLY and name not in OPTION_KEYS
    }
    for hint in hints.values():
        if get_origin(hint) is typing.Unpack:
            typed = get_type_hints(get_args(hint)[0], include_extras=True, localns=_OPTION_TYPES)
            found.update((name, tp) for name, tp in typed.items() if name in found)
    return found


#: The per-call options' types, for get_type_hints (their module imports them lazily).
_OPTION_TYPES: Final = {"Timeout": float, "RetryPolicy": RetryPolicy}


# -- making the objects a call needs ---------------------------------------------------------------

Made = dict[str, str]
Maker = Callable[[AsyncOpenAI, FakeOpenAI, Made], Awaitable[str]]


async def _model(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return fake.add_model(f"ft:gpt-4o-mini:shapes::{next(_unique)}")["id"]


async def _response(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.responses.create(model="gpt-4o", input="hi")).id


async def _conversation(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.conversations.create()).id


async def _item(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    page = await client.conversations.items.create(made["conversation_id"], items=VALUES["items"])
    return page.data[0].id


async def _assistant(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.beta.assistants.create(model="gpt-4")).id


async def _thread(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.beta.threads.create()).id


async def _message(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    thread = made["thread_id"]
    return (await client.beta.threads.messages.create(thread, role="user", content="hi")).id


async def _run(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    assistant = made.get("assistant_id") or await _assistant(client, fake, made)
    return (await client.beta.threads.runs.create(made["thread_id"], assistant_id=assistant)).id


async def _step(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    runs = client.beta.threads.runs
    await runs.poll(made["run_id"], made["thread_id"])
    page = await runs.steps.list(made["run_id"], thread_id=made["thread_id"])
    return page.data[0].id


async def _completion(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    chat = client.chat.completions
    return (await chat.create(model="gpt-4o", messages=VALUES["messages"], store=True)).id


async def _input_file(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A batch's input file of one request, put in the fake's files store."""
    body = {"model": VALUES["model"], "messages": VALUES["messages"]}
    line = {"custom_id": "shapes", "method": "POST", "url": VALUES["endpoint"], "body": body}
    return str(fake.state.files.add_file(json.dumps(line).encode(), purpose="batch")["id"])


async def _batch(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    batch = await client.batches.create(
        input_file_id=await _input_file(client, fake, made),
        endpoint=VALUES["endpoint"],
        completion_window=VALUES["completion_window"],
    )
    return batch.id


async def _container(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.containers.create(name=VALUES["name"])).id


async def _container_file(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A file in the container, uploaded."""
    record = await client.containers.files.create(made["container_id"], file=VALUES["file"])
    return record.id


async def _vector_store(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.vector_stores.create(name=VALUES["name"])).id


async def _vector_store_file(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A file of the vector store (``file_id`` under ``/vector_stores``): stored, then added."""
    file_id = await _file(client, fake, made)
    await client.vector_stores.files.create(made["vector_store_id"], file_id=file_id)
    return file_id


async def _vector_store_file_batch(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A file batch of the vector store (its ``batch_id``, not the Batch API's)."""
    file_ids = [await _file(client, fake, made)]
    batches = client.vector_stores.file_batches
    return (await batches.create(made["vector_store_id"], file_ids=file_ids)).id


async def _webhook_endpoint(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    webhook = await client.webhooks.create(
        name=VALUES["name"], url=VALUES["url"], event_types=VALUES["event_types"]
    )
    return webhook.id


async def _file(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return fake.state.files.add_file(b"shapes\n", purpose="user_data")["id"]


async def _upload(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    upload = await client.uploads.create(
        bytes=4, filename="shapes.txt", mime_type="text/plain", purpose="user_data"
    )
    return upload.id


async def _consent(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    consents = client.audio.voice_consents
    consent = await consents.create(language=VALUES["language"], name=VALUES["name"], recording=WAV)
    return consent.id


async def _call(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """An incoming SIP call."""
    return fake.state.realtime_calls.calls.ring()


async def _live_session(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """An active Live session, created over WebRTC."""
    live = await client.live.create(session=LIVE_SESSION, transport=VALUES["transport"])  # type: ignore[arg-type]
    return live.session.id


async def _incoming_live_session(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return fake.state.realtime_calls.live.ring()


async def _chatkit_session(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    sessions = client.beta.chatkit.sessions
    return (await sessions.create(user=VALUES["user"], workflow=VALUES["workflow"])).id


async def _chatkit_thread(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return fake.state.chatkit.add_thread(VALUES["user"], ["hi", "hello"])


async def _voice(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    consent = await _consent(client, fake, made)
    voice = await client.audio.voices.create(name=VALUES["name"], audio_sample=WAV, consent=consent)
    return voice.id


async def _video(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A completed video (remixed, edited, extended, downloaded, deleted)."""
    video = await client.videos.create(prompt="shapes")
    return str(fake.state.videos.finish(video.id)["id"])


async def _video_reference(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> Any:
    return {"id": await _video(client, fake, made)}


async def _character(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.videos.create_character(name="shapes", video=MP4)).id


async def _safety_alert(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return str(fake.state.safety.add_alert(response_id="resp_shapes")["id"])


async def _safety_case(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return str(fake.state.safety.add_case(entity_identifier="user_shapes")["id"])


async def _eval(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    values = ENDPOINT_VALUES[("POST", "/evals")]
    return (await client.evals.create(**values)).id


async def _eval_run(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A run of the eval, queued (the fixture's runs complete at their first retrieve)."""
    return (await client.evals.runs.create(made["eval_id"], data_source=EVAL_ROWS)).id


async def _output_item(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """An output item of the run, once it has completed."""
    runs = client.evals.runs
    assert (await runs.retrieve(made["run_id"], eval_id=made["eval_id"])).status == "completed"
    page = await runs.output_items.list(made["run_id"], eval_id=made["eval_id"])
    return page.data[0].id


async def _skill(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.skills.create(files=SKILL_FILES)).id


async def _skill_version(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A second version of the skill (not its default: that one cannot be deleted)."""
    return (await client.skills.versions.create(made["skill_id"], files=SKILL_FILES)).version


async def _agent_session(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    sessions = client.beta.agents.sessions
    return (await sessions.create(environment=VALUES["environment"], agent=AGENT)).id


async def _session_input(client: AsyncOpenAI, made: Made, text: str) -> None:
    """An input message to the session, running one turn of the fake model."""
    events: Any = [{"type": "agent.session.input.message", "input": text}]
    await client.beta.agents.sessions.events.create(made["session_id"], events=events)


async def _agent_turn(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A turn of the session, or of its subagent when the path names one."""
    sessions = client.beta.agents.sessions
    if "subagent_id" in made:
        ids = {"session_id": made["session_id"]}
        return (await sessions.subagents.turns.list(made["subagent_id"], **ids)).data[0].id
    await _session_input(client, made, "Say hi")
    return (await sessions.turns.list(made["session_id"])).data[0].id


async def _artifact(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    await _session_input(client, made, "Write it to a file")  # the fake's answer.md
    return (await client.beta.agents.sessions.artifacts.list(made["session_id"])).data[0].id


async def _subagent(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    await _session_input(client, made, "Ask a subagent")
    return (await client.beta.agents.sessions.subagents.list(made["session_id"])).data[0].id


async def _busy_session(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A session whose next subscriber sees a turn run (so its event stream ends)."""
    session_id = await _agent_session(client, fake, made)
    fake.state.agent_sessions.hold_input(session_id, "Say hi")
    return session_id


async def _training_file(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A fine-tuning file of ten chat examples, put in the fake's files store."""
    messages = [*VALUES["messages"], {"role": "assistant", "content": "Hi!"}]
    content = "".join(json.dumps({"messages": messages}) + "\n" for _ in range(10)).encode()
    return str(fake.state.files.add_file(content, purpose="fine-tune")["id"])


async def _fine_tuning_job(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    training_file = await _training_file(client, fake, made)
    return (
        await client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training_file)
    ).id


async def _running_job(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    job_id = await _fine_tuning_job(client, fake, made)
    fake.state.fine_tuning.advance(job_id)  # queued
    assert fake.state.fine_tuning.advance(job_id)["status"] == "running"
    return job_id


async def _paused_job(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    job_id = await _running_job(client, fake, made)
    await client.fine_tuning.jobs.pause(job_id)
    return job_id


async def _checkpoint(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A fine-tuned model (its last checkpoint): a job run to its end."""
    job = fake.state.fine_tuning.finish(await _fine_tuning_job(client, fake, made))
    return str(job["fine_tuned_model"])


async def _permission(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    permissions = client.fine_tuning.checkpoints.permissions
    checkpoint = made["fine_tuned_model_checkpoint"]
    return (await permissions.create(checkpoint, project_ids=VALUES["project_ids"])).data[0].id


async def _project(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.admin.organization.projects.create(name=VALUES["name"])).id


async def _org_user(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A user of the organization (one who accepted an invite)."""
    email = f"user{next(_unique)}@example.com"
    return str(fake.state.admin.add_user(email, "Shapes", "reader")["id"])


async def _user(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A user of the organization, and a member of the project made for the call, if any."""
    user_id = await _org_user(client, fake, made)
    if "project_id" in made:
        users = client.admin.organization.projects.users
        await users.create(made["project_id"], role="member", user_id=user_id)
    return user_id


async def _invite(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    invite = await client.admin.organization.invites.create(email=VALUES["email"], role="reader")
    return invite.id


async def _service_account(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    accounts = client.admin.organization.projects.service_accounts
    return (await accounts.create(made["project_id"], name=VALUES["name"])).id


async def _project_key(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A project API key (a service account's)."""
    accounts = client.admin.organization.projects.service_accounts
    account = await accounts.create(made["project_id"], name=VALUES["name"])
    assert account.api_key is not None
    return account.api_key.id


async def _admin_key(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.admin.organization.admin_api_keys.create(name=VALUES["name"])).id


def _named(name: str) -> Maker:
    """The id of an object of FakeOpenAI's generic mode, which answers from the spec (or the
    SDK's types, for what the spec lacks) whatever the id."""

    async def make(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
        return f"{name}_shapes{next(_unique)}"  # a new one: another test may have deleted one

    return make


#: How to make an object whose id a path or a required argument names.
async def _agent(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.beta.agents.create(model=VALUES["model"])).id


async def _automation(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    automation = await client.beta.agents.automations.create(
        name=VALUES["name"],
        type="once",
        run_at=1_900_000_000,
        target=AUTOMATION_TARGET,  # type: ignore[typeddict-item]
    )
    return str(automation.id)


async def _invocation(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.beta.agents.automations.invocations.create(made["automation_id"])).id


async def _vault(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.beta.agents.vaults.create(name=VALUES["name"])).id


async def _credential(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    auth = {"type": "static_bearer", "token": "secret", "mcp_server_url": "https://mcp.test"}
    credential = await client.beta.agents.vaults.credentials.create(
        made["vault_id"],
        name=VALUES["name"],
        auth=auth,  # type: ignore[arg-type]
    )
    return credential.id


async def _environment(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    environment = {"type": "openai_hosted"}
    return (await client.beta.agents.environments.create(environment=environment)).id  # type: ignore[typeddict-item]


async def _environment_template(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.beta.agents.environments.templates.create(name=VALUES["name"])).id


MAKERS: Final[dict[str, Maker]] = {
    "project_id": _project,
    "user_id": _user,
    "invite_id": _invite,
    "service_account_id": _service_account,
    "api_key_id": _project_key,
    "key_id": _admin_key,
    **{
        name: _named(name)
        for name in (
            "alert_id",
            "alert_rule_id",
            "certificate_id",
            "external_key_id",
            "external_storage_id",
            "group_id",
            "rate_limit_id",
            "role_id",
            "workload_identity_federation_rule_id",
            "workload_identity_provider_id",
        )
    },
    "model": _model,
    "response_id": _response,
    "conversation_id": _conversation,
    "item_id": _item,
    "assistant_id": _assistant,
    "thread_id": _thread,
    "message_id": _message,
    "run_id": _run,
    "step_id": _step,
    "completion_id": _completion,
    "input_file_id": _input_file,
    "batch_id": _batch,
    "container_id": _container,
    "webhook_endpoint_id": _webhook_endpoint,
    "file_id": _file,
    "upload_id": _upload,
    "vector_store_id": _vector_store,
    "consent_id": _consent,
    "voice_id": _voice,
    "video_id": _video,
    "character_id": _character,
    "id": _safety_alert,  # safety.alerts' (safety.cases' in CONTEXTS)
    "eval_id": _eval,
    "output_item_id": _output_item,
    "skill_id": _skill,
    "version": _skill_version,
    "session_id": _agent_session,
    "turn_id": _agent_turn,
    "artifact_id": _artifact,
    "subagent_id": _subagent,
    "training_file": _training_file,
    "fine_tuning_job_id": _fine_tuning_job,
    "fine_tuned_model_checkpoint": _checkpoint,
    "permission_id": _permission,
    "agent_id": _agent,
    "automation_id": _automation,
    "invocation_id": _invocation,
    "vault_id": _vault,
    "credential_id": _credential,
    "environment_id": _environment,
    "environment_template_id": _environment_template,
    "call_id": _call,
}


async def _background_response(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    return (await client.responses.create(model="gpt-4o", input="hi", background=True)).id


async def _waiting_run(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> str:
    """A run waiting for the output of a function call."""
    tool = {"type": "function", "function": {"name": "lookup", "parameters": {}}}
    assistant = await client.beta.assistants.create(model="gpt-4", tools=[tool])  # type: ignore[list-item]
    run = await client.beta.threads.runs.create(made["thread_id"], assistant_id=assistant.id)
    run = await client.beta.threads.runs.poll(run.id, made["thread_id"])
    assert run.status == "requires_action"
    return run.id


async def _part_ids(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> Any:
    """The part of an upload, all its bytes (``bytes`` of :func:`_upload`)."""
    return [(await client.uploads.parts.create(made["upload_id"], data=VALUES["data"])).id]


async def _tool_outputs(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> Any:
    run = await client.beta.threads.runs.retrieve(made["run_id"], thread_id=made["thread_id"])
    assert run.required_action is not None
    calls = run.required_action.submit_tool_outputs.tool_calls
    return [{"tool_call_id": call.id, "output": "42"} for call in calls]


async def _user_files(client: AsyncOpenAI, fake: FakeOpenAI, made: Made) -> list[str]:
    """Files to copy into a container, put in the fake's files store."""
    return [str(fake.state.files.add_file(b"a", purpose="user_data", filename="a.txt")["id"])]


#: Endpoints whose call needs an object in a given state: their own makers, by id name, and
#: arguments made for the call (required ones, or ids of other objects the call with every
#: parameter sends).
CONTEXTS: Final[dict[tuple[str, str], dict[str, Any]]] = {
    ("POST", "/containers"): {"file_ids": _user_files},
    ("POST", "/vector_stores"): {"file_ids": _user_files},
    ("POST", "/vector_stores/{vector_store_id}/file_batches"): {"file_ids": _user_files},
    ("GET", "/containers/{container_id}/files/{file_id}"): {"file_id": _container_file},
    **{
        (method, "/vector_stores/{vector_store_id}/files/{file_id}" + tail): {
            "file_id": _vector_store_file
        }
        for method, tail in (("GET", ""), ("POST", ""), ("DELETE", ""), ("GET", "/content"))
    },
    **{
        (method, "/vector_stores/{vector_store_id}/file_batches/{batch_id}" + tail): {
            "batch_id": _vector_store_file_batch
        }
        for method, tail in (("GET", ""), ("POST", "/cancel"), ("GET", "/files"))
    },
    ("DELETE", "/containers/{container_id}/files/{file_id}"): {"file_id": _container_file},
    ("GET", "/containers/{container_id}/files/{file_id}/content"): {"file_id": _container_file},
    ("POST", "/responses/{response_id}/cancel"): {"response_id": _background_response},
    ("GET", "/safety/cases/{id}"): {"id": _safety_case},
    **{
        ("POST", path): {"video": _video_reference}
        for path in ("/videos/edits", "/videos/extensions")
    },
    ("GET", "/agents/sessions/{session_id}/events"): {"session_id": _busy_session},
    ("POST", "/responses/{response_id}/cancel?beta=true"): {"response_id": _background_response},
    # ``session_id`` names an agent session elsewhere; a Live session here (incoming to
    # accept or reject, active for the others)
    **{
        ("POST", f"/live/sessions/{{session_id}}/{verb}"): {"session_id": _incoming_live_session}
        for verb in ("accept", "reject")
    },
    **{
        (method, f"/live/sessions/{{session_id}}/{tail}"): {"session_id": _live_session}
        for method, tail in (
            ("POST", "refer"),
            ("POST", "hangup"),
            ("POST", "fork"),
            ("GET", "content"),
        )
    },
    ("POST", "/chatkit/sessions/{session_id}/cancel"): {"session_id": _chatkit_session},
    **{
        (method, "/chatkit/threads/{thread_id}" + tail): {"thread_id": _chatkit_thread}
        for method, tail in (("GET", ""), ("DELETE", ""), ("GET", "/items"))
    },
    ("POST", "/agents/sessions"): {"agent_id": _agent},  # a saved agent's session
    ("POST", "/uploads/{upload_id}/complete"): {"part_ids": _part_ids},
    # an eval's run (``run_id`` elsewhere names an Assistants run)
    **{
        (method, "/evals/{eval_id}/runs/{run_id}" + tail): {"run_id": _eval_run}
        for method, tail in (
            ("GET", ""),
            ("POST", ""),
            ("DELETE", ""),
            ("GET", "/output_items"),
            ("GET", "/output_items/{output_item_id}"),
        )
    },
    ("POST", "/fine_tuning/jobs"): {"validation_file": _training_file},
    ("POST", "/fine_tuning/jobs/{fine_tuning_job_id}/pause"): {"fine_tuning_job_id": _running_job},
    ("POST", "/fine_tuning/jobs/{fine_tuning_job_id}/resume"): {"fine_tuning_job_id": _paused_job},
    # a new member: a user of the organization not in the project yet
    ("POST", "/organization/projects/{project_id}/users"): {"user_id": _org_user},
    ("POST", "/threads/{thread_id}/runs/{run_id}/submit_tool_outputs"): {
        "run_id": _waiting_run,
        "tool_outputs": _tool_outputs,
    },
}


#: Arguments the SDK's signature leaves optional but a request needs (OpenAI, and so the
#: fake, refuses a response without a model unless a stored prompt names one).
NEEDED: Final[dict[tuple[str, str], dict[str, Any]]] = {
    **{
        ("POST", "/responses" + beta): {"model": VALUES["model"], "input": VALUES["input"]}
        for beta in ("", "?beta=true")
    },
    # a compaction compacts something: an input or a previous response
    **{
        ("POST", "/responses/compact" + beta): {"input": VALUES["input"]}
        for beta in ("", "?beta=true")
    },
    # a Realtime call's session, a translation's model
    ("POST", "/realtime/calls"): {"session": REALTIME_SESSION},
    ("POST", "/realtime/translations/client_secrets"): {
        "session": {"model": "gpt-realtime-translate"}
    },
    # a file batch holds files: ``file_ids`` or ``files`` (a maker of stored files)
    ("POST", "/vector_stores/{vector_store_id}/file_batches"): {"file_ids": _user_files},
    # a container file is uploaded (``file``) or copied (``file_id``)
    ("POST", "/containers/{container_id}/files"): {"file": VALUES["file"]},
    # a skill, or a version of one, is uploaded files
    **{
        ("POST", path): {"files": SKILL_FILES}
        for path in ("/skills", "/skills/{skill_id}/versions")
    },
    # a custom voice is made from a sample, with the speaker's consent
    ("POST", "/audio/voices"): {"audio_sample": WAV, "consent": _consent},
    # a project's new member: a user (``user_id``) or an ``email``; a member's new role
    ("POST", "/organization/projects/{project_id}/users"): {"user_id": _org_user},
    ("POST", "/organization/projects/{project_id}/users/{user_id}"): _MEMBER,
    # a model that streams (DALL·E does not)
    **{("POST", path): {"model": IMAGE_MODEL} for path in ("/images/generations", "/images/edits")},
    # a session's agent: a saved one (agent_id) or one with a model
    ("POST", "/agents/sessions"): {"agent": AGENT},
    # a one-time automation runs at a time; an inline environment file has its bytes
    ("POST", "/agents/automations"): {"run_at": 1_900_000_000},
    ("POST", "/agents/environments/{environment_id}/files"): {"data": "cGFydA=="},
}


class Call:
    """One call of an endpoint: its method, the ids made for it, its required arguments."""

    def __init__(
        self, entry: Endpoint, client: AsyncOpenAI, made: Made, args: dict[str, Any]
    ) -> None:
        self.entry = entry
        self.client = client
        self.made = made
        self.ids = {name: made[name] for name in ids_of(entry)}
        self.args = args
        self.fn = getattr(entry.resource, entry.name)
        self.returns = Returns(self.fn)

    @classmethod
    async def make(cls, entry: Endpoint, client: AsyncOpenAI, fake: FakeOpenAI) -> Call:
        key = (entry.method, entry.path)
        context = CONTEXTS.get(key, {})
        values = ENDPOINT_VALUES.get(key, {})
        made: Made = {}
        for name in ids_of(entry):
            made[name] = await context.get(name, MAKERS[name])(client, fake, made)
        fn = getattr(entry.resource, entry.name)
        args: dict[str, Any] = {}
        for name, parameter in inspect.signature(fn).parameters.items():
            if name == "self" or name in made or parameter.default is not parameter.empty:
                continue
            if parameter.kind is parameter.VAR_KEYWORD:
                continue
            if name in context:
                args[name] = await context[name](client, fake, made)
            elif name in values:
                args[name] = values[name]
            elif name in MAKERS:
                args[name] = made[name] = await MAKERS[name](client, fake, made)
            else:
                args[name] = VALUES[name]
        for name, value in NEEDED.get(key, {}).items():
            args[name] = await value(client, fake, made) if callable(value) else value
        return cls(entry, client, made, args)

    def method(self, mode: str | None = None) -> Any:
        resource = resource_of(self.client, self.entry)
        if mode is not None:
            resource = getattr(resource, mode)
        return getattr(resource, self.entry.name)

    def __call__(self, mode: str | None = None, **more: Any) -> Any:
        return self.method(mode)(**self.ids, **self.args, **more)

    @property
    def path(self) -> str:
        template = self.entry.path.partition("?")[0]  # a query every call sends (?beta=true)
        return "/v1" + re.sub(r"\{(\w+)\}", lambda m: self.ids[m.group(1)], template)

    def check_sent(self, response: APIResponse[Any] | AsyncAPIResponse[Any]) -> None:
        assert response.http_request.method == self.entry.method
        assert response.http_request.url.path == self.path
        assert response.status_code == STATUSES.get((self.entry.method, self.entry.path), 200)


async def consume(stream: Any) -> list[Any]:
    assert isinstance(stream, AsyncStream)
    return [event async for event in stream]


async def settle(returns: Returns, result: Any) -> None:
    """Check a call's result; a stream (all an ``only_stream`` method gives) is read to its end."""
    returns.check(result)
    if returns.only_stream:
        assert await consume(result)


# -- the shapes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", served(endpoints()))
async def test_method(client: AsyncOpenAI, fake: FakeOpenAI, entry: Endpoint) -> None:
    call = await Call.make(entry, client, fake)
    result = await call()
    await settle(call.returns, result)
    assert (fake.requests[-1].method, fake.requests[-1].path) == (entry.method, call.path)


@pytest.mark.parametrize("entry", served(endpoints()))
async def test_method_with_all_params(
    client: AsyncOpenAI, fake: FakeOpenAI, entry: Endpoint
) -> None:
    """Every parameter is taken and sent where it belongs (the body, the query or a file
    part of a multipart body); the fake answers the declared type, or refuses (a 4xx) the
    combinations :data:`REFUSED` lists."""
    call = await Call.make(entry, client, fake)
    key = (entry.method, entry.path)
    params = {k: v for k, v in params_of(call.fn).items() if k not in call.args}
    values = {**VALUES, **ENDPOINT_VALUES.get(key, {})}
    context = CONTEXTS.get(key, {})
    given = {}
    for name, tp in params.items():
        if name in LEFT_OUT or name in call.ids:
            continue
        if name in context:
            given[name] = await context[name](client, fake, call.made)
        else:
            given[name] = values[name] if name in values else sample(tp)
    try:
        result = await call(**given)
    except APIStatusError as error:
        assert key in REFUSED and 400 <= error.status_code < 500, error
    else:
        assert key not in REFUSED, "answered: its REFUSED entry goes"
        await settle(call.returns, result)
    request = fake.requests[-1]
    assert (request.method, request.path) == (entry.method, call.path)
    spec = spec_of(call.fn)
    body = request.json or request.form  # a multipart body's plain fields
    for name in given:
        # the method's own keywords (``stream``) go where its other parameters go
        where = spec.keys.get(name, None if spec.sends_body else name)
        if name in spec.files:  # a multipart body's file part (or a part with no filename)
            assert name in request.files or name in body, name
        elif name in spec.headers:  # a header (``betas``)
            assert spec.headers[name] in request.headers, name
        elif where is None:
            assert name in body, name
        else:  # a value, a list as key[]=, a mapping as key[name]=
            assert any(k == where or k.startswith(f"{where}[") for k in request.query), name


@pytest.mark.parametrize("entry", served(endpoints()))
async def test_raw_response(client: AsyncOpenAI, fake: FakeOpenAI, entry: Endpoint) -> None:
    call = await Call.make(entry, client, fake)
    response = await call("with_raw_response")
    assert isinstance(response, APIResponse)
    call.check_sent(response)
    await settle(call.returns, response.parse())
    assert response.is_closed


@pytest.mark.parametrize("entry", served(endpoints()))
async def test_streaming_response(client: AsyncOpenAI, fake: FakeOpenAI, entry: Endpoint) -> None:
    call = await Call.make(entry, client, fake)
    async with call("with_streaming_response") as response:
        assert isinstance(response, AsyncAPIResponse) and not response.is_closed
        call.check_sent(response)
        await settle(call.returns, await response.parse())
    assert response.is_closed


def with_ids(entries: Iterable[Endpoint]) -> list[Any]:
    return [
        pytest.param(e, name, id=f"{entry_id(e)} {name}")
        for e in entries
        for name in ids_of(e)
        if (e.method, e.path) not in NOT_SERVED
    ]


@pytest.mark.parametrize(("entry", "name"), with_ids(endpoints()))
@pytest.mark.parametrize("mode", [None, "with_raw_response", "with_streaming_response"])
async def test_path_params(
    client: AsyncOpenAI, fake: FakeOpenAI, entry: Endpoint, name: str, mode: str | None
) -> None:
    """An empty id is a ValueError naming it, before anything is sent."""
    fn = getattr(entry.resource, entry.name)
    args: dict[str, Any] = {n: f"{n}_1" for n in ids_of(entry)}
    args[name] = ""
    for key, parameter in inspect.signature(fn).parameters.items():
        required = parameter.default is parameter.empty
        if required and key not in args and key != "self" and parameter.kind is not VAR_KEYWORD:
            args[key] = VALUES.get(key, f"{key}_1")
    sent = len(fake.requests)
    method = resource_of(client, entry)
    method = getattr(method if mode is None else getattr(method, mode), entry.name)
    message = rf"Expected a non-empty value for `{name}` but received ''"
    with pytest.raises(ValueError, match=message):
        if mode == "with_streaming_response":
            async with method(**args):
                pass
        else:
            await method(**args)
    assert len(fake.requests) == sent


def streaming(entries: Iterable[Endpoint]) -> list[Any]:
    """The endpoints whose method takes ``stream``."""
    returns = {e: Returns(getattr(e.resource, e.name)) for e in entries}
    return served(e for e, r in returns.items() if r.stream and not r.only_stream)


@pytest.mark.parametrize("entry", streaming(endpoints()))
@pytest.mark.parametrize("mode", [None, "with_raw_response", "with_streaming_response"])
async def test_stream(
    client: AsyncOpenAI, fake: FakeOpenAI, entry: Endpoint, mode: str | None
) -> None:
    """A method taking ``stream=True`` gives an AsyncStream: itself, as a raw response's
    ``parse()``, or as a streamed response's ``await parse()``."""
    call = await Call.make(entry, client, fake)
    if entry.path.startswith("/responses/{response_id}"):  # a stored stream: a background one
        call.ids["response_id"] = await _background_response(client, fake, {})
    if mode is None:
        assert await consume(await call(stream=True))
    elif mode == "with_raw_response":
        response = await call(mode, stream=True)
        call.check_sent(response)
        assert not response.is_closed
        assert await consume(response.parse())
        assert response.is_closed
    else:
        async with call(mode, stream=True) as streamed:
            call.check_sent(streamed)
            assert await consume(await streamed.parse())
        assert streamed.is_closed


def test_every_endpoint_is_reachable_and_every_id_can_be_made() -> None:
    """The table this module is driven by is whole: a new resource hangs off the client, a
    new kind of id has a maker."""
    for entry in endpoints():
        assert entry.resource in PATHS, entry
        assert all(name in MAKERS for name in ids_of(entry)), entry
    known = {(e.method, e.path) for e in endpoints()}
    assert NOT_SERVED.keys() | REFUSED.keys() | ENDPOINT_VALUES.keys() | STATUSES.keys() <= known
