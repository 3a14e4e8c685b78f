"""All SQL of AI interview sessions: sessions with their details, presented
questions, answers and evaluations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.kit.repository import Repository
from interviewd.models.ai import (
    AiAnswer,
    AiSessionDetails,
    AiSessionQuestion,
    AnalysisResult,
    FeedbackReport,
)
from interviewd.models.question import Question
from interviewd.models.session import InterviewSession, SessionKind


class AiSessionRepository(Repository[InterviewSession]):
    model = InterviewSession

    async def by_uid(self, session: AsyncSession, uid: str
                     ) -> tuple[InterviewSession, AiSessionDetails] | None:
        row = (await session.execute(
            select(InterviewSession, AiSessionDetails)
            .join(AiSessionDetails, AiSessionDetails.session_id == InterviewSession.id)
            .where(InterviewSession.uid == uid, InterviewSession.kind == SessionKind.AI.value)
        )).first()
        return (row[0], row[1]) if row else None

    async def created_since(self, session: AsyncSession, user_id: int, since: datetime) -> list[datetime]:
        rows = await session.scalars(
            select(InterviewSession.created_at).where(
                InterviewSession.user_id == user_id, InterviewSession.kind == SessionKind.AI.value,
                InterviewSession.created_at > since,
            ).order_by(InterviewSession.created_at)
        )
        return list(rows)

    async def items(self, session: AsyncSession, session_id: int
                    ) -> list[tuple[AiSessionQuestion, Question]]:
        rows = await session.execute(
            select(AiSessionQuestion, Question)
            .join(Question, Question.id == AiSessionQuestion.question_id)
            .where(AiSessionQuestion.session_id == session_id)
            .order_by(AiSessionQuestion.order)
        )
        return [(r[0], r[1]) for r in rows]

    async def answers(self, session: AsyncSession, session_id: int
                      ) -> list[tuple[AiAnswer, AnalysisResult | None]]:
        rows = await session.execute(
            select(AiAnswer, AnalysisResult)
            .outerjoin(AnalysisResult, AnalysisResult.answer_id == AiAnswer.id)
            .where(AiAnswer.session_id == session_id)
            .order_by(AiAnswer.submitted_at, AiAnswer.id)
        )
        return [(r[0], r[1]) for r in rows]

    async def recent_question_ids(self, session: AsyncSession, user_id: int, *, limit: int) -> set[int]:
        """The questions this user was asked last, across their AI sessions."""
        if limit <= 0:
            return set()
        rows = await session.scalars(
            select(AiSessionQuestion.question_id)
            .join(InterviewSession, InterviewSession.id == AiSessionQuestion.session_id)
            .where(InterviewSession.user_id == user_id)
            .order_by(AiSessionQuestion.presented_at.desc(), AiSessionQuestion.id.desc())
            .limit(limit)
        )
        return set(rows)

    async def answer_times_since(self, session: AsyncSession, user_id: int, since: datetime
                                 ) -> list[datetime]:
        rows = await session.scalars(
            select(AiAnswer.submitted_at)
            .where(AiAnswer.user_id == user_id, AiAnswer.submitted_at > since)
            .order_by(AiAnswer.submitted_at)
        )
        return list(rows)

    async def delete_session(self, session: AsyncSession, row: InterviewSession) -> None:
        # Explicit deletes rather than relying on ON DELETE CASCADE alone, so the
        # outcome does not depend on the SQLite connection's foreign_keys pragma.
        await session.execute(delete(AnalysisResult).where(AnalysisResult.session_id == row.id))
        await session.execute(delete(AiAnswer).where(AiAnswer.session_id == row.id))
        await session.execute(delete(AiSessionQuestion).where(AiSessionQuestion.session_id == row.id))
        await session.execute(delete(AiSessionDetails).where(AiSessionDetails.session_id == row.id))
        await session.execute(delete(FeedbackReport).where(FeedbackReport.session_id == row.id))
        await session.delete(row)
        await session.flush()


class AnalysisRepository(Repository[AnalysisResult]):
    model = AnalysisResult

    async def by_uid(self, session: AsyncSession, uid: str) -> AnalysisResult | None:
        return await session.scalar(select(AnalysisResult).where(AnalysisResult.uid == uid))

    async def link_uids(self, session: AsyncSession, analysis: AnalysisResult
                        ) -> tuple[str | None, str | None]:
        """The public ids of the analysis's session and question."""
        session_uid = question_uid = None
        if analysis.session_id is not None:
            session_uid = await session.scalar(
                select(InterviewSession.uid).where(InterviewSession.id == analysis.session_id))
        if analysis.question_id is not None:
            question_uid = await session.scalar(
                select(Question.uid).where(Question.id == analysis.question_id))
        return session_uid, question_uid


ai_session_repository = AiSessionRepository()
analysis_repository = AnalysisRepository()
