"""Hosted environments (beta): ``/agents/environments``, where agent sessions run, the
files put in them (``files``) and reusable ``templates``.

``files.prepare`` / ``prepare_directory`` upload local files to the Files API for a new
environment, ``files.upload`` uploads one and puts it in an existing environment: at most
``max_concurrency`` uploads at a time, each streamed from its path and retried on its own;
what was uploaded before a failure is never lost (the error carries it).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Literal, Required, Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator, AsyncTokenPage
from ...._types import RequestOptions
from ....lib.beta.agents._files import (
    AgentFilePreparationError,
    AgentFileStagingError,
    PreparedAgentFiles,
    StagedAgentFile,
    check_destination,
    check_selection,
    select_directory,
)
from ....types._param_types import FileTypes
from ....types.beta.agents.environment_create_params import EnvironmentCreateParams
from ....types.beta.agents.environment_info import EnvironmentInfo
from ....types.beta.agents.environment_list_params import EnvironmentListParams
from ....types.beta.agents.environments.environment_file import EnvironmentFile
from ....types.beta.agents.environments.environment_template import EnvironmentTemplate
from ....types.beta.agents.environments.environment_template_deleted import (
    EnvironmentTemplateDeleted,
)
from ....types.beta.agents.environments.file_list_params import FileListParams
from ....types.beta.agents.environments.template_create_params import TemplateCreateParams
from ....types.beta.agents.environments.template_list_params import TemplateListParams
from ....types.beta.agents.environments.template_update_params import TemplateUpdateParams
from ...files import Files as FilesAPI
from ._base import AgentsResource

__all__ = ["DEFAULT_CONCURRENCY", "Environments", "Files", "Templates"]

#: Uploads ``prepare`` and ``prepare_directory`` send at once when not told.
DEFAULT_CONCURRENCY = 5


class _CreateArgs(EnvironmentCreateParams, RequestOptions, total=False): ...


class _ListArgs(EnvironmentListParams, RequestOptions, total=False): ...


class _CreateFileArgs(RequestOptions, total=False):
    """The keywords of ``files.create``: a file of the Files API (``type="file_id"``,
    ``file_id``) or inline bytes (``type="inline"``, ``data`` in base64), at ``path``."""

    path: Required[str]
    type: Required[Literal["file_id"] | Literal["inline"]]
    file_id: str
    data: str


class _ListFilesArgs(FileListParams, RequestOptions, total=False): ...


class _CreateTemplateArgs(TemplateCreateParams, RequestOptions, total=False): ...


class _UpdateTemplateArgs(TemplateUpdateParams, RequestOptions, total=False): ...


class _ListTemplatesArgs(TemplateListParams, RequestOptions, total=False): ...


class Environments(AgentsResource):
    """``client.beta.agents.environments``: create, retrieve, list, and ``files``,
    ``templates``."""

    __slots__ = ()

    @property
    def files(self) -> Files:
        """The files of an environment: create, list, and the upload helpers."""
        return Files(self._client, raw=self._raw)

    @property
    def templates(self) -> Templates:
        """Reusable environment templates: create, retrieve, update, list, delete."""
        return Templates(self._client, raw=self._raw)

    @endpoint("POST", "/agents/environments", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> EnvironmentInfo:
        """Create a hosted environment from ``environment`` (``type="openai_hosted"``, its
        files, packages, network policy, template...) with the vaults ``vault_ids``
        (``idempotency_key`` is the ``Idempotency-Key`` header, as on every POST). Returns
        it."""
        return await self._call(Environments.create, EnvironmentInfo, params)

    @endpoint("GET", "/agents/environments/{environment_id}")
    async def retrieve(
        self, environment_id: str, **options: Unpack[RequestOptions]
    ) -> EnvironmentInfo:
        """Retrieve an environment (its status, files, plugins, skills). Raises
        NotFoundError for an unknown one."""
        return await self._call(
            Environments.retrieve, EnvironmentInfo, options, environment_id=environment_id
        )

    @endpoint("GET", "/agents/environments", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[EnvironmentInfo, AsyncCursorPage[EnvironmentInfo]]:
        """The environments, newest first (``order="asc"`` for oldest first): ``await``
        it for the first page, ``async for`` every one."""
        return self._list(Environments.list, EnvironmentInfo, params)


class Files(AgentsResource):
    """``client.beta.agents.environments.files``: create, list, and the helpers prepare,
    prepare_directory, upload."""

    __slots__ = ()

    @endpoint("POST", "/agents/environments/{environment_id}/files", _CreateFileArgs)
    async def create(
        self, environment_id: str, **params: Unpack[_CreateFileArgs]
    ) -> EnvironmentFile:
        """Write a file at ``path`` (under ``/workspace``) in an environment, replacing one
        there: a Files API file (``type="file_id"``, ``file_id``) or base64 bytes
        (``type="inline"``, ``data``). Returns it; NotFoundError for an unknown
        environment or file, BadRequestError for a bad path."""
        return await self._call(
            Files.create, EnvironmentFile, params, environment_id=environment_id
        )

    @endpoint("GET", "/agents/environments/{environment_id}/files", _ListFilesArgs)
    def list(
        self, environment_id: str, **params: Unpack[_ListFilesArgs]
    ) -> AsyncPaginator[EnvironmentFile, AsyncTokenPage[EnvironmentFile]]:
        """The files of an environment by path (``order="desc"`` for reverse order), those
        at or under ``path`` only if given: ``await`` it for the first page (pages are
        asked for by the token ``next``), ``async for`` every file."""
        return self._pages(
            Files.list,
            EnvironmentFile,
            params,
            {"environment_id": environment_id},
            page=AsyncTokenPage,
        )

    # -- helpers -----------------------------------------------------------------------------

    async def prepare(
        self,
        files: Mapping[str, str | os.PathLike[str]],
        *,
        max_concurrency: int = DEFAULT_CONCURRENCY,
        **options: Unpack[RequestOptions],
    ) -> PreparedAgentFiles:
        """Upload local files for a new environment: ``files`` maps each destination (an
        absolute path under ``/workspace``) to a local path. Each goes to the Files API
        (purpose ``user_data``), at most ``max_concurrency`` at a time; returns the
        ``files`` entries to create the environment (or a template) with, in the order
        given, and the uploads' ids (the caller's to delete later).

        Every destination and source is checked before anything is sent (ValueError). If
        an upload fails for good, no new one starts, those running finish, and
        AgentFilePreparationError is raised with ``.prepared`` holding every upload that
        succeeded (the failure as its ``__cause__``); cancelled, the CancelledError carries
        the same ``.prepared``, as the SDK's does.
        """
        selected = await asyncio.to_thread(check_selection, files)
        return await self._prepare(selected, max_concurrency, options)

    async def prepare_directory(
        self,
        root: str | os.PathLike[str],
        *,
        destination: str,
        include: Sequence[str],
        max_concurrency: int = DEFAULT_CONCURRENCY,
        **options: Unpack[RequestOptions],
    ) -> PreparedAgentFiles:
        """``prepare`` the files of the directory ``root`` that the glob patterns
        ``include`` select (``["**/*.py", "README.md"]``), each at ``destination`` plus its
        path relative to ``root``. Symlinks and anything outside ``root`` are refused
        (ValueError), as is a selection of no file."""
        chosen = await asyncio.to_thread(select_directory, root, destination, include)
        selected = await asyncio.to_thread(check_selection, chosen)
        return await self._prepare(selected, max_concurrency, options)

    async def upload(
        self,
        environment_id: str,
        *,
        file: FileTypes,
        path: str,
        **options: Unpack[RequestOptions],
    ) -> StagedAgentFile:
        """Upload ``file`` (bytes, a path, an open file, a ``(name, content)`` tuple) to the
        Files API and put it at ``path`` in an existing environment. Returns both. If the
        upload succeeds but putting it in fails, AgentFileStagingError carries the
        upload's id (``uploaded_file_id``)."""
        if not environment_id:
            raise ValueError("environment_id must be a non-empty string")
        destination = check_destination(path)
        uploaded = await FilesAPI(self._client).create(file=file, purpose="user_data", **options)
        try:
            staged = await self.create(
                environment_id, type="file_id", file_id=uploaded.id, path=destination, **options
            )
        except Exception as error:
            raise AgentFileStagingError(uploaded.id) from error
        return StagedAgentFile(uploaded_file_id=uploaded.id, file=staged)

    async def _prepare(
        self,
        selected: Sequence[tuple[str, Path]],
        max_concurrency: int,
        options: RequestOptions,
    ) -> PreparedAgentFiles:
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
            raise TypeError(f"max_concurrency must be an int, got {max_concurrency!r}")
        if max_concurrency < 1:
            raise ValueError(f"max_concurrency must be >= 1, got {max_concurrency}")
        headers = options.get("extra_headers") or {}
        if len(selected) > 1 and any(k.lower() == "idempotency-key" for k in headers):
            raise ValueError("one Idempotency-Key cannot be sent with several uploads")
        api = FilesAPI(self._client)

        async def upload(source: Path) -> str:
            return (await api.create(file=source, purpose="user_data", **options)).id

        ids: dict[int, str] = {}
        try:
            failure = await _bounded([s for _, s in selected], upload, max_concurrency, ids)
        except BaseException as stopped:  # cancelled: what was uploaded goes with it
            stopped.__dict__["prepared"] = _prepared(selected, ids)
            raise
        prepared = _prepared(selected, ids)
        if failure is not None:
            raise AgentFilePreparationError(prepared) from failure
        return prepared


