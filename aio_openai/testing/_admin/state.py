"""AdminState: the organization the fake admin API manages, and the usage it has served.

Projects (created, changed, archived), users of the organization and of each project,
invites, service accounts and the project API keys they own, and admin API keys. Keys made
here are real to the fake: a request sending a project key is served, and metered under
its project; a request to the admin API is served only with an admin key (one made here,
or, while ``admin_keys`` is None, any key starting ``sk-admin-``; else those listed).
Every operation takes the state's lock; unknown ids raise :class:`APIError` (404).
``clock`` gives the time (seconds) objects are stamped and usage is metered with.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Collection, Mapping
from typing import Any, Final

from aio_openai.testing._admin.records import (
    AdminKey,
    Invite,
    Project,
    ProjectKey,
    ServiceAccount,
    User,
    new_secret,
)
from aio_openai.testing._admin.usage import UsageLog, UsageRecord, costs_page, usage_page
from aio_openai.testing._checks import APIError
from aio_openai.testing._shapes import ListQuery, new_id, page

__all__ = ["DEFAULT_PROJECT_ID", "OWNER_ID", "AdminState"]

#: The project usage is metered under when the key is not a project's and no
#: ``OpenAI-Project`` header names one.
DEFAULT_PROJECT_ID: Final = "proj_default"
#: The organization's owner, the first user.
OWNER_ID: Final = "user-owner"
_ADMIN_PREFIX: Final = "sk-admin-"
_INVITE_DAYS: Final = 7 * 86400


def _not_found(kind: str, object_id: str) -> APIError:
    return APIError(404, f"No such {kind}: {object_id}", code="not_found")


class AdminState:
    """The fake organization (see the module's docstring)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._lock = threading.Lock()
        self.clock = clock
        #: The admin keys accepted besides those made with admin_api_keys.create; None:
        #: every key starting ``sk-admin-``.
        self.admin_keys: Collection[str] | None = None
        now = self._now()
        self._projects: dict[str, Project] = {
            DEFAULT_PROJECT_ID: Project(DEFAULT_PROJECT_ID, "Default project", now)
        }
        owner = User(OWNER_ID, "owner@example.com", "Owner", "owner", now)
        owner.projects[DEFAULT_PROJECT_ID] = ("owner", now)
        self._users: dict[str, User] = {OWNER_ID: owner}
        self._invites: dict[str, Invite] = {}
        self._accounts: dict[str, ServiceAccount] = {}
        self._keys: dict[str, ProjectKey] = {}
        self._admin_keys: dict[str, AdminKey] = {}
        self._usage = UsageLog()

    def _now(self) -> int:
        return int(self.clock())

    # -- keys --------------------------------------------------------------------------------

    def is_admin_key(self, key: str) -> bool:
        """Whether ``key`` may call the admin API."""
        with self._lock:
            if any(k.secret == key for k in self._admin_keys.values()):
                return True
        if self.admin_keys is None:
            return key.startswith(_ADMIN_PREFIX)
        return key in self.admin_keys

    def knows_key(self, key: str) -> bool:
        """Whether ``key`` was made here (a project key or an admin key): the key check
        accepts it whatever the server's list of API keys."""
        with self._lock:
            return any(k.secret == key for k in self._keys.values()) or any(
                k.secret == key for k in self._admin_keys.values()
            )

    def attribution(self, key: str, project_header: str | None) -> tuple[str, str]:
        """The project and API key id a call sent with ``key`` is metered under."""
        with self._lock:
            for k in self._keys.values():
                if k.secret == key:
                    k.last_used_at = self._now()
                    return k.project_id, k.id
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]
        return project_header or DEFAULT_PROJECT_ID, f"key_{digest}"

    # -- usage -------------------------------------------------------------------------------

    def meter(
        self,
        kind: str,
        *,
        model: str | None,
        project_id: str,
        api_key_id: str,
        numbers: Mapping[str, int],
        size: str | None = None,
    ) -> None:
        """Record one served call (``meter.py`` calls it for every metered answer)."""
        record = UsageRecord(self._now(), kind, model, project_id, api_key_id, numbers, size)
        with self._lock:
            self._usage.add(record)

    def usage(self, kind: str, query: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            records = list(self._usage.records)
        return usage_page(kind, records, query, self._now())

    def costs(self, query: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            records = list(self._usage.records)
        return costs_page(records, query, self._now())

    @property
    def usage_records(self) -> list[UsageRecord]:
        """Every metered call so far, oldest first."""
        with self._lock:
            return list(self._usage.records)

    # -- projects ----------------------------------------------------------------------------

    def _project(self, project_id: str) -> Project:
        project = self._projects.get(project_id)
        if project is None:
            raise _not_found("project", project_id)
        return project

    def create_project(self, body: Mapping[str, Any]) -> dict[str, Any]:
        project = Project(
            new_id("proj_"),
            body["name"],
            self._now(),
            external_key_id=body.get("external_key_id"),
            geography=body.get("geography"),
        )
        with self._lock:
            self._projects[project.id] = project
            self._users[OWNER_ID].projects[project.id] = ("owner", project.created_at)
            return project.render()

    def project(self, project_id: str) -> dict[str, Any]:
        with self._lock:
            return self._project(project_id).render()

    def update_project(self, project_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            project = self._project(project_id)
            if project.archived_at is not None:
                raise APIError(400, f"Project {project_id} is archived and cannot be modified.")
            for field in ("name", "external_key_id", "geography"):
                if body.get(field) is not None:
                    setattr(project, field, body[field])
            return project.render()

    def archive_project(self, project_id: str) -> dict[str, Any]:
        with self._lock:
            project = self._project(project_id)
            if project_id == DEFAULT_PROJECT_ID:
                raise APIError(400, "The default project cannot be archived.")
            if project.archived_at is None:
                project.archived_at = self._now()
            return project.render()

    def list_projects(self, query: ListQuery, include_archived: bool) -> dict[str, Any]:
        with self._lock:
            items = [
                p.render()
                for p in self._projects.values()
                if include_archived or p.archived_at is None
            ]
        return page(items, query)

    # -- users -------------------------------------------------------------------------------

    def _user(self, user_id: str) -> User:
        user = self._users.get(user_id)
        if user is None:
            raise _not_found("user", user_id)
        return user

    def user(self, user_id: str) -> dict[str, Any]:
        with self._lock:
            return self._user(user_id).render()

    def list_users(self, query: ListQuery, emails: Collection[str]) -> dict[str, Any]:
        with self._lock:
            items = [u.render() for u in self._users.values() if not emails or u.email in emails]
        return page(items, query)

    def update_user(self, user_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            user = self._user(user_id)
            if body.get("role") is not None:
                user.role = body["role"]
            return user.render()

    def delete_user(self, user_id: str) -> dict[str, Any]:
        with self._lock:
            self._user(user_id)
            if user_id == OWNER_ID:
                raise APIError(400, "The organization's owner cannot be removed.")
            del self._users[user_id]
        return {"id": user_id, "object": "organization.user.deleted", "deleted": True}

    def add_user(self, email: str, name: str, role: str) -> dict[str, Any]:
        """A user joins the organization (as an accepted invite makes one)."""
        user = User(new_id("user-"), email, name, role, self._now())
        with self._lock:
            self._users[user.id] = user
            return user.render()

    # -- project users -----------------------------------------------------------------------

    def _member(self, project_id: str, user_id: str) -> User:
        self._project(project_id)
        user = self._users.get(user_id)
        if user is None or project_id not in user.projects:
            raise _not_found("project user", user_id)
        return user

    def add_project_user(self, project_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._project(project_id)
            user_id, email = body.get("user_id"), body.get("email")
            found = [
                u for u in self._users.values() if u.id == user_id or (email and u.email == email)
            ]
            if not found:
                raise _not_found("user", str(user_id or email))
            user = found[0]
            if project_id in user.projects:
                raise APIError(400, f"User {user.id} is already a member of {project_id}.")
            user.projects[project_id] = (body["role"], self._now())
            return user.render_in(project_id)

    def project_user(self, project_id: str, user_id: str) -> dict[str, Any]:
        with self._lock:
            return self._member(project_id, user_id).render_in(project_id)

    def list_project_users(self, project_id: str, query: ListQuery) -> dict[str, Any]:
        with self._lock:
            self._project(project_id)
            items = [
                u.render_in(project_id) for u in self._users.values() if project_id in u.projects
            ]
        return page(items, query)

    def update_project_user(self, project_id: str, user_id: str, role: str) -> dict[str, Any]:
        with self._lock:
            user = self._member(project_id, user_id)
            user.projects[project_id] = (role, user.projects[project_id][1])
            return user.render_in(project_id)

    def remove_project_user(self, project_id: str, user_id: str) -> dict[str, Any]:
        with self._lock:
            del self._member(project_id, user_id).projects[project_id]
        return {"id": user_id, "object": "organization.project.user.deleted", "deleted": True}

    # -- invites -----------------------------------------------------------------------------

    def invite(self, body: Mapping[str, Any]) -> dict[str, Any]:
        now = self._now()
        with self._lock:
            projects = [dict(p) for p in body.get("projects") or ()]
            for p in projects:
                self._project(p["id"])
            invite = Invite(
                new_id("invite-"), body["email"], body["role"], now, now + _INVITE_DAYS, projects
            )
            self._invites[invite.id] = invite
            return invite.render()

    def _invite(self, invite_id: str) -> Invite:
        invite = self._invites.get(invite_id)
        if invite is None:
            raise _not_found("invite", invite_id)
        return invite

    def retrieve_invite(self, invite_id: str) -> dict[str, Any]:
        with self._lock:
            return self._invite(invite_id).render()

    def list_invites(self, query: ListQuery) -> dict[str, Any]:
        with self._lock:
            items = [i.render() for i in self._invites.values()]
        return page(items, query)

    def delete_invite(self, invite_id: str) -> dict[str, Any]:
        with self._lock:
            self._invite(invite_id)
            del self._invites[invite_id]
        return {"id": invite_id, "object": "organization.invite.deleted", "deleted": True}

    # -- service accounts and project keys ---------------------------------------------------

    def _account(self, project_id: str, account_id: str) -> ServiceAccount:
        self._project(project_id)
        account = self._accounts.get(account_id)
        if account is None or account.project_id != project_id:
            raise _not_found("service account", account_id)
        return account

    def _new_key(
        self, account: ServiceAccount, body: Mapping[str, Any], name: str = "Secret key"
    ) -> ProjectKey:
        now = self._now()
        expires = body.get("expires_in_seconds")
        key = ProjectKey(
            new_id("key_"),
            account.project_id,
            body.get("name") or name,
            new_secret("sk-svcacct-"),
            now,
            owner={"type": "service_account", "service_account": account.render()},
            expires_at=None if expires is None else now + int(expires),
            scopes=body.get("scopes"),
            spend_limit=body.get("spend_limit"),
        )
        self._keys[key.id] = key
        return key

    def create_service_account(self, project_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            project = self._project(project_id)
            if project.archived_at is not None:
                raise APIError(400, f"Project {project_id} is archived.")
            account = ServiceAccount(
                new_id("svc_acct_"), project_id, body["name"], "member", self._now()
            )
            self._accounts[account.id] = account
            answer = account.render()
            if not body.get("create_service_account_only"):
                answer["api_key"] = self._new_key(account, body).render_created()
            else:
                answer["api_key"] = None
            return answer

    def service_account(self, project_id: str, account_id: str) -> dict[str, Any]:
        with self._lock:
            return self._account(project_id, account_id).render()

    def list_service_accounts(self, project_id: str, query: ListQuery) -> dict[str, Any]:
        with self._lock:
            self._project(project_id)
            items = [a.render() for a in self._accounts.values() if a.project_id == project_id]
        return page(items, query)

    def update_service_account(
        self, project_id: str, account_id: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        with self._lock:
            account = self._account(project_id, account_id)
            for field in ("name", "role"):
                if body.get(field) is not None:
                    setattr(account, field, body[field])
            return account.render()

    def delete_service_account(self, project_id: str, account_id: str) -> dict[str, Any]:
        with self._lock:
            self._account(project_id, account_id)
            del self._accounts[account_id]
            owned = [
                k
                for k in self._keys.values()
                if k.owner.get("service_account", {}).get("id") == account_id
            ]
            for key in owned:
                del self._keys[key.id]
        return {
            "id": account_id,
            "object": "organization.project.service_account.deleted",
            "deleted": True,
        }

    def create_account_key(
        self, project_id: str, account_id: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        with self._lock:
            return self._new_key(self._account(project_id, account_id), body).render_created()

    def _key(self, project_id: str, key_id: str) -> ProjectKey:
        self._project(project_id)
        key = self._keys.get(key_id)
        if key is None or key.project_id != project_id:
            raise _not_found("API key", key_id)
        return key

    def project_key(self, project_id: str, key_id: str) -> dict[str, Any]:
        with self._lock:
            return self._key(project_id, key_id).render()

    def list_project_keys(self, project_id: str, query: ListQuery) -> dict[str, Any]:
        with self._lock:
            self._project(project_id)
            items = [k.render() for k in self._keys.values() if k.project_id == project_id]
        return page(items, query)

    def update_project_key(
        self, project_id: str, key_id: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        with self._lock:
            key = self._key(project_id, key_id)
            if "expires_in_seconds" in body:
                seconds = body["expires_in_seconds"]
                key.expires_at = None if seconds is None else self._now() + int(seconds)
            if "scopes" in body:
                key.scopes = body["scopes"]
            if "spend_limit" in body:
                key.spend_limit = body["spend_limit"]
            return key.render()

    def delete_project_key(self, project_id: str, key_id: str) -> dict[str, Any]:
        with self._lock:
            self._key(project_id, key_id)
            del self._keys[key_id]
        return {"id": key_id, "object": "organization.project.api_key.deleted", "deleted": True}

    # -- admin keys --------------------------------------------------------------------------

    def create_admin_key(self, body: Mapping[str, Any]) -> dict[str, Any]:
        now = self._now()
        expires = body.get("expires_in_seconds")
        key = AdminKey(
            new_id("key_"),
            body["name"],
            new_secret(_ADMIN_PREFIX),
            now,
            expires_at=None if expires is None else now + int(expires),
        )
        with self._lock:
            self._admin_keys[key.id] = key
        return key.render_created()

    def _admin_key(self, key_id: str) -> AdminKey:
        key = self._admin_keys.get(key_id)
        if key is None:
            raise _not_found("admin API key", key_id)
        return key

    def admin_key(self, key_id: str) -> dict[str, Any]:
        with self._lock:
            return self._admin_key(key_id).render()

    def list_admin_keys(self, query: ListQuery) -> dict[str, Any]:
        with self._lock:
            items = [k.render() for k in self._admin_keys.values()]
        return page(items, query)

    def delete_admin_key(self, key_id: str) -> dict[str, Any]:
        with self._lock:
            self._admin_key(key_id)
            del self._admin_keys[key_id]
        return {"id": key_id, "object": "organization.admin_api_key.deleted", "deleted": True}
