"""The fake's decisions: each question answered from the words it shares with the input.

A question's instructions and the input are reduced to their words (three letters or more,
lower case). A predicate's probability rises with the share of the instructions' words the
input holds; a choice goes to the value (and description) sharing the most words with the
input, the first on a tie; a score picks the level that share points to. Every number is a
function of the request, so the same request gets the same answers. The fake never refuses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from aio_openai.testing._fake_model import tokens

__all__ = ["decide", "text_of"]

_WORD: Final = re.compile(r"[a-z0-9]{3,}")


def text_of(value: Any) -> str:
    """The text in an input, instructions or a part list (texts, JSON, tool arguments)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(text_of(item) for item in value)
    if isinstance(value, Mapping):
        keys = ("content", "text", "output", "arguments", "input", "refusal", "json")
        found = [text_of(value[k]) for k in keys if k in value]
        if "json" not in value and value.get("type") == "input_json":
            found.append(json.dumps(value, sort_keys=True))
        return "\n".join(found)
    return "" if value is None else json.dumps(value)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _share(asked: str, given: set[str]) -> float:
    words = _words(asked)
    return len(words & given) / len(words) if words else 0.0


def _normalized(weights: Iterable[float]) -> list[float]:
    values = list(weights)
    total = sum(values)
    return [round(w / total, 4) for w in values]


def _answer(question: Mapping[str, Any], given: set[str]) -> dict[str, Any]:
    kind = question["type"]
    name = question.get("name")
    share = _share(text_of(question["instructions"]), given)
    if kind == "predicate":
        return {"type": kind, "name": name, "probability": round(0.05 + 0.9 * share, 4)}
    if kind == "choice":
        choices = question["choices"]
        weights = [
            1 + len(_words(f"{c['value']} {c.get('description', '')}") & given) for c in choices
        ]
        probabilities = _normalized(weights)
        best = max(range(len(choices)), key=lambda i: (weights[i], -i))
        return {
            "type": kind,
            "name": name,
            "choice": choices[best]["value"],
            "confidence": probabilities[best],
            "probabilities": [
                {"value": c["value"], "probability": p}
                for c, p in zip(choices, probabilities, strict=True)
            ],
        }
    levels = question["levels"]
    chosen = round(share * (len(levels) - 1))
    probabilities = _normalized(1 / (1 + abs(i - chosen)) for i in range(len(levels)))
    return {
        "type": kind,
        "name": name,
        "score": round(sum(i * p for i, p in enumerate(probabilities)), 4),
        "confidence": probabilities[chosen],
        "probabilities": [
            {"label": level["label"], "value": i, "probability": p}
            for i, (level, p) in enumerate(zip(levels, probabilities, strict=True))
        ],
    }


def decide(body: Mapping[str, Any]) -> dict[str, Any]:
    """The Decision for a checked body."""
    text = text_of(body["input"])
    given = _words(text)
    questions = body["questions"]
    answers = [_answer(q, given) for q in questions]
    input_tokens = tokens(text) + sum(tokens(text_of(q["instructions"])) for q in questions)
    output_tokens = 2 * len(questions)
    return {
        "answers": answers,
        "model": body["model"],
        "usage": {
            "input_tokens": input_tokens,
            "input_tokens_details": {"cache_write_tokens": 0, "cached_tokens": 0},
            "output_tokens": output_tokens,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": input_tokens + output_tokens,
        },
    }
