"""Moderations of the fake server: deterministic categories and scores from word lists.

Reached as ``fake.state.moderations`` (a :class:`ModerationsState`). Each category has a
list of words and phrases (``state.words``, editable); an input that holds one of them (as
whole words, any case) gets that category flagged with a score of 0.6 and more (0.15 more
per further phrase found, at most 0.99); other categories get a tiny score derived from the
text. ``flagged`` is whether any category is.

Inputs as OpenAI takes them: a string or a list of strings (one result each), or a list of
``text`` and ``image_url`` parts (one result for them all). An image is judged by the words
of its URL (``https://example.com/violence.png`` is violent), and only for the categories
OpenAI checks images for; ``category_applied_input_types`` says which inputs each category
looked at. Text-only moderation models refuse images.

Modules: :mod:`.state` (the word lists and the scoring), :mod:`.checks` (OpenAI's 400s),
:mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._moderations.routes import add_moderations_routes, moderation_operations
from aio_openai.testing._moderations.state import ModerationsState

__all__ = ["ModerationsState", "add_moderations_routes", "moderation_operations"]
