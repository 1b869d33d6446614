"""The graders of the fake: checked as OpenAI checks them, and run where the fake can.

``validate`` checks a grader's shape (each type's required keys and enumerations; a Python
grader's source must parse and define ``grade``; a multi grader's formula must be arithmetic
over its grader's name). ``run`` grades a model sample:

- ``string_check``: ``eq``, ``ne``, ``like`` (the reference is in the input), ``ilike``
  (the same, ignoring case): 1.0 or 0.0;
- ``text_similarity``: ``fuzzy_match`` is difflib's ratio, ``cosine`` the cosine of the two
  texts' word counts, ``rouge_1`` .. ``rouge_5`` the F1 of their n-grams, ``rouge_l`` the F1
  of their longest common word sequence; ``bleu``, ``gleu`` and ``meteor`` are approximated by
  the unigram F1 (a documented stand-in, not those metrics);
- ``score_model``: the fake model's score is the unigram F1 of the sample against the text
  of the grader's rendered messages, scaled into ``range`` (default 0..1), with token usage;
- ``label_model`` (inside a multi grader): the first label the sample contains, passing if
  it is a passing label (1.0, else 0.0);
- ``multi``: its grader's score, named, put into ``calculate_output``;
- ``python``: refused with a 400: the fake runs no code it is sent.

Templates (``{{sample.output_text}}``, ``{{sample.output_json.x}}``, ``{{item.answer}}``)
are filled from the sample and the item before grading.
"""

from __future__ import annotations

import ast
import difflib
import json
import math
import operator
import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, Final, get_type_hints

from aio_openai.testing._checks import (
    APIError,
    invalid_value,
    literal_values,
    missing,
    wrong_type,
)
from aio_openai.testing._fake_model import tokens
from aio_openai.types.graders.string_check_grader_param import StringCheckGraderParam
from aio_openai.types.graders.text_similarity_grader_param import TextSimilarityGraderParam

__all__ = ["run_grader", "validate_grader"]

