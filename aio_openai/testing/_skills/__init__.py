"""Skills of the fake server: uploaded bundles (a zip, or a directory's files with a
``SKILL.md``), their numbered versions, default and latest, and their zips.

Reached as ``fake.state.skills`` (a :class:`SkillsState`). A skill's name and description
come from its default version's ``SKILL.md`` front matter; ``content`` answers the zip that
was uploaded (a directory upload zipped, see :mod:`.bundle`).

Modules: :mod:`.state`, :mod:`.bundle` (uploads read and checked, zips), :mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._skills.routes import add_skills_routes
from aio_openai.testing._skills.state import SkillsState

__all__ = ["SkillsState", "add_skills_routes"]
