"""Derive the compact OpenAPI fixtures in ``tests/conformance/fixtures`` from OpenAI's spec.

Run by hand from the repository root::

    .venv/bin/python tests/conformance/derive_fixtures.py [SPEC_DIR]

``SPEC_DIR`` defaults to ``tests/conformance/spec``, the copy of OpenAI's spec kept in the
repository (MIT License; see its ``SOURCE.md`` and ``LICENSE``). The script reads the spec files
described in ``SPEC_DIR/SOURCE.md``, checks their sha256 against the values recorded below, and
writes for each spec version:

* ``openapi-<version>.json``: a valid OpenAPI document holding only the operations listed in
  :data:`OPERATIONS`, the components they reference transitively (every ``$ref`` and every
  ``discriminator.mapping`` target is followed) and ``ErrorResponse``. The keywords
  ``description``, ``summary`` and ``externalDocs``, every ``x-*`` extension key and the top-level
  ``tags`` are removed. ``x-provenance`` says where the document came from.
* ``openapi-<version>.examples.json``: the example responses OpenAI publishes inside ``x-oaiMeta``
  (``x-oaiMeta.examples`` on operations, ``x-oaiMeta.example`` on object schemas), as raw strings.

Output is JSON with sorted keys, so re-running gives byte-identical files. The derivation date is
kept from the existing fixture while nothing else changes.

The test suite imports this module (``test_spec_fixtures.py``) to check that the checked-in
fixtures are up to date; keep it free of imports outside the standard library and PyYAML.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

# --------------------------------------------------------------------------------------------
# What to keep: extend these tables to add operations. A method of "*" keeps every method the
# path has in that spec version (so v2 picks up DELETE on a message by itself).
# --------------------------------------------------------------------------------------------

ALL_METHODS = "*"

_MODELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/models", ("get",)),
    ("/models/{model}", ("get", "delete")),
)

_ASSISTANTS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (path, (ALL_METHODS,))
    for path in (
        "/assistants",
        "/assistants/{assistant_id}",
        "/threads",
        "/threads/{thread_id}",
        "/threads/runs",
        "/threads/{thread_id}/messages",
        "/threads/{thread_id}/messages/{message_id}",
        "/threads/{thread_id}/runs",
        "/threads/{thread_id}/runs/{run_id}",
        "/threads/{thread_id}/runs/{run_id}/cancel",
        "/threads/{thread_id}/runs/{run_id}/submit_tool_outputs",
        "/threads/{thread_id}/runs/{run_id}/steps",
        "/threads/{thread_id}/runs/{run_id}/steps/{step_id}",
    )
)

_CHAT_AND_EMBEDDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/chat/completions", ("post",)),
    ("/embeddings", ("post",)),
)

#: Stored chat completions (``store: true``), in the v2 spec only.
_STORED_CHAT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/chat/completions", ("get",)),
    ("/chat/completions/{completion_id}", ("get", "post", "delete")),
    ("/chat/completions/{completion_id}/messages", ("get",)),
)

_RESPONSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/responses", ("post",)),
    ("/responses/{response_id}", ("get", "delete")),
    ("/responses/{response_id}/cancel", ("post",)),
    ("/responses/{response_id}/input_items", ("get",)),
    ("/responses/compact", ("post",)),
    ("/responses/input_tokens", ("post",)),
)

_CONVERSATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/conversations", ("post",)),
    ("/conversations/{conversation_id}", ("get", "post", "delete")),
    ("/conversations/{conversation_id}/items", ("get", "post")),
    ("/conversations/{conversation_id}/items/{item_id}", ("get", "delete")),
)

_MODERATIONS_AND_COMPLETIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/moderations", ("post",)),
    ("/completions", ("post",)),
)

_BATCHES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/batches", ("get", "post")),
    ("/batches/{batch_id}", ("get",)),
    ("/batches/{batch_id}/cancel", ("post",)),
)

_CONTAINERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/containers", ("get", "post")),
    ("/containers/{container_id}", ("get", "delete")),
    ("/containers/{container_id}/files", ("get", "post")),
    ("/containers/{container_id}/files/{file_id}", ("get", "delete")),
    ("/containers/{container_id}/files/{file_id}/content", ("get",)),
)

_FILES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/files", ("get", "post")),
    ("/files/{file_id}", ("get", "delete")),
    ("/files/{file_id}/content", ("get",)),
)

_UPLOADS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/uploads", ("post",)),
    ("/uploads/{upload_id}/parts", ("post",)),
    ("/uploads/{upload_id}/complete", ("post",)),
    ("/uploads/{upload_id}/cancel", ("post",)),
)

_VECTOR_STORES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/vector_stores", ("get", "post")),
    ("/vector_stores/{vector_store_id}", ("get", "post", "delete")),
    ("/vector_stores/{vector_store_id}/search", ("post",)),
    ("/vector_stores/{vector_store_id}/files", ("get", "post")),
    ("/vector_stores/{vector_store_id}/files/{file_id}", ("get", "post", "delete")),
    ("/vector_stores/{vector_store_id}/files/{file_id}/content", ("get",)),
    ("/vector_stores/{vector_store_id}/file_batches", ("post",)),
    ("/vector_stores/{vector_store_id}/file_batches/{batch_id}", ("get",)),
    ("/vector_stores/{vector_store_id}/file_batches/{batch_id}/cancel", ("post",)),
    ("/vector_stores/{vector_store_id}/file_batches/{batch_id}/files", ("get",)),
)

#: Audio (the custom voices' endpoints are in the newest spec only) and images.
_AUDIO_V1: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/audio/speech", ("post",)),
    ("/audio/transcriptions", ("post",)),
    ("/audio/translations", ("post",)),
)

_AUDIO: tuple[tuple[str, tuple[str, ...]], ...] = (
    *_AUDIO_V1,
    ("/audio/voice_consents", ("get", "post")),
    ("/audio/voice_consents/{consent_id}", ("get", "post", "delete")),
    ("/audio/voices", ("post",)),
)

_IMAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/images/generations", ("post",)),
    ("/images/edits", ("post",)),
    ("/images/variations", ("post",)),
)

#: Videos and content provenance checks (the newest spec only; decisions and safety are in
#: no spec yet).
_VIDEOS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/videos", ("get", "post")),
    ("/videos/characters", ("post",)),
    ("/videos/characters/{character_id}", ("get",)),
    ("/videos/edits", ("post",)),
    ("/videos/extensions", ("post",)),
    ("/videos/{video_id}", ("get", "delete")),
    ("/videos/{video_id}/content", ("get",)),
    ("/videos/{video_id}/remix", ("post",)),
    ("/content_provenance_checks", ("post",)),
)

#: Evals (their runs and output items) and skills (their versions and zips), in v2 only.
_EVALS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/evals", ("get", "post")),
    ("/evals/{eval_id}", ("get", "post", "delete")),
    ("/evals/{eval_id}/runs", ("get", "post")),
    ("/evals/{eval_id}/runs/{run_id}", ("get", "post", "delete")),
    ("/evals/{eval_id}/runs/{run_id}/output_items", ("get",)),
    ("/evals/{eval_id}/runs/{run_id}/output_items/{output_item_id}", ("get",)),
)

_SKILLS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/skills", ("get", "post")),
    ("/skills/{skill_id}", ("get", "post", "delete")),
    ("/skills/{skill_id}/content", ("get",)),
    ("/skills/{skill_id}/versions", ("get", "post")),
    ("/skills/{skill_id}/versions/{version}", ("get", "delete")),
    ("/skills/{skill_id}/versions/{version}/content", ("get",)),
)

#: Fine-tuning: jobs, their events and checkpoints, checkpoint permissions, graders (v2 only).
_FINE_TUNING: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/fine_tuning/jobs", ("get", "post")),
    ("/fine_tuning/jobs/{fine_tuning_job_id}", ("get",)),
    ("/fine_tuning/jobs/{fine_tuning_job_id}/cancel", ("post",)),
    ("/fine_tuning/jobs/{fine_tuning_job_id}/pause", ("post",)),
    ("/fine_tuning/jobs/{fine_tuning_job_id}/resume", ("post",)),
    ("/fine_tuning/jobs/{fine_tuning_job_id}/events", ("get",)),
    ("/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints", ("get",)),
    ("/fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions", ("get", "post")),
    (
        "/fine_tuning/checkpoints/{fine_tuned_model_checkpoint}/permissions/{permission_id}",
        ("delete",),
    ),
    ("/fine_tuning/alpha/graders/run", ("post",)),
    ("/fine_tuning/alpha/graders/validate", ("post",)),
)

#: The Realtime REST calls (the WebSocket itself is no operation of the spec) and ChatKit.
_REALTIME: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/realtime/calls", ("post",)),
    ("/realtime/calls/{call_id}/accept", ("post",)),
    ("/realtime/calls/{call_id}/hangup", ("post",)),
    ("/realtime/calls/{call_id}/refer", ("post",)),
    ("/realtime/calls/{call_id}/reject", ("post",)),
    ("/realtime/client_secrets", ("post",)),
    ("/realtime/sessions", ("post",)),
    ("/realtime/transcription_sessions", ("post",)),
    ("/realtime/translations/client_secrets", ("post",)),
)

_CHATKIT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/chatkit/sessions", ("post",)),
    ("/chatkit/sessions/{session_id}/cancel", ("post",)),
    ("/chatkit/threads", ("get",)),
    ("/chatkit/threads/{thread_id}", ("get", "delete")),
    ("/chatkit/threads/{thread_id}/items", ("get",)),
)

#: The beta Responses: the spec's path keys hold their query string (checked against their
#: schemas only, as no request router matches such a key).
_BETA_RESPONSES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (path + "?beta=true", (ALL_METHODS,))
    for path in (
        "/responses",
        "/responses/{response_id}",
        "/responses/{response_id}/cancel",
        "/responses/compact",
        "/responses/{response_id}/input_items",
        "/responses/input_tokens",
    )
)

#: The admin API (``client.admin``): every operation of it the spec describes (those the SDK has
#: and the spec lacks are listed in test_endpoints_conformance.py).
_ADMIN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("/organization/admin_api_keys", ("get", "post")),
    ("/organization/admin_api_keys/{key_id}", ("get", "delete")),
    ("/organization/audit_logs", ("get",)),
    ("/organization/certificates", ("get", "post")),
    ("/organization/certificates/activate", ("post",)),
    ("/organization/certificates/deactivate", ("post",)),
    ("/organization/certificates/{certificate_id}", ("get", "post", "delete")),
    ("/organization/costs", ("get",)),
    ("/organization/data_retention", ("get", "post")),
    ("/organization/groups", ("get", "post")),
    ("/organization/groups/{group_id}", ("get", "post", "delete")),
    ("/organization/groups/{group_id}/roles", ("get", "post")),
    ("/organization/groups/{group_id}/roles/{role_id}", ("get", "delete")),
    ("/organization/groups/{group_id}/users", ("get", "post")),
    ("/organization/groups/{group_id}/users/{user_id}", ("get", "delete")),
    ("/organization/invites", ("get", "post")),
    ("/organization/invites/{invite_id}", ("get", "delete")),
    ("/organization/projects", ("get", "post")),
    ("/organization/projects/{project_id}", ("get", "post")),
    ("/organization/projects/{project_id}/api_keys", ("get",)),
    ("/organization/projects/{project_id}/api_keys/{api_key_id}", ("get", "delete")),
    ("/organization/projects/{project_id}/archive", ("post",)),
    ("/organization/projects/{project_id}/certificates", ("get",)),
    ("/organization/projects/{project_id}/certificates/activate", ("post",)),
    ("/organization/projects/{project_id}/certificates/deactivate", ("post",)),
    ("/organization/projects/{project_id}/data_retention", ("get", "post")),
    ("/organization/projects/{project_id}/groups", ("get", "post")),
    ("/organization/projects/{project_id}/groups/{group_id}", ("get", "delete")),
    ("/organization/projects/{project_id}/hosted_tool_permissions", ("get", "post")),
    ("/organization/projects/{project_id}/model_permissions", ("get", "post", "delete")),
    ("/organization/projects/{project_id}/rate_limits", ("get",)),
    ("/organization/projects/{project_id}/rate_limits/{rate_limit_id}", ("post",)),
    ("/organization/projects/{project_id}/service_accounts", ("get", "post")),
    (
        "/organization/projects/{project_id}/service_accounts/{service_account_id}",
        ("get", "post", "delete"),
    ),
    (
        "/organization/projects/{project_id}/service_accounts/{service_account_id}/api_keys",
        ("post",),
    ),
    ("/organization/projects/{project_id}/spend_alerts", ("get", "post")),
    ("/organization/projects/{project_id}/spend_alerts/{alert_id}", ("get", "post", "delete")),
    ("/organization/projects/{project_id}/spend_limit", ("get", "post", "delete")),
    ("/organization/projects/{project_id}/users", ("get", "post")),
    ("/organization/projects/{project_id}/users/{user_id}", ("get", "post", "delete")),
    ("/organization/roles", ("get", "post")),
    ("/organization/roles/{role_id}", ("get", "post", "delete")),
    ("/organization/spend_alerts", ("get", "post")),
    ("/organization/spend_alerts/{alert_id}", ("get", "post", "delete")),
    ("/organization/spend_limit", ("get", "post", "delete")),
    ("/organization/usage/audio_speeches", ("get",)),
    ("/organization/usage/audio_transcriptions", ("get",)),
    ("/organization/usage/code_interpreter_sessions", ("get",)),
    ("/organization/usage/completions", ("get",)),
    ("/organization/usage/embeddings", ("get",)),
    ("/organization/usage/file_search_calls", ("get",)),
    ("/organization/usage/images", ("get",)),
    ("/organization/usage/moderations", ("get",)),
    ("/organization/usage/vector_stores", ("get",)),
    ("/organization/usage/web_search_calls", ("get",)),
    ("/organization/users", ("get",)),
    ("/organization/users/{user_id}", ("get", "post", "delete")),
    ("/organization/users/{user_id}/roles", ("get", "post")),
    ("/organization/users/{user_id}/roles/{role_id}", ("get", "delete")),
    ("/projects/{project_id}/groups/{group_id}/roles", ("get", "post")),
    ("/projects/{project_id}/groups/{group_id}/roles/{role_id}", ("get", "delete")),
    ("/projects/{project_id}/roles", ("get", "post")),
    ("/projects/{project_id}/roles/{role_id}", ("get", "post", "delete")),
    ("/projects/{project_id}/users/{user_id}/roles", ("get", "post")),
    ("/projects/{project_id}/users/{user_id}/roles/{role_id}", ("get", "delete")),
)

#: version -> ((path, methods), ...). Paths and methods must exist in that version's spec.
OPERATIONS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "v1": (
        *_MODELS,
        *_ASSISTANTS,
        *_CHAT_AND_EMBEDDINGS,
        *_MODERATIONS_AND_COMPLETIONS,
        *_FILES,
        *_AUDIO_V1,
        *_IMAGES,
    ),
    "v2": (
        *_MODELS,
        *_ASSISTANTS,
        *_CHAT_AND_EMBEDDINGS,
        *_STORED_CHAT,
        *_RESPONSES,
        *_CONVERSATIONS,
        *_MODERATIONS_AND_COMPLETIONS,
        *_BATCHES,
        *_CONTAINERS,
        *_FILES,
        *_UPLOADS,
        *_VECTOR_STORES,
        *_AUDIO,
        *_IMAGES,
        *_VIDEOS,
        *_EVALS,
        *_SKILLS,
        *_FINE_TUNING,
        *_REALTIME,
        *_CHATKIT,
        *_BETA_RESPONSES,
        *_ADMIN,
    ),
}

#: Component schemas kept whether or not an operation references them.
ALWAYS_INCLUDE_SCHEMAS: tuple[str, ...] = ("ErrorResponse",)
#: The versions whose fixture also keeps the event schemas of the spec's ``webhooks`` (the
#: bodies OpenAI POSTs to a webhook endpoint, e.g. ``WebhookBatchCompleted``).
WEBHOOK_EVENT_VERSIONS: frozenset[str] = frozenset({"v2"})

UPSTREAM_REPO = "openai/openai-openapi"
UPSTREAM_PATH = "openapi.yaml"


@dataclass(frozen=True)
class SourceFile:
    """A spec file in SPEC_DIR, with the provenance recorded for it in SOURCE.md."""

    file: str
    sha256: str
    commit: str | None = None
    commit_date: str | None = None
    git_blob: str | None = None


@dataclass(frozen=True)
class Source:
    """The file a fixture version is derived from (and the upstream file behind it)."""

    spec: SourceFile
    upstream: SourceFile
    #: Changes already present in ``spec`` relative to ``upstream`` (see SOURCE.md).
    source_patches: tuple[str, ...] = ()


_V1_UPSTREAM = SourceFile(
    file="openai-openapi.yaml",
    sha256="65c7fcaca9d946a8830acd88c419944ecef481122143c787ba8261ff56057ccc",
    commit="af97d0a6f1fcc5dcbb6e8135b3b8a7b8e22b7d0a",
    commit_date="2024-04-16T15:54:52-07:00",
    git_blob="020ed4da19883e3af4eecdadff173f80a578657e",
)
_V2_UPSTREAM = SourceFile(
    file="openai-openapi-v2-latest.yaml",
    sha256="db5d7478feae10b4d331834c60d9765a8aa042e38419f9b1694288c11aa8ebc8",
    commit="f85dbe223d40e1a31cba812ab2d755c7e98a92a3",
    commit_date="2026-08-21T20:48:10+00:00",
    git_blob="cc54f3a8e4c6737bd945051cd6654e0a20913743",
)

SOURCES: dict[str, Source] = {
    "v1": Source(
        spec=SourceFile(
            file="openai-openapi.prism.json",
            sha256="543aa690fe81684a1697a9687d55df3fdbd5f779bd4a76c0da80e182efd17ac1",
        ),
        upstream=_V1_UPSTREAM,
        source_patches=(
            "(a) each of the 18 nodes with nullable: true and no type rewritten to "
            "anyOf: [{<keywords>}, {enum: [null]}]",
            "(b) thread_id removed from required in CreateRunRequest and "
            "CreateThreadAndRunRequest (upstream fix c880fa1, 2024-10-17)",
            "(c) default: [] removed from CreateMessageRequest.properties.file_ids",
        ),
    ),
    "v2": Source(spec=_V2_UPSTREAM, upstream=_V2_UPSTREAM),
}

#: Changes this script makes, recorded in every fixture's x-provenance.
DERIVATION_PATCHES: tuple[str, ...] = (
    "subset: only the operations in x-provenance.operations (with path-level parameters), the "
    "components they reference transitively ($ref and discriminator.mapping), the security "
    "schemes they use, and components.schemas.ErrorResponse",
    "removed the keywords description (except on Response Objects, where OpenAPI requires it), "
    "summary and externalDocs and every x-* extension key (property, header and other names "
    "are untouched; enum/const/default/example values are copied verbatim)",
    "removed the top-level tags and x-oaiMeta",
    "x-oaiMeta.examples (operations) and x-oaiMeta.example (schemas) moved, as raw strings, to "
    "the companion examples file",
)

SPEC_FIXTURE_NAME = "openapi-{version}.json"
EXAMPLES_FIXTURE_NAME = "openapi-{version}.examples.json"

REPO_ROOT = Path(__file__).resolve().parents[2]
#: OpenAI's spec files, kept in the repository (relative paths are taken from REPO_ROOT).
DEFAULT_SPEC_DIR = Path("tests/conformance/spec")
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_ITEM_KEEP = ("parameters", "servers")

# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


class DeriveError(Exception):
    """The spec files are not what the tables above expect."""


# YAML 1.2 core-schema booleans; YAML 1.1 would also turn yes/no/on/off into booleans.
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_BOOL_FIRST = list("tTfF")


def _yaml12_resolvers(
    resolvers: Mapping[str | None, list[tuple[str, re.Pattern[str]]]],
) -> dict[str | None, list[tuple[str, re.Pattern[str]]]]:
    """Copy PyYAML's implicit resolvers, minus timestamps and YAML 1.1-only booleans."""
    out: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}
    for first, entries in resolvers.items():
        kept = [
            (tag, regexp)
            for tag, regexp in entries
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
        ]
        if kept:
            out[first] = kept
    for first in _BOOL_FIRST:
        out.setdefault(first, []).insert(0, ("tag:yaml.org,2002:bool", _BOOL_RE))
    return out


