"""All SQL of mentors: profiles, availability rows, holds and reviews."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.kit.repository import Repository
from interviewd.models.mentor import (
    AvailabilityException,
    AvailabilityRule,
    BookingDetails,
    BookingHold,
    Mentor,
    Review,
)
from interviewd.models.user import User


def mentor_calendar(mentor_id: int) -> str:
    """The booking_holds calendar of a mentor."""
    return f"mentor:{mentor_id}"


class MentorRepository(Repository[Mentor]):
    model = Mentor

    async def by_uid(self, session: AsyncSession, uid: str) -> Mentor | None:
        return await session.scalar(select(Mentor).where(Mentor.uid == uid))

    async def by_user(self, session: AsyncSession, user_id: int) -> Mentor | None:
        return await session.scalar(select(Mentor).where(Mentor.user_id == user_id))

    async def add_profile(self, session: AsyncSession, mentor: Mentor) -> bool:
        """Insert a profile; False when its user already has one (a concurrent
        create lost the race to the unique user_id)."""
        try:
            async with session.begin_nested():
                session.add(mentor)
                await session.flush()
        except IntegrityError:
            return False
        return True

    async def count_active(self, session: AsyncSession) -> int:
        return int(await session.scalar(
            select(func.count(Mentor.id)).where(Mentor.is_active.is_(True))
        ) or 0)

    async def user_by_email(self, session: AsyncSession, email: str) -> User | None:
        return await session.scalar(select(User).where(User.email == email))

    async def user_by_id(self, session: AsyncSession, user_id: int) -> User | None:
        return await session.get(User, user_id)

    async def facet_rows(self, session: AsyncSession):
        """Only the columns the list facets need, of every active mentor."""
        rows = await session.execute(
            select(Mentor.skills, Mentor.current_company, Mentor.previous_companies, Mentor.languages,
                   Mentor.hourly_rate, Mentor.experience).where(Mentor.is_active.is_(True))
        )
        return list(rows)

    async def active_filtered(
        self,
        session: AsyncSession,
        *,
        rating_min: float | None,
        price_min: float | None,
        price_max: float | None,
        experience_min: int | None,
        words: list[str],
        limit: int | None = None,
        offset: int = 0,
    ) -> tuple[list[Mentor], int]:
        """Active mentors passing the scalar filters, best rated first, and how
        many there are. The JSON list filters (skills, companies, languages) run
        over the whole set in Python (no `limit`): portable across SQLite and
        PostgreSQL and bounded by the active mentors. Without them the page is
        cut in SQL."""
        query = select(Mentor).where(Mentor.is_active.is_(True))
        if rating_min is not None:
            query = query.where(Mentor.rating >= rating_min)
        if price_min is not None:
            query = query.where(Mentor.hourly_rate >= price_min)
        if price_max is not None:
            query = query.where(Mentor.hourly_rate <= price_max)
        if experience_min is not None:
            query = query.where(Mentor.experience >= experience_min)
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(Mentor.search_text.like(f"%{escaped}%", escape="\\"))
        query = query.order_by(Mentor.rating.desc(), Mentor.review_count.desc(), Mentor.id)
        if limit is not None:
            return await self.page(session, query, limit=limit, offset=offset)
        rows = list(await session.scalars(query))
        return rows, len(rows)

    # --- availability rows ---

    async def rules(self, session: AsyncSession, mentor_id: int) -> list[AvailabilityRule]:
        rows = await session.scalars(
            select(AvailabilityRule).where(AvailabilityRule.mentor_id == mentor_id)
            .order_by(AvailabilityRule.weekday, AvailabilityRule.start_minute)
        )
        return list(rows)

    async def exceptions(
        self, session: AsyncSession, mentor_id: int, *, since: date | None = None, until: date | None = None
    ) -> list[AvailabilityException]:
        query = select(AvailabilityException).where(AvailabilityException.mentor_id == mentor_id)
        if since is not None:
            query = query.where(AvailabilityException.on_date >= since)
        if until is not None:
            query = query.where(AvailabilityException.on_date <= until)
        rows = await session.scalars(query.order_by(AvailabilityException.on_date,
                                                    AvailabilityException.start_minute))
        return list(rows)

    async def rules_for(self, session: AsyncSession, mentor_ids: Iterable[int]) -> dict[int, list]:
        ids = list(mentor_ids)
        out: dict[int, list] = defaultdict(list)
        if ids:
            for row in await session.scalars(
                select(AvailabilityRule).where(AvailabilityRule.mentor_id.in_(ids))
            ):
                out[row.mentor_id].append(row)
        return out

    async def exceptions_for(
        self, session: AsyncSession, mentor_ids: Iterable[int], *, since: date, until: date
    ) -> dict[int, list]:
        ids = list(mentor_ids)
        out: dict[int, list] = defaultdict(list)
        if ids:
            for row in await session.scalars(
                select(AvailabilityException).where(
                    AvailabilityException.mentor_id.in_(ids),
                    AvailabilityException.on_date >= since,
                    AvailabilityException.on_date <= until,
                )
            ):
                out[row.mentor_id].append(row)
        return out

    async def replace_availability(
        self,
        session: AsyncSession,
        mentor_id: int,
        *,
        rules: list[AvailabilityRule],
        exceptions: list[AvailabilityException],
    ) -> None:
        await session.execute(delete(AvailabilityRule).where(AvailabilityRule.mentor_id == mentor_id))
        await session.execute(
            delete(AvailabilityException).where(AvailabilityException.mentor_id == mentor_id)
        )
        for row in [*rules, *exceptions]:
            row.mentor_id = mentor_id
            session.add(row)
        await session.flush()

    # --- holds ---

    async def held_minutes(
        self, session: AsyncSession, calendars: Iterable[str], *, start: datetime, end: datetime
    ) -> dict[str, list[datetime]]:
        """Held minutes in [start, end) per calendar."""
        names = list(calendars)
        out: dict[str, list[datetime]] = defaultdict(list)
        if names:
            rows = await session.execute(
                select(BookingHold.calendar, BookingHold.minute).where(
                    BookingHold.calendar.in_(names),
                    BookingHold.minute >= start,
                    BookingHold.minute < end,
                )
            )
            for calendar, minute in rows:
                out[calendar].append(minute)
        return out

    # --- reviews ---

    async def public_reviews(self, session: AsyncSession, mentor_id: int, *, limit: int):
        """(review, reviewer uid, reviewer name, session type) rows, newest first."""
        rows = await session.execute(
            select(Review, User.uid, User.name, BookingDetails.session_type)
            .outerjoin(User, User.id == Review.user_id)
            .outerjoin(BookingDetails, BookingDetails.session_id == Review.session_id)
            .where(Review.mentor_id == mentor_id, Review.is_public.is_(True))
            .order_by(Review.created_at.desc(), Review.id.desc())
            .limit(limit)
        )
        return [tuple(row) for row in rows]

    async def review_stats(self, session: AsyncSession, mentor_id: int) -> tuple[float, int]:
        row = (await session.execute(
            select(func.avg(Review.rating), func.count(Review.id)).where(Review.mentor_id == mentor_id)
        )).one()
        return (float(row[0]) if row[0] is not None else 0.0), int(row[1] or 0)


mentor_repository = MentorRepository()
