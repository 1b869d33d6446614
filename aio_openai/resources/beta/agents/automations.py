"""Automations (beta): ``/agents/automations``, agent sessions started periodically (a cron
``expression`` in a ``timezone``) or once (``run_at``), and their ``invocations``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal, Required, Unpack

from ...._endpoints import endpoint
from ...._pagination import AsyncCursorPage, AsyncPaginator
from ...._types import RequestOptions
from ....types.beta.agents.automation import Automation
from ....types.beta.agents.automation_deleted import AutomationDeleted
from ....types.beta.agents.automation_list_params import AutomationListParams
from ....types.beta.agents.automation_metadata_param import AutomationMetadataParam
from ....types.beta.agents.automation_target_param import AutomationTargetParam
from ....types.beta.agents.automation_update_params import AutomationUpdateParams
from ....types.beta.agents.automations.automation_invocation import AutomationInvocation
from ....types.beta.agents.automations.invocation_list_params import InvocationListParams
from ._base import AgentsResource, compaction_on_wire

__all__ = ["Automations", "Invocations"]


_AUTOMATION: Final[Any] = Automation  # a tagged union: periodic or once


class _CreateArgs(RequestOptions, total=False):
    """The keywords of ``create``: ``AutomationCreateParams``, either of its two shapes
    (``expression`` and ``timezone`` for ``periodic``, ``run_at`` for ``once``)."""

    name: Required[str]
    target: Required[AutomationTargetParam]
    type: Required[Literal["periodic"] | Literal["once"]]
    expression: str
    timezone: str
    run_at: int
    metadata: AutomationMetadataParam


class _UpdateArgs(AutomationUpdateParams, RequestOptions, total=False): ...


class _ListArgs(AutomationListParams, RequestOptions, total=False): ...


class _ListInvocationsArgs(InvocationListParams, RequestOptions, total=False): ...


def _on_wire(params: Mapping[str, Any]) -> Mapping[str, Any]:
    """The parameters with the target's agent compaction settings as the API names them."""
    target = params.get("target")
    if not isinstance(target, Mapping) or "agent" not in target:
        return params
    return {**params, "target": {**target, "agent": compaction_on_wire(target["agent"])}}


class Automations(AgentsResource):
    """``client.beta.agents.automations``: create, retrieve, update, list, delete, pause,
    resume, and ``invocations``."""

    __slots__ = ()

    @property
    def invocations(self) -> Invocations:
        """The runs of an automation: create (run it now), retrieve, list."""
        return Invocations(self._client, raw=self._raw)

    @endpoint("POST", "/agents/automations", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> Automation:
        """Create an automation called ``name`` that starts ``target`` (a new session, or a
        turn of an existing one): ``type="periodic"`` on the cron ``expression`` (in
        ``timezone``), or ``type="once"`` at ``run_at`` (Unix seconds). Returns it (a
        PeriodicAutomation or a OneTimeAutomation); BadRequestError for a bad parameter."""
        return await self._call(Automations.create, _AUTOMATION, _on_wire(params))

    @endpoint("GET", "/agents/automations/{automation_id}")
    async def retrieve(self, automation_id: str, **options: Unpack[RequestOptions]) -> Automation:
        """Retrieve an automation. Raises NotFoundError for an unknown one."""
        return await self._call(
            Automations.retrieve, _AUTOMATION, options, automation_id=automation_id
        )

    @endpoint("POST", "/agents/automations/{automation_id}", _UpdateArgs)
    async def update(self, automation_id: str, **params: Unpack[_UpdateArgs]) -> Automation:
        """Change the given fields of an automation and return it. Raises NotFoundError for
        an unknown one, BadRequestError for a bad field."""
        return await self._call(
            Automations.update, _AUTOMATION, _on_wire(params), automation_id=automation_id
        )

    @endpoint("GET", "/agents/automations", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[Automation, AsyncCursorPage[Automation]]:
        """The automations, newest first (``order="asc"`` for oldest first), those targeting
        the session ``session_id`` only if given: ``await`` it for the first page, ``async
        for`` every one."""
        return self._list(Automations.list, _AUTOMATION, params)

    @endpoint("DELETE", "/agents/automations/{automation_id}")
    async def delete(
        self, automation_id: str, **options: Unpack[RequestOptions]
    ) -> AutomationDeleted:
        """Delete an automation. Raises NotFoundError for an unknown one."""
        return await self._call(
            Automations.delete, AutomationDeleted, options, automation_id=automation_id
        )

    @endpoint("POST", "/agents/automations/{automation_id}/pause")
    async def pause(self, automation_id: str, **options: Unpack[RequestOptions]) -> Automation:
        """Pause an automation (``status="paused"``): it starts nothing until resumed.
        Returns it; NotFoundError for an unknown one."""
        return await self._call(
            Automations.pause, _AUTOMATION, options, automation_id=automation_id
        )

    @endpoint("POST", "/agents/automations/{automation_id}/resume")
    async def resume(self, automation_id: str, **options: Unpack[RequestOptions]) -> Automation:
        """Resume a paused automation (``status="active"``). Returns it; NotFoundError for
        an unknown one."""
        return await self._call(
            Automations.resume, _AUTOMATION, options, automation_id=automation_id
        )


class Invocations(AgentsResource):
    """``client.beta.agents.automations.invocations``: create, retrieve, list."""

    __slots__ = ()

    @endpoint("POST", "/agents/automations/{automation_id}/invocations")
    async def create(
        self, automation_id: str, **options: Unpack[RequestOptions]
    ) -> AutomationInvocation:
        """Run an automation now, out of its schedule; returns the invocation. Raises
        NotFoundError for an unknown automation, ConflictError for a paused one."""
        return await self._call(
            Invocations.create, AutomationInvocation, options, automation_id=automation_id
        )

    @endpoint("GET", "/agents/automations/{automation_id}/invocations/{invocation_id}")
    async def retrieve(
        self, invocation_id: str, *, automation_id: str, **options: Unpack[RequestOptions]
    ) -> AutomationInvocation:
        """Retrieve an invocation of an automation. Raises NotFoundError for an unknown
        automation or invocation."""
        return await self._call(
            Invocations.retrieve,
            AutomationInvocation,
            options,
            automation_id=automation_id,
            invocation_id=invocation_id,
        )

    @endpoint("GET", "/agents/automations/{automation_id}/invocations", _ListInvocationsArgs)
    def list(
        self, automation_id: str, **params: Unpack[_ListInvocationsArgs]
    ) -> AsyncPaginator[AutomationInvocation, AsyncCursorPage[AutomationInvocation]]:
        """The invocations of an automation, newest first (``order="asc"`` for oldest
        first): ``await`` it for the first page, ``async for`` every one."""
        return self._list(
            Invocations.list, AutomationInvocation, params, automation_id=automation_id
        )
