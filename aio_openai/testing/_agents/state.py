"""The state of the fake Agents API: every object kept in a table by id, answered in the
SDK's shapes. Paused automations refuse invocations (409), credential secrets are stored
but never answered, environment files are kept by path with their bytes."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Mapping
from typing import Any

from aio_openai.testing._checks import APIError
from aio_openai.testing._files.state import FilesState
from aio_openai.testing._shapes import ListQuery, new_id, page

__all__ = ["AgentsState", "Table"]

#: The keys of each kind's auth that hold a secret: stored, never sent back.
_SECRETS = ("token", "access_token", "refresh_token", "secret_value", "client_secret")


class Table:
    """Records of one kind by id, oldest first; ``kind`` names them in 404s."""

    def __init__(self, kind: str, param: str) -> None:
        self.kind = kind
        self.param = param
        self.rows: dict[str, dict[str, Any]] = {}

    def get(self, object_id: str) -> dict[str, Any]:
        row = self.rows.get(object_id)
        if row is None:
            raise APIError(404, f"No {self.kind} found with id '{object_id}'.", param=self.param)
        return row

    def pop(self, object_id: str) -> dict[str, Any]:
        self.get(object_id)
        return self.rows.pop(object_id)


class AgentsState:
    """The fake Agents API (``fake.state.agents``). Every operation takes the state's lock;
    an unknown id raises :class:`APIError` (404), a refused request 400 or 409."""

    def __init__(self, files: FilesState) -> None:
        self._lock = threading.Lock()
        self._files = files
        self.agents = Table("agent", "agent_id")
        self.automations = Table("automation", "automation_id")
        self.invocations: dict[str, Table] = {}
        self.vaults = Table("vault", "vault_id")
        self.credentials: dict[str, Table] = {}
        #: the secrets of each credential (by id): kept, never answered
        self.secrets: dict[str, dict[str, Any]] = {}
        self.environments = Table("environment", "environment_id")
        self.environment_files: dict[str, dict[str, bytes]] = {}
        self.templates = Table("environment template", "environment_template_id")
        #: the ``files`` each template was given (inline data included)
        self.template_files: dict[str, list[Mapping[str, Any]]] = {}

    # -- agents ------------------------------------------------------------------------------

    def create_agent(self, body: Mapping[str, Any]) -> dict[str, Any]:
        now = int(time.time())
        record: dict[str, Any] = {
            "id": new_id("agent_"),
            "object": "agent",
            "created_at": now,
            "updated_at": now,
            "metadata": {},
            "name": None,
            **agent_settings(body),
        }
        with self._lock:
            self.agents.rows[record["id"]] = record
            return dict(record)

    def update(self, table: Table, object_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Change the given fields of a record (``updated_at`` too, if it has one)."""
        with self._lock:
            record = table.get(object_id)
            _merge(record, body)
            if table is self.agents:
                record.update(agent_settings(record))
            elif table is self.automations and "target" in body:
                record["target"] = _target(body["target"])
            if "updated_at" in record:
                record["updated_at"] = max(int(time.time()), record["updated_at"])
            return dict(record)

    def retrieve(self, table: Table, object_id: str) -> dict[str, Any]:
        with self._lock:
            return dict(table.get(object_id))

    def list(self, table: Table, query: ListQuery, keep: Any = None) -> dict[str, Any]:
        """A page of a table's records (those ``keep(record)`` accepts, if given)."""
        with self._lock:
            rows = [dict(r) for r in table.rows.values() if keep is None or keep(r)]
        return page(rows, query)

    def delete(self, table: Table, object_id: str) -> None:
        with self._lock:
            table.pop(object_id)
            self.invocations.pop(object_id, None)
            self.secrets.pop(object_id, None)
            for credential in self.credentials.pop(object_id, Table("", "")).rows:
                self.secrets.pop(credential, None)
            self.environment_files.pop(object_id, None)

    # -- automations -------------------------------------------------------------------------

    def create_automation(self, body: Mapping[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": new_id("auto_"),
            "object": "agent.automation",
            "created_at": int(time.time()),
            "created_by": {"type": "developer"},
            "metadata": {},
            "status": "active",
            "pause_reason": None,
        }
        _merge(record, body)
        record["target"] = _target(body["target"])
        if body["type"] == "periodic":
            record.setdefault("timezone", "UTC")
        with self._lock:
            self.automations.rows[record["id"]] = record
            self.invocations[record["id"]] = Table("invocation", "invocation_id")
            return dict(record)

    def set_status(self, automation_id: str, status: str) -> dict[str, Any]:
        """Pause (``paused``) or resume (``active``) an automation."""
        with self._lock:
            record = self.automations.get(automation_id)
            if record["status"] == "completed":
                raise APIError(409, f"Automation '{automation_id}' has completed.", code="conflict")
            record["status"] = status
            return dict(record)

    def invoke(self, automation_id: str) -> dict[str, Any]:
        """Run an automation now: 409 when it is paused or completed."""
        with self._lock:
            record = self.automations.get(automation_id)
            if record["status"] != "active":
                raise APIError(
                    409,
                    f"Automation '{automation_id}' is {record['status']}; resume it first.",
                    param="automation_id",
                    code="automation_not_active",
                )
            now = int(time.time())
            invocation: dict[str, Any] = {
                "id": new_id("ainv_"),
                "object": "agent.automation.invocation",
                "automation_id": automation_id,
                "created_at": now,
                "scheduled_at": now,
                "session_id": record["target"].get("session_id") or new_id("sess_"),
                "source": {"type": "manual"},
                "status": "completed",
                "error": None,
                "skip_reason": None,
            }
            self.invocations[automation_id].rows[invocation["id"]] = invocation
            return dict(invocation)

    def invocation_table(self, automation_id: str) -> Table:
        with self._lock:
            self.automations.get(automation_id)
            return self.invocations[automation_id]

    # -- vaults and credentials --------------------------------------------------------------

    def create_vault(self, body: Mapping[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": new_id("vault_"),
            "object": "vault",
            "created_at": int(time.time()),
            "metadata": dict(body.get("metadata") or {}),
            "name": body.get("name"),
        }
        with self._lock:
            self.vaults.rows[record["id"]] = record
            self.credentials[record["id"]] = Table("credential", "credential_id")
            return dict(record)

    def credential_table(self, vault_id: str) -> Table:
        with self._lock:
            self.vaults.get(vault_id)
            return self.credentials[vault_id]

    def create_credential(self, vault_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        now = int(time.time())
        auth, secret = _split_secret(body["auth"])
        record: dict[str, Any] = {
            "id": new_id("cred_"),
            "object": "vault.credential",
            "vault_id": vault_id,
            "created_at": now,
            "updated_at": now,
            "name": body["name"],
            "metadata": dict(body.get("metadata") or {}),
            "auth": auth,
        }
        with self._lock:
            self.vaults.get(vault_id)
            self.credentials[vault_id].rows[record["id"]] = record
            self.secrets[record["id"]] = secret
            return dict(record)

    def update_credential(
        self, vault_id: str, credential_id: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        with self._lock:
            self.vaults.get(vault_id)
            record = self.credentials[vault_id].get(credential_id)
            if "auth" in body:
                auth, secret = _split_secret(body["auth"])
                record["auth"] = {**record["auth"], **auth}
                self.secrets[credential_id] = {**self.secrets[credential_id], **secret}
            if "metadata" in body:
                record["metadata"] = dict(body["metadata"] or {})
            record["updated_at"] = max(int(time.time()), record["updated_at"])
            return dict(record)

    # -- environments and templates ----------------------------------------------------------

    def create_environment(self, body: Mapping[str, Any]) -> dict[str, Any]:
        spec = dict(body["environment"])
        template_id = spec.get("environment_template_id")
        with self._lock:
            sources: list[Mapping[str, Any]] = []
            if template_id is not None:
                self.templates.get(template_id)
                sources += self.template_files.get(template_id, [])
            sources += spec.get("files") or ()
            by_path = {f["path"]: self._hosted_file(f, i) for i, f in enumerate(sources)}
            files = list(by_path.values())
            record = {
                "id": new_id("env_"),
                "object": "agent.environment",
                "type": spec.get("type", "openai_hosted"),
                "status": "ready",
                "files": [f for f, _ in files],
                "plugins": [],
                "skills": [],
            }
            self.environments.rows[record["id"]] = record
            self.environment_files[record["id"]] = {f["path"]: data for f, data in files}
            return dict(record)

    def _hosted_file(self, spec: Mapping[str, Any], index: int) -> tuple[dict[str, Any], bytes]:
        """An environment's file and its bytes, from its ``files`` entry (400 for an unknown
        Files API file)."""
        if spec.get("type") == "file_id":
            try:
                data = self._files.content(spec["file_id"])
            except APIError:
                raise APIError(
                    400,
                    f"File '{spec['file_id']}' not found.",
                    param=f"environment.files[{index}].file_id",
                ) from None
            shown = {"type": "file_id", "file_id": spec["file_id"]}
        else:
            data = base64.b64decode(spec.get("data") or "")
            shown = {"type": "inline"}
        shown.update(id=new_id("envfile_"), path=spec["path"], size_bytes=len(data))
        return shown, data

    def write_file(self, environment_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.environments.get(environment_id)
            if body["type"] == "file_id":
                try:
                    data = self._files.content(body["file_id"])
                except APIError:
                    raise APIError(
                        404, f"File '{body['file_id']}' not found.", param="file_id"
                    ) from None
            else:
                data = base64.b64decode(body["data"])
            self.environment_files[environment_id][body["path"]] = data
            return _environment_file(environment_id, body["path"], data)

    def list_files(
        self,
        environment_id: str,
        limit: int,
        descending: bool,
        token: str | None,
        prefix: str | None,
    ) -> dict[str, Any]:
        """A page of an environment's files by path; ``next`` is the last path of the page."""
        with self._lock:
            self.environments.get(environment_id)
            stored = self.environment_files[environment_id]
            paths = sorted(stored, reverse=descending)
            if prefix is not None:
                paths = [p for p in paths if p == prefix or p.startswith(prefix.rstrip("/") + "/")]
            if token is not None:
                paths = [p for p in paths if (p < token if descending else p > token)]
            chosen = paths[:limit]
            data = [_environment_file(environment_id, p, stored[p]) for p in chosen]
        more = len(paths) > limit
        return {
            "object": "list",
            "data": data,
            "has_more": more,
            "next": chosen[-1] if more else None,
        }

    def file_bytes(self, environment_id: str, path: str) -> bytes:
        """The bytes of an environment's file (for tests)."""
        with self._lock:
            self.environments.get(environment_id)
            try:
                return self.environment_files[environment_id][path]
            except KeyError:
                raise APIError(404, f"No file at '{path}'.", param="path") from None

    def create_template(self, body: Mapping[str, Any]) -> dict[str, Any]:
        now = int(time.time())
        record: dict[str, Any] = {
            "id": new_id("envtpl_"),
            "object": "agent.environment.template",
            "created_at": now,
            "updated_at": now,
            "capability_directories": [],
            "files": [],
            "name": None,
            "network": {"access": "disabled", "allowed_domains": []},
            "packages": {"npm": [], "python": [], "system": []},
            "plugins": [],
            "skills": [],
            "desktop": None,
        }
        with self._lock:
            _merge(record, _template_fields(body))
            self.templates.rows[record["id"]] = record
            self.template_files[record["id"]] = list(body.get("files") or ())
            return dict(record)

    def update_template(self, template_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Change the given fields of a template (its files' sources too)."""
        record = self.update(self.templates, template_id, _template_fields(body))
        if "files" in body:
            with self._lock:
                self.template_files[template_id] = list(body["files"] or ())
        return record


_AGENT_DEFAULTS: dict[str, Any] = {
    "instructions": None,
    "multi_agent": {"enabled": False, "max_concurrent_subagents": None},
    "reasoning": {"effort": None, "summary": None},
    "service_tier": "auto",
    "text": {"format": {"type": "text"}, "verbosity": "medium"},
    "tools": [],
}


def agent_settings(body: Mapping[str, Any]) -> dict[str, Any]:
    """An agent's settings as the API answers them: the given ones (null resets one to its
    default), the rest defaulted, function tools completed."""
    settings = {k: v for k, v in body.items() if v is not None or k not in _AGENT_DEFAULTS}
    record = {**_AGENT_DEFAULTS, **settings}
    for key, default in _AGENT_DEFAULTS.items():
        if isinstance(default, dict):
            given = {k: v for k, v in (record[key] or {}).items() if v is not None}
            record[key] = {**default, **given}
    record["tools"] = [_tool(t) for t in record["tools"] or ()]
    if isinstance(record.get("compaction"), Mapping):
        record["compaction"] = {"async": False, **record["compaction"]}
    if isinstance(record.get("experimental"), Mapping):
        record["experimental"] = {"time_awareness": False, **record["experimental"]}
    return record


def _tool(tool: Mapping[str, Any]) -> dict[str, Any]:
    if tool.get("type") != "function":
        return dict(tool)
    return {"defer_loading": False, "description": "", "parameters": {}, **tool}


def _target(target: Mapping[str, Any]) -> dict[str, Any]:
    """An automation's target as the API answers it."""
    if target.get("type") != "new_session":
        return dict(target)
    agent = target.get("agent")
    return {
        **target,
        "agent": None if agent is None else agent_settings(agent),
        "agent_id": target.get("agent_id"),
        "metadata": dict(target.get("metadata") or {}),
        "vault_ids": list(target.get("vault_ids") or ()),
    }


_TEMPLATE_DEFAULTS: dict[str, Any] = {
    "capability_directories": [],
    "files": [],
    "network": {"access": "disabled", "allowed_domains": []},
    "packages": {"npm": [], "python": [], "system": []},
    "plugins": [],
    "skills": [],
}


def _template_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """A template body as the API answers it: setup commands and env values never sent
    back, inline files by their size."""
    fields = {k: v for k, v in body.items() if k not in ("setup_commands", "env")}
    for key, default in _TEMPLATE_DEFAULTS.items():
        if key in fields:
            given = fields[key]
            if isinstance(default, dict):
                fields[key] = {
                    **default,
                    **{k: v for k, v in (given or {}).items() if v is not None},
                }
            elif given is None:
                fields[key] = default
    if fields.get("files"):
        fields["files"] = [
            {"type": "inline", "path": f["path"], "size_bytes": len(base64.b64decode(f["data"]))}
            if f.get("type") == "inline"
            else dict(f)
            for f in fields["files"]
        ]
    return fields


def _environment_file(environment_id: str, path: str, data: bytes) -> dict[str, Any]:
    return {
        "object": "agent.environment.file",
        "environment_id": environment_id,
        "path": path,
        "size_bytes": len(data),
    }


def _split_secret(auth: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A credential's ``auth`` as answered (its secrets left out, at any depth) and its
    secrets."""
    shown: dict[str, Any] = {}
    secret: dict[str, Any] = {}
    for key, value in auth.items():
        if key in _SECRETS:
            secret[key] = value
        elif isinstance(value, Mapping):
            shown[key], inner = _split_secret(value)
            if inner:
                secret[key] = inner
        else:
            shown[key] = value
    if auth.get("type") == "environment_variable":
        shown.setdefault("networking", {"type": "unrestricted"})
    return shown, secret


def _merge(record: dict[str, Any], body: Mapping[str, Any]) -> None:
    """Set the body's fields on a record (null clears a field; metadata replaced whole)."""
    for key, value in body.items():
        record[key] = dict(value) if isinstance(value, Mapping) else value