def _prepared(selected: Sequence[tuple[str, Path]], ids: Mapping[int, str]) -> PreparedAgentFiles:
    """The files uploaded (``ids`` by index in ``selected``), in the order selected."""
    prepared = PreparedAgentFiles()
    for index, (destination, _) in enumerate(selected):
        if index in ids:
            prepared.uploaded_file_ids.append(ids[index])
            prepared.files.append({"type": "file_id", "file_id": ids[index], "path": destination})
    return prepared


async def _bounded(
    items: Sequence[Path],
    run: Callable[[Path], Awaitable[str]],
    limit: int,
    results: dict[int, str],
) -> Exception | None:
    """``run`` over ``items`` with ``limit`` workers, each result put in ``results`` by index
    as it comes; returns the first failure. After a failure no item starts, and those
    running finish, so no result is lost. Cancelled, it stops them all (``results`` holds
    those that finished)."""
    failures: list[Exception] = []
    queue = iter(enumerate(items))

    async def worker() -> None:
        for index, item in queue:
            if failures:
                return
            try:
                results[index] = await run(item)
            except Exception as exc:
                failures.append(exc)
                return

    async with asyncio.TaskGroup() as group:
        for _ in range(min(limit, len(items))):
            group.create_task(worker())
    return failures[0] if failures else None


