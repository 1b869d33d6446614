"""Request checks of the fake Fine-tuning API: OpenAI's 400s, as :class:`APIError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, get_type_hints

from aio_openai.testing._checks import (
    APIError,
    check_integer,
    check_metadata,
    check_object,
    check_string,
    invalid_value,
    literal_values,
    missing,
    wrong_type,
)
from aio_openai.testing._fine_tuning.graders import validate_grader
from aio_openai.types.fine_tuning.job_create_params import Method

__all__ = ["check_create", "check_grader_run", "check_grader_validate", "check_permissions"]

#: The fine-tuning methods.
METHODS: Final = literal_values(get_type_hints(Method)["type"])
_MAX_SUFFIX: Final = 64
_MAX_SEED: Final = 2147483647


def check_create(body: Mapping[str, Any]) -> None:
    """A job's create body: model, files, suffix, seed, metadata, method, integrations."""
    for key in ("model", "training_file"):
        check_string(body, key, required=True, nullable=False, min_length=1)
    check_string(body, "validation_file")
    check_string(body, "suffix")
    suffix = body.get("suffix")
    if suffix is not None and len(suffix) > _MAX_SUFFIX:
        raise APIError(
            400,
            f"Invalid 'suffix': string too long. Expected a string with maximum length "
            f"{_MAX_SUFFIX}, but got a string with length {len(suffix)} instead.",
            param="suffix",
            code="string_above_max_length",
        )
    check_integer(body, "seed", 0)
    if (body.get("seed") or 0) > _MAX_SEED:
        raise APIError(400, f"Invalid 'seed': above {_MAX_SEED}.", param="seed")
    check_metadata(body)
    check_object(body, "hyperparameters")
    check_object(body, "method")
    method = body.get("method")
    if method is not None:
        kind = method.get("type")
        if kind not in METHODS:
            raise invalid_value("method.type", kind, METHODS)
        check_object(method, kind)
        if kind == "reinforcement":
            settings = method.get(kind) or {}
            if settings.get("grader") is None:
                raise missing("method.reinforcement.grader")
            validate_grader(settings["grader"], "method.reinforcement.grader")
    integrations = body.get("integrations")
    if integrations is not None:
        if not isinstance(integrations, list):
            raise wrong_type("integrations", "an array", integrations)
        for i, integration in enumerate(integrations):
            if not isinstance(integration, dict) or integration.get("type") != "wandb":
                raise invalid_value(f"integrations[{i}].type", integration, ("wandb",))
            wandb = integration.get("wandb")
            if not isinstance(wandb, dict) or not isinstance(wandb.get("project"), str):
                raise missing(f"integrations[{i}].wandb.project")


def check_permissions(body: Mapping[str, Any]) -> list[str]:
    """A permissions create body: its ``project_ids``, at least one string."""
    ids = body.get("project_ids")
    if ids is None:
        raise missing("project_ids")
    if not isinstance(ids, list):
        raise wrong_type("project_ids", "an array", ids)
    if not ids:
        raise APIError(
            400,
            "Invalid 'project_ids': empty array. Expected an array with minimum length 1, "
            "but got an empty array instead.",
            param="project_ids",
            code="empty_array",
        )
    for i, item in enumerate(ids):
        if not isinstance(item, str) or not item:
            raise wrong_type(f"project_ids[{i}]", "a string", item)
    return ids


def check_grader_run(body: Mapping[str, Any]) -> None:
    """A grader run's body: the grader, the model sample, the item."""
    if body.get("grader") is None:
        raise missing("grader")
    validate_grader(body["grader"])
    check_string(body, "model_sample", required=True, nullable=False)
    item = body.get("item")
    if item is not None and not isinstance(item, dict):
        raise wrong_type("item", "an object", item)


def check_grader_validate(body: Mapping[str, Any]) -> None:
    """A grader validation's body: the grader."""
    if body.get("grader") is None:
        raise missing("grader")
    validate_grader(body["grader"])
