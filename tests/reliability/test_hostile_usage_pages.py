"""The usage pager against a server whose pages do not lead on: a walk always ends."""

from __future__ import annotations

from aiohttp import web

from aio_openai import AsyncOpenAI, PaginationError

from ._servers import app_server


async def test_a_repeated_next_page_ends_the_walk_with_a_pagination_error(clean_env: None) -> None:
    asked: list[str | None] = []

    async def usage(request: web.Request) -> web.Response:
        asked.append(request.query.get("page"))
        bucket = {"object": "bucket", "start_time": 0, "end_time": 60, "results": []}
        page = {"object": "page", "data": [bucket], "has_more": True, "next_page": "same"}
        return web.json_response(page)

    app = web.Application()
    app.router.add_get("/v1/organization/usage/images", usage)
    async with app_server(app) as url, AsyncOpenAI(admin_api_key="sk-admin-x", base_url=url) as c:
        walk = c.admin.organization.usage.iter_buckets("images", start_time=0)
        buckets = []
        try:
            async for bucket in walk:
                buckets.append(bucket)
        except PaginationError as exc:
            assert "again" in str(exc)
        else:
            raise AssertionError("the walk did not end with PaginationError")
    assert asked == [None, "same"]
    assert len(buckets) == 2
