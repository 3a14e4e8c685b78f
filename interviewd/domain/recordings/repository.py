"""SQL for recordings, and for the server-measured figures they produce."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.kit.repository import Repository
from interviewd.models.practice import PracticeDetails, Recording
from interviewd.models.session import InterviewSession


class RecordingRepository(Repository[Recording]):
    model = Recording

    async def session_by_uid(self, session: AsyncSession, uid: str) -> InterviewSession | None:
        return await session.scalar(select(InterviewSession).where(InterviewSession.uid == uid))

    async def by_uid(self, session: AsyncSession, uid: str) -> Recording | None:
        return await session.scalar(select(Recording).where(Recording.uid == uid))

    async def for_session(self, session: AsyncSession, session_id: int) -> list[Recording]:
        """Oldest first, so that a later upload of the same kind wins."""
        rows = await session.scalars(
            select(Recording).where(Recording.session_id == session_id).order_by(Recording.id)
        )
        return list(rows)

    async def set_measured_metrics(self, session: AsyncSession, *, session_id: int, figures: dict) -> bool:
        result = await session.execute(
            update(PracticeDetails).where(PracticeDetails.session_id == session_id)
            .values(measured_metrics=figures)
        )
        return result.rowcount == 1


recording_repository = RecordingRepository()
