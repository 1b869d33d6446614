"""The set-up a new user meets: the Makefile, the license, the README's links, ARCHITECTURE.md."""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Final

import pytest

ROOT: Final = Path(__file__).resolve().parents[1]

#: What a pyenv shim of a Python version that is not active says, and its exit status.
PYENV_SHIM: Final = """#!/bin/sh
echo "pyenv: $(basename "$0"): command not found" >&2
echo "" >&2
echo "The \\`$(basename "$0")' command exists in these Python versions:" >&2
exit 127
"""


def test_make_finds_python_without_printing_errors(tmp_path: Path) -> None:
    """pyenv shims for 3.13 and 3.12 fail noisily; make picks 3.11 and prints nothing."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    shims = tmp_path / "shims"
    shims.mkdir()
    for name in ("python3.13", "python3.12"):
        (shims / name).write_text(PYENV_SHIM)
        (shims / name).chmod(0o755)
    (shims / "python3.11").symlink_to(sys.executable)
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, checkout / name)
    env = {**os.environ, "PATH": f"{shims}{os.pathsep}{Path(make).parent}{os.pathsep}/bin"}
    env.pop("PYTHON", None)
    done = subprocess.run(
        [make, "-n", "install"], cwd=checkout, env=env, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert "python3.11 -m venv .venv" in done.stdout


def test_the_license_is_mit_as_pyproject_says() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert re.search(r"^Copyright \(c\) \d{4} aio_openai contributors$", text, re.MULTILINE)
    assert "WITHOUT WARRANTY OF ANY KIND" in text


def test_readme_links_point_at_files_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#:\s]+)\)", readme)
    assert {"ARCHITECTURE.md", "LICENSE"} <= set(links)
    for link in links:
        assert (ROOT / link).exists(), link
    assert "apt-get install redis-server" in readme


def test_architecture_names_every_module() -> None:
    """ARCHITECTURE.md stays true: every module of the package is placed in it."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"[\w*]+\.py", text))
    package = ROOT / "aio_openai"
    modules = [*package.glob("*.py"), *(package / "testing").glob("*.py")]
    missing = [
        str(m.relative_to(ROOT))
        for m in modules
        if not any(fnmatch.fnmatch(m.name, pattern) for pattern in named)
    ]
    assert not missing, f"ARCHITECTURE.md does not place {missing}"
    for directory in ("resources/", "types/", "testing/"):
        assert directory in text
