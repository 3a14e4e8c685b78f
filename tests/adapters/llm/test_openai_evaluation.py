"""The OpenAI-compatible path, against a real HTTP server on loopback: the
request the client sends, retries, the json_object downgrade, and every way
the answer can fail falling back to the built-in evaluator."""

from __future__ import annotations

import time

import pytest
from pydantic import ValidationError

from interviewd.adapters.llm import LLMHTTPError, LLMInvalidResponse, create_llm
from interviewd.adapters.llm.openai import OpenAIChatClient
from interviewd.domain.evaluation.builtin import builtin_evaluator
from interviewd.domain.evaluation.schemas import BUILTIN_MODEL, CodeResult, EvaluationRequest
from interviewd.domain.evaluation.service import EvaluationService
from tests.adapters.llm.fake_openai import VALID_EVALUATION, answer, error, refuse_json_schema
from tests.domain.evaluation.fixtures import DATABASE_INDEX

REQUEST = EvaluationRequest(**DATABASE_INDEX.request, answer_text=DATABASE_INDEX.strong)


def _service(llm_settings, **overrides) -> EvaluationService:
    return EvaluationService(settings=llm_settings(**overrides))


def _without_time(evaluation) -> dict:
    data = evaluation.model_dump()
    data["ai_analysis"].pop("processing_time")
    return data


async def test_a_valid_answer_is_used_and_the_request_is_what_the_api_expects(llm_settings, fake_llm):
    evaluation = await _service(llm_settings).evaluate(REQUEST)

    assert evaluation.rubric.model_dump(by_alias=True) == VALID_EVALUATION["rubric"]
    assert evaluation.total_score == 22 + 18 + 15 + 20
    assert evaluation.scores.model_dump() == VALID_EVALUATION["scores"]
    assert evaluation.strengths == VALID_EVALUATION["strengths"]
    assert evaluation.detailed_feedback.suggestions == ["Mention partial indexes"]
    assert evaluation.follow_up_question == VALID_EVALUATION["followUpQuestion"]
    assert evaluation.ideal_answer == VALID_EVALUATION["idealAnswer"]
    assert evaluation.sentiment == "positive"
    assert evaluation.ai_analysis.model == "fake-gpt-1"
    assert evaluation.ai_analysis.confidence == 0.82
    assert evaluation.ai_analysis.fallback is None

    [sent] = fake_llm.requests
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer test-key"
    assert sent.headers["content-type"] == "application/json"
    assert sent.body["model"] == "fake-gpt-1"
    assert sent.body["temperature"] == 0
    fmt = sent.body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "answer_evaluation" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["properties"]["rubric"]["properties"]["jobFit"]["maximum"] == 25
    roles = [m["role"] for m in sent.body["messages"]]
    assert roles == ["system", "user"]
    user = sent.body["messages"][1]["content"]
    assert REQUEST.question_text in user
    assert REQUEST.answer_text in user
    assert "composite index" in user  # the expected keywords travel with the question
    assert "0-25" in user and "JSON" in user


async def test_figures_are_rounded_and_clamped_and_the_total_is_recomputed(llm_settings, fake_llm):
    data = {**VALID_EVALUATION, "rubric": {"understanding": 24.6, "logic": 25.4, "specificity": 0.2,
                                           "jobFit": 10},
            "scores": {"completeness": 100.3, "correctness": 49.5, "communication": 0},
            "confidence": 1.7, "followUpQuestion": "  ", "idealAnswer": ""}
    fake_llm.default = answer(data, model="served-model-2024")

    evaluation = await _service(llm_settings).evaluate(REQUEST)

    assert evaluation.rubric.model_dump() == {"understanding": 25, "logic": 25, "specificity": 0,
                                              "job_fit": 10}
    assert evaluation.total_score == 60
    assert evaluation.scores.model_dump() == {"completeness": 100, "correctness": 50, "communication": 0}
    assert evaluation.ai_analysis.confidence == 1.0
    assert evaluation.ai_analysis.model == "served-model-2024"  # the model the server says answered
    assert evaluation.follow_up_question is None
    assert evaluation.ideal_answer == REQUEST.sample_answer


