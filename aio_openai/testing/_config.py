"""What ``aio-openai serve-fake`` sets up: a FakeOpenAI described by a config file and options.

A config file is TOML (``.toml``) or JSON (any other name); every key is optional::

    host = "127.0.0.1"
    port = 8000
    api_keys = ["sk-test"]              # accept only these keys (default: any non-empty key)
    accept_any_model = false            # true: requests may name any model
    generic = true                      # false: no generic mode (other operations 404)
    models = [                          # served besides the seed models
        "my-model",                     # owned by "user": deletable
        { id = "ft:gpt-4o-mini:acme::abc", owned_by = "acme", created = 1700000000 },
    ]
    rpm = 60                            # rate limits of every key and model, per minute
    tpm = 40000
    fault_rate = 0.1                    # random faults at this rate ...
    fault_kinds = ["status_503", "reset"]   # ... of these kinds (default 5xx and resets)
    fault_delay = 2.0                   # seconds of a "delay" fault
    seed = 1234                         # seed of the random faults
    [replies]                           # scripted replies: last user message -> answer
    "Hi" = "Hello!"

:func:`load_config` reads a file into a :class:`FakeConfig`, :meth:`FakeConfig.merge` lays the
command line's options over it, :meth:`FakeConfig.build` makes the server (not started yet). A
bad value raises :class:`ConfigError` saying which and why, before anything listens.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from aio_openai.testing._faults import DEFAULT_RANDOM_KINDS
from aio_openai.testing._server import FakeOpenAI

__all__ = ["ConfigError", "FakeConfig", "FakeModel", "load_config"]

_KEYS: Final = frozenset(
    {
        "host", "port", "api_keys", "accept_any_model", "generic", "models", "rpm", "tpm",
        "fault_rate", "fault_kinds", "fault_delay", "seed", "replies",
    }
)  # fmt: skip


class ConfigError(ValueError):
    """A config file or option that cannot be used; the message says which and why."""


@attrs.frozen
class FakeModel:
    """A model to serve besides the seed models (``owned_by`` "user" can be deleted)."""

    id: str
    owned_by: str = "user"
    created: int | None = None


@attrs.frozen(kw_only=True)
class FakeConfig:
    """Everything ``serve-fake`` can set; None (or empty) leaves FakeOpenAI's default."""

    host: str | None = None
    port: int | None = None
    api_keys: tuple[str, ...] = ()
    accept_any_model: bool | None = None
    generic: bool | None = None
    models: tuple[FakeModel, ...] = ()
    rpm: float | None = None
    tpm: float | None = None
    fault_rate: float | None = None
    fault_kinds: tuple[str, ...] = ()
    fault_delay: float | None = None
    seed: int | None = None
    replies: Mapping[str, str] = attrs.field(factory=dict)

    def merge(self, over: FakeConfig) -> FakeConfig:
        """This config with ``over`` laid on top: its lists added, its values winning."""
        changes: dict[str, Any] = {}
        for field in attrs.fields(FakeConfig):
            mine, theirs = getattr(self, field.name), getattr(over, field.name)
            if isinstance(mine, tuple):
                changes[field.name] = (*mine, *theirs)
            elif isinstance(mine, Mapping):
                changes[field.name] = {**mine, **theirs}
            else:
                changes[field.name] = mine if theirs is None else theirs
        return FakeConfig(**changes)

    def build(self) -> FakeOpenAI:
        """A stopped FakeOpenAI set up as this config says.

        Raises :class:`ConfigError` for a value the server refuses (a rate out of 0..1, an
        unknown fault kind, a limit <= 0, ...), before anything listens.
        """
        if self.port is not None and not 0 <= self.port <= 65535:
            raise ConfigError(f"port must be 0..65535, not {self.port}")
        if "delay" in self.fault_kinds and self.fault_delay is None:
            raise ConfigError("the 'delay' fault kind needs fault_delay (--fault-delay)")
        if any(not key for key in self.api_keys):
            raise ConfigError("an API key must not be empty")
        try:
            fake = FakeOpenAI(
                host="127.0.0.1" if self.host is None else self.host,
                port=self.port or 0,
                api_keys=self.api_keys or None,
                record_requests=False,
                accept_any_model=bool(self.accept_any_model),
                generic=self.generic is not False,
            )
            for model in self.models:
                fake.add_model(model.id, owned_by=model.owned_by, created=model.created)
            if self.rpm is not None or self.tpm is not None:
                fake.limits.set(rpm=self.rpm, tpm=self.tpm)
            if self.fault_rate or self.fault_kinds:  # a rate of 0 still checks the kinds
                fake.faults.random(
                    self.fault_rate or 0.0,
                    self.fault_kinds or DEFAULT_RANDOM_KINDS,
                    seed=self.seed or 0,
                    delay=self.fault_delay,
                )
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        state = fake.state
        scripted = (
            state.chat.replies,
            state.responses.replies,
            state.assistants.replies,
            state.realtime.replies,
        )
        for replies in scripted:
            replies.update(self.replies)
        return fake


