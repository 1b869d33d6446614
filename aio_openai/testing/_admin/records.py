"""The stored objects of the fake admin API and their answer shapes: projects, users (of
the organization and of a project), invites, service accounts, project API keys and admin
API keys. A key's secret is kept to recognise it when a request sends it; answers show it
once, in the answer to its creation, and as ``redacted_value`` after."""

from __future__ import annotations

import secrets
from typing import Any

import attrs

__all__ = [
    "AdminKey",
    "Invite",
    "Project",
    "ProjectKey",
    "ServiceAccount",
    "User",
    "new_secret",
    "redacted",
    "spend_limit",
]


def spend_limit(sent: Any) -> dict[str, Any] | None:
    """A key's spend limit as answers show it: the limit sent, and its enforcement."""
    if not isinstance(sent, dict):
        return None
    return {
        "currency": sent.get("currency", "USD"),
        "interval": sent.get("interval", "month"),
        "threshold_amount": sent.get("threshold_amount", 0),
        "enforcement": {"status": "enforcing"},
    }


def new_secret(prefix: str) -> str:
    """A fresh secret key: ``prefix`` and 48 random URL-safe characters."""
    return prefix + secrets.token_urlsafe(36)


def redacted(secret: str) -> str:
    """A secret as OpenAI shows it after its creation: ``sk-...abcd``."""
    return f"{secret[:3]}...{secret[-4:]}"


@attrs.define
class Project:
    id: str
    name: str
    created_at: int
    external_key_id: str | None = None
    geography: str | None = None
    archived_at: int | None = None

    def render(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "organization.project",
            "name": self.name,
            "created_at": self.created_at,
            "archived_at": self.archived_at,
            "status": "archived" if self.archived_at is not None else "active",
            "external_key_id": self.external_key_id,
        }


@attrs.define
class User:
    """A user of the organization (``role`` owner or reader), and the projects they are
    members of (project id to role)."""

    id: str
    email: str
    name: str
    role: str
    added_at: int
    projects: dict[str, tuple[str, int]] = attrs.field(factory=dict)

    def render(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "organization.user",
            "email": self.email,
            "name": self.name,
            "role": self.role,
            "added_at": self.added_at,
        }

    def render_in(self, project_id: str) -> dict[str, Any]:
        role, added_at = self.projects[project_id]
        return {
            "id": self.id,
            "object": "organization.project.user",
            "email": self.email,
            "name": self.name,
            "role": role,
            "added_at": added_at,
        }


@attrs.define
class Invite:
    id: str
    email: str
    role: str
    created_at: int
    expires_at: int
    projects: list[dict[str, str]]

    def render(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "organization.invite",
            "email": self.email,
            "role": self.role,
            "status": "pending",
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "accepted_at": None,
            "projects": self.projects,
        }


@attrs.define
class ServiceAccount:
    id: str
    project_id: str
    name: str
    role: str
    created_at: int

    def render(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "organization.project.service_account",
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at,
        }


@attrs.define
class ProjectKey:
    """A project API key, owned by a user or by a service account of the project."""

    id: str
    project_id: str
    name: str
    secret: str
    created_at: int
    owner: dict[str, Any]
    expires_at: int | None = None
    last_used_at: int | None = None
    scopes: list[str] | None = None
    spend_limit: dict[str, Any] | None = None

    def render(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "organization.project.api_key",
            "name": self.name,
            "redacted_value": redacted(self.secret),
            "created_at": self.created_at,
            "last_used_at": self.last_used_at,
            "expires_at": self.expires_at,
            "owner": self.owner,
            "owner_project_access": "active",
            "spend_limit": spend_limit(self.spend_limit),
        }

    def render_created(self) -> dict[str, Any]:
        """The answer to its creation: the only one showing the secret (``value``)."""
        return {
            "id": self.id,
            "object": "organization.project.service_account.api_key",
            "name": self.name,
            "value": self.secret,
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "spend_limit": spend_limit(self.spend_limit),
        }


@attrs.define
class AdminKey:
    id: str
    name: str
    secret: str
    created_at: int
    expires_at: int | None = None
    last_used_at: int | None = None

    def render(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "organization.admin_api_key",
            "name": self.name,
            "redacted_value": redacted(self.secret),
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "last_used_at": self.last_used_at,
            "owner": {"type": "user", "object": "organization.user", "id": "user-owner"},
        }

    def render_created(self) -> dict[str, Any]:
        """The answer to its creation: the only one showing the secret (``value``)."""
        return {**self.render(), "value": self.secret}