class _FastLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """libyaml-backed safe loader with YAML 1.2 style scalars (dates stay strings)."""

    yaml_implicit_resolvers = _yaml12_resolvers(yaml.SafeLoader.yaml_implicit_resolvers)


class _AnchorTolerantLoader(yaml.SafeLoader):
    """Pure-Python safe loader that accepts a redefined anchor (later definition wins).

    The v1-era upstream file reuses anchors such as ``run_temperature_description``; YAML
    allows that but PyYAML (and libyaml) reject it with "found duplicate anchor".
    """

    yaml_implicit_resolvers = _yaml12_resolvers(yaml.SafeLoader.yaml_implicit_resolvers)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if not self.check_event(yaml.AliasEvent):
            anchor = self.peek_event().anchor
            if anchor is not None:
                self.anchors.pop(anchor, None)
        return super().compose_node(parent, index)


def load_spec(path: Path) -> dict[str, Any]:
    """Load a JSON or YAML OpenAPI document."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        data = json.loads(text)
    else:
        try:
            data = yaml.load(text, Loader=_FastLoader)  # a SafeLoader subclass
        except yaml.composer.ComposerError as exc:
            if "duplicate anchor" not in str(exc):
                raise
            data = yaml.load(text, Loader=_AnchorTolerantLoader)
    if not isinstance(data, dict):
        raise DeriveError(f"{path}: not an OpenAPI document")
    return data


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _git_blob(path: Path) -> str:
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _check_source_file(spec_dir: Path, source: SourceFile) -> dict[str, Any]:
    """Verify a source file against the recorded sha256; return its provenance entry."""
    path = spec_dir / source.file
    computed = _sha256(path)
    if computed != source.sha256:
        raise DeriveError(
            f"{path}: sha256 {computed} differs from the recorded {source.sha256}; "
            "update SOURCES in derive_fixtures.py (and SOURCE.md) if the spec really changed"
        )
    source_md = spec_dir / "SOURCE.md"
    if source_md.exists() and source.sha256 not in source_md.read_text(encoding="utf-8"):
        raise DeriveError(f"{source_md} does not mention sha256 {source.sha256} of {source.file}")
    entry: dict[str, Any] = {
        "file": source.file,
        "sha256_recorded": source.sha256,
        "sha256_computed": computed,
    }
    if source.commit is not None:
        computed_blob = _git_blob(path)
        if computed_blob != source.git_blob:
            raise DeriveError(f"{path}: git blob {computed_blob} differs from {source.git_blob}")
        entry.update(
            {
                "repository": UPSTREAM_REPO,
                "path": UPSTREAM_PATH,
                "commit": source.commit,
                "commit_date": source.commit_date,
                "git_blob": source.git_blob,
            }
        )
    return entry


# --------------------------------------------------------------------------------------------
# Stripping and reference closure
# --------------------------------------------------------------------------------------------

#: Documentation keywords removed from keyword objects (never from maps of names).
_STRIP_KEYS = frozenset({"description", "summary", "externalDocs"})
#: Keywords whose (object) value maps names to objects: its keys are names, not keywords.
_NAME_MAP_KEYS = frozenset(
    {
        "$defs",
        "callbacks",
        "content",
        "definitions",
        "dependentSchemas",
        "encoding",
        "examples",
        "headers",
        "links",
        "mapping",
        "parameters",
        "pathItems",
        "paths",
        "patternProperties",
        "properties",
        "requestBodies",
        "responses",
        "schemas",
        "securitySchemes",
        "variables",
        "webhooks",
    }
)
#: Keywords whose value is instance data: copied as is.
_DATA_KEYS = frozenset({"const", "default", "enum", "example", "value"})

_COMPONENT_REF_RE = re.compile(r"^#/components/([^/]+)/([^/]+)(?:/.*)?$")


def strip(node: Any, *, names_of: str | None = None, keep_description: bool = False) -> Any:
    """Return a copy of ``node`` without documentation keywords and ``x-*`` keys.

    ``names_of`` is set (to the keyword) when ``node`` is a map of names (``properties``,
    ``responses``, ...): its keys are kept whatever they are, and its values are keyword
    objects. ``description`` is kept on Response Objects, where OpenAPI requires it.
    """
    if isinstance(node, list):
        return [strip(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if names_of is not None:
            out[key] = strip(value, keep_description=names_of == "responses")
        elif key == "description" and keep_description:
            out[key] = value
        elif key in _STRIP_KEYS or key.startswith("x-"):
            continue
        elif key in _DATA_KEYS or (key == "examples" and isinstance(value, list)):
            out[key] = json.loads(json.dumps(value))
        elif key in _NAME_MAP_KEYS and isinstance(value, dict):
            out[key] = strip(value, names_of=key)
        else:
            out[key] = strip(value)
    return out


def _iter_refs(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _iter_refs(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key == "discriminator" and isinstance(value, dict):
                yield from (v for v in value.get("mapping", {}).values() if isinstance(v, str))
            elif key not in _DATA_KEYS:
                yield from _iter_refs(value)


def _parse_ref(ref: str) -> tuple[str, str]:
    match = _COMPONENT_REF_RE.match(ref)
    if match is None:
        raise DeriveError(f"unsupported $ref {ref!r}: only #/components/<section>/<name> refs")
    section, name = (unquote(part).replace("~1", "/").replace("~0", "~") for part in match.groups())
    return section, name


def _select_paths(
    spec: Mapping[str, Any], table: tuple[tuple[str, tuple[str, ...]], ...]
) -> tuple[dict[str, Any], list[tuple[str, str, Mapping[str, Any]]]]:
    """Pick the listed operations; return the stripped paths and the (raw) operations kept."""
    paths: dict[str, Any] = {}
    kept: list[tuple[str, str, Mapping[str, Any]]] = []
    for path, methods in table:
        item = spec["paths"].get(path)
        if item is None:
            raise DeriveError(f"path {path} is not in the spec")
        available = [m for m in _HTTP_METHODS if m in item]
        wanted = available if ALL_METHODS in methods else list(methods)
        missing = [m for m in wanted if m not in item]
        if missing or not wanted:
            raise DeriveError(f"{path}: methods {missing or methods} not in the spec ({available})")
        new_item = paths.setdefault(path, {})
        for key in _PATH_ITEM_KEEP:
            if key in item:
                new_item[key] = strip(item[key])
        for method in wanted:
            new_item[method] = strip(item[method])
            kept.append((path, method, item[method]))
    return paths, kept


def _security_scheme_names(spec: Mapping[str, Any], paths: Mapping[str, Any]) -> set[str]:
    requirements: list[Mapping[str, Any]] = list(spec.get("security", []))
    for item in paths.values():
        for method in _HTTP_METHODS:
            requirements.extend(item.get(method, {}).get("security", []))
    return {name for requirement in requirements for name in requirement}


def _closure(
    spec: Mapping[str, Any], roots: list[str], extra: list[tuple[str, str]]
) -> dict[str, dict[str, Any]]:
    """Stripped components reachable from ``roots`` (refs) and ``extra`` (section, name)."""
    components = spec.get("components", {})
    selected: dict[str, dict[str, Any]] = {}
    todo = [_parse_ref(ref) for ref in roots] + extra
    while todo:
        section, name = todo.pop()
        if name in selected.get(section, {}):
            continue
        try:
            raw = components[section][name]
        except KeyError:
            raise DeriveError(f"dangling reference #/components/{section}/{name}") from None
        node = strip(raw, keep_description=section == "responses")
        selected.setdefault(section, {})[name] = node
        todo.extend(_parse_ref(ref) for ref in _iter_refs(node))
    return selected


# --------------------------------------------------------------------------------------------
# Fixes for validators: defects of the upstream document, applied to the derived subset
# --------------------------------------------------------------------------------------------


def transform(
    node: Any, fn: Callable[[dict[str, Any]], Any], *, names_of: str | None = None
) -> Any:
    """Rebuild ``node``, passing every keyword object to ``fn`` before descending into it.

    Like :func:`strip`, keys of maps of names are left alone and data values are not entered.
    """
    if isinstance(node, list):
        return [transform(item, fn) for item in node]
    if not isinstance(node, dict):
        return node
    if names_of is not None:
        return {key: transform(value, fn) for key, value in node.items()}
    node = fn(node)
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DATA_KEYS or (key == "examples" and isinstance(value, list)):
            out[key] = value
        elif key in _NAME_MAP_KEYS and isinstance(value, dict):
            out[key] = transform(value, fn, names_of=key)
        else:
            out[key] = transform(value, fn)
    return out


def _on_schemas(doc: dict[str, Any], fn: Callable[[dict[str, Any]], Any]) -> None:
    doc["paths"] = transform(doc["paths"], fn, names_of="paths")
    doc["components"] = transform(doc["components"], fn)


def _fix_nullable(doc: dict[str, Any]) -> int:
    """Rewrite OpenAPI 3.0 ``nullable`` (not a keyword in 3.1) into JSON Schema 2020-12."""
    count = 0
    marker = {"nullable": True}

    def fn(node: dict[str, Any]) -> Any:
        nonlocal count
        all_of = node.get("allOf")
        # allOf: [X, {nullable: true}] means "X or null".
        in_all_of = isinstance(all_of, list) and marker in all_of
        if "nullable" not in node and not in_all_of:
            return node
        count += 1
        node = dict(node)
        nullable = node.pop("nullable", None) is True or in_all_of
        if in_all_of:
            node["allOf"] = [branch for branch in node["allOf"] if branch != marker]
        if not nullable:
            return node
        kind = node.get("type")
        if isinstance(kind, str | list):
            kinds = [kind] if isinstance(kind, str) else list(kind)
            node["type"] = kinds if "null" in kinds else [*kinds, "null"]
            if "enum" in node and None not in node["enum"]:
                node["enum"] = [*node["enum"], None]
            return node
        wrapper: dict[str, Any] = {}
        for key in ("default", "deprecated", "title"):
            if key in node:
                wrapper[key] = node.pop(key)
        wrapper["anyOf"] = [node, {"type": "null"}]
        return wrapper

    _on_schemas(doc, fn)
    return count


def _fix_discriminators(doc: dict[str, Any]) -> int:
    """Drop ``discriminator`` (no mapping, values are not schema names); oneOf becomes anyOf."""
    count = 0

    def fn(node: dict[str, Any]) -> Any:
        nonlocal count
        if "discriminator" not in node:
            return node
        count += 1
        node = {k: v for k, v in node.items() if k != "discriminator"}
        if "oneOf" in node:
            if "anyOf" in node:
                raise DeriveError(f"both oneOf and anyOf beside a discriminator: {node}")
            node["anyOf"] = node.pop("oneOf")
        return node

    _on_schemas(doc, fn)
    return count


def _fix_recursive_ref(doc: dict[str, Any]) -> int:
    """Replace draft 2019-09 ``$recursiveRef: "#"`` by a ``$ref`` to the enclosing schema."""
    count = 0
    schemas = doc["components"].get("schemas", {})
    for name, schema in list(schemas.items()):
        ref = f"#/components/schemas/{name}"

        def fn(node: dict[str, Any], ref: str = ref) -> Any:
            nonlocal count
            if "$recursiveRef" not in node:
                return node
            if node["$recursiveRef"] != "#":
                raise DeriveError(f"unexpected $recursiveRef {node['$recursiveRef']!r}")
            count += 1
            node = {k: v for k, v in node.items() if k != "$recursiveRef"}
            node["$ref"] = ref
            return node

        new = transform(schema, fn)
        if new != schema:
            if new.pop("$recursiveAnchor", None) is not True:
                raise DeriveError(f"{name}: $recursiveRef without $recursiveAnchor: true")
            schemas[name] = new
    return count


def _pointer(doc: dict[str, Any], pointer: str) -> dict[str, Any]:
    node: Any = doc
    for part in pointer.lstrip("/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    if not isinstance(node, dict):
        raise TypeError(f"{pointer} is not an object")
    return node


def _drop_default(bad: Any, *pointers: str) -> Callable[[dict[str, Any]], int]:
    """A fix removing ``default: <bad>`` from the schemas at ``pointers``."""

    def fix(doc: dict[str, Any]) -> int:
        for pointer in pointers:
            node = _pointer(doc, pointer)
            if "default" not in node or node["default"] != bad:
                raise DeriveError(f"{pointer}: expected default: {bad!r}, found {node}")
            del node["default"]
        return len(pointers)

    return fix


def _fix_repeated_required(doc: dict[str, Any]) -> int:
    """Drop the names a ``required`` list repeats (JSON Schema wants them unique)."""
    count = 0

    def fn(node: dict[str, Any]) -> Any:
        nonlocal count
        required = node.get("required")
        if not isinstance(required, list) or len(set(required)) == len(required):
            return node
        count += 1
        return {**node, "required": list(dict.fromkeys(required))}

    _on_schemas(doc, fn)
    return count


def _fix_exclusive_bounds(doc: dict[str, Any]) -> int:
    """OpenAPI 3.0's ``minimum: X, exclusiveMinimum: true`` becomes 3.1's ``exclusiveMinimum:
    X`` (the same for maximum); a ``false`` one is dropped."""
    count = 0

    def fn(node: dict[str, Any]) -> Any:
        nonlocal count
        if not any(isinstance(node.get(f"exclusive{e}"), bool) for e in ("Minimum", "Maximum")):
            return node
        count += 1
        node = dict(node)
        for end in ("Minimum", "Maximum"):
            flag = node.get(f"exclusive{end}")
            if isinstance(flag, bool):
                del node[f"exclusive{end}"]
                if flag:
                    node[f"exclusive{end}"] = node.pop(end.lower())
        return node

    _on_schemas(doc, fn)
    return count


def _fix_parameter_types(doc: dict[str, Any]) -> int:
    """A query or path parameter's ``type: [T, "null"]`` made ``type: T``: a parameter is text
    on the wire (it cannot be null), and openapi-core reads a parameter's style from a single
    type only."""
    count = 0
    for item in doc["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", ()):
                schema = parameter.get("schema", {})
                kind = schema.get("type")
                if isinstance(kind, list):
                    schema["type"] = next(k for k in kind if k != "null")
                    count += 1
    return count


@dataclass(frozen=True)
class Fix:
    """A change making the derived document usable by openapi-spec-validator/openapi-core."""

    description: str
    apply: Callable[[dict[str, Any]], int]
    """Changes the document in place and returns how many nodes it changed (0 is an error)."""


#: version -> fixes, applied in order to the stripped subset. Each must change something, so a
#: fix that upstream made unnecessary is noticed.
FIXES: dict[str, tuple[Fix, ...]] = {
    "v1": (),
    "v2": (
        Fix(
            "nullable: true is an OpenAPI 3.0 keyword that 3.1 ignores; rewritten as "
            "type: [T, 'null'] (null appended to enum), or anyOf: [<schema>, {type: 'null'}] "
            "where there is no type (allOf: [X, {nullable: true}] becomes anyOf: "
            "[{allOf: [X]}, {type: 'null'}]); nullable: false dropped",
            _fix_nullable,
        ),
        Fix(
            "discriminator removed and the oneOf beside it turned into anyOf: the discriminators "
            "have no mapping and their values are not schema names, so validators following the "
            "implicit mapping reject valid bodies; some of the unions overlap (e.g. InputItem: "
            "EasyInputMessage and InputMessage), which oneOf would also reject",
            _fix_discriminators,
        ),
        Fix(
            "$recursiveRef: '#' (draft 2019-09, ignored under 2020-12) replaced by a $ref to the "
            "enclosing component, and its $recursiveAnchor removed (CompoundFilter)",
            _fix_recursive_ref,
        ),
        Fix(
            "default: null removed where the schema it sits on does not accept null "
            "(ChatCompletionStreamOptions.anyOf[0], ResponseStreamOptions.anyOf[0], "
            "ConversationParam); openapi-spec-validator rejects such defaults",
            _drop_default(
                None,
                "/components/schemas/ChatCompletionStreamOptions/anyOf/0",
                "/components/schemas/ResponseStreamOptions/anyOf/0",
                "/components/schemas/ConversationParam",
            ),
        ),
        Fix(
            "default: null removed where the schema it sits on does not accept null, in the "
            "Realtime sessions (their noise_reduction objects, a tracing configuration) and "
            "the beta Responses (BetaResponseStreamOptions.anyOf[0], BetaConversationParam); "
            "openapi-spec-validator rejects such defaults",
            _drop_default(
                None,
                "/components/schemas/BetaConversationParam",
                "/components/schemas/BetaResponseStreamOptions/anyOf/0",
                "/components/schemas/RealtimeSessionCreateRequestGA/properties/audio"
                "/properties/input/properties/noise_reduction",
                "/components/schemas/RealtimeSessionCreateResponseGA/properties/audio"
                "/properties/input/properties/noise_reduction",
                "/components/schemas/RealtimeSessionCreateResponseGA/properties/tracing/anyOf/0",
                "/components/schemas/RealtimeTranscriptionSessionCreateRequest/properties"
                "/input_audio_noise_reduction",
                "/components/schemas/RealtimeTranscriptionSessionCreateRequestGA/properties"
                "/audio/properties/input/properties/noise_reduction",
            ),
        ),
        Fix(
            "default: [] removed from TranscriptionInclude, a string enum (the default belongs "
            "to the include array); openapi-spec-validator rejects such defaults",
            _drop_default([], "/components/schemas/TranscriptionInclude"),
        ),
        Fix(
            "names a required list repeats dropped (ContainerResource lists id, name, "
            "created_at and status twice); openapi-spec-validator wants them unique",
            _fix_repeated_required,
        ),
        Fix(
            "exclusiveMinimum: true beside minimum (OpenAPI 3.0, the fine-tuning "
            "hyperparameters) rewritten as 3.1's exclusiveMinimum: <the minimum>; "
            "openapi-spec-validator rejects a boolean there",
            _fix_exclusive_bounds,
        ),
        Fix(
            "a query or path parameter's type: [T, 'null'] (the fine-tuning jobs list's "
            "deepObject metadata filter, the admin API's) made type: T: parameters are text "
            "(no JSON null), and openapi-core reads their style from one type only",
            _fix_parameter_types,
        ),
    ),
}


# --------------------------------------------------------------------------------------------
# Examples
# --------------------------------------------------------------------------------------------


def _response_schema_ref(operation: Mapping[str, Any]) -> str | None:
    """The component schema of the first 2xx application/json response, if it is a $ref."""
    for status in sorted(operation.get("responses", {})):
        if not str(status).startswith("2"):
            continue
        media = operation["responses"][status].get("content", {}).get("application/json", {})
        ref = media.get("schema", {}).get("$ref")
        if isinstance(ref, str):
            return _parse_ref(ref)[1]
    return None


def _operation_examples(operation: Mapping[str, Any]) -> list[dict[str, Any]]:
    examples = operation.get("x-oaiMeta", {}).get("examples")
    entries: list[Mapping[str, Any]]
    if isinstance(examples, dict):
        entries = [examples]
    elif isinstance(examples, list):
        entries = [e for e in examples if isinstance(e, dict)]
    else:
        entries = []
    out: list[dict[str, Any]] = []
    for entry in entries:
        kept = {
            k: entry[k] for k in ("response", "error_response") if isinstance(entry.get(k), str)
        }
        if kept:
            out.append({"title": entry.get("title"), **kept})
    return out


def _examples(
    spec: Mapping[str, Any],
    kept: list[tuple[str, str, Mapping[str, Any]]],
    schema_names: list[str],
) -> dict[str, Any]:
    operations: dict[str, Any] = {}
    for path, method, operation in kept:
        operations[operation["operationId"]] = {
            "method": method,
            "path": path,
            "response_schema": _response_schema_ref(operation),
            "examples": _operation_examples(operation),
        }
    schemas: dict[str, str] = {}
    for name in schema_names:
        meta = spec["components"]["schemas"][name].get("x-oaiMeta")
        if isinstance(meta, dict) and isinstance(meta.get("example"), str):
            schemas[name] = meta["example"]
    return {"operations": operations, "schemas": schemas}


# --------------------------------------------------------------------------------------------
# Putting it together
# --------------------------------------------------------------------------------------------


def dumps(doc: Any) -> str:
    """The stable serialisation used for every fixture file."""
    return json.dumps(doc, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def derive(
    version: str, spec_dir: Path, derived_on: str, *, every_operation: bool = False
) -> tuple[str, str]:
    """Return the text of the spec fixture and of the examples fixture for ``version``.

    ``every_operation`` keeps every operation of the spec instead of :data:`OPERATIONS`'s
    (``tools/gen_fake_spec.py``: the spec FakeOpenAI's generic mode serves).
    """
    source = SOURCES[version]
    spec_entry = _check_source_file(spec_dir, source.spec)
    provenance: dict[str, Any] = {
        "source": spec_entry,
        "date_derived": derived_on,
        "derived_by": "tests/conformance/derive_fixtures.py",
        "source_patches": list(source.source_patches),
        "patches": list(DERIVATION_PATCHES),
    }
    if source.upstream is not source.spec:
        provenance["source"]["derived_from"] = _check_source_file(spec_dir, source.upstream)
    spec = load_spec(spec_dir / source.spec.file)

    table = (
        tuple((path, (ALL_METHODS,)) for path in spec["paths"])
        if every_operation
        else OPERATIONS[version]
    )
    paths, kept = _select_paths(spec, table)
    provenance["operations"] = [
        {"method": method, "path": path, "operationId": op["operationId"]}
        for path, method, op in kept
    ]
    roots = list(_iter_refs(paths))
    if version in WEBHOOK_EVENT_VERSIONS:
        roots += sorted(set(_iter_refs(spec.get("webhooks", {}))))
    extra = [("schemas", name) for name in ALWAYS_INCLUDE_SCHEMAS]
    extra += [("securitySchemes", name) for name in sorted(_security_scheme_names(spec, paths))]
    components = _closure(spec, roots, extra)

    doc: dict[str, Any] = {
        "openapi": spec["openapi"],
        "info": strip(spec["info"]),
        "servers": strip(spec["servers"]),
        "paths": paths,
        "components": components,
        "x-provenance": provenance,
    }
    if "security" in spec:
        doc["security"] = strip(spec["security"])
    for fix in FIXES[version]:
        changed = fix.apply(doc)
        if not changed:
            raise DeriveError(f"{version}: fix changed nothing, remove it: {fix.description}")
        provenance["patches"].append(f"{fix.description} [{changed} node(s)]")
    examples = _examples(spec, kept, sorted(components.get("schemas", {})))
    examples["x-provenance"] = provenance
    return dumps(doc), dumps(examples)


def _existing_date(path: Path) -> str | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))["x-provenance"]["date_derived"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return value if isinstance(value, str) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "spec_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_SPEC_DIR,
        help="directory with OpenAI's spec files (relative paths are taken from the repository "
        "root; default: tests/conformance/spec)",
    )
    parser.add_argument("--out", type=Path, default=FIXTURES_DIR, help="output directory")
    args = parser.parse_args(argv)
    spec_dir: Path = args.spec_dir if args.spec_dir.is_absolute() else REPO_ROOT / args.spec_dir
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    try:
        _write_all(spec_dir, out_dir, today)
    except (DeriveError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _write_all(spec_dir: Path, out_dir: Path, today: str) -> None:
    for version in OPERATIONS:
        spec_path = out_dir / SPEC_FIXTURE_NAME.format(version=version)
        examples_path = out_dir / EXAMPLES_FIXTURE_NAME.format(version=version)
        texts: tuple[str, str] | None = None
        previous = _existing_date(spec_path)
        if previous is not None:
            # Keep the old date if, with it, nothing changes: re-running is then a no-op.
            texts = derive(version, spec_dir, previous)
            old = (
                spec_path.read_text(encoding="utf-8"),
                examples_path.read_text(encoding="utf-8") if examples_path.exists() else None,
            )
            if texts != old:
                texts = None
        if texts is None:
            texts = derive(version, spec_dir, today)
        for path, text in zip((spec_path, examples_path), texts, strict=True):
            path.write_text(text, encoding="utf-8")
            print(f"{path}: {len(text.encode()):,} bytes")


if __name__ == "__main__":
    sys.exit(main())
