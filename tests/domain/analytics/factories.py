"""Analytics data made the way the product makes it: AI sessions walked
through HTTP (questions presented, answers evaluated, session completed),
then moved in time or given chosen scores where a test needs exact figures."""

from __future__ import annotations

from datetime import datetime

import httpx
from sqlalchemy import select, update

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.models import AiSessionQuestion, AnalysisResult, InterviewSession, User
from tests.domain.interview.factories import GOOD_ANSWER, candidate, insert_bank, start

FAST = {"ai_answers_per_minute": 0, "ai_sessions_per_day": 0, "ai_follow_ups": False}

__all__ = ["FAST", "ai_session", "candidate", "insert_bank", "move_answers", "set_answers", "set_preferences",
           "set_session"]


async def ai_session(client: httpx.AsyncClient, user: dict, *, questions: int = 2, complete: bool = True,
                     answer: str = GOOD_ANSWER, **body) -> str:
    """An AI session with `questions` answered questions; completed unless told."""
    created = await start(client, user["headers"], questionCount=questions, includeCoding=False, **body)
    sid = created["session"]["sessionId"]
    for _ in range(questions):
        response = await client.post(f"/api/sessions/{sid}/questions/next", headers=user["headers"])
        assert response.status_code == 200, response.text
        response = await client.post(f"/api/sessions/{sid}/answers", headers=user["headers"],
                                     json={"answerText": answer, "responseTime": 60})
        assert response.status_code == 200, response.text
    if complete:
        response = await client.post(f"/api/sessions/{sid}/complete", headers=user["headers"])
        assert response.status_code == 200, response.text
    return sid


async def set_session(sid: str, **fields) -> None:
    """Move a session's clock fields or set its score/status."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await session.execute(update(InterviewSession).where(InterviewSession.uid == sid).values(**fields))


async def set_answers(sid: str, *, scores: list[float] | None = None, at: list[datetime] | None = None,
                      category: str | None = None) -> None:
    """Give the session's evaluations (in order) chosen total scores and times."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        session_id = await session.scalar(select(InterviewSession.id).where(InterviewSession.uid == sid))
        rows = list(await session.scalars(
            select(AnalysisResult).where(AnalysisResult.session_id == session_id)
            .order_by(AnalysisResult.id)))
        for index, row in enumerate(rows):
            if scores is not None:
                row.total_score = scores[index]
            if at is not None:
                row.created_at = at[index]
        if category is not None:
            from interviewd.models import Question

            ids = list(await session.scalars(select(AiSessionQuestion.question_id)
                                             .where(AiSessionQuestion.session_id == session_id)))
            await session.execute(update(Question).where(Question.id.in_(ids)).values(category=category))


async def set_preferences(user_uid: str, **preferences) -> None:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        user = await session.scalar(select(User).where(User.uid == user_uid))
        user.preferences = {**(user.preferences or {}), **preferences}


async def move_answers(sid: str, at: datetime) -> None:
    """Move the session's answers (and their evaluations) to `at`."""
    from interviewd.models import AiAnswer

    async with unit_of_work(runtime.current().sessionmaker) as session:
        session_id = await session.scalar(select(InterviewSession.id).where(InterviewSession.uid == sid))
        await session.execute(update(AiAnswer).where(AiAnswer.session_id == session_id)
                              .values(submitted_at=at))
        await session.execute(update(AnalysisResult).where(AnalysisResult.session_id == session_id)
                              .values(created_at=at))
