"""The versions of a skill: ``/skills/{skill_id}/versions``, each an immutable upload,
numbered from 1, and the zip of each (``content``)."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._resource import APIResource
from ...._types import RequestOptions
from ....types.skills.deleted_skill_version import DeletedSkillVersion
from ....types.skills.skill_version import SkillVersion
from ....types.skills.version_create_params import VersionCreateParams
from ....types.skills.version_list_params import VersionListParams
from .content import Content

__all__ = ["Content", "Versions"]


class _CreateArgs(VersionCreateParams, RequestOptions, total=False): ...


class _ListArgs(VersionListParams, RequestOptions, total=False): ...


class Versions(APIResource):
    """``client.skills.versions``: create, retrieve, list, delete, and ``content``."""

    __slots__ = ()

    @property
    def content(self) -> Content:
        """The zip of a version: retrieve."""
        return Content(self._client, raw=self._raw)

    @endpoint("POST", "/skills/{skill_id}/versions", _CreateArgs, files=("files",))
    async def create(self, skill_id: str, **params: Unpack[_CreateArgs]) -> SkillVersion:
        """Upload a new version of a skill (``files`` as for ``skills.create``), its number
        one past the latest; ``default=True`` makes it the default. Raises NotFoundError for
        an unknown skill, BadRequestError for a bundle OpenAI refuses."""
        return await self._call(Versions.create, SkillVersion, params, skill_id=skill_id)

    @endpoint("GET", "/skills/{skill_id}/versions/{version}")
    async def retrieve(
        self, version: str, *, skill_id: str, **options: Unpack[RequestOptions]
    ) -> SkillVersion:
        """Retrieve a version (``"1"``, ``"2"``, ...) of a skill. Raises NotFoundError for
        an unknown skill or version."""
        return await self._call(
            Versions.retrieve, SkillVersion, options, skill_id=skill_id, version=version
        )

    @endpoint("GET", "/skills/{skill_id}/versions", _ListArgs)
    def list(
        self, skill_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[SkillVersion, AsyncCursorPage[SkillVersion]]:
        """The versions of a skill, by number, newest first (``order="asc"`` for oldest
        first): ``await`` it for the first page, ``async for`` every one."""
        return self._list(Versions.list, SkillVersion, params, skill_id=skill_id)

    @endpoint("DELETE", "/skills/{skill_id}/versions/{version}")
    async def delete(
        self, version: str, *, skill_id: str, **options: Unpack[RequestOptions]
    ) -> DeletedSkillVersion:
        """Delete a version of a skill (not its default one: BadRequestError). Raises
        NotFoundError for an unknown skill or version."""
        return await self._call(
            Versions.delete, DeletedSkillVersion, options, skill_id=skill_id, version=version
        )
