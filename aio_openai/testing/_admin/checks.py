"""OpenAI's 400s for the bodies of the fake admin API, and its 401 for a key that is not an
admin key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._checks import (
    APIError,
    check_integer,
    check_object,
    check_string,
    check_string_list,
    invalid_value,
    missing,
    wrong_type,
)

__all__ = [
    "NOT_ADMIN",
    "check_admin_key_create",
    "check_invite",
    "check_org_user_update",
    "check_project",
    "check_project_key_update",
    "check_project_user",
    "check_role",
    "check_service_account",
]

#: What OpenAI answers a request to the admin API sent with a key that is not an admin key.
NOT_ADMIN: Final = APIError(
    401,
    "You have insufficient permissions for this operation. Missing scopes: "
    "api.management.read. Check that you have the correct role in your organization "
    "(Owner), and if you're using a restricted API key, that it has the necessary scopes.",
)

_ORG_ROLES: Final = ("owner", "reader")
_PROJECT_ROLES: Final = ("owner", "member")


def check_role(body: Mapping[str, Any], roles: tuple[str, ...], *, required: bool) -> None:
    role = body.get("role")
    if role is None:
        if required:
            raise missing("role")
        return
    if not isinstance(role, str):
        raise wrong_type("role", "a string", role)
    if role not in roles:
        raise invalid_value("role", role, roles)


def check_project(body: Mapping[str, Any], *, create: bool) -> None:
    check_string(body, "name", required=create, nullable=not create, min_length=1)
    check_string(body, "external_key_id")
    check_string(body, "geography")


def check_invite(body: Mapping[str, Any]) -> None:
    check_string(body, "email", required=True, min_length=1)
    check_role(body, _ORG_ROLES, required=True)
    projects = body.get("projects")
    if projects is None:
        return
    if not isinstance(projects, list):
        raise wrong_type("projects", "an array", projects)
    for i, project in enumerate(projects):
        if not isinstance(project, dict):
            raise wrong_type(f"projects[{i}]", "an object", project)
        check_string(project, "id", param=f"projects[{i}].id", required=True)
        check_role(project, _PROJECT_ROLES, required=True)


def check_project_user(body: Mapping[str, Any], *, create: bool) -> None:
    check_role(body, _PROJECT_ROLES, required=True)
    if create:
        check_string(body, "user_id")
        check_string(body, "email")
        if not body.get("user_id") and not body.get("email"):
            raise missing("user_id")


def check_service_account(body: Mapping[str, Any], *, create: bool) -> None:
    check_string(body, "name", required=create, min_length=1)
    check_integer(body, "expires_in_seconds", 1)
    check_object(body, "spend_limit")
    check_string_list(body, "scopes")
    if not create:
        check_role(body, ("owner", "member", "none"), required=False)


def check_project_key_update(body: Mapping[str, Any]) -> None:
    check_integer(body, "expires_in_seconds", 1)
    check_string_list(body, "scopes")
    check_object(body, "spend_limit")


def check_admin_key_create(body: Mapping[str, Any]) -> None:
    check_string(body, "name", required=True, min_length=1)
    check_integer(body, "expires_in_seconds", 1)


def check_org_user_update(body: Mapping[str, Any]) -> None:
    check_role(body, _ORG_ROLES, required=False)
