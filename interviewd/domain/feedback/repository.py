"""All SQL of feedback reports: reports by id, by session and by share
token, and the scores reports are compared with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.kit.repository import Repository
from interviewd.models.ai import AiSessionDetails, FeedbackReport
from interviewd.models.session import InterviewSession, SessionKind

Row = tuple[FeedbackReport, InterviewSession, AiSessionDetails]


class FeedbackRepository(Repository[FeedbackReport]):
    model = FeedbackReport

    @staticmethod
    def _rows():
        return (
            select(FeedbackReport, InterviewSession, AiSessionDetails)
            .join(InterviewSession, InterviewSession.id == FeedbackReport.session_id)
            .join(AiSessionDetails, AiSessionDetails.session_id == InterviewSession.id)
        )

    async def by_uid(self, session: AsyncSession, uid: str) -> Row | None:
        row = (await session.execute(self._rows().where(FeedbackReport.uid == uid))).first()
        return tuple(row) if row else None

    async def by_share_token(self, session: AsyncSession, token: str) -> Row | None:
        row = (await session.execute(self._rows().where(FeedbackReport.share_token == token))).first()
        return tuple(row) if row else None

    async def by_session(self, session: AsyncSession, session_id: int) -> FeedbackReport | None:
        return await session.scalar(select(FeedbackReport).where(FeedbackReport.session_id == session_id))

    async def peer_scores(self, session: AsyncSession, *, mode: str, job_type: str, user_id: int
                          ) -> list[float]:
        """Overall scores of other users' completed AI sessions of the same
        mode and role (the role compared without regard to case or spacing)."""
        rows = await session.scalars(
            self._scored_sessions(mode).where(
                InterviewSession.user_id != user_id,
                func.lower(func.trim(AiSessionDetails.job_type)) == job_type.strip().lower(),
            )
        )
        return [float(s) for s in rows]

    async def previous_scores(self, session: AsyncSession, *, user_id: int, mode: str, before_id: int,
                              before: datetime, limit: int = 3) -> list[float]:
        """This user's latest completed AI sessions of the same mode before this one."""
        rows = await session.scalars(
            self._scored_sessions(mode)
            .where(
                InterviewSession.user_id == user_id,
                InterviewSession.id != before_id,
                InterviewSession.completed_at <= before,
            )
            .order_by(InterviewSession.completed_at.desc())
            .limit(limit)
        )
        return [float(s) for s in rows]

    @staticmethod
    def _scored_sessions(mode: str) -> Select:
        """Overall scores of completed, scored AI sessions of one mode."""
        return (
            select(InterviewSession.overall_score)
            .join(AiSessionDetails, AiSessionDetails.session_id == InterviewSession.id)
            .where(
                InterviewSession.kind == SessionKind.AI.value,
                InterviewSession.status == "completed",
                InterviewSession.overall_score.is_not(None),
                AiSessionDetails.mode == mode,
            )
        )


feedback_repository = FeedbackRepository()
