"""The testing criteria of the fake evals: their checks at an eval's creation, the templates
they read (``{{item.x}}``, ``{{sample.output_text}}``) and the grading of one item.

What is graded, and how:

- ``string_check``: ``eq``, ``ne``, ``like`` (``reference`` is in ``input``), ``ilike`` (the
  same, ignoring case); score 1.0 or 0.0, passed at 1.0.
- ``text_similarity``: ``fuzzy_match`` is difflib's ratio of the two texts; the others are
  approximations computed on words: ``rouge_1`` .. ``rouge_5`` the F1 of n-grams, ``rouge_l``
  the F1 of the longest common subsequence, ``bleu``, ``gleu`` and ``meteor`` the F1 of
  words, ``cosine`` the cosine of word counts (OpenAI embeds the texts). Passed at a score
  of at least ``pass_threshold``.
- ``label_model``: no model is asked; the label is the one of ``labels`` that the last
  input message (rendered) names first, ignoring case (else the first label); passed when
  it is one of ``passing_labels``; score 1.0 or 0.0.
- ``python`` and ``score_model`` graders run code or a model the fake does not have: an
  eval naming one is refused (400, ``testing_criteria[i]``).

A template names a value by a dotted path from ``item`` or ``sample``; a path to nothing
makes that criterion's result an error (not passed, counted as ``errored`` by its run).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Final, get_args, get_type_hints

import orjson

from aio_openai.testing._checks import (
    APIError,
    invalid_value,
    literal_values,
    missing,
    wrong_type,
)
from aio_openai.types.eval_create_params import EvalCreateParams
from aio_openai.types.graders.string_check_grader_param import StringCheckGraderParam
from aio_openai.types.graders.text_similarity_grader_param import TextSimilarityGraderParam

__all__ = ["TemplateError", "check_criteria", "grade", "message_text", "render"]

_PLACEHOLDER: Final = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_WORD: Final = re.compile(r"\w+")
_UNSUPPORTED: Final = ("python", "score_model")
#: What the API accepts, read from the generated types.
_KINDS: Final = tuple(
    kind
    for member in get_args(get_args(get_type_hints(EvalCreateParams)["testing_criteria"])[0])
    for kind in literal_values(get_type_hints(member)["type"])
)
_OPERATIONS: Final = literal_values(get_type_hints(StringCheckGraderParam)["operation"])
_METRICS: Final = literal_values(get_type_hints(TextSimilarityGraderParam)["evaluation_metric"])


class TemplateError(Exception):
    """A template names a value the item and its sample do not have."""


def _lookup(context: Mapping[str, Any], path: str) -> Any:
    value: Any = context
    for key in path.split("."):
        if isinstance(value, Mapping) and key in value:
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            raise TemplateError(f"Template variable '{path}' not found.")
    return value


def render(template: str, context: Mapping[str, Any]) -> str:
    """``template`` with each ``{{path}}`` replaced by its value (JSON for a non-string)."""

    def value(match: re.Match[str]) -> str:
        found = _lookup(context, match.group(1))
        return found if isinstance(found, str) else orjson.dumps(found).decode()

    return _PLACEHOLDER.sub(value, template)


def message_text(content: Any, context: Mapping[str, Any]) -> str:
    """The rendered text of a message's ``content`` (a string, a content part or a list of
    them; parts without text give nothing)."""
    if isinstance(content, str):
        return render(content, context)
    if isinstance(content, Mapping):
        text = content.get("text")
        return render(text, context) if isinstance(text, str) else ""
    if isinstance(content, list):
        return "".join(message_text(part, context) for part in content)
    return ""


# -- checks --------------------------------------------------------------------------------


def _check_text(criterion: Mapping[str, Any], key: str, param: str) -> None:
    if criterion.get(key) is None:
        raise missing(f"{param}.{key}")
    if not isinstance(criterion[key], str):
        raise wrong_type(f"{param}.{key}", "a string", criterion[key])


def _check_strings(criterion: Mapping[str, Any], key: str, param: str) -> None:
    value = criterion.get(key)
    if value is None:
        raise missing(f"{param}.{key}")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise wrong_type(f"{param}.{key}", "an array of strings", value)


def check_criteria(criteria: Any) -> None:
    """An eval's ``testing_criteria``: a non-empty list of graders the fake can run."""
    if criteria is None:
        raise missing("testing_criteria")
    if not isinstance(criteria, list):
        raise wrong_type("testing_criteria", "an array", criteria)
    if not criteria:
        raise APIError(400, "At least one testing criterion is required.", param="testing_criteria")
    for index, criterion in enumerate(criteria):
        param = f"testing_criteria[{index}]"
        if not isinstance(criterion, dict):
            raise wrong_type(param, "an object", criterion)
        kind = criterion.get("type")
        if kind not in _KINDS:
            raise invalid_value(f"{param}.type", kind, _KINDS)
        if kind in _UNSUPPORTED:
            raise APIError(
                400, f"FakeOpenAI cannot run graders of type '{kind}'.", param=f"{param}.type"
            )
        _check_text(criterion, "name", param)
        if kind == "label_model":
            _check_text(criterion, "model", param)
            for key in ("labels", "passing_labels"):
                _check_strings(criterion, key, param)
            if not isinstance(criterion.get("input"), list):
                raise wrong_type(f"{param}.input", "an array", criterion.get("input"))
            continue
        _check_text(criterion, "input", param)
        _check_text(criterion, "reference", param)
        if kind == "string_check" and criterion.get("operation") not in _OPERATIONS:
            raise invalid_value(f"{param}.operation", criterion.get("operation"), _OPERATIONS)
        if kind == "text_similarity":
            if criterion.get("evaluation_metric") not in _METRICS:
                metric = criterion.get("evaluation_metric")
                raise invalid_value(f"{param}.evaluation_metric", metric, _METRICS)
            threshold = criterion.get("pass_threshold")
            if isinstance(threshold, bool) or not isinstance(threshold, int | float):
                raise wrong_type(f"{param}.pass_threshold", "a number", threshold)


