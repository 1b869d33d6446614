"""Graders, as reinforcement fine-tuning uses them: ``/fine_tuning/alpha/graders``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._resource import APIResource
from ...._types import RequestOptions
from ....types.fine_tuning.alpha.grader_run_params import GraderRunParams
from ....types.fine_tuning.alpha.grader_run_response import GraderRunResponse
from ....types.fine_tuning.alpha.grader_validate_params import GraderValidateParams
from ....types.fine_tuning.alpha.grader_validate_response import GraderValidateResponse

__all__ = ["Graders"]


class _RunArgs(GraderRunParams, RequestOptions, total=False): ...


class _ValidateArgs(GraderValidateParams, RequestOptions, total=False): ...


class Graders(APIResource):
    """``client.fine_tuning.alpha.graders``: run, validate."""

    __slots__ = ()

    @endpoint("POST", "/fine_tuning/alpha/graders/run", _RunArgs)
    async def run(self, **params: Unpack[_RunArgs]) -> GraderRunResponse:
        """Grade ``model_sample`` (the model's output) with ``grader`` (a string check, text
        similarity, Python, score-model or multi grader), ``item`` giving the values its
        templates name (``{{item.answer}}``). Returns the ``reward`` and the metadata of the
        run. Raises BadRequestError for a grader of a bad shape."""
        return await self._call(Graders.run, GraderRunResponse, params)

    @endpoint("POST", "/fine_tuning/alpha/graders/validate", _ValidateArgs)
    async def validate(self, **params: Unpack[_ValidateArgs]) -> GraderValidateResponse:
        """Check a grader's shape; returns it as OpenAI read it. Raises BadRequestError for a
        grader of a bad shape."""
        return await self._call(Graders.validate, GraderValidateResponse, params)
