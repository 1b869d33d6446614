"""The Live API's REST calls on a session: ``client.live.sessions``.

An incoming call's session is answered by its id: ``accept`` (with the session's
configuration), ``reject`` (a SIP status), ``refer`` (transfer it) or ``hangup``; ``fork``
opens a second WebRTC peer on a running session; ``download_recording`` gives the
session's recorded audio.
"""

from __future__ import annotations

from typing import Unpack

from ..._binary import BinaryResponseContent
from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.live.session_accept_params import SessionAcceptParams
from ...types.live.session_fork_params import SessionForkParams
from ...types.live.session_fork_response import SessionForkResponse
from ...types.live.session_refer_params import SessionReferParams
from ...types.live.session_reject_params import SessionRejectParams

__all__ = ["Sessions"]


class _AcceptArgs(SessionAcceptParams, RequestOptions, total=False): ...


class _ForkArgs(SessionForkParams, RequestOptions, total=False): ...


class _ReferArgs(SessionReferParams, RequestOptions, total=False): ...


class _RejectArgs(SessionRejectParams, RequestOptions, total=False): ...


class Sessions(APIResource):
    """``client.live.sessions``: accept, reject, refer, hangup, fork, download_recording."""

    __slots__ = ()

    @endpoint("POST", "/live/sessions/{session_id}/accept", _AcceptArgs)
    async def accept(self, session_id: str, **params: Unpack[_AcceptArgs]) -> None:
        """Accept the incoming session ``session_id`` with its configuration ``session``
        (``model``, ...). Returns None; NotFoundError for an unknown session,
        BadRequestError for one already answered."""
        fn = Sessions.accept
        return await self._call(fn, type(None), params, session_id=session_id)

    @endpoint("POST", "/live/sessions/{session_id}/reject", _RejectArgs)
    async def reject(self, session_id: str, **params: Unpack[_RejectArgs]) -> None:
        """Decline the incoming session ``session_id`` with the SIP ``status_code``. Returns
        None; NotFoundError for an unknown session."""
        fn = Sessions.reject
        return await self._call(fn, type(None), params, session_id=session_id)

    @endpoint("POST", "/live/sessions/{session_id}/refer", _ReferArgs)
    async def refer(self, session_id: str, **params: Unpack[_ReferArgs]) -> None:
        """Transfer the session ``session_id`` to ``target_uri``. Returns None."""
        fn = Sessions.refer
        return await self._call(fn, type(None), params, session_id=session_id)

    @endpoint("POST", "/live/sessions/{session_id}/hangup")
    async def hangup(self, session_id: str, **options: Unpack[RequestOptions]) -> None:
        """End the session ``session_id``. Returns None; NotFoundError for an unknown one."""
        fn = Sessions.hangup
        return await self._call(fn, type(None), options, session_id=session_id)

    @endpoint("POST", "/live/sessions/{session_id}/fork", _ForkArgs)
    async def fork(self, session_id: str, **params: Unpack[_ForkArgs]) -> SessionForkResponse:
        """Fork the running session ``session_id``: a new peer over ``transport`` (WebRTC,
        its SDP offer), with an optional ``session`` configuration. Returns the fork's id
        and SDP answer. NotFoundError for an unknown session."""
        fn = Sessions.fork
        return await self._call(fn, SessionForkResponse, params, session_id=session_id)

    @endpoint("GET", "/live/sessions/{session_id}/content")
    async def download_recording(
        self, session_id: str, **options: Unpack[RequestOptions]
    ) -> BinaryResponseContent:
        """The recorded audio of the session ``session_id`` (a WAV), as
        BinaryResponseContent (``.content``, ``write_to_file``; ``with_streaming_response``
        to stream it to a file). NotFoundError for an unknown session."""
        fn = Sessions.download_recording
        return await self._call_binary(fn, options, session_id=session_id)
