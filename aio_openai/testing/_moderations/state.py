"""The state of the fake moderations: the word list of each category, and the scoring."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable
from typing import Any, Final

from aio_openai.testing._moderations.checks import Part
from aio_openai.testing._shapes import new_id

__all__ = ["CATEGORIES", "DEFAULT_MODEL", "IMAGE_CATEGORIES", "WORDS", "ModerationsState"]

#: The model OpenAI uses when a request names none.
DEFAULT_MODEL: Final = "omni-moderation-latest"
#: The models a ``-latest`` name stands for (what the answer's ``model`` says).
_SNAPSHOTS: Final = {
    "omni-moderation-latest": "omni-moderation-2024-09-26",
    "text-moderation-latest": "text-moderation-007",
    "text-moderation-stable": "text-moderation-007",
}
#: The categories, in the order OpenAI lists them.
CATEGORIES: Final = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)
#: The categories OpenAI judges images for (the others look at text only).
IMAGE_CATEGORIES: Final = frozenset(
    {
        "self-harm",
        "self-harm/intent",
        "self-harm/instructions",
        "sexual",
        "violence",
        "violence/graphic",
    }
)
#: The default words and phrases of each category.
WORDS: Final[dict[str, tuple[str, ...]]] = {
    "harassment": ("idiot", "loser", "worthless"),
    "harassment/threatening": ("watch your back", "i will find you"),
    "hate": ("hate them all", "subhuman"),
    "hate/threatening": ("wipe them out",),
    "illicit": ("shoplift", "counterfeit", "launder money"),
    "illicit/violent": ("build a bomb", "make a weapon"),
    "self-harm": ("self-harm", "hurt myself"),
    "self-harm/intent": ("want to die", "end my life"),
    "self-harm/instructions": ("how to hurt myself",),
    "sexual": ("explicit", "nsfw"),
    "sexual/minors": ("underage",),
    "violence": ("kill", "attack", "violence", "violent"),
    "violence/graphic": ("gore", "bloody", "graphic violence"),
}
_FLAG_SCORE: Final = 0.6
_MORE_SCORE: Final = 0.15
_MAX_SCORE: Final = 0.99
_THRESHOLD: Final = 0.5


def _baseline(category: str, text: str) -> float:
    """A tiny score (below 0.001) derived from the text, for a category with no match."""
    digest = hashlib.sha256(f"{category}\0{text}".encode()).digest()
    return int.from_bytes(digest[:4], "little") / 2**32 / 1000


def _hits(phrases: Iterable[str], text: str) -> int:
    lowered = text.lower()
    return sum(1 for phrase in phrases if re.search(rf"\b{re.escape(phrase.lower())}\b", lowered))


class ModerationsState:
    """What the fake's moderations find (``fake.state.moderations``).

    ``words`` maps each category to its words and phrases (see :data:`WORDS`); change it to
    flag what a test needs. Safe to use from any thread.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.words: dict[str, tuple[str, ...]] = dict(WORDS)

    def set_words(self, category: str, words: Iterable[str]) -> None:
        """Replace the words of ``category``; ValueError for a category OpenAI has not."""
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}; expected one of {CATEGORIES}")
        with self._lock:
            self.words[category] = tuple(words)

    def _result(self, parts: list[Part]) -> dict[str, Any]:
        with self._lock:
            words = dict(self.words)
        categories: dict[str, bool] = {}
        scores: dict[str, float] = {}
        applied: dict[str, list[str]] = {}
        for category in CATEGORIES:
            kinds = [k for k, _ in parts if k == "text" or category in IMAGE_CATEGORIES]
            judged = [t for k, t in parts if k == "text" or category in IMAGE_CATEGORIES]
            text = "\n".join(judged)
            hits = _hits(words.get(category, ()), text)
            score = (
                min(_MAX_SCORE, _FLAG_SCORE + _MORE_SCORE * (hits - 1))
                if hits
                else _baseline(category, text)
            )
            scores[category] = score
            categories[category] = score >= _THRESHOLD
            applied[category] = sorted(set(kinds), key=("text", "image").index)
        return {
            "flagged": any(categories.values()),
            "categories": categories,
            "category_scores": scores,
            "category_applied_input_types": applied,
        }

    def moderate(self, model: str, inputs: list[list[Part]]) -> dict[str, Any]:
        """The moderation answer for checked inputs (each a list of parts)."""
        return {
            "id": new_id("modr-"),
            "model": _SNAPSHOTS.get(model, model),
            "results": [self._result(parts) for parts in inputs],
        }
