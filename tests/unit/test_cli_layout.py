"""The layout of the ``aio-openai`` command (``aio_openai/cli/``) keeps its pattern.

- the command modules build on ``_common`` (and ``_json_commands``), never on the entry
  module ``aio_openai.cli`` (``cli/__init__.py``), which imports them;
- no module imports another module's private name (``from x import _y``), inside the
  package or out of it: shared helpers get public names in their (private) modules;
- no import cycle between the modules of ``cli/`` (imports under ``if TYPE_CHECKING:``
  aside, imports inside functions included);
- no module over 600 lines.

Each rule is checked on a made-up package that breaks it too, so a broken checker fails.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import Final

import pytest
from import_graph import (
    find_cycle,
    import_graph,
    import_source,
    package_modules,
    parse,
    private_imports,
)

import aio_openai.cli

ROOT: Final = Path(aio_openai.cli.__file__).parent
PACKAGE: Final = "aio_openai.cli"
MAX_LINES: Final = 600
MODULES: Final = package_modules(ROOT, PACKAGE)


def entry_imports(module: str, path: Path, package: str, modules: dict[str, Path]) -> list[str]:
    """The imports of the entry module ``package`` in ``module``, under TYPE_CHECKING too.

    ``from . import _sub`` names a submodule, not the entry module, and is allowed.
    """
    found = []
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            found += [
                f"import {a.name} (line {node.lineno})" for a in node.names if a.name == package
            ]
        elif isinstance(node, ast.ImportFrom):
            source = import_source(node, module, path)
            for alias in node.names:
                target = f"{source}.{alias.name}" if source else alias.name
                if target == package or (source == package and target not in modules):
                    found.append(f"from {source} import {alias.name} (line {node.lineno})")
    return found


def layout_problems(root: Path, package: str) -> list[str]:
    """Every break of the rules above in the package at ``root``."""
    modules = package_modules(root, package)
    problems = []
    for module, path in modules.items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            problems.append(f"{module} has {lines} lines: split it by concern")
        if module != package:
            imported = entry_imports(module, path, package, modules)
            problems += [f"{module} imports the entry module: {i}" for i in imported]
        private = private_imports(module, path, modules)
        problems += [f"{module} imports a private name: {p}" for p in private]
    cycle = find_cycle(import_graph(modules))
    if cycle is not None:
        problems.append("import cycle: " + " -> ".join(cycle))
    return problems


def test_the_cli_package_follows_its_layout() -> None:
    assert set(MODULES) >= {f"{PACKAGE}._common", f"{PACKAGE}._models", f"{PACKAGE}._batch"}
    assert layout_problems(ROOT, PACKAGE) == []


#: The made-up package: ``app.cmd``, its entry module ``app/cmd/__init__.py``.
_MADE_UP: Final = "app.cmd"


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "app" / "cmd"
    root.mkdir(parents=True)
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


_CLEAN: Final = {
    "__init__.py": "from . import _a\nfrom ._common import helper\n",
    "_common.py": "def helper() -> None: ...\n",
    "_a.py": """\
        from typing import TYPE_CHECKING
        from ._common import helper
        if TYPE_CHECKING:
            from . import _b
        """,
    "_b.py": "from . import _a\n",
}


def test_the_checks_pass_a_clean_package(tmp_path: Path) -> None:
    assert layout_problems(_package(tmp_path, _CLEAN), _MADE_UP) == []


@pytest.mark.parametrize(
    ("module", "text", "problem"),
    [
        ("_b.py", "from . import helper\n", "app.cmd._b imports the entry module: from app.cmd"),
        ("_b.py", "from app.cmd import helper\n", "app.cmd._b imports the entry module"),
        ("_b.py", "import app.cmd\n", "app.cmd._b imports the entry module: import app.cmd"),
        ("_b.py", "def f():\n    from .. import cmd\n", "app.cmd._b imports the entry module"),
        (
            "_b.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import helper\n",
            "app.cmd._b imports the entry module",
        ),
        ("_b.py", "from ._common import _hidden\n", "app.cmd._b imports a private name"),
        ("_b.py", "from os.path import _joinrealpath\n", "app.cmd._b imports a private name"),
        ("_common.py", "def f():\n    from ._a import helper\n", "import cycle: app.cmd._a ->"),
        ("_b.py", "x = 1\n" * (MAX_LINES + 1), "app.cmd._b has 601 lines"),
    ],
)
def test_the_checks_find_each_break(tmp_path: Path, module: str, text: str, problem: str) -> None:
    root = _package(tmp_path, {**_CLEAN, module: text})
    problems = layout_problems(root, _MADE_UP)
    assert any(p.startswith(problem) for p in problems), problems
