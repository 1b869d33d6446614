"""Local files chosen for an agent's environment: where they may go (absolute paths under
``/workspace``, outside the reserved ones), which files a directory and its include patterns
select (regular files only, no symlinks, nothing outside the directory), and what the
upload helpers return and raise."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from stat import S_ISDIR

from ...._exceptions import OpenAIError
from ....types.beta.agents.environments.environment_file import EnvironmentFile
from ....types.beta.hosted_environment_file_param import HostedEnvironmentFileParam

__all__ = [
    "AgentFilePreparationError",
    "AgentFileStagingError",
    "PreparedAgentFiles",
    "StagedAgentFile",
    "check_destination",
    "check_selection",
    "local_file",
    "select_directory",
]

_RESERVED = (".codex", ".managed-agents")


@dataclass
class PreparedAgentFiles:
    """Files uploaded for a new environment: ``files`` to pass as the environment's (or a
    template's) ``files``, and ``uploaded_file_ids``, the Files API uploads the caller owns
    (delete them when no longer needed)."""

    files: list[HostedEnvironmentFileParam] = field(default_factory=list)
    uploaded_file_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StagedAgentFile:
    """A file put in an environment (``file``) and the Files API upload it came from
    (``uploaded_file_id``, the caller's to delete)."""

    uploaded_file_id: str
    file: EnvironmentFile


class AgentFilePreparationError(OpenAIError):
    """Some files could not be uploaded; ``prepared`` holds those that were (their uploads
    are the caller's to use or delete). The first failure is the ``__cause__``."""

    def __init__(self, prepared: PreparedAgentFiles) -> None:
        done = len(prepared.uploaded_file_ids)
        super().__init__(f"could not upload every agent file ({done} uploaded, kept in .prepared)")
        self.prepared = prepared


class AgentFileStagingError(OpenAIError):
    """A file was uploaded but could not be put in the environment; ``uploaded_file_id`` is
    the upload, the caller's to retry with or delete. The failure is the ``__cause__``."""

    def __init__(self, uploaded_file_id: str) -> None:
        super().__init__(f"uploaded {uploaded_file_id} but could not put it in the environment")
        self.uploaded_file_id = uploaded_file_id


def check_destination(path: str) -> str:
    """``path`` if it is a file path an environment accepts: absolute, POSIX, under
    ``/workspace``, no empty, ``.`` or ``..`` part, not a reserved path; else ValueError."""
    if not isinstance(path, str):
        raise TypeError(f"an agent file's path must be a str, got {type(path).__name__}")
    parts = path.split("/")[1:]
    if not path.startswith("/workspace/") or "\x00" in path or "\\" in path:
        raise ValueError(
            f"agent file paths must be absolute POSIX paths under /workspace/: {path!r}"
        )
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"agent file paths cannot have empty, '.' or '..' parts: {path!r}")
    top = parts[1]
    if top in _RESERVED or top.startswith(".managed-agents-") or path == "/workspace/outputs":
        raise ValueError(f"agent file path {path!r} is reserved by the environment")
    return path


def local_file(source: str | os.PathLike[str]) -> Path:
    """The absolute path of a regular local file (not a symlink); else ValueError."""
    path = Path(source).absolute()
    if path.is_symlink():
        raise ValueError(f"agent files must not be symlinks: {str(path)!r}")
    if not path.is_file():
        raise ValueError(f"agent files must be regular files: {str(path)!r}")
    return path


def check_selection(files: Mapping[str, str | os.PathLike[str]]) -> list[tuple[str, Path]]:
    """The (destination, local file) pairs of ``files``, checked before anything is sent:
    every destination valid, none the same as or inside another, every source a regular
    file. Raises ValueError naming the first bad one."""
    destinations = [check_destination(d) for d in files]
    chosen = set(destinations)
    if len(chosen) != len(destinations):
        raise ValueError("two agent files have the same destination")
    for destination in destinations:
        for parent in PurePosixPath(destination).parents:
            if str(parent) in chosen:
                raise ValueError(f"agent file {destination!r} would be inside {str(parent)!r}")
    return [(d, local_file(source)) for d, source in files.items()]


def select_directory(
    root: str | os.PathLike[str], destination: str, include: Sequence[str]
) -> dict[str, Path]:
    """The files of the directory ``root`` that the glob patterns ``include`` select, by
    their destination under ``destination`` (their path relative to ``root`` appended).

    Blocking (it walks the file system): run it in a thread. Raises ValueError for no
    patterns, a root that is not a directory (or is a symlink), a pattern reaching outside
    it, a selected symlink, or a selection of no file.
    """
    if isinstance(include, str) or not include:
        raise ValueError("select a directory's files with a list of include patterns")
    directory = Path(root).absolute()
    try:
        mode = directory.lstat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = 0
    if not S_ISDIR(mode):
        raise ValueError(f"{str(directory)!r} is not a directory (symlinks are not followed)")
    directory = directory.resolve()
    check_destination(destination + "/a")
    for pattern in include:
        pure = PurePosixPath(pattern)
        if not pattern or pure.is_absolute() or ".." in pure.parts:
            raise ValueError(f"include pattern {pattern!r} must stay inside the directory")
    selected: dict[str, Path] = {}
    for pattern in include:
        for source in sorted(directory.glob(pattern)):
            step = source
            while step != directory:
                if step.is_symlink():
                    raise ValueError(f"agent files must not be symlinks: {str(step)!r}")
                step = step.parent
            if source.is_dir():
                continue
            relative = source.relative_to(directory).as_posix()
            selected[str(PurePosixPath(destination) / relative)] = source
    if not selected:
        raise ValueError(f"the include patterns {list(include)!r} selected no file")
    return selected
