"""``client.beta.agents.sessions.artifacts``: the files a session's turns wrote, kept after the
environment is gone; ``for_result(result)`` reads those of one finished turn by path."""

from __future__ import annotations

import os
from typing import Any, Unpack

from ....._binary import BinaryResponseContent
from ....._endpoints import endpoint
from ....._pagination import AsyncCursorPage, AsyncPaginator
from ....._types import RequestOptions
from .....lib.beta.agents._result import AgentTurnResult
from .....types.beta.agents.sessions.artifact_list_params import ArtifactListParams
from .....types.beta.agents.sessions.session_artifact import SessionArtifact
from .....types.beta.agents.sessions.session_artifact_deleted import SessionArtifactDeleted
from ._base import AgentsResource

__all__ = ["Artifacts", "AsyncAgentResultArtifacts"]


class _ListArgs(ArtifactListParams, RequestOptions, total=False): ...


class Artifacts(AgentsResource):
    """``client.beta.agents.sessions.artifacts``: retrieve, list, delete, content,
    for_result."""

    __slots__ = ()

    def for_result(self, result: AgentTurnResult[Any]) -> AsyncAgentResultArtifacts:
        """The artifacts of the finished turn ``result`` (from ``get_final_result()``), read
        by path."""
        return AsyncAgentResultArtifacts(self, result)

    @endpoint("GET", "/agents/sessions/{session_id}/artifacts/{artifact_id}")
    async def retrieve(
        self, artifact_id: str, *, session_id: str, **options: Unpack[RequestOptions]
    ) -> SessionArtifact:
        """An artifact's metadata (path, size, turn). NotFoundError for an unknown id."""
        ids = {"session_id": session_id, "artifact_id": artifact_id}
        return await self._call(Artifacts.retrieve, SessionArtifact, options, **ids)

    @endpoint("GET", "/agents/sessions/{session_id}/artifacts", _ListArgs)
    def list(
        self, session_id: str, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[SessionArtifact, AsyncCursorPage[SessionArtifact]]:
        """List a session's artifacts (``environment_id`` narrows them to one environment)."""
        return self._list(Artifacts.list, SessionArtifact, params, session_id=session_id)

    @endpoint("DELETE", "/agents/sessions/{session_id}/artifacts/{artifact_id}")
    async def delete(
        self, artifact_id: str, *, session_id: str, **options: Unpack[RequestOptions]
    ) -> SessionArtifactDeleted:
        """Delete an artifact. NotFoundError for an unknown id."""
        ids = {"session_id": session_id, "artifact_id": artifact_id}
        return await self._call(Artifacts.delete, SessionArtifactDeleted, options, **ids)

    @endpoint("GET", "/agents/sessions/{session_id}/artifacts/{artifact_id}/content")
    async def content(
        self, artifact_id: str, *, session_id: str, **options: Unpack[RequestOptions]
    ) -> BinaryResponseContent:
        """An artifact's bytes (``.content``, ``.text``, ``write_to_file()``)."""
        ids = {"session_id": session_id, "artifact_id": artifact_id}
        return await self._call_binary(Artifacts.content, options, **ids)


class AsyncAgentResultArtifacts:
    """The artifacts one finished turn wrote, read by their path."""

    def __init__(self, artifacts: Artifacts, result: AgentTurnResult[Any]) -> None:
        self._artifacts = artifacts
        self._session_id = result.session_id
        self._turn_id = result.turn_id

    async def content(self, path: str, **options: Unpack[RequestOptions]) -> BinaryResponseContent:
        """The bytes of the turn's artifact at ``path``; ValueError when the turn wrote none
        there (or more than one)."""
        found = await self._find(path, options)
        return await self._artifacts.content(found.id, session_id=self._session_id, **options)

    async def download(
        self, path: str, destination: str | os.PathLike[str], **options: Unpack[RequestOptions]
    ) -> SessionArtifact:
        """Write the turn's artifact at ``path`` to ``destination``; returns its metadata."""
        found = await self._find(path, options)
        content = await self._artifacts.content(found.id, session_id=self._session_id, **options)
        content.write_to_file(destination)
        return found

    async def _find(self, path: str, options: RequestOptions) -> SessionArtifact:
        matches = [
            artifact
            async for artifact in self._artifacts.list(self._session_id, **options)
            if artifact.turn_id == self._turn_id and artifact.path == path
        ]
        if len(matches) != 1:
            which = "No artifact" if not matches else "More than one artifact"
            raise ValueError(f"{which} of turn {self._turn_id} has the path {path!r}")
        return matches[0]