# -- grading -------------------------------------------------------------------------------


def _string_check(operation: str, given: str, reference: str) -> float:
    passed = {
        "eq": given == reference,
        "ne": given != reference,
        "like": reference in given,
        "ilike": reference.lower() in given.lower(),
    }[operation]
    return 1.0 if passed else 0.0


def _f1(given: Sequence[Any], reference: Sequence[Any], common: int) -> float:
    if not given or not reference or not common:
        return 0.0
    precision, recall = common / len(given), common / len(reference)
    return 2 * precision * recall / (precision + recall)


def _ngrams(words: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]


def _lcs(a: list[str], b: list[str]) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        previous = 0
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], previous + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


def similarity(metric: str, given: str, reference: str) -> float:
    """The score of ``given`` against ``reference`` by ``metric`` (see the module's doc)."""
    if metric == "fuzzy_match":
        return difflib.SequenceMatcher(None, given, reference).ratio()
    a, b = _WORD.findall(given.lower()), _WORD.findall(reference.lower())
    if metric == "cosine":
        ca, cb = Counter(a), Counter(b)
        norm = math.sqrt(sum(v * v for v in ca.values()) * sum(v * v for v in cb.values()))
        return sum(ca[w] * cb[w] for w in ca) / norm if norm else 0.0
    if metric == "rouge_l":
        return _f1(a, b, _lcs(a, b))
    n = int(metric[-1]) if metric.startswith("rouge_") else 1
    ga, gb = _ngrams(a, n), _ngrams(b, n)
    return _f1(ga, gb, sum((Counter(ga) & Counter(gb)).values()))


def _label(criterion: Mapping[str, Any], context: Mapping[str, Any]) -> str:
    messages = criterion["input"]
    last = message_text(messages[-1].get("content"), context).lower() if messages else ""
    found = [(last.find(label.lower()), i) for i, label in enumerate(criterion["labels"])]
    first = min(((at, i) for at, i in found if at >= 0), default=(0, 0))
    return str(criterion["labels"][first[1]]) if found else ""


def grade(criterion: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
    """One criterion's result for one item (``context``: its ``item`` and ``sample``):
    ``{"name", "type", "score", "passed", "sample"}``; an unrenderable template gives
    ``passed: false`` with the error under ``sample.error`` (the run counts it errored)."""
    kind = criterion["type"]
    result: dict[str, Any] = {"name": criterion["name"], "type": kind, "sample": None}
    try:
        if kind == "label_model":
            label = _label(criterion, context)
            score = 1.0 if label in criterion["passing_labels"] else 0.0
            result["sample"] = {"label": label}
            passed = score == 1.0
        else:
            given = render(criterion["input"], context)
            reference = render(criterion["reference"], context)
            if kind == "string_check":
                score = _string_check(criterion["operation"], given, reference)
                passed = score == 1.0
            else:
                score = similarity(criterion["evaluation_metric"], given, reference)
                passed = score >= criterion["pass_threshold"]
    except TemplateError as error:
        result["sample"] = {"error": {"code": "template_error", "message": str(error)}}
        return {**result, "score": 0.0, "passed": False}
    return {**result, "score": round(score, 6), "passed": passed}