async def test_the_sandbox_verdict_outranks_the_models_correctness(llm_settings, fake_llm):
    request = REQUEST.model_copy(update={"question_type": "coding",
                                         "code_result": CodeResult(passed=2, total=5, status="failed")})
    evaluation = await _service(llm_settings).evaluate(request)
    assert evaluation.scores.correctness == 40
    assert "passed 2 of 5 tests" in fake_llm.requests[0].body["messages"][1]["content"]


@pytest.mark.parametrize(("content", "reason"), [
    ("this is {not json", "invalid_json"),
    ("[1, 2, 3]", "invalid_json"),
    ({"rubric": {"understanding": 20}}, "schema_mismatch"),
    ({**VALID_EVALUATION, "rubric": {**VALID_EVALUATION["rubric"], "logic": 80}}, "schema_mismatch"),
    ({**VALID_EVALUATION, "scores": {**VALID_EVALUATION["scores"], "correctness": -12}}, "schema_mismatch"),
    ({**VALID_EVALUATION, "rubric": {**VALID_EVALUATION["rubric"], "jobFit": "high"}}, "schema_mismatch"),
    ({**VALID_EVALUATION, "sentiment": "ecstatic"}, "schema_mismatch"),
])
async def test_an_unusable_answer_falls_back_to_the_builtin_evaluator(llm_settings, fake_llm, content,
                                                                      reason):
    fake_llm.default = answer(content)

    evaluation = await _service(llm_settings).evaluate(REQUEST)

    assert evaluation.ai_analysis.model == BUILTIN_MODEL
    assert evaluation.ai_analysis.fallback == f"fake-gpt-1: {reason}"
    expected = builtin_evaluator.evaluate(REQUEST).model_dump()
    got = evaluation.model_dump()
    for key in ("rubric", "total_score", "scores", "strengths", "improvements", "follow_up_question"):
        assert got[key] == expected[key]
    assert len(fake_llm.requests) == 1  # a bad answer is not asked again


async def test_a_body_that_is_not_a_chat_completion_falls_back(llm_settings, fake_llm):
    from tests.adapters.llm.fake_openai import Reply

    fake_llm.default = lambda _body: Reply(body={"unexpected": True})
    evaluation = await _service(llm_settings).evaluate(REQUEST)
    assert evaluation.ai_analysis.fallback == "fake-gpt-1: invalid_json"


async def test_a_timeout_falls_back_within_the_budget(llm_settings, fake_llm):
    server_delay = 3.0
    fake_llm.default = answer(VALID_EVALUATION, delay=server_delay)
    service = _service(llm_settings, llm_timeout=0.3, llm_max_retries=1)

    started = time.monotonic()
    evaluation = await service.evaluate(REQUEST)
    elapsed = time.monotonic() - started

    assert evaluation.ai_analysis.model == BUILTIN_MODEL
    assert evaluation.ai_analysis.fallback == "fake-gpt-1: timeout"
    assert len(fake_llm.requests) == 2  # the first attempt and one retry
    assert elapsed < server_delay  # it did not wait for the slow server


async def test_the_deadline_bounds_all_retries_together(llm_settings, fake_llm):
    fake_llm.default = answer(VALID_EVALUATION, delay=3.0)
    service = _service(llm_settings, llm_timeout=0.4, llm_max_retries=10, llm_deadline=0.6)

    evaluation = await service.evaluate(REQUEST)

    assert evaluation.ai_analysis.fallback == "fake-gpt-1: timeout"
    assert len(fake_llm.requests) == 2  # 0.4 s, then the 0.2 s left; never the 10 retries allowed


