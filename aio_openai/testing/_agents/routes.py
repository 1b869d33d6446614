"""The routes of the fake Agents API: ``/v1/agents/...`` and ``/v1/vaults/...``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from aio_openai.testing._agents.state import AgentsState, Table
from aio_openai.testing._checks import (
    APIError,
    check_metadata,
    check_string,
    invalid_value,
    missing,
    wrong_type,
)
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._shapes import deleted, list_query

__all__ = ["add_agents_routes"]


def _require(body: Mapping[str, Any], *keys: str) -> None:
    for key in keys:
        if body.get(key) is None:
            raise missing(key)


def _check_path(body: Mapping[str, Any]) -> None:
    check_string(body, "path", required=True, nullable=False)
    path = body["path"]
    if not path.startswith("/workspace/") or "/../" in path + "/" or "//" in path:
        raise APIError(
            400, f"Invalid 'path': {path!r} is not a file path under /workspace.", param="path"
        )


def _check_automation(body: Mapping[str, Any], create: bool) -> None:
    if create:
        _require(body, "name", "target", "type")
        if body["type"] not in ("periodic", "once"):
            raise invalid_value("type", body["type"], ("periodic", "once"))
        if body["type"] == "periodic":
            _require(body, "expression")
        else:
            _require(body, "run_at")
    target = body.get("target")
    if target is not None:
        if not isinstance(target, dict):
            raise wrong_type("target", "an object", target)
        kinds = ("new_session", "existing_session")
        if target.get("type") not in kinds:
            raise invalid_value("target.type", target.get("type"), kinds)
    if "run_at" in body and not isinstance(body["run_at"], int):
        raise wrong_type("run_at", "an integer", body["run_at"])
    check_metadata(body)


def add_agents_routes(router: web.UrlDispatcher, state: AgentsState) -> None:
    """Register the Agents API's routes, serving ``state``."""

    def listing(table: Table, request: web.Request, keep: Any = None) -> Answer:
        return state.list(table, list_query(request.query, before=False), keep)

    # agents
    async def create_agent(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_string(body, "model", required=True, nullable=False, min_length=1)
        check_metadata(body)
        return state.create_agent(body)

    async def update_agent(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_metadata(body)
        return state.update(state.agents, request.match_info["agent_id"], body)

    async def delete_agent(request: web.Request) -> Answer:
        state.delete(state.agents, request.match_info["agent_id"])
        return deleted(request.match_info["agent_id"], "agent.deleted")

    # automations
    async def create_automation(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        _check_automation(body, create=True)
        return state.create_automation(body)

    async def update_automation(request: web.Request) -> Answer:
        body = await read_json_object(request)
        _check_automation(body, create=False)
        return state.update(state.automations, request.match_info["automation_id"], body)

    async def delete_automation(request: web.Request) -> Answer:
        state.delete(state.automations, request.match_info["automation_id"])
        return deleted(request.match_info["automation_id"], "agent.automation.deleted")

    async def list_automations(request: web.Request) -> Answer:
        session = request.query.get("session_id")
        return listing(
            state.automations,
            request,
            None if session is None else lambda r: r["target"].get("session_id") == session,
        )

    async def pause(request: web.Request) -> Answer:
        return state.set_status(request.match_info["automation_id"], "paused")

    async def resume(request: web.Request) -> Answer:
        return state.set_status(request.match_info["automation_id"], "active")

    async def invoke(request: web.Request) -> Answer:
        return state.invoke(request.match_info["automation_id"])

    async def list_invocations(request: web.Request) -> Answer:
        return listing(state.invocation_table(request.match_info["automation_id"]), request)

    async def retrieve_invocation(request: web.Request) -> Answer:
        table = state.invocation_table(request.match_info["automation_id"])
        return state.retrieve(table, request.match_info["invocation_id"])

    # vaults and credentials
    async def create_vault(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_string(body, "name")
        check_metadata(body)
        return state.create_vault(body)

    async def update_vault(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_string(body, "name")
        check_metadata(body)
        return state.update(state.vaults, request.match_info["vault_id"], body)

    async def delete_vault(request: web.Request) -> Answer:
        state.delete(state.vaults, request.match_info["vault_id"])
        return deleted(request.match_info["vault_id"], "vault.deleted")

    def by_metadata(request: web.Request) -> Any:
        wanted = {
            k[len("metadata[") : -1]: v
            for k, v in request.query.items()
            if k.startswith("metadata[") and k.endswith("]")
        }
        if not wanted:
            return None
        return lambda r: all(r["metadata"].get(k) == v for k, v in wanted.items())

    async def list_vaults(request: web.Request) -> Answer:
        return listing(state.vaults, request, by_metadata(request))

    async def create_credential(request: web.Request) -> Answer:
        vault_id = request.match_info["vault_id"]
        state.credential_table(vault_id)  # 404 before reading the body
        body = await read_json_object(request, empty=False)
        check_string(body, "name", required=True, nullable=False)
        _require(body, "auth")
        kinds = ("mcp_oauth", "static_bearer", "environment_variable")
        if not isinstance(body["auth"], dict) or body["auth"].get("type") not in kinds:
            raise invalid_value("auth.type", str(body["auth"]), kinds)
        check_metadata(body)
        return state.create_credential(vault_id, body)

    async def retrieve_credential(request: web.Request) -> Answer:
        table = state.credential_table(request.match_info["vault_id"])
        return state.retrieve(table, request.match_info["credential_id"])

    async def update_credential(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_metadata(body)
        ids = request.match_info
        return state.update_credential(ids["vault_id"], ids["credential_id"], body)

    async def list_credentials(request: web.Request) -> Answer:
        table = state.credential_table(request.match_info["vault_id"])
        return listing(table, request, by_metadata(request))

    async def delete_credential(request: web.Request) -> Answer:
        ids = request.match_info
        state.delete(state.credential_table(ids["vault_id"]), ids["credential_id"])
        return deleted(ids["credential_id"], "vault.credential.deleted")

    # environments, their files, templates
    async def create_environment(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        _require(body, "environment")
        environment = body["environment"]
        if not isinstance(environment, dict):
            raise wrong_type("environment", "an object", environment)
        if environment.get("type") != "openai_hosted":
            raise invalid_value("environment.type", environment.get("type"), ("openai_hosted",))
        return state.create_environment(body)

    async def list_environments(request: web.Request) -> Answer:
        return listing(state.environments, request)

    async def write_file(request: web.Request) -> Answer:
        environment_id = request.match_info["environment_id"]
        state.retrieve(state.environments, environment_id)  # 404 before reading the body
        body = await read_json_object(request, empty=False)
        _check_path(body)
        if body.get("type") not in ("file_id", "inline"):
            raise invalid_value("type", body.get("type"), ("file_id", "inline"))
        _require(body, "file_id" if body["type"] == "file_id" else "data")
        return state.write_file(environment_id, body)

    async def list_files(request: web.Request) -> Answer:
        query = list_query({k: v for k, v in request.query.items() if k != "order"})
        order = request.query.get("order", "asc")
        if order not in ("asc", "desc"):
            raise invalid_value("order", order, ("asc", "desc"))
        return state.list_files(
            request.match_info["environment_id"],
            query.limit,
            order == "desc",
            request.query.get("page"),
            request.query.get("path"),
        )

    async def create_template(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_string(body, "name")
        return state.create_template(body)

    async def update_template(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_string(body, "name")
        template_id = request.match_info["environment_template_id"]
        return state.update_template(template_id, body)

    async def delete_template(request: web.Request) -> Answer:
        template_id = request.match_info["environment_template_id"]
        state.delete(state.templates, template_id)
        return deleted(template_id, "agent.environment.template.deleted")

    async def list_templates(request: web.Request) -> Answer:
        return listing(state.templates, request)

    async def list_agents(request: web.Request) -> Answer:
        return listing(state.agents, request)

    def one(table: Table, key: str) -> Any:
        async def retrieve(request: web.Request) -> Answer:
            return state.retrieve(table, request.match_info[key])

        return api_route(retrieve)

    def get(path: str, handler: Any) -> None:
        router.add_get(path, handler, allow_head=False)

    def objects(collection: str, key: str, table: Table, *routes: Any) -> str:
        """The five routes of a collection (create, list, retrieve, update, delete); the
        path of one of its objects."""
        create, list_all, update, delete = (api_route(r) for r in routes)
        path = f"{collection}/{{{key}}}"
        router.add_post(collection, create)
        get(collection, list_all)
        get(path, one(table, key))
        router.add_post(path, update)
        router.add_delete(path, delete)
        return path

    # the fixed paths first: /v1/agents/automations is not an agent's id
    automation = objects(
        "/v1/agents/automations",
        "automation_id",
        state.automations,
        create_automation,
        list_automations,
        update_automation,
        delete_automation,
    )
    router.add_post(automation + "/pause", api_route(pause))
    router.add_post(automation + "/resume", api_route(resume))
    router.add_post(automation + "/invocations", api_route(invoke))
    get(automation + "/invocations", api_route(list_invocations))
    get(automation + "/invocations/{invocation_id}", api_route(retrieve_invocation))
    objects(
        "/v1/agents/environments/templates",
        "environment_template_id",
        state.templates,
        create_template,
        list_templates,
        update_template,
        delete_template,
    )
    environment = "/v1/agents/environments/{environment_id}"
    router.add_post("/v1/agents/environments", api_route(create_environment))
    get("/v1/agents/environments", api_route(list_environments))
    get(environment, one(state.environments, "environment_id"))
    router.add_post(environment + "/files", api_route(write_file))
    get(environment + "/files", api_route(list_files))
    objects(
        "/v1/agents",
        "agent_id",
        state.agents,
        create_agent,
        list_agents,
        update_agent,
        delete_agent,
    )
    vault = objects(
        "/v1/vaults",
        "vault_id",
        state.vaults,
        create_vault,
        list_vaults,
        update_vault,
        delete_vault,
    )
    credentials = vault + "/credentials"
    credential = credentials + "/{credential_id}"
    router.add_post(credentials, api_route(create_credential))
    get(credentials, api_route(list_credentials))
    get(credential, api_route(retrieve_credential))
    router.add_post(credential, api_route(update_credential))
    router.add_delete(credential, api_route(delete_credential))