def load_config(path: str | Path) -> FakeConfig:
    """Read a TOML (``.toml``) or JSON config file; :class:`ConfigError` if it cannot be used."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"cannot read {path}: {reason}") from None
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    except ValueError as exc:
        raise ConfigError(f"{path} is not valid JSON: {exc}") from None
    try:
        return config_from(data)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def config_from(data: Any) -> FakeConfig:
    """A :class:`FakeConfig` from a parsed config file (a table/object of the keys above)."""
    if not isinstance(data, Mapping):
        raise ConfigError("expected a table (a JSON object) of settings")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]!r}; known: {', '.join(sorted(_KEYS))}")
    fields: dict[str, Any] = {}
    if "host" in data:
        fields["host"] = _string(data["host"], "host")
    if "port" in data:
        fields["port"] = _integer(data["port"], "port")
    if "seed" in data:
        fields["seed"] = _integer(data["seed"], "seed")
    for name in ("accept_any_model", "generic"):
        if name in data:
            if not isinstance(data[name], bool):
                raise ConfigError(f"{name} must be true or false, not {data[name]!r}")
            fields[name] = data[name]
    for name in ("rpm", "tpm", "fault_rate", "fault_delay"):
        if name in data:
            fields[name] = _number(data[name], name)
    for name in ("api_keys", "fault_kinds"):
        if name in data:
            fields[name] = tuple(
                _string(v, f"{name}[{i}]") for i, v in enumerate(_list(data[name], name))
            )
    if "models" in data:
        fields["models"] = tuple(
            _model(v, f"models[{i}]") for i, v in enumerate(_list(data["models"], "models"))
        )
    if "replies" in data:
        replies = data["replies"]
        if not isinstance(replies, Mapping):
            raise ConfigError("replies must be a table of prompt = answer")
        fields["replies"] = {k: _string(v, f"replies[{k!r}]") for k, v in replies.items()}
    return FakeConfig(**fields)


def _model(value: Any, where: str) -> FakeModel:
    if isinstance(value, str):
        return FakeModel(value)
    if not isinstance(value, Mapping) or "id" not in value:
        raise ConfigError(f"{where} must be a model id or a table with an id, not {value!r}")
    unknown = sorted(set(value) - {"id", "owned_by", "created"})
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (id, owned_by, created)")
    created = value.get("created")
    return FakeModel(
        _string(value["id"], f"{where}.id"),
        _string(value.get("owned_by", "user"), f"{where}.owned_by"),
        None if created is None else _integer(created, f"{where}.created"),
    )


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ConfigError(f"{where} must be a list, not {value!r}")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be a string, not {value!r}")
    return value


def _integer(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{where} must be an integer, not {value!r}")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where} must be a number, not {value!r}")
    return float(value)