_OPERATIONS: Final = literal_values(get_type_hints(StringCheckGraderParam)["operation"])
_METRICS: Final = literal_values(get_type_hints(TextSimilarityGraderParam)["evaluation_metric"])
_REQUIRED: Final[Mapping[str, tuple[str, ...]]] = {
    "string_check": ("name", "input", "reference", "operation"),
    "text_similarity": ("name", "input", "reference", "evaluation_metric"),
    "python": ("name", "source"),
    "score_model": ("name", "model", "input"),
    "label_model": ("name", "model", "input", "labels", "passing_labels"),
    "multi": ("name", "graders", "calculate_output"),
}
#: The grader types ``run`` and ``validate`` take at the top (a label model grader goes in a
#: multi grader only).
TOP_TYPES: Final = ("string_check", "text_similarity", "python", "score_model", "multi")
_TEMPLATE: Final = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
_BINARY: Final[Mapping[type, Callable[[float, float], float]]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_FUNCTIONS: Final[Mapping[str, Callable[..., float]]] = {"min": min, "max": max, "abs": abs}


# -- validate -----------------------------------------------------------------------------


def validate_grader(grader: Any, param: str = "grader", types: tuple[str, ...] = TOP_TYPES) -> None:
    """OpenAI's 400 for a grader of a bad shape (``param`` names where it sits)."""
    if not isinstance(grader, dict):
        raise wrong_type(param, "an object", grader)
    kind = grader.get("type")
    if kind not in types:
        raise invalid_value(f"{param}.type", kind, types)
    for key in _REQUIRED[kind]:
        if grader.get(key) is None:
            raise missing(f"{param}.{key}")
    messages = kind in ("score_model", "label_model")
    for key in ("name", "input", "reference", "source", "model", "calculate_output"):
        text = not (key == "input" and messages)
        if text and key in _REQUIRED[kind] and not isinstance(grader[key], str):
            raise wrong_type(f"{param}.{key}", "a string", grader[key])
    if kind == "string_check" and grader["operation"] not in _OPERATIONS:
        raise invalid_value(f"{param}.operation", grader["operation"], _OPERATIONS)
    if kind == "text_similarity" and grader["evaluation_metric"] not in _METRICS:
        raise invalid_value(f"{param}.evaluation_metric", grader["evaluation_metric"], _METRICS)
    if messages:
        _check_messages(grader["input"], f"{param}.input")
    bounds = grader.get("range")
    if kind == "score_model" and bounds is not None:
        numbers = isinstance(bounds, list) and all(
            isinstance(b, int | float) and not isinstance(b, bool) for b in bounds
        )
        if not numbers or len(bounds) != 2 or bounds[0] >= bounds[1]:
            raise APIError(
                400,
                f"Invalid '{param}.range': expected two numbers, the lower first.",
                param=f"{param}.range",
            )
    if kind == "python":
        _check_source(grader["source"], f"{param}.source")
    if kind == "multi":
        inner = grader["graders"]
        validate_grader(inner, f"{param}.graders", (*TOP_TYPES[:-1], "label_model"))
        _formula(grader["calculate_output"], {inner["name"]: 0.0}, f"{param}.calculate_output")


def _check_messages(value: Any, param: str) -> None:
    if not isinstance(value, list) or not value:
        raise wrong_type(param, "a non-empty array", value)
    for i, message in enumerate(value):
        if not isinstance(message, dict) or "content" not in message:
            raise missing(f"{param}[{i}].content")


def _check_source(source: str, param: str) -> None:
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        message = f"Invalid '{param}': {error.msg} (line {error.lineno})."
        raise APIError(400, message, param=param) from None
    if not any(isinstance(n, ast.FunctionDef) and n.name == "grade" for n in tree.body):
        raise APIError(
            400, f"Invalid '{param}': the source must define grade(sample, item).", param=param
        )


def _formula(text: str, names: Mapping[str, float], param: str) -> float:
    """The value of an arithmetic formula over ``names``; 400 for anything else."""

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCTIONS
        ):
            return float(_FUNCTIONS[node.func.id](*(value(a) for a in node.args)))
        raise ValueError(ast.dump(node))

    try:
        return value(ast.parse(text, mode="eval").body)
    except (SyntaxError, ValueError, TypeError, ZeroDivisionError):
        raise APIError(
            400,
            f"Invalid '{param}': {text!r} is not an arithmetic formula over {sorted(names)}.",
            param=param,
        ) from None


# -- run ----------------------------------------------------------------------------------


def _render(text: str, context: Mapping[str, Any]) -> str:
    def fill(match: re.Match[str]) -> str:
        found: Any = context
        for part in match.group(1).split("."):
            found = found.get(part, "") if isinstance(found, dict) else ""
        return found if isinstance(found, str) else json.dumps(found)

    return _TEMPLATE.sub(fill, text)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _f1(found: Counter[Any], wanted: Counter[Any]) -> float:
    common = sum((found & wanted).values())
    if not common:
        return 0.0
    precision, recall = common / sum(found.values()), common / sum(wanted.values())
    return 2 * precision * recall / (precision + recall)


def _grams(words: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def _lcs(a: list[str], b: list[str]) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        previous = 0
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], previous + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


def similarity(metric: str, text: str, reference: str) -> float:
    """The fake's score of ``text`` against ``reference`` by ``metric`` (see the module)."""
    if metric == "fuzzy_match":
        return difflib.SequenceMatcher(None, text, reference).ratio()
    a, b = _words(text), _words(reference)
    if metric == "cosine":
        ca, cb = Counter(a), Counter(b)
        norm = math.sqrt(sum(v * v for v in ca.values()) * sum(v * v for v in cb.values()))
        return sum(ca[w] * cb[w] for w in ca) / norm if norm else 0.0
    if metric == "rouge_l":
        common = _lcs(a, b)
        return 2 * common / (len(a) + len(b)) if common else 0.0
    n = int(metric[-1]) if metric.startswith("rouge_") else 1
    return _f1(_grams(a, n), _grams(b, n))


