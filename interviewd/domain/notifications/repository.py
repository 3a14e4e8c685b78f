"""What the booking e-mails read: a booking with its mentor and both people,
as it is when the mail job runs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.models.mentor import BookingDetails, Mentor, VideoRoom
from interviewd.models.session import InterviewSession, SessionKind
from interviewd.models.user import User


@dataclass
class BookingMailView:
    session: InterviewSession
    booking: BookingDetails
    mentor: Mentor
    candidate: User | None
    mentor_user: User | None
    room_url: str | None  # the booking's video room, when one was opened and no link was given


class NotificationRepository:
    async def booking(self, session: AsyncSession, session_id: int) -> BookingMailView | None:
        row = (await session.execute(
            select(InterviewSession, BookingDetails, Mentor)
            .join(BookingDetails, BookingDetails.session_id == InterviewSession.id)
            .join(Mentor, Mentor.id == BookingDetails.mentor_id)
            .where(InterviewSession.id == session_id, InterviewSession.kind == SessionKind.BOOKING.value)
        )).first()
        if row is None:
            return None
        interview, booking, mentor = row
        candidate = await session.get(User, interview.user_id) if interview.user_id else None
        mentor_user = await session.get(User, mentor.user_id) if mentor.user_id else None
        room_url = await session.scalar(
            select(VideoRoom.room_url).where(VideoRoom.session_id == session_id)
            .order_by(VideoRoom.created_at.desc(), VideoRoom.id.desc()).limit(1)
        )
        return BookingMailView(interview, booking, mentor, candidate, mentor_user, room_url)

    async def user(self, session: AsyncSession, user_id: int) -> User | None:
        return await session.get(User, user_id)


notification_repository = NotificationRepository()
