"""Write the spec FakeOpenAI's generic mode serves: ``python tools/gen_fake_spec.py [--check]``.

FakeOpenAI ships in the package, so the OpenAPI document its generic mode answers from
(``aio_openai/testing/_generic/openapi.json.gz``) ships too. This tool derives it from the copy
of OpenAI's spec kept in the repository (``tests/conformance/spec/openai-openapi-v2-latest.yaml``,
MIT License, copyright OpenAI; its ``LICENSE`` is shipped beside the data file as
``OPENAPI_LICENSE``), with the conformance fixtures' derivation
(``tests/conformance/derive_fixtures.py``): every operation, the components they reach, no
descriptions or ``x-*`` keys, and the same fixes for JSON Schema 2020-12 validators (``nullable``
made into type lists, discriminators dropped, ...). Beside them, ``x-examples`` holds each
operation's published example answer that is JSON (``"get /organization/projects"`` -> value),
and ``x-provenance`` names the source file, its commit and sha256, and every change made.

The JSON is written with sorted keys and gzip'd without a timestamp, so a rerun writes the same
bytes; ``--check`` exits 1 if the file differs from what this run would write
(``tests/unit/test_generic_spec_data.py`` checks the same).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import shutil
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
SPEC_DIR = REPO_ROOT / "tests" / "conformance" / "spec"
OUT_DIR = REPO_ROOT / "aio_openai" / "testing" / "_generic"
DATA_FILE = OUT_DIR / "openapi.json.gz"
LICENSE_FILE = OUT_DIR / "OPENAPI_LICENSE"
VERSION = "v2"


def _derive_fixtures() -> Any:
    """The conformance fixtures' derivation module (a script under tests/, loaded by path)."""
    path = REPO_ROOT / "tests" / "conformance" / "derive_fixtures.py"
    spec = importlib.util.spec_from_file_location("_derive_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def _example(entry: Any) -> Any:
    """The JSON value of an example answer string, or None when it is not JSON."""
    text = entry.get("response") if isinstance(entry, dict) else None
    if not isinstance(text, str):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict | list) else None


def build(spec_dir: Path = SPEC_DIR) -> dict[str, Any]:
    """The document the generic mode serves, derived from the spec in ``spec_dir``."""
    derive = _derive_fixtures()
    source = derive.SOURCES[VERSION].spec
    # The source commit's date stands for the derivation date: reruns write the same bytes.
    spec_text, examples_text = derive.derive(
        VERSION, spec_dir, source.commit_date, every_operation=True
    )
    doc: dict[str, Any] = json.loads(spec_text)
    examples: dict[str, Any] = json.loads(examples_text)
    provenance = doc["x-provenance"]
    provenance["derived_by"] = "tools/gen_fake_spec.py (tests/conformance/derive_fixtures.py)"
    provenance["license"] = (
        "MIT License, copyright OpenAI: aio_openai/testing/_generic/OPENAPI_LICENSE"
    )
    provenance["patches"].append(
        "x-examples: each operation's first x-oaiMeta example response that parses as JSON, "
        "keyed by 'method path'"
    )
    kept: dict[str, Any] = {}
    for operation in examples["operations"].values():
        for entry in operation["examples"]:
            value = _example(entry)
            if value is not None:
                kept[f"{operation['method']} {operation['path']}"] = value
                break
    doc["x-examples"] = kept
    return doc


def encode(doc: dict[str, Any]) -> bytes:
    """The data file's bytes: compact sorted JSON, gzip'd without a name or a timestamp."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return gzip.compress(text.encode(), compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check``, compare) the data file and its license."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    doc = build()
    if args.check:
        current = (
            json.loads(gzip.decompress(DATA_FILE.read_bytes())) if DATA_FILE.exists() else None
        )
        license_ok = (
            LICENSE_FILE.exists()
            and LICENSE_FILE.read_bytes() == (SPEC_DIR / "LICENSE").read_bytes()
        )
        if current != doc or not license_ok:
            print(f"{DATA_FILE} is stale: run tools/gen_fake_spec.py", file=sys.stderr)
            return 1
        return 0
    DATA_FILE.write_bytes(encode(doc))
    shutil.copyfile(SPEC_DIR / "LICENSE", LICENSE_FILE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
