"""Decisions, safety alerts and cases, and content provenance checks end to end against
FakeOpenAI. Decisions and safety are in no OpenAI spec yet: the fake's answers are checked
against the official SDK's own models here (``model_validate`` of the wire JSON), as the
conformance tests check the other areas against the spec."""

from __future__ import annotations

import base64
import json
from typing import Any, Final

import openai.types
import openai.types.safety
import pytest

from aio_openai import AsyncOpenAI, BadRequestError, NotFoundError
from aio_openai.testing import FakeOpenAI
from aio_openai.testing._audio.wav import speak
from aio_openai.testing._images.png import png
from aio_openai.types import ContentProvenanceCheck, Decision
from aio_openai.types.safety import SafetyAlert, SafetyCase

INPUT: Final = "The customer asked for a refund of the damaged blender and was polite."
QUESTIONS: Final[list[Any]] = [
    {"type": "predicate", "name": "refund", "instructions": "Did the customer ask for a refund?"},
    {"type": "predicate", "instructions": "Is the weather sunny in Lisbon?"},
    {
        "type": "choice",
        "name": "tone",
        "instructions": "What was the tone?",
        "choices": [
            {"value": "rude", "description": "insults, shouting"},
            {"value": "polite", "description": "courteous"},
            {"value": True},
        ],
    },
    {
        "type": "score",
        "name": "urgency",
        "instructions": [{"type": "input_text", "text": "customer refund damaged blender"}],
        "levels": [{"label": "low"}, {"label": "medium"}, {"label": "high"}],
    },
]


async def test_decisions_answer_every_question_in_order(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    decision = await api.decisions.create(
        model="gpt-4o",
        input=INPUT,
        questions=QUESTIONS,
        prompt_cache_key="support",
        safety_identifier="user-1",
        prompt_cache_options={"mode": "implicit", "ttl": "30m"},
    )
    assert isinstance(decision, Decision)
    assert fake.requests[-1].json["questions"] == QUESTIONS
    assert fake.requests[-1].json["safety_identifier"] == "user-1"
    refund, weather, tone, urgency = decision.answers
    assert [a.type for a in decision.answers] == ["predicate", "predicate", "choice", "score"]
    assert refund.name == "refund" and weather.name is None
    assert refund.probability > 0.6 > 0.3 > weather.probability  # type: ignore[union-attr]
    assert tone.choice == "polite"  # type: ignore[union-attr]
    assert [p.value for p in tone.probabilities] == ["rude", "polite", True]  # type: ignore[union-attr]
    assert sum(p.probability for p in tone.probabilities) == pytest.approx(1, abs=1e-3)  # type: ignore[union-attr]
    assert tone.confidence == max(p.probability for p in tone.probabilities)  # type: ignore[union-attr]
    assert [p.label for p in urgency.probabilities] == ["low", "medium", "high"]  # type: ignore[union-attr]
    assert max(urgency.probabilities, key=lambda p: p.probability).label == "high"  # type: ignore[union-attr]
    usage = decision.usage
    assert usage.input_tokens > 0 and usage.output_tokens == 8
    assert usage.total_tokens == usage.input_tokens + usage.output_tokens
    again = await api.decisions.create(model="gpt-4o", input=INPUT, questions=QUESTIONS)
    assert again.answers == decision.answers  # deterministic


async def test_decisions_read_messages_and_tool_calls(api: AsyncOpenAI) -> None:
    decision = await api.decisions.create(
        model="gpt-4o",
        input=[
            {"role": "system", "content": "You route tickets."},
            {"role": "user", "content": [{"type": "input_text", "text": "Where is my parcel?"}]},
            {"type": "function_call", "call_id": "c1", "name": "track", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "c1", "output": "parcel delayed"},
        ],
        questions=[{"type": "predicate", "instructions": "parcel delayed"}],
    )
    (answer,) = decision.answers
    assert answer.probability == 0.95  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"questions": []}, "questions"),
        ({"questions": [{"type": "guess", "instructions": "x"}]}, "questions[0].type"),
        ({"questions": [{"type": "predicate"}]}, "questions[0].instructions"),
        (
            {"questions": [{"type": "choice", "instructions": "x", "choices": [{"value": "a"}]}]},
            "questions[0].choices",
        ),
        (
            {
                "questions": [
                    {
                        "type": "choice",
                        "instructions": "x",
                        "choices": [{"value": "a"}, {"value": "a"}],
                    }
                ]
            },
            "questions[0].choices[1].value",
        ),
        (
            {"questions": [{"type": "score", "instructions": "x", "levels": []}]},
            "questions[0].levels",
        ),
        ({"input": ""}, "input"),
        ({"input": [{"role": "robot", "content": "x"}]}, "input[0].role"),
        (
            {"input": [{"type": "function_call_output", "call_id": "nope", "output": "x"}]},
            "input[0].call_id",
        ),
    ],
)
async def test_decisions_refuse_bad_bodies_naming_the_parameter(
    api: AsyncOpenAI, body: dict[str, Any], param: str
) -> None:
    params = {"model": "gpt-4o", "input": "x", "questions": QUESTIONS[:1], **body}
    with pytest.raises(BadRequestError) as info:
        await api.decisions.create(**params)
    assert info.value.param == param