class Templates(AgentsResource):
    """``client.beta.agents.environments.templates``: create, retrieve, update, list,
    delete."""

    __slots__ = ()

    @endpoint("POST", "/agents/environments/templates", _CreateTemplateArgs)
    async def create(self, **params: Unpack[_CreateTemplateArgs]) -> EnvironmentTemplate:
        """Create an environment template (files, packages, network policy, plugins,
        skills, setup commands...); returns it."""
        return await self._call(Templates.create, EnvironmentTemplate, params)

    @endpoint("GET", "/agents/environments/templates/{environment_template_id}")
    async def retrieve(
        self, environment_template_id: str, **options: Unpack[RequestOptions]
    ) -> EnvironmentTemplate:
        """Retrieve a template. Raises NotFoundError for an unknown one."""
        return await self._call(
            Templates.retrieve,
            EnvironmentTemplate,
            options,
            environment_template_id=environment_template_id,
        )

    @endpoint(
        "POST", "/agents/environments/templates/{environment_template_id}", _UpdateTemplateArgs
    )
    async def update(
        self, environment_template_id: str, **params: Unpack[_UpdateTemplateArgs]
    ) -> EnvironmentTemplate:
        """Change the given fields of a template (null resets one) and return it. Raises
        NotFoundError for an unknown one."""
        return await self._call(
            Templates.update,
            EnvironmentTemplate,
            params,
            environment_template_id=environment_template_id,
        )

    @endpoint("GET", "/agents/environments/templates", _ListTemplatesArgs)
    def list(
        self, **params: Unpack[_ListTemplatesArgs]
    ) -> AsyncPaginator[EnvironmentTemplate, AsyncCursorPage[EnvironmentTemplate]]:
        """The templates, newest first (``order="asc"`` for oldest first): ``await`` it
        for the first page, ``async for`` every one."""
        return self._list(Templates.list, EnvironmentTemplate, params)

    @endpoint("DELETE", "/agents/environments/templates/{environment_template_id}")
    async def delete(
        self, environment_template_id: str, **options: Unpack[RequestOptions]
    ) -> EnvironmentTemplateDeleted:
        """Delete a template. Raises NotFoundError for an unknown one."""
        return await self._call(
            Templates.delete,
            EnvironmentTemplateDeleted,
            options,
            environment_template_id=environment_template_id,
        )
