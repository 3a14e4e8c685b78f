"""Load the question bank and coding challenges from the content files.

Idempotent: rows are matched by their content `key`; a re-run updates what
changed and creates what is new, never a duplicate. Questions an admin
retired stay retired.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.content.loader import load_challenges, load_questions
from interviewd.content.schema import ChallengeSeed, QuestionSeed
from interviewd.domain.questions.repository import question_repository, search_text
from interviewd.domain.questions.service import normalised_hash
from interviewd.models.question import CodingChallenge, Question


def _fields(seed: QuestionSeed | ChallengeSeed, type: str) -> dict:
    return {
        "language": seed.language, "type": type, "category": seed.category,
        "difficulty": seed.difficulty, "title": seed.title, "text": seed.text,
        "text_hash": normalised_hash(seed.text), "tags": list(seed.tags),
        "search_text": search_text(seed.title, seed.text, seed.category, seed.tags),
        "expected_keywords": list(seed.expectedKeywords), "sample_answer": seed.sampleAnswer,
        "evaluation_criteria": seed.evaluationCriteria.model_dump(), "hints": list(seed.hints),
        "follow_up_questions": list(seed.followUpQuestions), "estimated_time": seed.estimatedTime,
        "source": "seed",
    }


async def _upsert(session: AsyncSession, key: str, fields: dict) -> tuple[Question, bool]:
    question = await question_repository.by_key(session, key)
    if question is None:
        question = Question(key=key, **fields)
        await question_repository.add(session, question)
        return question, True
    for name, value in fields.items():
        setattr(question, name, value)
    return question, False


async def seed_question_bank(session: AsyncSession) -> dict[str, int]:
    created = updated = 0
    for seed in load_questions():
        _question, was_created = await _upsert(session, seed.key, _fields(seed, seed.type))
        created, updated = created + was_created, updated + (not was_created)
    challenges = 0
    for seed in load_challenges():
        question, was_created = await _upsert(session, seed.key, _fields(seed, "coding"))
        created, updated = created + was_created, updated + (not was_created)
        await session.flush()
        challenge = await question_repository.challenge(session, question.id)
        values = {
            "function_name": {lang: spec.functionName for lang, spec in seed.languages.items()},
            "languages": {lang: spec.model_dump(exclude={"functionName"})
                          for lang, spec in seed.languages.items()},
            "tests": [t.model_dump() for t in seed.tests],
            "comparison": seed.comparison,
        }
        if challenge is None:
            session.add(CodingChallenge(question_id=question.id, **values))
        else:
            for name, value in values.items():
                setattr(challenge, name, value)
        challenges += 1
    await session.flush()
    return {"questions created": created, "questions updated": updated, "coding challenges": challenges}