def _message_text(messages: list[dict[str, Any]], context: Mapping[str, Any]) -> str:
    parts = []
    for message in messages:
        content = message["content"]
        text = content if isinstance(content, str) else content.get("text", "")
        parts.append(_render(str(text), context))
    return " ".join(parts)


def _score(grader: Mapping[str, Any], context: Mapping[str, Any], usage: dict[str, int]) -> float:
    kind = grader["type"]
    sample = context["sample"]["output_text"]
    if kind == "string_check":
        got, want = _render(grader["input"], context), _render(grader["reference"], context)
        op = grader["operation"]
        passed = {
            "eq": got == want,
            "ne": got != want,
            "like": want in got,
            "ilike": want.lower() in got.lower(),
        }[op]
        return 1.0 if passed else 0.0
    if kind == "text_similarity":
        got, want = _render(grader["input"], context), _render(grader["reference"], context)
        return similarity(grader["evaluation_metric"], got, want)
    if kind == "python":
        raise APIError(
            400,
            "FakeOpenAI does not run Python graders (it runs no code it is sent); "
            "validate checks them.",
            param="grader.type",
        )
    prompt = _message_text(grader["input"], context)
    usage[grader["model"]] = usage.get(grader["model"], 0) + tokens(prompt) + tokens(sample)
    if kind == "label_model":
        label = next((lab for lab in grader["labels"] if lab.lower() in sample.lower()), None)
        return 1.0 if label in grader["passing_labels"] else 0.0
    low, high = (float(bound) for bound in grader.get("range") or (0.0, 1.0))
    return low + (high - low) * similarity("rouge_1", sample, prompt)


def run_grader(body: Mapping[str, Any]) -> dict[str, Any]:
    """The answer of ``/fine_tuning/alpha/graders/run`` to a checked body."""
    grader, sample = body["grader"], body["model_sample"]
    try:
        output_json = json.loads(sample)
    except ValueError:
        output_json = {}
    context = {
        "sample": {"output_text": sample, "output_json": output_json},
        "item": body.get("item") or {},
    }
    usage: dict[str, int] = {}
    scores: dict[str, float] = {}
    sub_rewards: dict[str, float] = {}
    if grader["type"] == "multi":
        inner = grader["graders"]
        sub_rewards[inner["name"]] = scores[inner["name"]] = _score(inner, context, usage)
        reward = _formula(grader["calculate_output"], scores, "grader.calculate_output")
    else:
        reward = scores[grader["name"]] = _score(grader, context, usage)
    model = grader.get("model") or grader.get("graders", {}).get("model")
    errors: dict[str, Any] = {**dict.fromkeys(_ERROR_FLAGS, False), **_ERROR_DETAILS}
    return {
        "reward": reward,
        "metadata": {
            "name": grader["name"],
            "type": grader["type"],
            "errors": errors,
            "execution_time": 0.0,
            "scores": scores,
            "token_usage": sum(usage.values()) if usage else None,
            "sampled_model_name": model,
        },
        "sub_rewards": sub_rewards,
        "model_grader_token_usage_per_model": usage,
    }


#: The details of the errors a run can have, null when there is none (always present).
_ERROR_DETAILS: Final = dict.fromkeys(
    (
        "model_grader_server_error_details",
        "python_grader_runtime_error_details",
        "python_grader_server_error_type",
    )
)
_ERROR_FLAGS: Final = (
    "formula_parse_error",
    "invalid_variable_error",
    "model_grader_parse_error",
    "model_grader_refusal_error",
    "model_grader_server_error",
    "other_error",
    "python_grader_runtime_error",
    "python_grader_server_error",
    "sample_parse_error",
    "truncated_observation_error",
    "unresponsive_reward_error",
)
