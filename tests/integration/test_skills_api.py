"""Skills end to end against FakeOpenAI: uploads (a directory's files, or one zip, from bytes
or a path), versions numbered from 1 with a default and a latest, the zips downloaded, and
the 400s and 404s of bad requests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Final

import pytest

from aio_openai import AsyncOpenAI, BadRequestError, NotFoundError
from aio_openai.testing._skills.bundle import zip_files
from aio_openai.types import DeletedSkill, Skill
from aio_openai.types.skills import DeletedSkillVersion, SkillVersion


def skill_md(name: str, description: str) -> bytes:
    return f"---\nname: {name}\ndescription: {description}\n---\nDo the thing.\n".encode()


ADDER: Final = skill_md("adder", "Adds numbers.")


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


async def test_a_directory_upload_is_version_1_and_its_zip(
    api: AsyncOpenAI, tmp_path: Path
) -> None:
    script = tmp_path / "add.py"
    script.write_bytes(b"print(1 + 1)\n")
    skill = await api.skills.create(files=[("SKILL.md", ADDER, "text/markdown"), script])
    assert isinstance(skill, Skill) and skill.id.startswith("skill_")
    assert (skill.name, skill.description) == ("adder", "Adds numbers.")
    assert (skill.default_version, skill.latest_version) == ("1", "1")
    content = await api.skills.content.retrieve(skill.id)
    assert entries(content.content) == {"SKILL.md": ADDER, "add.py": b"print(1 + 1)\n"}
    assert (await api.skills.retrieve(skill.id)).name == "adder"


async def test_versions_latest_default_and_their_zips(api: AsyncOpenAI) -> None:
    skill = await api.skills.create(files=("adder.zip", zip_files([("SKILL.md", ADDER)])))
    bundle = zip_files([("adder/SKILL.md", skill_md("adder", "Adds and subtracts."))])
    second = await api.skills.versions.create(skill.id, files=("v2.zip", bundle))
    assert isinstance(second, SkillVersion) and second.version == "2"
    assert second.description == "Adds and subtracts." and second.skill_id == skill.id
    now = await api.skills.retrieve(skill.id)
    assert (now.default_version, now.latest_version, now.description) == ("1", "2", "Adds numbers.")
    third = await api.skills.versions.create(
        skill.id, files=[("SKILL.md", skill_md("adder", "Third."))], default=True
    )
    now = await api.skills.retrieve(skill.id)
    assert (now.default_version, now.latest_version, now.description) == ("3", "3", "Third.")
    assert (await api.skills.versions.content.retrieve("2", skill_id=skill.id)).content == bundle
    assert entries((await api.skills.content.retrieve(skill.id)).content) == {
        "SKILL.md": skill_md("adder", "Third.")
    }
    back = await api.skills.update(skill.id, default_version="2")
    assert (back.default_version, back.description) == ("2", "Adds and subtracts.")
    page = await api.skills.versions.list(skill.id, order="asc")
    assert [v.version for v in page.data] == ["1", "2", "3"]
    newest = await api.skills.versions.list(skill.id, limit=1)
    assert [v.version for v in newest.data] == ["3"] and newest.has_more
    removed = await api.skills.versions.delete(third.version, skill_id=skill.id)
    assert isinstance(removed, DeletedSkillVersion)
    assert (removed.id, removed.version, removed.deleted) == (third.id, "3", True)
    assert (await api.skills.retrieve(skill.id)).latest_version == "2"
    with pytest.raises(NotFoundError):
        await api.skills.versions.retrieve("3", skill_id=skill.id)
    with pytest.raises(BadRequestError, match="default version"):
        await api.skills.versions.delete("2", skill_id=skill.id)
    fourth = await api.skills.versions.create(skill.id, files=[("SKILL.md", ADDER)])
    assert fourth.version == "4"  # a deleted number is not reused


async def test_list_and_delete(api: AsyncOpenAI) -> None:
    made = [await api.skills.create(files=[("SKILL.md", skill_md(n, n))]) for n in ("a", "b")]
    page = await api.skills.list()
    assert [s.name for s in page.data] == ["b", "a"]  # newest first
    gone = await api.skills.delete(made[0].id)
    assert isinstance(gone, DeletedSkill) and (gone.id, gone.deleted) == (made[0].id, True)
    with pytest.raises(NotFoundError, match=made[0].id):
        await api.skills.content.retrieve(made[0].id)
    assert [s.id for s in (await api.skills.list()).data] == [made[1].id]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("notes.txt", b"no skill")], "SKILL.md"),
        ([("SKILL.md", b"no front matter")], "front matter"),
        ([("SKILL.md", b"---\nname: x\n---\n")], "description"),
        (("broken.zip", b"PK\x03\x04 not really"), "zip"),
    ],
)
async def test_bad_bundles_are_refused(api: AsyncOpenAI, files: object, message: str) -> None:
    with pytest.raises(BadRequestError, match=message) as info:
        await api.skills.create(files=files)  # type: ignore[arg-type]
    assert info.value.param == "files"


async def test_missing_files_unknown_ids_and_versions(api: AsyncOpenAI) -> None:
    with pytest.raises(BadRequestError) as info:
        await api.skills.create()
    assert info.value.param == "files"
    with pytest.raises(NotFoundError):
        await api.skills.versions.create("skill_nope", files=[("SKILL.md", ADDER)])
    skill = await api.skills.create(files=[("SKILL.md", ADDER)])
    with pytest.raises(BadRequestError) as info:
        await api.skills.update(skill.id, default_version="7")
    assert info.value.param == "default_version"
    with pytest.raises(NotFoundError):
        await api.skills.versions.content.retrieve("7", skill_id=skill.id)


async def test_a_large_zip_streams_to_a_file(api: AsyncOpenAI, tmp_path: Path) -> None:
    blob = bytes(range(256)) * 4096
    skill = await api.skills.create(
        files=("big.zip", zip_files([("SKILL.md", ADDER), ("blob", blob)]))
    )
    target = tmp_path / "skill.zip"
    async with api.skills.content.with_streaming_response.retrieve(skill.id) as response:
        await response.stream_to_file(target)
    assert entries(target.read_bytes())["blob"] == blob
