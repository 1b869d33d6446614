"""The checked-in OpenAPI fixtures are valid, up to date, and the helpers can fail.

Every "rejects" test matters as much as its "accepts" twin: it proves that the validation used by
the conformance tests is able to report an error at all.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Final

import pytest
from openapi_spec_validator import validate as validate_spec

from . import derive_fixtures
from ._spec import (
    FIXTURES_DIR,
    VERSIONS,
    build_request,
    get_openapi,
    load_examples,
    load_fixture,
    request_errors,
    validate_request,
    validate_response,
    validate_schema,
)

#: OpenAI's spec, kept in the repository: the fixtures are checked against it on every run.
SPEC_DIR: Final = derive_fixtures.REPO_ROOT / derive_fixtures.DEFAULT_SPEC_DIR
AUTH: Final = {"Authorization": "Bearer sk-test", "Content-Type": "application/json"}

MODEL: Final = {"id": "gpt-4", "object": "model", "created": 1687882411, "owned_by": "openai"}
ERROR: Final = {
    "error": {"message": "x", "type": "invalid_request_error", "param": None, "code": None}
}
ASSISTANT_V1: Final = {
    "model": "gpt-4",
    "name": "Math Tutor",
    "instructions": "...",
    "tools": [{"type": "retrieval"}],
}


def _body(value: Any) -> bytes:
    return json.dumps(value).encode()


def _without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


# --------------------------------------------------------------------------------------------
# The fixture files
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_fixture_files_load_with_provenance(version: str) -> None:
    spec = load_fixture(version)
    examples = load_examples(version)
    provenance = spec["x-provenance"]
    assert examples["x-provenance"] == provenance
    source = provenance["source"]
    assert source["sha256_computed"] == source["sha256_recorded"]
    upstream = source.get("derived_from", source)
    assert upstream["repository"] == "openai/openai-openapi"
    assert len(upstream["commit"]) == 40
    assert provenance["patches"]
    assert spec["servers"] == [{"url": "https://api.openai.com/v1"}]
    assert "ErrorResponse" in spec["components"]["schemas"]
    assert spec["info"]["version"]


@pytest.mark.parametrize("version", VERSIONS)
def test_fixture_keeps_exactly_the_listed_operations(version: str) -> None:
    spec = load_fixture(version)
    listed = {(entry["method"], entry["path"]) for entry in spec["x-provenance"]["operations"]}
    present = {
        (method, path)
        for path, item in spec["paths"].items()
        for method in item
        if method not in ("parameters", "servers")
    }
    assert present == listed
    for path, methods in derive_fixtures.OPERATIONS[version]:
        for method in methods:
            if method != derive_fixtures.ALL_METHODS:
                assert (method, path) in present
    examples = load_examples(version)["operations"]
    assert {(o["method"], o["path"]) for o in examples.values()} == listed


def test_v2_fixture_has_delete_message_and_v1_does_not() -> None:
    path = "/threads/{thread_id}/messages/{message_id}"
    assert "delete" in load_fixture("v2")["paths"][path]
    assert "delete" not in load_fixture("v1")["paths"][path]


@pytest.mark.parametrize("version", VERSIONS)
def test_fixture_is_valid_openapi(version: str) -> None:
    # openapi-spec-validator takes about 5 s on the v2 fixture (OpenAPI 3.1 meta-schemas).
    validate_spec(dict(load_fixture(version)))


@pytest.mark.parametrize("version", VERSIONS)
def test_the_spec_the_fixtures_come_from_is_in_the_repository(version: str) -> None:
    """Missing or changed spec files fail here (and the derivation below): never a skip."""
    assert SPEC_DIR.is_relative_to(derive_fixtures.REPO_ROOT)
    source = derive_fixtures.SOURCES[version]
    notes = (SPEC_DIR / "SOURCE.md").read_text(encoding="utf-8")
    assert "MIT License" in (SPEC_DIR / "LICENSE").read_text(encoding="utf-8")
    for file in {source.spec, source.upstream}:
        path = SPEC_DIR / file.file
        assert path.is_file(), f"{path} is missing: the fixtures cannot be checked"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == file.sha256, path
        assert file.sha256 in notes, f"SOURCE.md does not describe {file.file}"


@pytest.mark.parametrize("version", VERSIONS)
def test_fixtures_match_a_fresh_derivation(version: str) -> None:
    spec_path = FIXTURES_DIR / derive_fixtures.SPEC_FIXTURE_NAME.format(version=version)
    examples_path = FIXTURES_DIR / derive_fixtures.EXAMPLES_FIXTURE_NAME.format(version=version)
    derived_on = load_fixture(version)["x-provenance"]["date_derived"]
    spec_text, examples_text = derive_fixtures.derive(version, SPEC_DIR, derived_on)
    hint = "fixtures are stale: run .venv/bin/python tests/conformance/derive_fixtures.py"
    assert spec_text.encode() == spec_path.read_bytes(), hint
    assert examples_text.encode() == examples_path.read_bytes(), hint


# --------------------------------------------------------------------------------------------
# Responses
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_retrieve_model_response_is_accepted(version: str) -> None:
    validate_response(version, "GET", "/v1/models/gpt-4", 200, {}, _body(MODEL))


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (_without(MODEL, "owned_by"), "'owned_by' is a required property"),
        ({**MODEL, "created": "1687882411"}, "$.created: '1687882411' is not of type 'integer'"),
    ],
)
def test_broken_retrieve_model_response_is_rejected(
    version: str, broken: dict[str, Any], expected: str
) -> None:
    with pytest.raises(AssertionError) as info:
        validate_response(version, "GET", "/v1/models/gpt-4", 200, {}, _body(broken))
    assert expected in str(info.value)


@pytest.mark.parametrize("version", VERSIONS)
def test_list_models_response(version: str) -> None:
    good = {"object": "list", "data": [MODEL]}
    validate_response(version, "GET", "/v1/models", 200, {}, _body(good))
    with pytest.raises(AssertionError, match=r"\$\.data\[0\]: 'id' is a required property"):
        validate_response(
            version, "GET", "/v1/models", 200, {}, _body({**good, "data": [_without(MODEL, "id")]})
        )
    with pytest.raises(AssertionError, match="'data' is a required property"):
        validate_response(version, "GET", "/v1/models", 200, {}, _body({"object": "list"}))


@pytest.mark.parametrize("version", VERSIONS)
def test_delete_model_response(version: str) -> None:
    good = {"id": "ft:gpt-4o-mini:acme:suffix:abc123", "object": "model", "deleted": True}
    url = "/v1/models/ft:gpt-4o-mini:acme:suffix:abc123"
    validate_response(version, "DELETE", url, 200, {}, _body(good))
    with pytest.raises(AssertionError, match=r"\$\.deleted: 'yes' is not of type 'boolean'"):
        validate_response(version, "DELETE", url, 200, {}, _body({**good, "deleted": "yes"}))


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("status", [400, 404, 500])
def test_error_response(version: str, status: int) -> None:
    validate_response(version, "GET", "/v1/models/nope", status, {}, _body(ERROR))
    broken = {"error": _without(ERROR["error"], "type")}
    with pytest.raises(AssertionError, match=r"\$\.error: 'type' is a required property"):
        validate_response(version, "GET", "/v1/models/nope", status, {}, _body(broken))
    with pytest.raises(AssertionError, match="'error' is a required property"):
        validate_response(version, "GET", "/v1/models/nope", status, {}, _body({"detail": "x"}))


def test_declared_429_keeps_its_definition_in_v2() -> None:
    # v2 declares 429 (ErrorResponse, optional integer Retry-After) on most operations.
    validate_response("v2", "GET", "/v1/assistants", 429, {"Retry-After": "2"}, _body(ERROR))
    with pytest.raises(AssertionError, match="Retry-After"):
        validate_response("v2", "GET", "/v1/assistants", 429, {"Retry-After": "soon"}, _body(ERROR))


@pytest.mark.parametrize("version", VERSIONS)
def test_undeclared_success_status_is_rejected(version: str) -> None:
    with pytest.raises(AssertionError, match="Unknown response http status: 201"):
        validate_response(version, "GET", "/v1/models/gpt-4", 201, {}, _body(MODEL))


@pytest.mark.parametrize("version", VERSIONS)
def test_wrong_content_type_is_rejected(version: str) -> None:
    with pytest.raises(AssertionError, match="MediaTypeNotFound"):
        validate_response(
            version, "GET", "/v1/models/gpt-4", 200, {}, _body(MODEL), content_type="text/plain"
        )


# --------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------


def test_create_assistant_v1_request_is_accepted() -> None:
    validate_request("v1", "POST", "/v1/assistants", AUTH, _body(ASSISTANT_V1))


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (_without(ASSISTANT_V1, "model"), "'model' is a required property"),
        ({**ASSISTANT_V1, "tools": [{"type": "bogus"}]}, "$.tools[0].type: 'bogus' is not one of"),
        ({**ASSISTANT_V1, "name": 42}, "$.name: 42 is not of type 'string'"),
        ({**ASSISTANT_V1, "unknown": 1}, "Additional properties are not allowed"),
    ],
)
def test_broken_create_assistant_v1_request_is_rejected(
    broken: dict[str, Any], expected: str
) -> None:
    with pytest.raises(AssertionError) as info:
        validate_request("v1", "POST", "/v1/assistants", AUTH, _body(broken))
    assert expected in str(info.value)


def test_v1_knows_retrieval_but_not_file_search() -> None:
    body = {**ASSISTANT_V1, "tools": [{"type": "file_search"}]}
    with pytest.raises(AssertionError, match="'file_search' is not one of"):
        validate_request("v1", "POST", "/v1/assistants", AUTH, _body(body))


def test_v2_rejects_retrieval_and_accepts_file_search() -> None:
    with pytest.raises(AssertionError, match=r"\$\.tools\[0\]\.type: 'retrieval' is not one of"):
        validate_request("v2", "POST", "/v1/assistants", AUTH, _body(ASSISTANT_V1))
    body = {**ASSISTANT_V1, "tools": [{"type": "file_search"}]}
    validate_request("v2", "POST", "/v1/assistants", AUTH, _body(body))


@pytest.mark.parametrize("version", VERSIONS)
def test_create_run_request_without_thread_id_in_body(version: str) -> None:
    # v1 upstream listed thread_id as required; the prism-fixed source drops it (SOURCE.md (b)).
    body = {"assistant_id": "asst_abc", "model": None, "tool_choice": None}
    validate_request(version, "POST", "/v1/threads/thread_abc/runs", AUTH, _body(body))
    with pytest.raises(AssertionError, match="'assistant_id' is a required property"):
        validate_request(version, "POST", "/v1/threads/thread_abc/runs", AUTH, _body({}))


@pytest.mark.parametrize("version", VERSIONS)
def test_request_needs_bearer_authorization(version: str) -> None:
    validate_request(version, "GET", "/v1/models", {"Authorization": "Bearer sk-test"})
    with pytest.raises(AssertionError, match="SecurityNotFound"):
        validate_request(version, "GET", "/v1/models", {})
    with pytest.raises(AssertionError, match="SecurityNotFound"):
        validate_request(version, "GET", "/v1/models", {"Authorization": "Basic abc"})


@pytest.mark.parametrize("version", VERSIONS)
def test_captured_url_is_mapped_onto_the_spec_server(version: str) -> None:
    url = "http://127.0.0.1:54321/v1/threads/thread_abc/messages?limit=20&order=desc"
    validate_request(version, "GET", url, {"authorization": "Bearer sk-test"})
    request = build_request("GET", url)
    assert request.full_url == "https://api.openai.com/v1/threads/thread_abc/messages"
    assert request.parameters.query["limit"] == "20"
    with pytest.raises(AssertionError, match="'sideways' is not one of"):
        validate_request(version, "GET", url.replace("desc", "sideways"), AUTH)
    with pytest.raises(AssertionError, match="Failed to cast value to integer"):
        validate_request(version, "GET", url.replace("20", "many"), AUTH)


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_operations_and_paths_are_reported(version: str) -> None:
    with pytest.raises(AssertionError, match="PathNotFound"):
        validate_request(version, "GET", "/v1/no/such/endpoint", AUTH)
    with pytest.raises(AssertionError, match="OperationNotFound"):
        validate_request(version, "PUT", "/v1/models", AUTH)
    with pytest.raises(AssertionError, match="does not start with '/v1'"):
        validate_request(version, "GET", "/models", AUTH)


def test_request_body_needs_a_json_content_type() -> None:
    headers = {"Authorization": "Bearer sk-test"}
    errors = request_errors("v1", build_request("POST", "/v1/assistants", headers, "{}"))
    assert any("MediaTypeNotFound" in repr(e.__cause__) for e in errors)


# --------------------------------------------------------------------------------------------
# Component schemas and caching
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_validate_schema(version: str) -> None:
    validate_schema(version, "Model", MODEL)
    with pytest.raises(AssertionError, match="'owned_by' is a required property"):
        validate_schema(version, "Model", _without(MODEL, "owned_by"))
    with pytest.raises(KeyError):
        validate_schema(version, "NoSuchSchema", {})


def test_v2_nullable_fields_accept_null() -> None:
    # The v2 document is OpenAPI 3.1 but upstream still writes 3.0 ``nullable: true``; the
    # fixture rewrites it, so RunObject timestamps may be null.
    examples = load_examples("v2")["schemas"]
    run = json.loads(examples["RunObject"])
    run.update(required_action=None, instructions="Be nice.", cancelled_at=None)
    validate_schema("v2", "RunObject", run)
    with pytest.raises(AssertionError, match=r"\$\.cancelled_at: 'never' is not of type"):
        validate_schema("v2", "RunObject", {**run, "cancelled_at": "never"})


def test_openapi_objects_are_cached() -> None:
    assert get_openapi("v1") is get_openapi("v1")
    assert get_openapi("v2") is not get_openapi("v1")
    with pytest.raises(ValueError, match="unknown spec version"):
        get_openapi("v3")


def test_fixture_dir_is_inside_the_repository() -> None:
    assert Path(FIXTURES_DIR).is_relative_to(derive_fixtures.REPO_ROOT)
