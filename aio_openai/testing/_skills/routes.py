"""The routes of the fake skills: ``/v1/skills``, their versions and zips."""

from __future__ import annotations

from aiohttp import web

from aio_openai.testing._checks import check_string, missing, wrong_type
from aio_openai.testing._forms import read_form
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._shapes import deleted, list_query
from aio_openai.testing._skills.bundle import Bundle, read_bundle
from aio_openai.testing._skills.state import SkillsState

__all__ = ["add_skills_routes"]


async def _upload(request: web.Request) -> tuple[Bundle, dict[str, object]]:
    """The bundle of a create request (multipart ``files`` or ``files[]``) and its fields."""
    if request.content_type != "multipart/form-data":
        await read_json_object(request)
        raise missing("files")
    form = await read_form(request, ("files",))
    return read_bundle(form.files.get("files", [])), form.fields


def _zip(data: bytes) -> web.Response:
    return web.Response(body=data, content_type="application/zip")


def add_skills_routes(router: web.UrlDispatcher, state: SkillsState) -> None:
    """Register the skill and skill version routes, serving ``state``."""

    async def create(request: web.Request) -> Answer:
        bundle, _ = await _upload(request)
        return state.create(bundle)

    async def retrieve(request: web.Request) -> Answer:
        return state.retrieve(request.match_info["skill_id"])

    async def update(request: web.Request) -> Answer:
        skill_id = request.match_info["skill_id"]
        state.retrieve(skill_id)  # 404 before reading the body
        body = await read_json_object(request, empty=False)
        check_string(body, "default_version", required=True, nullable=False)
        return state.set_default(skill_id, body["default_version"])

    async def list_skills(request: web.Request) -> Answer:
        return state.list_skills(list_query(request.query, before=False))

    async def delete(request: web.Request) -> Answer:
        skill_id = request.match_info["skill_id"]
        state.delete(skill_id)
        return deleted(skill_id, "skill.deleted")

    async def content(request: web.Request) -> Answer:
        return _zip(state.content(request.match_info["skill_id"]))

    async def create_version(request: web.Request) -> Answer:
        skill_id = request.match_info["skill_id"]
        state.retrieve(skill_id)  # 404 before reading the body
        bundle, fields = await _upload(request)
        default = fields.get("default", "false")
        if default not in ("true", "false"):
            raise wrong_type("default", "a boolean", default)
        return state.create_version(skill_id, bundle, default == "true")

    async def version(request: web.Request) -> Answer:
        ids = request.match_info
        return state.version(ids["skill_id"], ids["version"])

    async def list_versions(request: web.Request) -> Answer:
        query = list_query(request.query, before=False)
        return state.list_versions(request.match_info["skill_id"], query)

    async def delete_version(request: web.Request) -> Answer:
        ids = request.match_info
        record = state.delete_version(ids["skill_id"], ids["version"])
        return {**deleted(record["id"], "skill.version.deleted"), "version": record["version"]}

    async def version_content(request: web.Request) -> Answer:
        ids = request.match_info
        return _zip(state.content(ids["skill_id"], ids["version"]))

    one = "/v1/skills/{skill_id}"
    version_path = one + "/versions/{version}"
    router.add_post("/v1/skills", api_route(create))
    router.add_get("/v1/skills", api_route(list_skills), allow_head=False)
    router.add_get(one, api_route(retrieve), allow_head=False)
    router.add_post(one, api_route(update))
    router.add_delete(one, api_route(delete))
    router.add_get(one + "/content", api_route(content), allow_head=False)
    router.add_post(one + "/versions", api_route(create_version))
    router.add_get(one + "/versions", api_route(list_versions), allow_head=False)
    router.add_get(version_path, api_route(version), allow_head=False)
    router.add_delete(version_path, api_route(delete_version))
    router.add_get(version_path + "/content", api_route(version_content), allow_head=False)
