"""SQL for live metrics samples (Socket.IO) of practice sessions."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.models.practice import PracticeDetails
from interviewd.models.session import InterviewSession, SessionKind


class LiveRepository:
    async def practice_session(
        self, session: AsyncSession, uid: str
    ) -> tuple[InterviewSession, PracticeDetails] | None:
        row = (await session.execute(
            select(InterviewSession, PracticeDetails)
            .join(PracticeDetails, PracticeDetails.session_id == InterviewSession.id)
            .where(InterviewSession.uid == uid, InterviewSession.kind == SessionKind.PRACTICE.value)
        )).first()
        return None if row is None else (row[0], row[1])

    async def lock_details(self, session: AsyncSession, session_id: int) -> PracticeDetails | None:
        """The details row, locked until the transaction ends, re-read from the
        database. A no-op UPDATE takes the lock on both databases: a row lock on
        PostgreSQL, the write lock on SQLite, where SELECT ... FOR UPDATE does
        nothing and a read that later writes could lose another writer's sample."""
        await session.execute(
            update(PracticeDetails)
            .where(PracticeDetails.session_id == session_id)
            .values(session_id=PracticeDetails.session_id)
            .execution_options(synchronize_session=False)
        )
        return await session.scalar(
            select(PracticeDetails)
            .where(PracticeDetails.session_id == session_id)
            .execution_options(populate_existing=True)
        )

    async def set_timeline(self, session: AsyncSession, details: PracticeDetails, timeline: list) -> None:
        # A new list object: JSON columns do not track in-place mutation.
        details.live_timeline = timeline
        await session.flush()


live_repository = LiveRepository()
