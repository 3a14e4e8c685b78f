"""All SQL of the 000 profile: users by uid or external subject, favourite
mentors, booking history, skill assessments and the dashboard aggregates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.kit.clock import utcnow
from interviewd.models.ai import AiSessionDetails, AnalysisResult
from interviewd.models.identity import ExternalIdentity
from interviewd.models.mentor import BookingDetails, FavoriteMentor, Mentor, Review
from interviewd.models.practice import PracticeDetails
from interviewd.models.question import Question
from interviewd.models.session import InterviewSession, SessionKind
from interviewd.models.user import User

EXTERNAL_PROVIDER = "external"  # domain.auth.external.PROVIDER
COMPLETED = "completed"
# A session in one of these states will not take place (any more).
CLOSED = ("completed", "cancelled", "abandoned", "expired", "no_show", "failed")
CANCELLED = ("cancelled",)


def _month(session: AsyncSession, column):
    """`column` as a "YYYY-MM" string of its UTC calendar month."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)  # SQLite keeps naive UTC text


class ProfileRepository:
    # -- users -------------------------------------------------------------------------------
    async def user_by_subject(self, session: AsyncSession, subject: str) -> User | None:
        return await session.scalar(
            select(User).join(ExternalIdentity, ExternalIdentity.user_id == User.id)
            .where(ExternalIdentity.provider == EXTERNAL_PROVIDER, ExternalIdentity.subject == subject)
        )

    async def subject_of(self, session: AsyncSession, user_id: int) -> str | None:
        """The user's identity-provider subject, the most recently used one."""
        return await session.scalar(
            select(ExternalIdentity.subject)
            .where(ExternalIdentity.user_id == user_id, ExternalIdentity.provider == EXTERNAL_PROVIDER)
            .order_by(ExternalIdentity.last_used_at.desc().nulls_last(), ExternalIdentity.id.desc())
            .limit(1)
        )

    async def identity(self, session: AsyncSession, subject: str) -> ExternalIdentity | None:
        return await session.scalar(
            select(ExternalIdentity).where(ExternalIdentity.provider == EXTERNAL_PROVIDER,
                                           ExternalIdentity.subject == subject)
        )

    async def email_taken(self, session: AsyncSession, email: str, *, by_other_than: int) -> bool:
        found = await session.scalar(select(User.id).where(User.email == email, User.id != by_other_than))
        return found is not None

    async def lock_user(self, session: AsyncSession, user: User) -> None:
        """Take the user's row for the rest of the transaction and re-read it.

        An UPDATE rather than SELECT ... FOR UPDATE because it serialises on
        both databases: a row lock on PostgreSQL, the write lock on SQLite.
        Two first profile requests at once then run one after the other, and
        the second sees the first's result."""
        await session.execute(
            update(User).where(User.id == user.id).values(updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        await session.refresh(user)

    # -- mentors and favourites -------------------------------------------------------------
    async def mentor_by_uid(self, session: AsyncSession, uid: str) -> Mentor | None:
        return await session.scalar(select(Mentor).where(Mentor.uid == uid))

    async def favorite_count(self, session: AsyncSession, user_id: int) -> int:
        return int(await session.scalar(
            select(func.count()).select_from(FavoriteMentor).where(FavoriteMentor.user_id == user_id)
        ) or 0)

    async def is_favorite(self, session: AsyncSession, *, user_id: int, mentor_id: int) -> bool:
        return await session.scalar(select(FavoriteMentor.id).where(
            FavoriteMentor.user_id == user_id, FavoriteMentor.mentor_id == mentor_id)) is not None

    async def add_favorite(self, session: AsyncSession, *, user_id: int, mentor_id: int) -> bool:
        """True when the pair was added, False when it was already there."""
        if await self.is_favorite(session, user_id=user_id, mentor_id=mentor_id):
            return False
        try:
            async with session.begin_nested():
                session.add(FavoriteMentor(user_id=user_id, mentor_id=mentor_id))
                await session.flush()
        except IntegrityError:
            return False  # a concurrent request added it: the unique pair decided
        return True

    async def remove_favorite(self, session: AsyncSession, *, user_id: int, mentor_id: int) -> bool:
        result = await session.execute(delete(FavoriteMentor).where(
            FavoriteMentor.user_id == user_id, FavoriteMentor.mentor_id == mentor_id))
        return bool(result.rowcount)

    async def favorites(self, session: AsyncSession, user_id: int) -> list[tuple[Mentor, datetime]]:
        """The user's favourite mentors that are active, oldest favourite first."""
        rows = await session.execute(
            select(Mentor, FavoriteMentor.created_at)
            .join(FavoriteMentor, FavoriteMentor.mentor_id == Mentor.id)
            .where(FavoriteMentor.user_id == user_id, Mentor.is_active.is_(True))
            .order_by(FavoriteMentor.created_at, FavoriteMentor.id)
        )
        return [(mentor, added) for mentor, added in rows]

    # -- history and skills -----------------------------------------------------------------
    async def booking_history(self, session: AsyncSession, user_id: int, *, limit: int) -> list[tuple]:
        """(session uid, mentor uid, start, minutes, type, rating, feedback), newest first."""
        rows = await session.execute(
            select(
                InterviewSession.uid, Mentor.uid, BookingDetails.starts_at, BookingDetails.duration_minutes,
                BookingDetails.session_type,
                func.coalesce(BookingDetails.rating, Review.rating),
                func.coalesce(BookingDetails.feedback, Review.comment),
            )
            .join(BookingDetails, BookingDetails.session_id == InterviewSession.id)
            .join(Mentor, Mentor.id == BookingDetails.mentor_id)
            .outerjoin(Review, Review.session_id == InterviewSession.id)
            .where(InterviewSession.user_id == user_id, InterviewSession.kind == SessionKind.BOOKING.value)
            .order_by(BookingDetails.starts_at.desc(), InterviewSession.id.desc())
            .limit(limit)
        )
        return [tuple(row) for row in rows]

    async def latest_skill_scores(self, session: AsyncSession, user_id: int) -> list[tuple]:
        """(category, score 0-100, when) of the latest scored answer per question category."""
        ranked = (
            select(
                Question.category.label("skill"),
                AnalysisResult.total_score.label("score"),
                AnalysisResult.created_at.label("assessed_at"),
                func.row_number().over(
                    partition_by=Question.category,
                    order_by=(AnalysisResult.created_at.desc(), AnalysisResult.id.desc()),
                ).label("rank"),
            )
            .join(Question, Question.id == AnalysisResult.question_id)
            .where(AnalysisResult.user_id == user_id)
            .subquery()
        )
        rows = await session.execute(
            select(ranked.c.skill, ranked.c.score, ranked.c.assessed_at)
            .where(ranked.c.rank == 1).order_by(ranked.c.skill)
        )
        return [tuple(row) for row in rows]

    # -- dashboard ----------------------------------------------------------------------------
    async def stats(self, session: AsyncSession, user_id: int, *, now: datetime) -> tuple:
        """(total, completed, upcoming, average score, seconds spent) over every kind."""
        s, b = InterviewSession, BookingDetails
        completed = s.status == COMPLETED
        row = (await session.execute(
            select(
                func.count(s.id).filter(s.status.not_in(CANCELLED)),
                func.count(s.id).filter(completed),
                func.count(s.id).filter(s.status.not_in(CLOSED), s.scheduled_at > now),
                func.avg(s.overall_score).filter(completed),
                func.coalesce(func.sum(case(
                    (completed, func.coalesce(s.duration_seconds, b.duration_minutes * 60, 0)), else_=0,
                )), 0),
            )
            .select_from(s).outerjoin(b, b.session_id == s.id)
            .where(s.user_id == user_id)
        )).one()
        return tuple(row)

    async def monthly_progress(self, session: AsyncSession, user_id: int, *, since: datetime
                               ) -> list[tuple]:
        """(YYYY-MM, average score, completed sessions) per UTC month since `since`."""
        s = InterviewSession
        month = _month(session, s.completed_at).label("month")
        rows = await session.execute(
            select(month, func.avg(s.overall_score), func.count(s.id))
            .where(s.user_id == user_id, s.status == COMPLETED, s.completed_at >= since)
            .group_by(month).order_by(month)
        )
        return [tuple(row) for row in rows]

    async def upcoming(self, session: AsyncSession, user_id: int, *, now: datetime, limit: int
                       ) -> list[tuple]:
        """(session, booking, mentor, ai details, practice details) still to come, soonest first."""
        s = InterviewSession
        rows = await session.execute(
            select(s, BookingDetails, Mentor, AiSessionDetails, PracticeDetails)
            .outerjoin(BookingDetails, BookingDetails.session_id == s.id)
            .outerjoin(Mentor, Mentor.id == BookingDetails.mentor_id)
            .outerjoin(AiSessionDetails, AiSessionDetails.session_id == s.id)
            .outerjoin(PracticeDetails, PracticeDetails.session_id == s.id)
            .where(s.user_id == user_id, s.status.not_in(CLOSED), s.scheduled_at > now)
            .order_by(s.scheduled_at, s.id)
            .limit(limit)
        )
        return [tuple(row) for row in rows]

    async def recently_completed(self, session: AsyncSession, user_id: int, *, limit: int) -> list[tuple]:
        """(session, mentor name or None) of the latest completed sessions of every kind."""
        s = InterviewSession
        rows = await session.execute(
            select(s, Mentor.name)
            .outerjoin(BookingDetails, BookingDetails.session_id == s.id)
            .outerjoin(Mentor, Mentor.id == BookingDetails.mentor_id)
            .where(s.user_id == user_id, s.status == COMPLETED, s.completed_at.is_not(None))
            .order_by(s.completed_at.desc(), s.id.desc()).limit(limit)
        )
        return [tuple(row) for row in rows]

    async def recent_bookings(self, session: AsyncSession, user_id: int, *, limit: int) -> list[tuple]:
        """(session, booking, mentor uid, mentor name) of the latest bookings by when they were made."""
        s = InterviewSession
        rows = await session.execute(
            select(s, BookingDetails, Mentor.uid, Mentor.name)
            .join(BookingDetails, BookingDetails.session_id == s.id)
            .join(Mentor, Mentor.id == BookingDetails.mentor_id)
            .where(s.user_id == user_id)
            .order_by(s.created_at.desc(), s.id.desc()).limit(limit)
        )
        return [tuple(row) for row in rows]

    async def recent_assessments(self, session: AsyncSession, user_id: int, *, limit: int) -> list[tuple]:
        """(session uid or None, category, average score, answers, latest) per session and
        question category, latest first: one activity per skill a session assessed."""
        a = AnalysisResult
        latest = func.max(a.created_at).label("latest")
        rows = await session.execute(
            select(InterviewSession.uid, Question.category, func.avg(a.total_score), func.count(a.id), latest)
            .join(Question, Question.id == a.question_id)
            .outerjoin(InterviewSession, InterviewSession.id == a.session_id)
            .where(a.user_id == user_id)
            .group_by(InterviewSession.uid, Question.category)
            .order_by(latest.desc(), Question.category).limit(limit)
        )
        return [tuple(row) for row in rows]

    async def recent_favorites(self, session: AsyncSession, user_id: int, *, limit: int) -> list[tuple]:
        rows = await session.execute(
            select(Mentor.uid, Mentor.name, FavoriteMentor.created_at)
            .join(FavoriteMentor, FavoriteMentor.mentor_id == Mentor.id)
            .where(FavoriteMentor.user_id == user_id)
            .order_by(FavoriteMentor.created_at.desc(), FavoriteMentor.id.desc()).limit(limit)
        )
        return [tuple(row) for row in rows]


profile_repository = ProfileRepository()