async def test_429_then_200_is_retried(llm_settings, fake_llm):
    fake_llm.script = [error(429, **{"Retry-After": "0"}), answer(VALID_EVALUATION)]

    evaluation = await _service(llm_settings).evaluate(REQUEST)

    assert evaluation.ai_analysis.model == "fake-gpt-1"
    assert evaluation.total_score == 75
    assert len(fake_llm.requests) == 2
    assert fake_llm.requests[0].body == fake_llm.requests[1].body


async def test_server_errors_are_retried_up_to_the_limit_then_fall_back(llm_settings, fake_llm):
    fake_llm.default = error(503)

    evaluation = await _service(llm_settings, llm_max_retries=2).evaluate(REQUEST)

    assert len(fake_llm.requests) == 3
    assert evaluation.ai_analysis.fallback == "fake-gpt-1: http_error"


async def test_a_5xx_then_success_uses_the_answer(llm_settings, fake_llm):
    fake_llm.script = [error(502), error(500)]
    evaluation = await _service(llm_settings, llm_max_retries=2).evaluate(REQUEST)
    assert evaluation.ai_analysis.model == "fake-gpt-1"
    assert len(fake_llm.requests) == 3


async def test_client_errors_other_than_the_schema_downgrade_are_not_retried(llm_settings, fake_llm):
    fake_llm.default = error(401)
    evaluation = await _service(llm_settings).evaluate(REQUEST)
    assert evaluation.ai_analysis.fallback == "fake-gpt-1: http_error"
    assert len(fake_llm.requests) == 1


async def test_json_schema_refused_then_json_object_is_used_and_remembered(llm_settings, fake_llm):
    fake_llm.default = refuse_json_schema(answer(VALID_EVALUATION))
    service = _service(llm_settings)

    first = await service.evaluate(REQUEST)
    second = await service.evaluate(REQUEST)

    assert first.ai_analysis.model == second.ai_analysis.model == "fake-gpt-1"
    formats = [r.body["response_format"]["type"] for r in fake_llm.requests]
    assert formats == ["json_schema", "json_object", "json_object"]
    # json_object mode needs the word JSON and the shape in the messages themselves
    system = fake_llm.requests[1].body["messages"][0]["content"]
    assert "JSON" in system and '"jobFit"' in system


async def test_a_400_to_json_object_as_well_falls_back(llm_settings, fake_llm):
    fake_llm.default = error(400)
    evaluation = await _service(llm_settings).evaluate(REQUEST)
    assert [r.body["response_format"]["type"] for r in fake_llm.requests] == ["json_schema", "json_object"]
    assert evaluation.ai_analysis.fallback == "fake-gpt-1: http_error"


async def test_an_unreachable_server_falls_back(make_settings, fake_llm):
    base_url = fake_llm.base_url
    fake_llm.stop()
    service = EvaluationService(settings=make_settings(
        llm_backend="openai", llm_base_url=base_url, llm_model="m",
        llm_max_retries=1, llm_retry_backoff=0.01))
    evaluation = await service.evaluate(REQUEST)
    assert evaluation.ai_analysis.model == BUILTIN_MODEL
    assert evaluation.ai_analysis.fallback == "m: http_error"


async def test_the_client_alone_raises_typed_errors(fake_llm):
    client = OpenAIChatClient(base_url=fake_llm.base_url, api_key=None, model="m", max_retries=0)
    fake_llm.default = answer("nope")
    with pytest.raises(LLMInvalidResponse):
        await client.complete_json([{"role": "user", "content": "hi"}], schema_name="x", schema={})
    fake_llm.default = error(500)
    with pytest.raises(LLMHTTPError) as caught:
        await client.complete_json([{"role": "user", "content": "hi"}], schema_name="x", schema={})
    assert caught.value.status == 500
    assert "authorization" not in fake_llm.requests[-1].headers  # no key, no header
    fake_llm.default = answer("```json\n{\"ok\": true}\n```")
    result = await client.complete_json([{"role": "user", "content": "hi"}], schema_name="x", schema={})
    assert result.data == {"ok": True} and result.attempts == 1


