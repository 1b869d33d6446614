"""``python -m aio_openai``: the ``aio-openai`` command (see :mod:`aio_openai.cli`)."""

from __future__ import annotations

from aio_openai.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
