from __future__ import annotations

from sqlalchemy import func, select

from interviewd import runtime
from interviewd.content.loader import load_challenges, load_questions
from interviewd.db import unit_of_work
from interviewd.domain.questions.seeding import seed_question_bank
from interviewd.models.question import CodingChallenge, Question


async def _counts() -> tuple[int, int]:
    async with runtime.current().sessionmaker() as session:
        questions = await session.scalar(select(func.count()).select_from(Question))
        challenges = await session.scalar(select(func.count()).select_from(CodingChallenge))
    return questions, challenges


async def test_seeding_the_bank_twice_updates_instead_of_duplicating(client):
    expected = len(load_questions()) + len(load_challenges())
    async with unit_of_work(runtime.current().sessionmaker) as session:
        first = await seed_question_bank(session)
    assert first["questions created"] == expected
    assert await _counts() == (expected, len(load_challenges()))

    async with unit_of_work(runtime.current().sessionmaker) as session:  # an admin retires one
        retired = await session.scalar(select(Question).limit(1))
        if retired is not None:
            retired.is_active = False
    async with unit_of_work(runtime.current().sessionmaker) as session:
        second = await seed_question_bank(session)
    assert second["questions created"] == 0 and second["questions updated"] == expected
    assert await _counts() == (expected, len(load_challenges()))
    if retired is not None:
        async with runtime.current().sessionmaker() as session:
            assert (await session.get(Question, retired.id)).is_active is False
