"""The built-in evaluator: ordering on fixture answers, STAR, determinism,
ranges, and feedback that names what the answer did and missed."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from interviewd.domain.evaluation.builtin import BuiltinEvaluator, builtin_evaluator, measure
from interviewd.domain.evaluation.schemas import BUILTIN_MODEL, Evaluation, EvaluationRequest
from interviewd.domain.evaluation.service import EvaluationService
from tests.domain.evaluation.fixtures import (
    CASES,
    CONFLICT_BEHAVIORAL,
    CONFLICT_UNSTRUCTURED,
    DATABASE_INDEX,
    KO_BEHAVIORAL,
    KO_INDEX,
    REST_THEORY,
)

MARGIN = 15


def evaluate(case, answer: str, **changes) -> Evaluation:
    return builtin_evaluator.evaluate(EvaluationRequest(**{**case.request, **changes}, answer_text=answer))


def assert_valid(evaluation: Evaluation) -> None:
    rubric = evaluation.rubric
    for value in (rubric.understanding, rubric.logic, rubric.specificity, rubric.job_fit):
        assert 0 <= value <= 25
    assert evaluation.total_score == rubric.understanding + rubric.logic + rubric.specificity + rubric.job_fit
    for value in evaluation.scores.model_dump().values():
        assert 0 <= value <= 100
    assert evaluation.ai_analysis.model == BUILTIN_MODEL
    assert 0 <= evaluation.ai_analysis.confidence <= 0.7  # form, not truth: never claims to be sure
    assert evaluation.ideal_answer


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_strong_above_vague_above_off_topic(case):
    strong = evaluate(case, case.strong)
    vague = evaluate(case, case.vague)
    off_topic = evaluate(case, case.off_topic)
    for evaluation in (strong, vague, off_topic):
        assert_valid(evaluation)
    assert strong.total_score >= vague.total_score + MARGIN, (strong.total_score, vague.total_score)
    assert strong.total_score >= off_topic.total_score + MARGIN, (strong.total_score, off_topic.total_score)
    assert vague.total_score >= off_topic.total_score + 5, (vague.total_score, off_topic.total_score)
    assert strong.total_score >= 70 and strong.sentiment == "positive"
    assert off_topic.sentiment == vague.sentiment == "negative"
    # the axes agree with the total, not just the sum
    assert strong.rubric.specificity > vague.rubric.specificity
    assert strong.rubric.understanding > off_topic.rubric.understanding
    assert strong.scores.completeness > vague.scores.completeness > off_topic.scores.completeness


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_weak_answers_get_a_follow_up_and_the_strong_one_does_not(case):
    assert evaluate(case, case.strong).follow_up_question is None
    assert evaluate(case, case.vague).follow_up_question
    off = evaluate(case, case.off_topic)
    assert case.request["question_text"] in off.follow_up_question  # brings the candidate back


def test_star_structure_ranks_above_the_same_content_without_it():
    structured = evaluate(CONFLICT_BEHAVIORAL, CONFLICT_BEHAVIORAL.strong)
    unstructured = evaluate(CONFLICT_BEHAVIORAL, CONFLICT_UNSTRUCTURED)
    assert structured.total_score >= unstructured.total_score + 8
    assert structured.rubric.logic >= unstructured.rubric.logic + 8
    assert any("STAR" in s for s in structured.strengths)
    assert not any("STAR" in s for s in unstructured.strengths)
    assert any("STAR" in i or "in order" in i for i in unstructured.improvements)


def test_star_parts_and_order_are_detected():
    request = EvaluationRequest(**CONFLICT_BEHAVIORAL.request, answer_text=CONFLICT_BEHAVIORAL.strong)
    features = measure(request)
    assert features.star_found == ["situation", "task", "action", "result"]
    assert features.star_order == 1.0
    reversed_story = "\n\n".join(reversed(CONFLICT_BEHAVIORAL.strong.split("\n\n")))
    assert measure(request.model_copy(update={"answer_text": reversed_story})).star_order < 0.75
    ko = measure(EvaluationRequest(**KO_BEHAVIORAL.request, answer_text=KO_BEHAVIORAL.strong))
    assert ko.star_found == ["situation", "task", "action", "result"]


def test_a_story_without_a_result_is_asked_for_one():
    story = CONFLICT_BEHAVIORAL.strong.split("As a result")[0]
    evaluation = evaluate(CONFLICT_BEHAVIORAL, story)
    assert "Result" in " ".join(evaluation.improvements)
    assert evaluation.follow_up_question == "What was the result of what you did, and how did you measure it?"
    assert evaluation.total_score < evaluate(CONFLICT_BEHAVIORAL, CONFLICT_BEHAVIORAL.strong).total_score


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_same_input_gives_the_same_output(case):
    request = EvaluationRequest(**case.request, answer_text=case.strong)
    first = builtin_evaluator.evaluate(request).model_dump()
    again = BuiltinEvaluator().evaluate(EvaluationRequest.model_validate(request.model_dump())).model_dump()
    assert first == again
    assert first == builtin_evaluator.evaluate(request).model_dump()


async def test_the_service_with_the_builtin_backend_is_deterministic_too(make_settings):
    service = EvaluationService(settings=make_settings())
    request = EvaluationRequest(**DATABASE_INDEX.request, answer_text=DATABASE_INDEX.vague)
    first, second = await service.evaluate(request), await service.evaluate(request)
    for evaluation in (first, second):
        assert evaluation.ai_analysis.model == BUILTIN_MODEL
        assert evaluation.ai_analysis.fallback is None
        assert evaluation.ai_analysis.processing_time >= 0
    strip = lambda e: {**e.model_dump(), "ai_analysis": None}  # noqa: E731 (processing time varies)
    assert strip(first) == strip(second)
    assert strip(first) == strip(builtin_evaluator.evaluate(request))


def test_feedback_names_the_missing_keywords():
    evaluation = evaluate(DATABASE_INDEX, DATABASE_INDEX.vague)
    missing = "You did not mention: query plan, selectivity, composite index, write overhead"
    assert missing in evaluation.improvements
    assert evaluation.follow_up_question == (
        "How do query plan and selectivity come into this, and how would you use them?")
    assert "Covers 1 of 5 expected points (index)" in evaluation.detailed_feedback.content
    assert any("basically" in i for i in evaluation.improvements)  # the filler words are named
    assert evaluation.detailed_feedback.suggestions


def test_strengths_name_what_the_answer_did():
    evaluation = evaluate(DATABASE_INDEX, DATABASE_INDEX.strong)
    joined = " | ".join(evaluation.strengths)
    assert "Covers the key points: index, query plan, selectivity, composite index, write overhead" in joined
    assert "figures" in joined and "example" in joined
    assert evaluation.ideal_answer == DATABASE_INDEX.request["sample_answer"]


def test_keyword_matching_stems_and_normalises():
    request = EvaluationRequest(
        question_text="How do you design a relational schema?", question_type="theory",
        expected_keywords=["normalization", "index", "foreign key", "query"],
        answer_text="I normalised the tables to third normal form, added indexes on the columns we filter "
                    "by, "
                    "declared foreign keys between orders and customers, and checked the queries.")
    features = measure(request)
    assert features.keyword_hits == ["normalization", "index", "foreign key", "query"]
    assert features.keyword_coverage == 1.0


def test_korean_keywords_match_inside_words_with_particles():
    answer = "인덱스를 추가하면 조회 성능이 좋아지지만 쓰기 비용이 늘어납니다. 실행계획을 먼저 확인합니다."
    request = EvaluationRequest(**KO_INDEX.request, answer_text=answer)
    features = measure(request)
    assert features.keyword_hits == ["인덱스", "조회 성능", "쓰기 비용", "실행 계획"]
    assert features.keyword_misses == ["B-트리"]


def test_korean_feedback_is_in_korean():
    evaluation = evaluate(KO_INDEX, KO_INDEX.vague)
    hangul = re.compile(r"[\uac00-\ud7a3]")
    for text in [*evaluation.improvements, evaluation.detailed_feedback.structure,
                 evaluation.detailed_feedback.content, evaluation.follow_up_question, evaluation.summary]:
        assert hangul.search(text), text
    assert "B-트리" in evaluation.improvements[0]


def test_keyword_stuffing_is_not_rewarded_like_an_explanation():
    stuffed = evaluate(DATABASE_INDEX, "Index, query plan, selectivity, composite index, write overhead. "
                                       "Index. Query plan. Selectivity.")
    strong = evaluate(DATABASE_INDEX, DATABASE_INDEX.strong)
    assert_valid(stuffed)
    assert strong.total_score >= stuffed.total_score + MARGIN
    assert any("listed rather than explained" in i for i in stuffed.improvements)
    assert not any(s.startswith("Covers the key points") for s in stuffed.strengths)


def test_length_bounds():
    short = evaluate(REST_THEORY, "PUT replaces, PATCH updates.")
    assert any("Too short" in i for i in short.improvements)
    padding = " ".join(["Also the weather was nice."] * 120)
    padded = evaluate(REST_THEORY, REST_THEORY.strong + "\n\n" + padding)
    assert_valid(padded)
    # more words with nothing in them earn nothing
    assert padded.total_score <= evaluate(REST_THEORY, REST_THEORY.strong).total_score


def test_coding_correctness_is_the_share_of_tests_passed():
    base = dict(question_text="Write a function that returns the indices of two numbers adding up to target.",
                question_type="coding", category="algorithms", expected_keywords=["hash map", "complement"],
                sample_answer="Walk the array once, keeping a hash map from value to index; for each number "
                              "look up its complement target - x.",
                answer_text="I used a hash map from value to index and looked up the complement of each "
                            "number, "
                            "which makes it O(n) time.")
    all_pass = builtin_evaluator.evaluate(EvaluationRequest(**base, code_result={"passed": 5, "total": 5}))
    some = builtin_evaluator.evaluate(EvaluationRequest(**base, code_result={"passed": 3, "total": 5,
                                                                             "status": "failed"}))
    none = builtin_evaluator.evaluate(EvaluationRequest(**base, code_result={"passed": 0, "total": 5}))
    assert (all_pass.scores.correctness, some.scores.correctness, none.scores.correctness) == (100, 60, 0)
    assert all_pass.total_score > some.total_score > none.total_score
    assert "The code passes all 5 tests" in all_pass.strengths
    assert "The code passes 3 of 5 tests" in some.improvements
    assert some.follow_up_question == "Which inputs does your solution get wrong, and how would you fix it?"


def test_senior_roles_are_asked_for_trade_offs():
    context = {"jobType": "backend engineer", "level": "senior"}
    evaluation = evaluate(REST_THEORY, REST_THEORY.strong, job_context=context)
    assert any("senior level" in i for i in evaluation.improvements)
    deeper = REST_THEORY.strong + " The trade-off is the cost of storing keys, and the risk is stale keys."
    assert evaluate(REST_THEORY, deeper, job_context=context).rubric.job_fit > evaluation.rubric.job_fit


def test_an_outline_stands_in_for_a_missing_sample_answer():
    request = {**CONFLICT_BEHAVIORAL.request, "sample_answer": ""}
    evaluation = builtin_evaluator.evaluate(EvaluationRequest(**request, answer_text="I listened."))
    assert evaluation.ideal_answer.startswith("A strong answer would: set the situation")
    assert "listened, data, compromise, outcome" in evaluation.ideal_answer


@pytest.mark.parametrize("answer", ["", "   ", "12345", "!!!", "a " * 3000, "인덱스 " * 500,
                                    "```python\ndef f(x):\n    return x\n```"])
def test_edge_inputs_stay_in_range(answer):
    for case in (DATABASE_INDEX, KO_INDEX, CONFLICT_BEHAVIORAL):
        assert_valid(evaluate(case, answer))


def test_the_request_reads_the_wire_names():
    request = EvaluationRequest.model_validate({
        "questionText": "Q?", "questionType": "coding", "expectedKeywords": ["a"], "sampleAnswer": "s",
        "evaluationCriteria": {"understanding": "understands it", "logic": "reasons well",
                               "specificity": "gives detail", "jobFit": "fits the job"},
        "answerText": "x", "language": "ko", "codeResult": {"passed": 1, "total": 2, "status": "failed"},
        "jobContext": {"jobType": "frontend", "level": "entry"}, "previousAnswers": ["before"]})
    assert request.code_result.share == 0.5
    assert request.job_context.role == "frontend" and request.job_context.level == "entry"
    with pytest.raises(ValidationError):
        EvaluationRequest(question_text="Q", question_type="coding", code_result={"passed": 3, "total": 2})
    with pytest.raises(ValidationError):
        EvaluationRequest(question_text="Q", question_type="essay")
    wire = evaluate(DATABASE_INDEX, DATABASE_INDEX.strong).model_dump(by_alias=True)
    assert set(wire["rubric"]) == {"understanding", "logic", "specificity", "jobFit"}
    assert {"totalScore", "detailedFeedback", "idealAnswer", "followUpQuestion", "aiAnalysis"} <= set(wire)
    assert set(wire["aiAnalysis"]) == {"model", "confidence", "processingTime", "fallback"}
