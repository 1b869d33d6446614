"""``aio-openai serve-fake`` does from the command line what FakeOpenAI does in Python.

Every test runs the real ``aio-openai serve-fake`` in a subprocess and talks to it over
loopback: with plain HTTP (urllib) or with the real ``aio-openai`` command, also in a
subprocess.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Final

import pytest
from serve_fake import TIMEOUT, ServeFake, aio_openai, clean_env

from aio_openai.testing import FakeOpenAI

KEY: Final = "sk-serve-fake-0123456789"
FINE_TUNED: Final = "ft:gpt-4o-mini:acme::abc123"


def call(
    url: str, path: str, *, key: str = KEY, body: dict[str, Any] | None = None
) -> tuple[int, dict[str, str], Any]:
    """``GET`` (or ``POST`` a JSON body to) ``url + path``: status, headers and JSON."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url + path,
        data=data,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, dict(response.headers), json.load(response)
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), json.load(exc)


def cli(url: str, *argv: str) -> tuple[int, str, str]:
    """Run ``aio-openai ARGV --base-url URL`` with the key in OPENAI_API_KEY."""
    done = aio_openai(*argv, "--base-url", url, env=clean_env(OPENAI_API_KEY=KEY))
    return done.returncode, done.stdout, done.stderr


def chat(model: str, content: str = "Hi") -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": content}]}


def test_models_delete_succeeds_on_a_model_added_with_an_owner() -> None:
    with ServeFake("--model", FINE_TUNED, "--owner", "acme", "--api-key", KEY) as server:
        status, _, model = call(server.url, f"/models/{FINE_TUNED}")
        assert (status, model["owned_by"]) == (200, "acme")
        status, _, body = call(server.url, "/chat/completions", body=chat(FINE_TUNED))
        assert (status, body["model"]) == (200, FINE_TUNED)  # an added model is served

        status, out, err = cli(server.url, "models", "delete", FINE_TUNED)
        assert (status, err) == (0, "")
        assert json.loads(out) == {"id": FINE_TUNED, "object": "model", "deleted": True}

        assert call(server.url, f"/models/{FINE_TUNED}")[0] == 404
        status, out, err = cli(server.url, "models", "delete", "gpt-4o")  # OpenAI's own
        assert (status, out) == (1, "")
        assert err.startswith("error: 403 PermissionDeniedError: ")
    assert (server.returncode, server.stderr) == (0, "")


def test_unknown_models_are_404_unless_any_model_is_accepted() -> None:
    with ServeFake() as server:
        status, out, err = cli(server.url, "chat", "Hi", "--model", "gpt-imaginary")
        assert (status, out) == (1, "")
        assert re.fullmatch(
            r"error: 404 NotFoundError: The model `gpt-imaginary` does not exist or you do not "
            r"have access to it\. \(request id req_[0-9a-f]+\)\n",
            err,
        ), err
        assert call(server.url, "/chat/completions", body=chat("gpt-4o-mini"))[0] == 200
    with ServeFake("--accept-any-model") as server:
        assert call(server.url, "/chat/completions", body=chat("gpt-imaginary"))[0] == 200


def test_replies_and_api_keys() -> None:
    with ServeFake("--reply", "Hi=Hello there!", "--reply", "2+2=?=4", "--api-key", KEY) as server:
        assert cli(server.url, "chat", "Hi") == (0, "Hello there!\n", "")
        assert cli(server.url, "respond", "Hi")[:2] == (0, "Hello there!\n")
        assert cli(server.url, "chat", "2+2")[1] == "?=4\n"  # split at the first '='
        status, _, body = call(server.url, "/models", key="sk-other")
        assert (status, body["error"]["code"]) == (401, "invalid_api_key")


def test_rate_limits() -> None:
    with ServeFake("--rpm", "2", "--tpm", "5000") as server:
        first = call(server.url, "/chat/completions", body=chat("gpt-4o-mini"))
        assert first[0] == 200
        assert first[1]["x-ratelimit-limit-requests"] == "2"
        assert first[1]["x-ratelimit-limit-tokens"] == "5000"
        assert call(server.url, "/chat/completions", body=chat("gpt-4o-mini"))[0] == 200
        status, headers, body = call(server.url, "/chat/completions", body=chat("gpt-4o-mini"))
        assert (status, body["error"]["code"]) == (429, "rate_limit_exceeded")
        assert "retry-after-ms" in headers


def statuses(url: str, count: int) -> list[int]:
    return [call(url, "/models/gpt-4")[0] for _ in range(count)]