def test_settings_choose_the_backend(make_settings):
    assert create_llm(make_settings()) is None  # builtin is the default
    client = create_llm(make_settings(llm_backend="openai", llm_base_url="http://127.0.0.1:9/v1/",
                                      llm_model="m", llm_timeout=7, llm_max_retries=4))
    assert isinstance(client, OpenAIChatClient)
    assert client.url == "http://127.0.0.1:9/v1/chat/completions"
    assert (client.timeout, client.max_retries) == (7, 4)
    with pytest.raises(ValidationError, match="LLM_BASE_URL"):
        make_settings(llm_backend="openai", llm_model="m")
    with pytest.raises(ValidationError, match="LLM_MODEL"):
        make_settings(llm_backend="openai", llm_base_url="http://x")


async def test_the_module_service_follows_the_running_apps_settings(make_client, fake_llm):
    from interviewd.domain.evaluation.service import evaluation_service

    await make_client(llm_backend="openai", llm_base_url=fake_llm.base_url, llm_model="fake-gpt-1")
    evaluation = await evaluation_service.evaluate(REQUEST)
    assert evaluation.ai_analysis.model == "fake-gpt-1"
    assert len(fake_llm.requests) == 1


QUESTION = {
    "title": "Slow dashboard queries",
    "text": "Our analytics dashboard takes 8 seconds to load. How would you find and fix the slow queries?",
    "tags": ["performance", "sql"],
    "expectedKeywords": ["query plan", "index", "caching"],
    "sampleAnswer": "I would start from the slow query log and EXPLAIN ANALYZE to find sequential scans, add "
                    "indexes matching the filters, pre-aggregate heavy reports, and cache results that "
                    "change rarely, measuring each step.",
    "evaluationCriteria": {"understanding": "Knows where time goes in a query",
                           "logic": "Measures before changing anything",
                           "specificity": "Names tools and figures", "jobFit": "Thinks about users"},
    "hints": ["Where would you measure first?"],
    "followUpQuestions": ["How would you keep the cache fresh?"],
    "estimatedTime": 8,
}


async def test_generate_question_returns_a_draft(llm_settings, fake_llm):
    fake_llm.default = answer(QUESTION)
    draft = await _service(llm_settings).generate_question(
        category="databases", difficulty="medium", type="technical", language="en",
        avoid=["What is an index?"])
    assert draft is not None
    assert (draft.category, draft.difficulty, draft.type, draft.language) == (
        "databases", "medium", "technical", "en")
    assert draft.expected_keywords == ["query plan", "index", "caching"]
    assert draft.model_dump(by_alias=True)["followUpQuestions"] == QUESTION["followUpQuestions"]
    [sent] = fake_llm.requests
    assert sent.body["response_format"]["json_schema"]["name"] == "interview_question"
    prompt = sent.body["messages"][1]["content"]
    assert "medium level technical interview question for a databases position" in prompt
    assert "Avoid these previously asked questions: What is an index?" in prompt


async def test_generate_question_gives_none_when_it_cannot_help(llm_settings, fake_llm, make_settings):
    assert await EvaluationService(settings=make_settings()).generate_question(
        category="databases", difficulty="easy", type="theory") is None  # built-in backend
    service = _service(llm_settings)
    fake_llm.default = answer(QUESTION)
    duplicate = await service.generate_question(category="databases", difficulty="easy", type="theory",
                                                avoid=["  our analytics dashboard takes 8 seconds to load. "
                                                       "How would you find and fix the slow queries?"])
    assert duplicate is None
    fake_llm.default = answer({**QUESTION, "expectedKeywords": []})
    assert await service.generate_question(category="databases", difficulty="easy", type="theory") is None
    fake_llm.default = error(500)
    assert await service.generate_question(category="databases", difficulty="easy", type="theory") is None