async def test_safety_alerts_and_cases(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    added = fake.state.safety.add_alert(
        response_id="resp_1",
        error_type="potentially_unintended_data_transfer",
        detailed_explanation="It mailed the database out.",
    )
    alert = await api.safety.alerts.retrieve(added["id"])
    assert isinstance(alert, SafetyAlert)
    assert fake.requests[-1].path == f"/v1/safety/alerts/{added['id']}"
    assert (alert.response_id, alert.error_type, alert.request_paused) == (
        "resp_1",
        "potentially_unintended_data_transfer",
        True,
    )
    assert alert.reason and alert.detailed_explanation == "It mailed the database out."
    case_id = fake.state.safety.add_case(entity_identifier="user-9", notice="deactivation")["id"]
    case = await api.safety.cases.retrieve(case_id)
    assert isinstance(case, SafetyCase)
    assert (case.entity_identifier, case.notice.type, case.object) == (
        "user-9",
        "deactivation",
        "safety.case",
    )
    with pytest.raises(NotFoundError) as info:
        await api.safety.alerts.retrieve("salrt_missing")
    assert info.value.param == "id"
    with pytest.raises(NotFoundError):
        await api.safety.cases.retrieve(added["id"])  # an alert's id is no case's
    with pytest.raises(ValueError, match="error_type"):
        fake.state.safety.add_alert(response_id="r", error_type="bad")


async def test_content_provenance_of_the_fakes_own_bytes(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    video = await api.videos.create(prompt="A lighthouse", model="sora-2-pro")
    fake.state.videos.finish(video.id)
    for variant in ("thumbnail", "spritesheet"):
        picture = (await api.videos.download_content(video.id, variant=variant)).content
        check = await api.content_provenance_checks.create(file=("p.png", picture, "image/png"))
        assert isinstance(check, ContentProvenanceCheck)
        assert fake.requests[-1].files == {"file": ["p.png"]}
        c2pa, synthid = check.results
        assert (c2pa.type, c2pa.outcome, c2pa.issuer, c2pa.model) == (  # type: ignore[union-attr]
            "c2pa",
            "detected",
            "OpenAI",
            "sora-2-pro",
        )
        assert c2pa.validation_state == "valid"  # type: ignore[union-attr]
        assert (synthid.type, synthid.outcome) == ("synthid", "detected")
        assert c2pa.generated_at is not None and c2pa.generated_at.endswith("Z")
    generated = await api.images.generate(
        prompt="a fox", model="dall-e-3", size="1024x1024", response_format="b64_json"
    )
    assert generated.data and generated.data[0].b64_json
    image = base64.b64decode(generated.data[0].b64_json)
    check = await api.content_provenance_checks.create(file=("fox.png", image, "image/png"))
    assert [(r.outcome, r.model) for r in check.results] == [("detected", "dall-e-3")] * 2
    other = await api.content_provenance_checks.create(file=("o.png", png(8, 8, "o"), "image/png"))
    assert [(r.type, r.outcome) for r in other.results] == [
        ("c2pa", "not_detected"),
        ("synthid", "not_detected"),
    ]
    assert other.results[0].validation_state == "not_present"  # type: ignore[union-attr]
    picture = (await api.videos.download_content(video.id, variant="thumbnail")).content
    tampered = bytearray(picture)
    at = picture.index(b"caBX") + 20
    tampered[at] ^= 1  # the manifest changed: its chunk's CRC no longer matches
    check = await api.content_provenance_checks.create(file=("t.png", bytes(tampered)))
    assert check.results[0].outcome == "not_detected"
    speech = await api.content_provenance_checks.create(file=("s.wav", speak("hello")))
    assert [(r.type, r.outcome) for r in speech.results] == [("synthid", "detected")]
    with pytest.raises(BadRequestError) as info:
        await api.content_provenance_checks.create(file=("a.mp4", b"\x00\x00\x00\x18ftypisom"))
    assert info.value.param == "file"


async def test_the_wire_matches_the_official_sdks_models(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    """Each answer's JSON validates as the official SDK's model of it, with every field the
    model declares present in the JSON (no field left to its default)."""
    raw = await api.decisions.with_raw_response.create(
        model="gpt-4o", input=INPUT, questions=QUESTIONS
    )
    answers: list[tuple[type[Any], Any]] = [(openai.types.Decision, json.loads(raw.content))]
    alert_id = fake.state.safety.add_alert(response_id="resp_1")["id"]
    case_id = fake.state.safety.add_case(entity_identifier="user-1", reason="spam")["id"]
    raw_alert = await api.safety.alerts.with_raw_response.retrieve(alert_id)
    raw_case = await api.safety.cases.with_raw_response.retrieve(case_id)
    answers.append((openai.types.safety.SafetyAlert, json.loads(raw_alert.content)))
    answers.append((openai.types.safety.SafetyCase, json.loads(raw_case.content)))
    raw_check = await api.content_provenance_checks.with_raw_response.create(
        file=("o.png", png(8, 8, "o"))
    )
    answers.append((openai.types.ContentProvenanceCheck, json.loads(raw_check.content)))
    for model, body in answers:
        parsed = model.model_validate(body)
        required = {n for n, f in model.model_fields.items() if f.is_required()}
        assert required <= parsed.model_fields_set, (model, required - parsed.model_fields_set)
    decision = openai.types.Decision.model_validate(answers[0][1])
    assert [a.type for a in decision.answers] == ["predicate", "predicate", "choice", "score"]
    assert [type(a).__name__ for a in decision.answers] == [
        "AnswerAnswerResourcePredicate",
        "AnswerAnswerResourcePredicate",
        "AnswerAnswerResourceChoice",
        "AnswerAnswerResourceScore",
    ]
