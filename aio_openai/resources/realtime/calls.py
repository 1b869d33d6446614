"""Realtime calls over REST: ``client.realtime.calls``.

``create`` starts a call over WebRTC (the caller's SDP offer in, the SDP answer out); the
others answer an incoming SIP call by its ``call_id`` (from the ``realtime.call.incoming``
webhook): ``accept`` it with a session's configuration, ``reject`` it with a SIP status,
``refer`` (transfer) it elsewhere, or ``hangup``.
"""

from __future__ import annotations

from typing import Any, Unpack

from ..._binary import BinaryResponseContent
from ..._endpoints import endpoint
from ..._json import dumps
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.realtime.call_accept_params import CallAcceptParams
from ...types.realtime.call_create_params import CallCreateParams
from ...types.realtime.call_refer_params import CallReferParams
from ...types.realtime.call_reject_params import CallRejectParams

__all__ = ["Calls"]


class _AcceptArgs(CallAcceptParams, RequestOptions, total=False): ...


class _CreateArgs(CallCreateParams, RequestOptions, total=False): ...


class _ReferArgs(CallReferParams, RequestOptions, total=False): ...


class _RejectArgs(CallRejectParams, RequestOptions, total=False): ...


class Calls(APIResource):
    """``client.realtime.calls``: create, accept, reject, refer, hangup."""

    __slots__ = ()

    @endpoint("POST", "/realtime/calls", _CreateArgs, files=("sdp", "session"))
    async def create(self, **params: Unpack[_CreateArgs]) -> BinaryResponseContent:
        """Start a Realtime call over WebRTC: ``sdp`` is the caller's SDP offer, ``session``
        the session's configuration (as ``client_secrets.create`` takes it). Returns the SDP
        answer as a BinaryResponseContent (``.text``). Sent as a multipart body: the offer as
        an ``application/sdp`` part, the session as an ``application/json`` one."""
        sdp = {"Accept": "application/sdp", **(params.get("extra_headers") or {})}
        body: dict[str, Any] = {**params, "extra_headers": sdp}
        body["sdp"] = (None, str(params["sdp"]).encode(), "application/sdp")
        if "session" in params:
            body["session"] = (None, dumps(params["session"]), "application/json")
        return await self._call_binary(Calls.create, body)

    @endpoint("POST", "/realtime/calls/{call_id}/accept", _AcceptArgs)
    async def accept(self, call_id: str, **params: Unpack[_AcceptArgs]) -> None:
        """Accept the incoming SIP call ``call_id`` with a session's configuration (``type``
        ``"realtime"``, ``model``, ``instructions``, ``audio``, ``tools``, ...). Returns
        None; NotFoundError for an unknown call, BadRequestError for one already answered."""
        fn = Calls.accept
        return await self._call(fn, type(None), params, call_id=call_id)

    @endpoint("POST", "/realtime/calls/{call_id}/reject", _RejectArgs)
    async def reject(self, call_id: str, **params: Unpack[_RejectArgs]) -> None:
        """Decline the incoming SIP call ``call_id`` with the SIP ``status_code`` (603 by
        default). Returns None; NotFoundError for an unknown call."""
        fn = Calls.reject
        return await self._call(fn, type(None), params, call_id=call_id)

    @endpoint("POST", "/realtime/calls/{call_id}/refer", _ReferArgs)
    async def refer(self, call_id: str, **params: Unpack[_ReferArgs]) -> None:
        """Transfer the call ``call_id`` to ``target_uri`` (a SIP or tel URI) with a SIP
        REFER. Returns None; NotFoundError for an unknown call."""
        fn = Calls.refer
        return await self._call(fn, type(None), params, call_id=call_id)

    @endpoint("POST", "/realtime/calls/{call_id}/hangup")
    async def hangup(self, call_id: str, **options: Unpack[RequestOptions]) -> None:
        """End the call ``call_id`` (SIP or WebRTC). Returns None; NotFoundError for an
        unknown call."""
        fn = Calls.hangup
        return await self._call(fn, type(None), options, call_id=call_id)
