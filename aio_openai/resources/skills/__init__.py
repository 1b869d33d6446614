"""The Skills API: ``/skills``, bundles of instructions and files (a ``SKILL.md`` and what
it uses) that a model loads when a task needs them; each upload is an immutable version
(``versions``), and ``content`` downloads one as a zip."""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.deleted_skill import DeletedSkill
from ...types.skill import Skill
from ...types.skill_create_params import SkillCreateParams
from ...types.skill_list_params import SkillListParams
from ...types.skill_update_params import SkillUpdateParams
from .content import Content
from .versions import Versions

__all__ = ["Content", "Skills", "Versions"]


class _CreateArgs(SkillCreateParams, RequestOptions, total=False): ...


class _UpdateArgs(SkillUpdateParams, RequestOptions, total=False): ...


class _ListArgs(SkillListParams, RequestOptions, total=False): ...


class Skills(APIResource):
    """``client.skills``: create, retrieve, update, list, delete, ``content``, ``versions``."""

    __slots__ = ()

    @property
    def content(self) -> Content:
        """The zip of a skill's default version: retrieve."""
        return Content(self._client, raw=self._raw)

    @property
    def versions(self) -> Versions:
        """The versions of a skill: create, retrieve, list, delete, ``content``."""
        return Versions(self._client, raw=self._raw)

    @endpoint("POST", "/skills", _CreateArgs, files=("files",))
    async def create(self, **params: Unpack[_CreateArgs]) -> Skill:
        """Upload a skill, its version 1: ``files`` is one zip file, or the files of its
        directory (a list; a ``SKILL.md`` among them), each bytes, a path, an open file or a
        ``(filename, content, type)`` tuple, streamed as ``multipart/form-data``. The skill's
        name and description come from the ``SKILL.md``. Raises BadRequestError for a
        bundle OpenAI refuses."""
        return await self._call(Skills.create, Skill, params)

    @endpoint("GET", "/skills/{skill_id}")
    async def retrieve(self, skill_id: str, **options: Unpack[RequestOptions]) -> Skill:
        """Retrieve a skill. Raises NotFoundError when there is no such skill."""
        return await self._call(Skills.retrieve, Skill, options, skill_id=skill_id)

    @endpoint("POST", "/skills/{skill_id}", _UpdateArgs)
    async def update(self, skill_id: str, **params: Unpack[_UpdateArgs]) -> Skill:
        """Make version ``default_version`` the skill's default; return the skill. Raises
        NotFoundError for an unknown skill, BadRequestError for an unknown version."""
        return await self._call(Skills.update, Skill, params, skill_id=skill_id)

    @endpoint("GET", "/skills", _ListArgs)
    def list(self, **params: Unpack[_ListArgs]) -> AsyncPaginator[Skill, AsyncCursorPage[Skill]]:
        """The skills, newest first (``order="asc"`` for oldest first): ``await`` it for
        the first page, ``async for`` every one."""
        return self._list(Skills.list, Skill, params)

    @endpoint("DELETE", "/skills/{skill_id}")
    async def delete(self, skill_id: str, **options: Unpack[RequestOptions]) -> DeletedSkill:
        """Delete a skill and its versions. Raises NotFoundError for an unknown skill."""
        return await self._call(Skills.delete, DeletedSkill, options, skill_id=skill_id)
