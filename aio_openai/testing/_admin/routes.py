"""The routes of the fake admin API: ``/v1/organization/...`` (projects, users, invites,
service accounts, project and admin API keys, usage and costs). Every one answers 401
unless the request carries an admin key."""

from __future__ import annotations

from aiohttp import web

from aio_openai.testing._admin.checks import (
    NOT_ADMIN,
    check_admin_key_create,
    check_invite,
    check_org_user_update,
    check_project,
    check_project_key_update,
    check_project_user,
    check_service_account,
)
from aio_openai.testing._admin.state import AdminState
from aio_openai.testing._admin.usage import KINDS
from aio_openai.testing._http import Answer, Route, api_route, bearer_key, read_json_object
from aio_openai.testing._shapes import list_query

__all__ = ["add_admin_routes"]


def add_admin_routes(router: web.UrlDispatcher, state: AdminState) -> None:
    """Register the admin routes, serving ``state`` to admin keys only."""

    def admin(route: Route) -> Route:
        async def checked(request: web.Request) -> Answer:
            if not state.is_admin_key(bearer_key(request)):
                raise NOT_ADMIN
            return await route(request)

        return checked

    def add(method: str, path: str, route: Route) -> None:
        router.add_route(method, "/v1/organization" + path, api_route(admin(route)))

    def ids(request: web.Request, first: str, second: str) -> tuple[str, str]:
        return request.match_info[first], request.match_info[second]

    # -- projects
    async def create_project(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_project(body, create=True)
        return state.create_project(body)

    async def list_projects(request: web.Request) -> Answer:
        archived = request.query.get("include_archived", "false") == "true"
        return state.list_projects(list_query(request.query, before=False), archived)

    async def retrieve_project(request: web.Request) -> Answer:
        return state.project(request.match_info["project_id"])

    async def update_project(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_project(body, create=False)
        return state.update_project(request.match_info["project_id"], body)

    async def archive_project(request: web.Request) -> Answer:
        return state.archive_project(request.match_info["project_id"])

    project = "/projects/{project_id}"
    add("POST", "/projects", create_project)
    add("GET", "/projects", list_projects)
    add("GET", project, retrieve_project)
    add("POST", project, update_project)
    add("POST", project + "/archive", archive_project)

    # -- users of the organization
    async def list_users(request: web.Request) -> Answer:
        query = request.query
        emails = [*query.getall("emails[]", []), *query.getall("emails", [])]
        return state.list_users(list_query(query, before=False), emails)

    async def retrieve_user(request: web.Request) -> Answer:
        return state.user(request.match_info["user_id"])

    async def update_user(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_org_user_update(body)
        return state.update_user(request.match_info["user_id"], body)

    async def delete_user(request: web.Request) -> Answer:
        return state.delete_user(request.match_info["user_id"])

    add("GET", "/users", list_users)
    add("GET", "/users/{user_id}", retrieve_user)
    add("POST", "/users/{user_id}", update_user)
    add("DELETE", "/users/{user_id}", delete_user)

    # -- users of a project
    async def add_project_user(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_project_user(body, create=True)
        return state.add_project_user(request.match_info["project_id"], body)

    async def list_project_users(request: web.Request) -> Answer:
        query = list_query(request.query, before=False)
        return state.list_project_users(request.match_info["project_id"], query)

    async def retrieve_project_user(request: web.Request) -> Answer:
        return state.project_user(*ids(request, "project_id", "user_id"))

    async def update_project_user(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_project_user(body, create=False)
        return state.update_project_user(*ids(request, "project_id", "user_id"), body["role"])

    async def remove_project_user(request: web.Request) -> Answer:
        return state.remove_project_user(*ids(request, "project_id", "user_id"))

    member = project + "/users/{user_id}"
    add("POST", project + "/users", add_project_user)
    add("GET", project + "/users", list_project_users)
    add("GET", member, retrieve_project_user)
    add("POST", member, update_project_user)
    add("DELETE", member, remove_project_user)

    # -- invites
    async def create_invite(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_invite(body)
        return state.invite(body)

    async def list_invites(request: web.Request) -> Answer:
        return state.list_invites(list_query(request.query, before=False))

    async def retrieve_invite(request: web.Request) -> Answer:
        return state.retrieve_invite(request.match_info["invite_id"])

    async def delete_invite(request: web.Request) -> Answer:
        return state.delete_invite(request.match_info["invite_id"])

    add("POST", "/invites", create_invite)
    add("GET", "/invites", list_invites)
    add("GET", "/invites/{invite_id}", retrieve_invite)
    add("DELETE", "/invites/{invite_id}", delete_invite)

    # -- service accounts, and the project keys they own
    async def create_account(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_service_account(body, create=True)
        return state.create_service_account(request.match_info["project_id"], body)

    async def list_accounts(request: web.Request) -> Answer:
        query = list_query(request.query, before=False)
        return state.list_service_accounts(request.match_info["project_id"], query)

    async def retrieve_account(request: web.Request) -> Answer:
        return state.service_account(*ids(request, "project_id", "service_account_id"))

    async def update_account(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_service_account(body, create=False)
        return state.update_service_account(*ids(request, "project_id", "service_account_id"), body)

    async def delete_account(request: web.Request) -> Answer:
        return state.delete_service_account(*ids(request, "project_id", "service_account_id"))

    async def create_account_key(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_service_account(body, create=False)
        return state.create_account_key(*ids(request, "project_id", "service_account_id"), body)

    account = project + "/service_accounts/{service_account_id}"
    add("POST", project + "/service_accounts", create_account)
    add("GET", project + "/service_accounts", list_accounts)
    add("GET", account, retrieve_account)
    add("POST", account, update_account)
    add("DELETE", account, delete_account)
    add("POST", account + "/api_keys", create_account_key)

    async def list_keys(request: web.Request) -> Answer:
        query = list_query(request.query, before=False)
        return state.list_project_keys(request.match_info["project_id"], query)

    async def retrieve_key(request: web.Request) -> Answer:
        return state.project_key(*ids(request, "project_id", "api_key_id"))

    async def update_key(request: web.Request) -> Answer:
        body = await read_json_object(request)
        check_project_key_update(body)
        return state.update_project_key(*ids(request, "project_id", "api_key_id"), body)

    async def delete_key(request: web.Request) -> Answer:
        return state.delete_project_key(*ids(request, "project_id", "api_key_id"))

    key = project + "/api_keys/{api_key_id}"
    add("GET", project + "/api_keys", list_keys)
    add("GET", key, retrieve_key)
    add("POST", key, update_key)
    add("DELETE", key, delete_key)

    # -- admin API keys
    async def create_admin_key(request: web.Request) -> Answer:
        body = await read_json_object(request, empty=False)
        check_admin_key_create(body)
        return state.create_admin_key(body)

    async def list_admin_keys(request: web.Request) -> Answer:
        return state.list_admin_keys(list_query(request.query))

    async def retrieve_admin_key(request: web.Request) -> Answer:
        return state.admin_key(request.match_info["key_id"])

    async def delete_admin_key(request: web.Request) -> Answer:
        return state.delete_admin_key(request.match_info["key_id"])

    add("POST", "/admin_api_keys", create_admin_key)
    add("GET", "/admin_api_keys", list_admin_keys)
    add("GET", "/admin_api_keys/{key_id}", retrieve_admin_key)
    add("DELETE", "/admin_api_keys/{key_id}", delete_admin_key)

    # -- usage and costs
    def usage_route(kind: str) -> Route:
        async def usage(request: web.Request) -> Answer:
            return state.usage(kind, request.query)

        return usage

    for kind in KINDS:
        add("GET", "/usage/" + kind, usage_route(kind))

    async def costs(request: web.Request) -> Answer:
        return state.costs(request.query)

    add("GET", "/costs", costs)