def test_random_faults_follow_the_seed(tmp_path: Path) -> None:
    """The same rate, kinds and seed give the same faults as FakeOpenAI's in Python."""
    with FakeOpenAI().running_in_thread() as fake:
        fake.faults.random(0.5, ["status_503"], seed=7)
        expected = statuses(fake.url, 24)
    assert set(expected) == {200, 503}
    options = ("--fault-rate", "0.5", "--fault-kind", "status_503", "--seed", "7")
    with ServeFake(*options) as server:
        assert statuses(server.url, 24) == expected
    config = tmp_path / "faults.json"
    config.write_text(json.dumps({"fault_rate": 0.5, "fault_kinds": ["status_503"], "seed": 7}))
    with ServeFake("--config", str(config)) as server:
        assert statuses(server.url, 24) == expected
    with ServeFake("--fault-rate", "0.5", "--fault-kind", "status_503", "--seed", "8") as server:
        assert statuses(server.url, 24) != expected


TOML_CONFIG: Final = f"""
host = "127.0.0.1"
api_keys = ["{KEY}", "sk-second"]
models = ["my-model", {{ id = "{FINE_TUNED}", owned_by = "acme", created = 1700000000 }}]
rpm = 60
tpm = 40000

[replies]
"Hi" = "Hello from TOML!"
"""

JSON_CONFIG: Final = {
    "api_keys": [KEY, "sk-second"],
    "accept_any_model": True,
    "models": ["my-model", {"id": FINE_TUNED, "owned_by": "acme", "created": 1700000000}],
    "rpm": 60,
    "tpm": 40000,
    "replies": {"Hi": "Hello from JSON!"},
}


@pytest.mark.parametrize("kind", ["toml", "json"])
def test_a_config_file_sets_everything(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"fake.{kind}"
    path.write_text(TOML_CONFIG if kind == "toml" else json.dumps(JSON_CONFIG))
    # options on the command line are laid over the file: lists added to, values replaced
    with ServeFake("--config", str(path), "--model", "cli-model", "--rpm", "30") as server:
        _, _, listing = call(server.url, "/models")
        ids = [m["id"] for m in listing["data"]]
        assert ids[-3:] == ["my-model", FINE_TUNED, "cli-model"]
        assert call(server.url, f"/models/{FINE_TUNED}")[2] == {
            "id": FINE_TUNED,
            "object": "model",
            "created": 1700000000,
            "owned_by": "acme",
        }
        status, headers, body = call(server.url, "/chat/completions", body=chat("my-model"))
        assert status == 200
        assert body["choices"][0]["message"]["content"] == f"Hello from {kind.upper()}!"
        assert headers["x-ratelimit-limit-requests"] == "30"
        assert headers["x-ratelimit-limit-tokens"] == "40000"
        assert call(server.url, "/models", key="sk-second")[0] == 200
        assert call(server.url, "/models", key="sk-third")[0] == 401
        status = call(server.url, "/chat/completions", body=chat("gpt-imaginary"))[0]
        assert status == (200 if kind == "json" else 404)
        assert cli(server.url, "models", "delete", FINE_TUNED)[0] == 0


@pytest.mark.parametrize(
    ("files", "argv", "message"),
    [
        ({}, ["--config", "missing.toml"], "cannot read missing.toml: No such file or directory"),
        ({"bad.toml": "rpm = "}, ["--config", "bad.toml"], "bad.toml is not valid TOML: "),
        ({"bad.json": "{"}, ["--config", "bad.json"], "bad.json is not valid JSON: "),
        ({"c.toml": "rmp = 5"}, ["--config", "c.toml"], "c.toml: unknown setting 'rmp'; known: "),
        ({"c.json": '{"rpm": "5"}'}, ["--config", "c.json"], "c.json: rpm must be a number"),
        (
            {"c.json": '{"models": [{"owner": "x"}]}'},
            ["--config", "c.json"],
            "c.json: models[0] must be a model id or a table with an id",
        ),
        ({}, ["--reply", "no equals sign"], "argument --reply: expected PROMPT=ANSWER"),
        ({}, ["--fault-rate", "0.1", "--fault-kind", "boom"], "unknown fault kind 'boom'"),
        ({}, ["--fault-kind", "delay"], "the 'delay' fault kind needs fault_delay"),
        ({"c.json": '{"rpm": 0}'}, ["--config", "c.json"], "rpm must be > 0"),
    ],
)
def test_bad_options_and_configs_are_usage_errors(
    tmp_path: Path, files: dict[str, str], argv: list[str], message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    argv = [str(tmp_path / a) if a.endswith((".toml", ".json")) else a for a in argv]
    done = aio_openai("serve-fake", *argv)
    assert (done.returncode, done.stdout) == (2, "")
    assert "Traceback" not in done.stderr
    last = done.stderr.splitlines()[-1].replace(f"{tmp_path}/", "")
    assert last.startswith(("error: ", "aio-openai serve-fake: error: ")), done.stderr
    assert message in last, done.stderr
