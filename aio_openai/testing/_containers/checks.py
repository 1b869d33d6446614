"""Request checks of containers: OpenAI's 400s for a create body, as :class:`APIError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._checks import (
    APIError,
    check_expiry,
    check_string,
    check_string_list,
    invalid_value,
    missing,
    wrong_type,
)

__all__ = ["MEMORY_LIMITS", "check_create", "check_file_create"]

MEMORY_LIMITS: Final = ("1g", "4g", "16g", "64g")
_POLICIES: Final = ("disabled", "allowlist")


def _check_network_policy(body: Mapping[str, Any]) -> None:
    value = body.get("network_policy")
    if value is None:
        return
    if not isinstance(value, dict):
        raise wrong_type("network_policy", "an object", value)
    kind = value.get("type")
    if kind not in _POLICIES:
        raise invalid_value("network_policy.type", kind, _POLICIES)
    if kind == "allowlist":
        domains = value.get("allowed_domains")
        if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
            raise missing("network_policy.allowed_domains")


def check_create(body: Mapping[str, Any]) -> None:
    """A create body: ``name`` and the optional settings."""
    if body.get("name") is None:
        raise missing("name")
    check_string(body, "name", required=True, nullable=False)
    check_string_list(body, "file_ids")
    check_expiry(body, "expires_after", anchor="last_active_at", unit="minutes", low=1, high=20)
    limit = body.get("memory_limit")
    if limit is not None and limit not in MEMORY_LIMITS:
        raise invalid_value("memory_limit", limit, MEMORY_LIMITS)
    _check_network_policy(body)
    skills = body.get("skills")
    if skills is not None and not isinstance(skills, list):
        raise wrong_type("skills", "an array", skills)


def check_file_create(fields: Mapping[str, Any], files: int) -> str | None:
    """A file create request (a form's fields and its file count, or a JSON body with no
    file): exactly one of ``file`` and ``file_id``; returns the ``file_id`` if given."""
    file_id = fields.get("file_id")
    if file_id is not None:
        check_string(fields, "file_id", required=True, nullable=False)
    if files > 1:
        raise APIError(400, "Only one file can be uploaded at a time.", param="file")
    if (file_id is None) == (files == 0):
        raise APIError(400, "Exactly one of 'file' or 'file_id' must be provided.", param="file")
    return file_id if isinstance(file_id, str) else None
