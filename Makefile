# Two commands on a fresh machine with Python 3.11+ and make: `make demo` and `make test`.
# The first Python >= 3.11 found. The probe's own output is discarded: a pyenv shim of a version
# that is not active prints "pyenv: python3.13: command not found" and fails, like a missing one.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 \
	&& $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck unit bench types clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/aio-openai demo

lint: install
	$(BIN)/ruff check aio_openai tests benchmarks tools
	$(BIN)/ruff format --check aio_openai tests benchmarks tools

typecheck: install
	$(BIN)/mypy --strict aio_openai tools

# Regenerate aio_openai/types from the installed openai package (tools/gen_types.roots).
types: install
	$(BIN)/python tools/gen_types.py

# Two workers, a test file each at a time (so a file's one FakeOpenAI serves its tests); the
# fixed hash seed makes every worker collect the same parametrized ids.
unit: install
	PYTHONHASHSEED=0 $(BIN)/python -m pytest -q -n 2 --dist loadfile

test: lint typecheck unit

bench: install
	$(BIN)/python benchmarks/retry.py

clean:
	rm -rf $(VENV) build *.egg-info
