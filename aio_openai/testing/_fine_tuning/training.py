"""A fine-tuning file read as OpenAI reads it when a job validates its files.

Every line is a JSON object, one training example, whose shape depends on the job's method:

- ``supervised``: ``{"messages": [...]}`` (chat messages, roles ``system``, ``developer``,
  ``user``, ``assistant``, ``tool``; at least one ``assistant`` message), ``tools`` optional;
- ``dpo``: ``{"input": {"messages": [...]}, "preferred_output": [...],
  "non_preferred_output": [...]}`` (the outputs: assistant messages);
- ``reinforcement``: ``{"messages": [...], ...}`` (the other keys are the item the grader
  reads).

A file needs at least :data:`MIN_EXAMPLES` examples. A bad file is not a 400: the job fails,
and :class:`TrainingFileError` carries the ``error`` object it shows (``code``, ``message``,
``param``: ``training_file`` or ``validation_file``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

import attrs

from aio_openai.testing._fake_model import tokens

__all__ = ["MIN_EXAMPLES", "ROLES", "Examples", "TrainingFileError", "read_examples"]

#: The fewest examples a training file may hold.
MIN_EXAMPLES: Final = 10
#: The roles a training message may have.
ROLES: Final = frozenset({"system", "developer", "user", "assistant", "tool"})


class TrainingFileError(Exception):
    """A file a job cannot train on: the job fails with :attr:`error`."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.error = {"code": f"invalid_{param}", "message": message, "param": param}


@attrs.frozen
class Examples:
    """What a valid file holds: its examples and the tokens of their text."""

    count: int
    tokens: int


def _messages(value: Any, where: str, param: str, *, assistant: bool) -> int:
    """The tokens of a list of chat messages, or TrainingFileError."""
    if not isinstance(value, list) or not value:
        raise TrainingFileError(param, f"{where}: 'messages' must be a non-empty array.")
    count = 0
    roles = []
    for i, message in enumerate(value):
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            raise TrainingFileError(
                param, f"{where}: message {i} has no valid 'role' (one of {sorted(ROLES)})."
            )
        roles.append(message["role"])
        content = message.get("content")
        if content is None and not message.get("tool_calls"):
            raise TrainingFileError(param, f"{where}: message {i} has no 'content'.")
        count += tokens(content if isinstance(content, str) else json.dumps(content))
    if assistant and "assistant" not in roles:
        raise TrainingFileError(param, f"{where}: no message has the role 'assistant'.")
    return count


def _example(line: Mapping[str, Any], method: str, where: str, param: str) -> int:
    """The tokens of one example of ``method``, or TrainingFileError."""
    if method == "dpo":
        prompt = line.get("input")
        if not isinstance(prompt, dict):
            raise TrainingFileError(param, f"{where}: 'input' must be an object with 'messages'.")
        count = _messages(prompt.get("messages"), where, param, assistant=False)
        for key in ("preferred_output", "non_preferred_output"):
            count += _messages(line.get(key), f"{where} ({key})", param, assistant=True)
        return count
    return _messages(line.get("messages"), where, param, assistant=method == "supervised")


def read_examples(content: bytes, method: str, param: str) -> Examples:
    """The examples of a file for ``method``; TrainingFileError for the first bad line, or
    for too few examples."""
    count = total = 0
    for number, raw in enumerate(content.splitlines(), 1):
        if not raw.strip():
            continue
        where = f"line {number}"
        try:
            line = json.loads(raw)
        except ValueError:
            raise TrainingFileError(param, f"{where} is not valid JSON.") from None
        if not isinstance(line, dict):
            raise TrainingFileError(param, f"{where} is not a JSON object.")
        total += _example(line, method, where, param)
        count += 1
    if count < MIN_EXAMPLES:
        raise TrainingFileError(
            param,
            f"The file has {count} example(s), but must have at least {MIN_EXAMPLES} examples.",
        )
    return Examples(count, total)
