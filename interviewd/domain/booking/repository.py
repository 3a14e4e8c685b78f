"""All SQL of mentor bookings: booking rows, the minute holds that keep them
apart, state moves, reviews, and the caller's list of sessions of every kind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    union,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.kit.repository import Repository
from interviewd.models.mentor import BookingDetails, BookingHold, Mentor, Review
from interviewd.models.session import InterviewSession, SessionKind
from interviewd.models.user import User

BOOKING = SessionKind.BOOKING.value
LIVE = ("pending", "confirmed")
# (calendar, first minute, end minute exclusive)
Span = tuple[str, datetime, datetime]


def mentor_calendar(mentor_id: int) -> str:
    return f"mentor:{mentor_id}"


def user_calendar(user_id: int) -> str:
    return f"user:{user_id}"


def minutes(spans: Sequence[Span]) -> list[tuple[str, datetime]]:
    """Every (calendar, minute) the spans occupy, in one global order: inserting
    holds in the same order everywhere means two bookings wait on each other's
    rows one way only, never in a cycle (no deadlock on PostgreSQL)."""
    out = []
    for calendar, start, end in spans:
        minute = start
        while minute < end:
            out.append((calendar, minute))
            minute += timedelta(minutes=1)
    return sorted(set(out))


class BookingRepository(Repository[InterviewSession]):
    model = InterviewSession

    # --- mentors and people ---

    async def mentor_by_uid(self, session: AsyncSession, uid: str) -> Mentor | None:
        return await session.scalar(select(Mentor).where(Mentor.uid == uid))

    async def mentor_by_user(self, session: AsyncSession, user_id: int) -> Mentor | None:
        return await session.scalar(select(Mentor).where(Mentor.user_id == user_id))

    async def lock_mentor(self, session: AsyncSession, mentor_id: int) -> Mentor:
        """The mentor row, locked until commit on PostgreSQL (SQLite has one
        writer at a time anyway), so rating updates follow one another."""
        return (await session.scalars(
            select(Mentor).where(Mentor.id == mentor_id).with_for_update()
            .execution_options(populate_existing=True)
        )).one()

    async def user_uid(self, session: AsyncSession, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        return await session.scalar(select(User.uid).where(User.id == user_id))

    # --- bookings ---

    async def kind_of(self, session: AsyncSession, uid: str) -> str | None:
        return await session.scalar(select(InterviewSession.kind).where(InterviewSession.uid == uid))

    async def booking_by_uid(
        self, session: AsyncSession, uid: str
    ) -> tuple[InterviewSession, BookingDetails, Mentor, str | None] | None:
        row = (await session.execute(
            select(InterviewSession, BookingDetails, Mentor, User.uid)
            .join(BookingDetails, BookingDetails.session_id == InterviewSession.id)
            .join(Mentor, Mentor.id == BookingDetails.mentor_id)
            .outerjoin(User, User.id == InterviewSession.user_id)
            .where(InterviewSession.uid == uid, InterviewSession.kind == BOOKING)
            .execution_options(populate_existing=True)
        )).first()
        return (row[0], row[1], row[2], row[3]) if row else None

    async def add_booking(self, session: AsyncSession, row: InterviewSession,
                          details: BookingDetails) -> None:
        session.add(row)
        await session.flush()
        details.session_id = row.id
        session.add(details)
        await session.flush()

    async def transition(self, session: AsyncSession, session_id: int, *, from_: str, to: str,
                         values: dict) -> bool:
        """Move the status only if it is still `from_`: of two concurrent moves
        one wins, the other updates nothing."""
        result = await session.execute(
            update(InterviewSession)
            .where(InterviewSession.id == session_id, InterviewSession.status == from_)
            .values(status=to, **values)
            .execution_options(synchronize_session="fetch")
        )
        return result.rowcount == 1

    async def update_details(self, session: AsyncSession, session_id: int, values: dict) -> None:
        await session.execute(
            update(BookingDetails).where(BookingDetails.session_id == session_id).values(**values)
            .execution_options(synchronize_session="fetch")
        )

    async def set_rating(self, session: AsyncSession, session_id: int, *, rating: int,
                         feedback: str | None) -> bool:
        """Record the rating unless one is there already (once per booking)."""
        result = await session.execute(
            update(BookingDetails)
            .where(BookingDetails.session_id == session_id, BookingDetails.rating.is_(None))
            .values(rating=rating, feedback=feedback)
            .execution_options(synchronize_session="fetch")
        )
        return result.rowcount == 1

    # --- holds ---

    async def holder(self, session: AsyncSession, spans: Sequence[Span]) -> str | None:
        """The id of a session holding any minute of `spans`, earliest minute first."""
        conditions = [and_(BookingHold.calendar == cal, BookingHold.minute >= start, BookingHold.minute < end)
                      for cal, start, end in spans]
        return await session.scalar(
            select(InterviewSession.uid)
            .join(BookingHold, BookingHold.session_id == InterviewSession.id)
            .where(or_(*conditions))
            .order_by(BookingHold.minute, BookingHold.id)
            .limit(1)
        )

    async def hold(self, session: AsyncSession, session_id: int, spans: Sequence[Span]) -> int:
        """Insert every minute of `spans` in one executemany; IntegrityError when
        any is held already."""
        rows = [{"session_id": session_id, "calendar": cal, "minute": minute}
                for cal, minute in minutes(spans)]
        if rows:
            await session.execute(insert(BookingHold), rows)
        return len(rows)

    async def release(self, session: AsyncSession, session_id: int) -> None:
        await session.execute(delete(BookingHold).where(BookingHold.session_id == session_id))

    # --- reviews ---

    async def add_review(self, session: AsyncSession, review: Review) -> None:
        session.add(review)
        await session.flush()

    async def review_stats(self, session: AsyncSession, mentor_id: int) -> tuple[float, int]:
        row = (await session.execute(
            select(func.avg(Review.rating), func.count(Review.id)).where(Review.mentor_id == mentor_id)
        )).one()
        return (float(row[0]) if row[0] is not None else 0.0), int(row[1] or 0)

    # --- the caller's sessions of every kind ---

    @staticmethod
    def _visible_ids(user_id: int, mentor_id: int | None):
        own = select(InterviewSession.id.label("id")).where(InterviewSession.user_id == user_id)
        if mentor_id is None:
            return own
        mentored = select(BookingDetails.session_id.label("id")).where(BookingDetails.mentor_id == mentor_id)
        return union(own, mentored)

    @staticmethod
    def _upcoming(now: datetime) -> ColumnElement[bool]:
        return and_(InterviewSession.kind == BOOKING, InterviewSession.status.in_(LIVE),
                    BookingDetails.ends_at > now)

    @classmethod
    def _filter(cls, status: str | None, now: datetime) -> ColumnElement[bool] | None:
        if status == "upcoming":
            return cls._upcoming(now)
        if status == "past":
            # Written out rather than NOT(upcoming): ends_at is NULL for other kinds.
            return or_(InterviewSession.kind != BOOKING, InterviewSession.status.not_in(LIVE),
                       BookingDetails.ends_at <= now)
        if status:
            return InterviewSession.status == status
        return None

    async def list_sessions(
        self, session: AsyncSession, *, user_id: int, mentor_id: int | None, status: str | None,
        now: datetime, limit: int, offset: int,
    ) -> tuple[list[tuple[InterviewSession, BookingDetails | None, Mentor | None, User | None]], int]:
        ids = self._visible_ids(user_id, mentor_id).subquery()
        query = (
            select(InterviewSession, BookingDetails, Mentor, User)
            .outerjoin(BookingDetails, BookingDetails.session_id == InterviewSession.id)
            .outerjoin(Mentor, Mentor.id == BookingDetails.mentor_id)
            .outerjoin(User, User.id == InterviewSession.user_id)
            .where(InterviewSession.id.in_(select(ids.c.id)))
        )
        condition = self._filter(status, now)
        if condition is not None:
            query = query.where(condition)
        when = func.coalesce(InterviewSession.scheduled_at, InterviewSession.created_at)
        if status == "upcoming":
            query = query.order_by(when.asc(), InterviewSession.id.asc())
        else:
            query = query.order_by(when.desc(), InterviewSession.id.desc())
        total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        rows = await session.execute(query.limit(limit).offset(offset))
        return [(r[0], r[1], r[2], r[3]) for r in rows], int(total or 0)

    async def stats(self, session: AsyncSession, *, user_id: int, mentor_id: int | None,
                    now: datetime) -> tuple[int, int, int, float | None, float]:
        """(total, completed, upcoming, average booking rating, completed seconds)."""
        ids = self._visible_ids(user_id, mentor_id).subquery()
        completed = InterviewSession.status == "completed"
        seconds = func.coalesce(BookingDetails.duration_minutes * 60, InterviewSession.duration_seconds, 0)
        row = (await session.execute(
            select(
                func.count(InterviewSession.id),
                func.sum(case((completed, 1), else_=0)),
                func.sum(case((self._upcoming(now), 1), else_=0)),
                func.avg(BookingDetails.rating),
                func.sum(case((completed, seconds), else_=literal(0))),
            )
            .select_from(InterviewSession)
            .outerjoin(BookingDetails, BookingDetails.session_id == InterviewSession.id)
            .where(InterviewSession.id.in_(select(ids.c.id)))
        )).one()
        average = float(row[3]) if row[3] is not None else None
        return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0), average, float(row[4] or 0)


booking_repository = BookingRepository()
