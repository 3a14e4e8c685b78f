"""All SQL of self-practice: domains, practice sessions, achievements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.kit.repository import Repository
from interviewd.models.practice import Achievement, PracticeDetails, PracticeDomain
from interviewd.models.session import InterviewSession, SessionKind
from interviewd.models.user import User


class DomainRepository(Repository[PracticeDomain]):
    model = PracticeDomain

    async def by_slug(self, session: AsyncSession, slug: str) -> PracticeDomain | None:
        return await session.scalar(select(PracticeDomain).where(PracticeDomain.slug == slug))

    async def by_reference(self, session: AsyncSession, ref: str) -> PracticeDomain | None:
        """A domain by its uid or its slug."""
        return await session.scalar(
            select(PracticeDomain).where(or_(PracticeDomain.uid == ref, PracticeDomain.slug == ref))
        )

    async def active(self, session: AsyncSession) -> list[PracticeDomain]:
        rows = await session.scalars(
            select(PracticeDomain).where(PracticeDomain.is_active.is_(True)).order_by(PracticeDomain.name)
        )
        return list(rows)


Row = tuple[InterviewSession, PracticeDetails, PracticeDomain, str]


class PracticeSessionRepository(Repository[InterviewSession]):
    model = InterviewSession

    @staticmethod
    def _views() -> Select:
        return (
            select(InterviewSession, PracticeDetails, PracticeDomain, User.uid)
            .join(PracticeDetails, PracticeDetails.session_id == InterviewSession.id)
            .join(PracticeDomain, PracticeDomain.id == PracticeDetails.domain_id)
            .join(User, User.id == InterviewSession.user_id)
            .where(InterviewSession.kind == SessionKind.PRACTICE.value)
        )

    async def view(self, session: AsyncSession, uid: str) -> Row | None:
        row = (await session.execute(self._views().where(InterviewSession.uid == uid))).first()
        return tuple(row) if row else None

    async def views_for_user(
        self, session: AsyncSession, user_id: int, *, limit: int, offset: int
    ) -> tuple[list[Row], int]:
        query = (self._views().where(InterviewSession.user_id == user_id)
                 .order_by(InterviewSession.created_at.desc(), InterviewSession.id.desc()))
        total = await self.count(session, query)
        rows = await session.execute(query.limit(limit).offset(offset))
        return [tuple(row) for row in rows], total

    async def count(self, session: AsyncSession, query: Select) -> int:
        return int(await session.scalar(
            select(func.count()).select_from(query.order_by(None).subquery())) or 0)

    async def completed_for_user(self, session: AsyncSession, user_id: int) -> list[Row]:
        """Every completed practice session of the user, oldest completion first."""
        query = (self._views()
                 .where(InterviewSession.user_id == user_id, InterviewSession.completed_at.is_not(None))
                 .order_by(InterviewSession.completed_at, InterviewSession.id))
        return [tuple(row) for row in await session.execute(query)]

    async def user(self, session: AsyncSession, user_id: int) -> User | None:
        return await session.get(User, user_id)


class AchievementRepository(Repository[Achievement]):
    model = Achievement

    async def for_user(self, session: AsyncSession, user_id: int) -> list[Achievement]:
        rows = await session.scalars(
            select(Achievement).where(Achievement.user_id == user_id)
            .order_by(Achievement.unlocked_at, Achievement.code))
        return list(rows)

    async def insert_once(self, session: AsyncSession, *, user_id: int, code: str, at: datetime) -> bool:
        """Insert the unlock; False when it already exists. The savepoint keeps
        the caller's transaction usable when a concurrent request won the race
        and the unique constraint refuses this row."""
        try:
            async with session.begin_nested():
                session.add(Achievement(user_id=user_id, code=code, unlocked_at=at))
                await session.flush()
        except IntegrityError:
            return False
        return True


domain_repository = DomainRepository()
practice_session_repository = PracticeSessionRepository()
achievement_repository = AchievementRepository()
