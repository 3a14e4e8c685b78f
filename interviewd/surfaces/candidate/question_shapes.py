"""003's question shapes (with 004's field names beside them). Hidden test
cases, reference solutions, expected keywords and sample answers are for the
server and for admins: the candidate shapes never include them."""

from __future__ import annotations

from interviewd.kit.clock import isoformat_z
from interviewd.models.question import CodingChallenge, Question


def _success_rate(q: Question) -> float:
    return round(100.0 * q.solved_count / q.answer_count, 1) if q.answer_count else 0.0


def question_summary(q: Question) -> dict:
    return {
        "questionId": q.uid,
        "id": q.uid,
        "type": q.type,
        "category": q.category,
        "difficulty": q.difficulty,
        "language": q.language,
        "title": q.title,
        "estimatedTime": q.estimated_time,
        "tags": list(q.tags),
        "solvedCount": q.solved_count,
        "successRate": _success_rate(q),
    }


def challenge_public(challenge: CodingChallenge) -> dict:
    """Signatures, starter code and the visible examples; nothing hidden."""
    return {
        "languages": sorted(challenge.languages),
        "functionName": dict(challenge.function_name),
        "signatures": {lang: spec["signature"] for lang, spec in challenge.languages.items()},
        "starterCode": {lang: spec["starter"] for lang, spec in challenge.languages.items()},
        "examples": [{"input": t["input"], "expected": t["expected"]}
                     for t in challenge.tests if not t.get("hidden")],
        "testCount": len(challenge.tests),
        "hiddenTestCount": sum(1 for t in challenge.tests if t.get("hidden")),
    }


def question_detail(q: Question, challenge: CodingChallenge | None = None,
                    similar: list[Question] | None = None) -> dict:
    body = {
        **question_summary(q),
        "description": q.text,
        "text": q.text,
        "question": q.text,
        "hints": list(q.hints),
        "followUpQuestions": list(q.follow_up_questions),
        "similarQuestions": [s.uid for s in similar or []],
        "usageCount": q.usage_count,
        "averageScore": q.average_score,
        "isActive": q.is_active,
        "createdAt": isoformat_z(q.created_at),
        "updatedAt": isoformat_z(q.updated_at),
    }
    if challenge is not None:
        body["codingChallenge"] = challenge_public(challenge)
    return body


def question_admin(q: Question, challenge: CodingChallenge | None = None) -> dict:
    """Everything, for administrators."""
    return {
        **question_detail(q, challenge),
        "expectedKeywords": list(q.expected_keywords),
        "sampleAnswer": q.sample_answer,
        "evaluationCriteria": dict(q.evaluation_criteria),
        "source": q.source,
        "key": q.key,
        "deletedAt": isoformat_z(q.deleted_at),
    }
