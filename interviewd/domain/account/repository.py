"""All SQL of the candidate account: the session list and figures, and erasure."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, cast, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.account.schemas import SessionFilter, SessionRow
from interviewd.models.ai import AiAnswer, AiSessionDetails, FeedbackReport
from interviewd.models.auth import RefreshToken
from interviewd.models.identity import ExternalIdentity
from interviewd.models.job import Job, JobStatus
from interviewd.models.mentor import (
    AvailabilityException,
    AvailabilityRule,
    BookingDetails,
    BookingHold,
    Mentor,
    Review,
)
from interviewd.models.practice import PracticeDetails, Recording
from interviewd.models.session import InterviewSession
from interviewd.models.user import User


class AccountRepository:
    # -- reading ------------------------------------------------------------
    async def user_by_identity(self, session: AsyncSession, provider: str, subject: str) -> User | None:
        return await session.scalar(
            select(User).join(ExternalIdentity, ExternalIdentity.user_id == User.id)
            .where(ExternalIdentity.provider == provider, ExternalIdentity.subject == subject)
        )

    async def family_started_at(self, session: AsyncSession, user_id: int, family: str) -> datetime | None:
        """When the sign-in that began a refresh-token family happened: its first token."""
        return await session.scalar(
            select(func.min(RefreshToken.created_at))
            .where(RefreshToken.user_id == user_id, RefreshToken.family == family)
        )

    async def sessions_page(
        self, session: AsyncSession, user_id: int, filt: SessionFilter
    ) -> tuple[list[SessionRow], int]:
        stmt = (
            select(InterviewSession, AiSessionDetails, PracticeDetails.session_type,
                   PracticeDetails.feedback, BookingDetails.session_type, BookingDetails.duration_minutes,
                   BookingDetails.feedback)
            .outerjoin(AiSessionDetails, AiSessionDetails.session_id == InterviewSession.id)
            .outerjoin(PracticeDetails, PracticeDetails.session_id == InterviewSession.id)
            .outerjoin(BookingDetails, BookingDetails.session_id == InterviewSession.id)
            .where(InterviewSession.user_id == user_id)
        )
        if filt.kind:
            stmt = stmt.where(InterviewSession.kind == filt.kind)
        if filt.mode:
            stmt = stmt.where(AiSessionDetails.mode == filt.mode)
        if filt.status:
            stmt = stmt.where(InterviewSession.status == filt.status)
        if filt.start_date:
            stmt = stmt.where(InterviewSession.created_at >= filt.start_date)
        if filt.end_date:
            stmt = stmt.where(InterviewSession.created_at < filt.end_date)
        total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
        result = await session.execute(
            stmt.order_by(InterviewSession.created_at.desc(), InterviewSession.id.desc())
            .limit(filt.limit).offset(filt.offset)
        )
        rows: list[SessionRow] = []
        for s, ai, practice_type, practice_feedback, booking_type, booking_minutes, booking_note in result:
            row = SessionRow(session=s)
            if ai is not None:
                row.mode, row.job_type, row.difficulty = ai.mode, ai.job_type, ai.difficulty
                row.question_count, row.planned_minutes = ai.question_count, ai.estimated_duration
            elif practice_type is not None:
                row.job_type = practice_type
                row.feedback_available = bool(practice_feedback)
            elif booking_type is not None or booking_minutes is not None:
                row.job_type, row.planned_minutes = booking_type, booking_minutes
                row.feedback_available = bool(booking_note)
            rows.append(row)
        ai_ids = [r.session.id for r in rows if r.mode is not None]
        if ai_ids:
            reported = set(await session.scalars(
                select(FeedbackReport.session_id).where(FeedbackReport.session_id.in_(ai_ids))))
            for r in rows:
                if r.session.id in reported:
                    r.feedback_available = True
        return rows, int(total or 0)

    async def session_figures(self, session: AsyncSession, user_id: int) -> list[tuple]:
        """(kind, status, overall_score, duration_seconds, completed_at, updated_at) of every session."""
        result = await session.execute(
            select(InterviewSession.kind, InterviewSession.status, InterviewSession.overall_score,
                   InterviewSession.duration_seconds, InterviewSession.completed_at,
                   InterviewSession.updated_at)
            .where(InterviewSession.user_id == user_id)
        )
        return [tuple(row) for row in result]

    async def answered_questions(self, session: AsyncSession, user_id: int) -> int:
        return int(await session.scalar(
            select(func.count()).select_from(AiAnswer)
            .where(AiAnswer.user_id == user_id, AiAnswer.is_follow_up.is_(False))
        ) or 0)

    async def code_results(self, session: AsyncSession, user_id: int) -> list[tuple[int, dict | None]]:
        """(question id, public run report) of every code answer of the user."""
        result = await session.execute(
            select(AiAnswer.question_id, AiAnswer.code_result)
            .where(AiAnswer.user_id == user_id, AiAnswer.code_submission.is_not(None))
        )
        return [tuple(row) for row in result]

    # -- erasure --------------------------------------------------------------
    async def session_ids(self, session: AsyncSession, user_id: int) -> list[int]:
        return list(await session.scalars(
            select(InterviewSession.id).where(InterviewSession.user_id == user_id)))

    async def reviewed_session_ids(self, session: AsyncSession, session_ids: list[int]) -> list[int]:
        if not session_ids:
            return []
        return list(await session.scalars(
            select(Review.session_id).where(Review.session_id.in_(session_ids))))

    async def recording_keys(self, session: AsyncSession, user_id: int) -> list[str]:
        owned = select(InterviewSession.id).where(InterviewSession.user_id == user_id)
        return list(await session.scalars(
            select(Recording.storage_key)
            .where(or_(Recording.user_id == user_id, Recording.session_id.in_(owned)))
        ))

    async def mentor_of(self, session: AsyncSession, user_id: int) -> Mentor | None:
        return await session.scalar(select(Mentor).where(Mentor.user_id == user_id))

    async def live_bookings_of_mentor(
        self, session: AsyncSession, mentor_id: int, *, statuses: tuple[str, ...], after: datetime
    ) -> list[InterviewSession]:
        return list(await session.scalars(
            select(InterviewSession).join(BookingDetails, BookingDetails.session_id == InterviewSession.id)
            .where(BookingDetails.mentor_id == mentor_id, InterviewSession.status.in_(statuses),
                   BookingDetails.ends_at > after)
        ))

    async def cancel_bookings(self, session: AsyncSession, session_ids: list[int], *, reason: str) -> None:
        if not session_ids:
            return
        await session.execute(update(InterviewSession).where(InterviewSession.id.in_(session_ids))
                              .values(status="cancelled"))
        await session.execute(update(BookingDetails).where(BookingDetails.session_id.in_(session_ids))
                              .values(cancellation_reason=reason, cancelled_by="mentor"))
        await session.execute(delete(BookingHold).where(BookingHold.session_id.in_(session_ids)))

    async def clear_availability(self, session: AsyncSession, mentor_id: int) -> None:
        await session.execute(delete(AvailabilityRule).where(AvailabilityRule.mentor_id == mentor_id))
        await session.execute(
            delete(AvailabilityException).where(AvailabilityException.mentor_id == mentor_id))

    async def detach_sessions(self, session: AsyncSession, session_ids: list[int]) -> None:
        """Keep these sessions without their candidate or anything the candidate wrote."""
        if not session_ids:
            return
        await session.execute(update(InterviewSession).where(InterviewSession.id.in_(session_ids))
                              .values(user_id=None, title=None, details={}))
        await session.execute(
            update(BookingDetails).where(BookingDetails.session_id.in_(session_ids))
            .values(participant_email=None, participant_name=None, special_requests=None, feedback=None,
                    rating=None, recording_url=None, meeting_link=None)
        )
        await session.execute(delete(Recording).where(Recording.session_id.in_(session_ids)))

    async def delete_holds(self, session: AsyncSession, *, calendar: str) -> None:
        await session.execute(delete(BookingHold).where(BookingHold.calendar == calendar))

    async def purge_jobs(self, session: AsyncSession, *, user_id: int, email: str,
                         session_ids: list[int]) -> int:
        """Outbox rows about the user: mails to their address (pending or sent),
        and pending jobs naming their account or one of their sessions. Running
        jobs are left to finish."""
        about = [cast(Job.payload, Text).contains(email, autoescape=True),
                 Job.payload["user_id"].as_integer() == user_id]
        if session_ids:
            about.append(Job.payload["session_id"].as_integer().in_(session_ids))
        result = await session.execute(
            delete(Job).where(Job.status != JobStatus.RUNNING.value, or_(*about))
            .execution_options(synchronize_session=False)
        )
        return result.rowcount or 0

    async def delete_user(self, session: AsyncSession, user_id: int) -> bool:
        result = await session.execute(
            delete(User).where(User.id == user_id).execution_options(synchronize_session=False))
        return bool(result.rowcount)


account_repository = AccountRepository()
