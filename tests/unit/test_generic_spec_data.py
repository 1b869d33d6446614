"""The spec FakeOpenAI's generic mode ships is what ``tools/gen_fake_spec.py`` derives from the
spec checked in under ``tests/conformance/spec``, names its source, and ships its license."""

from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
import json
import sys
import tomllib
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parents[2]
PACKAGE_DIR: Final = ROOT / "aio_openai" / "testing" / "_generic"


def _tool() -> Any:
    spec = importlib.util.spec_from_file_location(
        "gen_fake_spec", ROOT / "tools" / "gen_fake_spec.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_shipped_spec_is_what_the_tool_derives() -> None:
    tool = _tool()
    shipped = json.loads(gzip.decompress((PACKAGE_DIR / "openapi.json.gz").read_bytes()))
    derived = tool.build()
    assert shipped == derived, "stale: run .venv/bin/python tools/gen_fake_spec.py"
    assert tool.encode(shipped) == tool.encode(derived)  # no timestamp: same bytes


def test_it_names_its_source_and_ships_the_license() -> None:
    shipped = json.loads(gzip.decompress((PACKAGE_DIR / "openapi.json.gz").read_bytes()))
    source = shipped["x-provenance"]["source"]
    assert source["file"] == "openai-openapi-v2-latest.yaml"
    assert source["repository"] == "openai/openai-openapi"
    assert source["sha256_computed"] == (
        "db5d7478feae10b4d331834c60d9765a8aa042e38419f9b1694288c11aa8ebc8"
    )
    assert "OPENAPI_LICENSE" in shipped["x-provenance"]["license"]
    license_text = (PACKAGE_DIR / "OPENAPI_LICENSE").read_bytes()
    assert license_text == (ROOT / "tests" / "conformance" / "spec" / "LICENSE").read_bytes()
    assert b"MIT License" in license_text


def test_the_data_files_are_package_data() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = pyproject["tool"]["setuptools"]["package-data"]["aio_openai"]
    assert "testing/_generic/openapi.json.gz" in data
    assert "testing/_generic/OPENAPI_LICENSE" in data


def test_the_sdks_operations_the_spec_lacks_are_marked_as_the_sdks() -> None:
    shipped = json.loads(gzip.decompress((PACKAGE_DIR / "openapi.json.gz").read_bytes()))
    derived = {
        f"{method} {path}": operation["x-provenance"]
        for path, item in shipped["paths"].items()
        for method, operation in item.items()
        if "x-provenance" in operation
    }
    openai_version = importlib.metadata.version("openai")
    assert derived["post /organization/health/alert_rules"] == {
        "derived_from": f"openai {openai_version} (the SDK's types; the spec lacks it)",
        "method": "client.admin.organization.health.alert_rules.create",
        "answer": "openai.types.admin.organization.health.health_alert_rule.HealthAlertRule",
    }
    admin = [key for key in derived if " /organization/" in key]
    # the admin API's newest operations (test_endpoints_conformance._ADMIN_SDK_ONLY) but the
    # two the stateful admin fake serves: decisions usage, a project API key's update
    assert len(admin) == 34
    assert "get /organization/usage/decisions" not in derived
    assert all(key.startswith(("get", "post", "delete")) for key in derived)
    assert any("sdk.*" in patch for patch in shipped["x-provenance"]["patches"])
