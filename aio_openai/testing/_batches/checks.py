"""Request checks of batches: OpenAI's 400s for a create body, as :class:`APIError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, get_type_hints

from aio_openai.testing._checks import (
    check_expiry,
    check_metadata,
    check_string,
    invalid_value,
    literal_values,
    missing,
)
from aio_openai.types.batch_create_params import BatchCreateParams

__all__ = ["ENDPOINTS", "check_create"]

#: The endpoints a batch may run.
ENDPOINTS: Final = literal_values(get_type_hints(BatchCreateParams)["endpoint"])
_MIN_OUTPUT_SECONDS: Final = 3600
_MAX_OUTPUT_SECONDS: Final = 30 * 24 * 3600


def check_create(body: Mapping[str, Any]) -> None:
    """A create body: the input file, the endpoint, the window, metadata, output expiry."""
    for key in ("input_file_id", "endpoint", "completion_window"):
        if body.get(key) is None:
            raise missing(key)
    check_string(body, "input_file_id", required=True, nullable=False)
    if body["endpoint"] not in ENDPOINTS:
        raise invalid_value("endpoint", body["endpoint"], ENDPOINTS)
    if body["completion_window"] != "24h":
        raise invalid_value("completion_window", body["completion_window"], ("24h",))
    check_metadata(body)
    check_expiry(
        body,
        "output_expires_after",
        anchor="created_at",
        unit="seconds",
        low=_MIN_OUTPUT_SECONDS,
        high=_MAX_OUTPUT_SECONDS,
    )
