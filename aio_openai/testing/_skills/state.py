"""The state of the fake skills: each skill's versions, their zips, default and latest."""

from __future__ import annotations

import threading
import time
from typing import Any

import attrs

from aio_openai.testing._checks import APIError
from aio_openai.testing._shapes import ListQuery, new_id, page
from aio_openai.testing._skills.bundle import Bundle

__all__ = ["SkillsState"]


@attrs.define
class _Skill:
    record: dict[str, Any]
    #: The versions by number ("1", "2", ...), oldest first, and their zips.
    versions: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    zips: dict[str, bytes] = attrs.field(factory=dict)
    numbered: int = 0


def _add(skill: _Skill, bundle: Bundle, default: bool) -> dict[str, Any]:
    skill.numbered += 1
    number = str(skill.numbered)
    record = {
        "object": "skill.version",
        "id": new_id("skillver_"),
        "skill_id": skill.record["id"],
        "version": number,
        "created_at": int(time.time()),
        "name": bundle.name,
        "description": bundle.description,
    }
    skill.versions[number] = record
    skill.zips[number] = bundle.zip
    skill.record["latest_version"] = number
    if default:
        _set_default(skill, number)
    return dict(record)


def _set_default(skill: _Skill, number: str) -> None:
    version = skill.versions[number]
    skill.record.update(
        default_version=number, name=version["name"], description=version["description"]
    )


class SkillsState:
    """The skills of a fake server (``fake.state.skills``).

    A skill is created with its version 1, default and latest; each new version takes the
    next number (numbers are not reused after a delete) and becomes the latest, and the
    default when asked. The skill shows the name and description of its default version's
    ``SKILL.md``. The default version cannot be deleted (400). Every operation takes the
    state's lock; unknown ids and versions raise :class:`APIError` (404).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._skills: dict[str, _Skill] = {}

    def _get(self, skill_id: str) -> _Skill:
        found = self._skills.get(skill_id)
        if found is None:
            raise APIError(404, f"Skill with id '{skill_id}' not found.", param="skill_id")
        return found

    def _version(self, skill: _Skill, version: str) -> dict[str, Any]:
        found = skill.versions.get(version)
        if found is None:
            raise APIError(404, f"Skill version '{version}' not found.", param="version")
        return found

    def create(self, bundle: Bundle) -> dict[str, Any]:
        """A new skill of a checked bundle, its version 1."""
        record: dict[str, Any] = {
            "object": "skill",
            "id": new_id("skill_"),
            "created_at": int(time.time()),
        }
        skill = _Skill(record)
        with self._lock:
            _add(skill, bundle, default=True)
            self._skills[record["id"]] = skill
            return dict(skill.record)

    def retrieve(self, skill_id: str) -> dict[str, Any]:
        """A skill."""
        with self._lock:
            return dict(self._get(skill_id).record)

    def set_default(self, skill_id: str, version: str) -> dict[str, Any]:
        """Make ``version`` a skill's default (400 for a version it lacks); return it."""
        with self._lock:
            skill = self._get(skill_id)
            if version not in skill.versions:
                raise APIError(
                    400, f"Skill version '{version}' not found.", param="default_version"
                )
            _set_default(skill, version)
            return dict(skill.record)

    def list_skills(self, query: ListQuery) -> dict[str, Any]:
        """One page of the skills."""
        with self._lock:
            return page([dict(s.record) for s in self._skills.values()], query)

    def delete(self, skill_id: str) -> None:
        """Remove a skill and its versions."""
        with self._lock:
            self._get(skill_id)
            del self._skills[skill_id]

    def content(self, skill_id: str, version: str | None = None) -> bytes:
        """The zip of a version of a skill (its default one if None)."""
        with self._lock:
            skill = self._get(skill_id)
            number = skill.record["default_version"] if version is None else version
            self._version(skill, number)
            return skill.zips[number]

    # -- versions ----------------------------------------------------------------------------

    def create_version(self, skill_id: str, bundle: Bundle, default: bool) -> dict[str, Any]:
        """A new version of a skill, the latest; its default if ``default``."""
        with self._lock:
            return _add(self._get(skill_id), bundle, default)

    def version(self, skill_id: str, version: str) -> dict[str, Any]:
        """A version of a skill."""
        with self._lock:
            return dict(self._version(self._get(skill_id), version))

    def list_versions(self, skill_id: str, query: ListQuery) -> dict[str, Any]:
        """One page of a skill's versions, by number."""
        with self._lock:
            return page([dict(v) for v in self._get(skill_id).versions.values()], query)

    def delete_version(self, skill_id: str, version: str) -> dict[str, Any]:
        """Remove a version that is not the default; return what it was."""
        with self._lock:
            skill = self._get(skill_id)
            record = self._version(skill, version)
            if skill.record["default_version"] == version:
                raise APIError(
                    400, "The default version of a skill cannot be deleted.", param="version"
                )
            del skill.versions[version], skill.zips[version]
            skill.record["latest_version"] = max(skill.versions, key=int)
            return dict(record)
