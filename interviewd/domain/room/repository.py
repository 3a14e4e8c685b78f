"""SQL for video rooms and the booking rows they belong to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.kit.repository import Repository
from interviewd.models.mentor import BookingDetails, Mentor, VideoRoom
from interviewd.models.session import InterviewSession, SessionKind
from interviewd.models.user import User


@dataclass(frozen=True)
class Booking:
    """A booking session with what a room needs to know about its two people."""

    session: InterviewSession
    details: BookingDetails
    mentor: Mentor
    candidate: User | None
    mentor_user: User | None


class RoomRepository(Repository[VideoRoom]):
    model = VideoRoom

    async def booking_by_uid(self, session: AsyncSession, uid: str) -> Booking | None:
        row = (await session.execute(
            select(InterviewSession, BookingDetails, Mentor)
            .join(BookingDetails, BookingDetails.session_id == InterviewSession.id)
            .join(Mentor, Mentor.id == BookingDetails.mentor_id)
            .where(InterviewSession.uid == uid, InterviewSession.kind == SessionKind.BOOKING.value)
        )).first()
        return await self._booking(session, *row) if row else None

    async def booking_by_id(self, session: AsyncSession, session_id: int) -> Booking | None:
        row = (await session.execute(
            select(InterviewSession, BookingDetails, Mentor)
            .join(BookingDetails, BookingDetails.session_id == InterviewSession.id)
            .join(Mentor, Mentor.id == BookingDetails.mentor_id)
            .where(InterviewSession.id == session_id)
        )).first()
        return await self._booking(session, *row) if row else None

    async def _booking(self, session: AsyncSession, sess: InterviewSession, details: BookingDetails,
                       mentor: Mentor) -> Booking:
        candidate = await session.get(User, sess.user_id) if sess.user_id is not None else None
        mentor_user = await session.get(User, mentor.user_id) if mentor.user_id is not None else None
        return Booking(sess, details, mentor, candidate, mentor_user)

    async def live_room(self, session: AsyncSession, session_id: int, now: datetime) -> VideoRoom | None:
        """The newest room of the booking that has not ended nor expired."""
        return await session.scalar(
            select(VideoRoom)
            .where(VideoRoom.session_id == session_id, VideoRoom.status != "ended",
                   or_(VideoRoom.expires_at.is_(None), VideoRoom.expires_at > now))
            .order_by(VideoRoom.id.desc()).limit(1)
        )

    async def lock_booking(self, session: AsyncSession, session_id: int) -> None:
        """Take the booking row's write lock (a no-op update), so that two
        requests creating its room one after the other see each other's room."""
        await session.execute(
            update(BookingDetails).where(BookingDetails.session_id == session_id)
            .values(meeting_link=BookingDetails.meeting_link)
        )

    async def set_meeting_link(self, session: AsyncSession, session_id: int, url: str) -> None:
        await session.execute(
            update(BookingDetails).where(BookingDetails.session_id == session_id).values(meeting_link=url)
        )

    async def set_booking_recording(self, session: AsyncSession, session_id: int, url: str) -> None:
        await session.execute(
            update(BookingDetails).where(BookingDetails.session_id == session_id).values(recording_url=url)
        )

    async def by_room_id(self, session: AsyncSession, room_id: str) -> VideoRoom | None:
        return await session.scalar(select(VideoRoom).where(VideoRoom.room_id == room_id))

    async def for_event(self, session: AsyncSession, *, provider: str, provider_room_id: str | None,
                        room_name: str | None) -> VideoRoom | None:
        """The room a provider's event is about, write-locked first (a no-op
        update: a row lock on PostgreSQL, the write lock on SQLite) so that
        concurrent deliveries for one room apply one after the other."""
        keys = []
        if provider_room_id:
            keys.append(VideoRoom.provider_room_id == provider_room_id)
        if room_name:
            keys.append(VideoRoom.room_id == room_name)
        if not keys:
            return None
        where = (VideoRoom.provider == provider, or_(*keys))
        await session.execute(update(VideoRoom).where(*where).values(status=VideoRoom.status))
        return await session.scalar(select(VideoRoom).where(*where).order_by(VideoRoom.id.desc()).limit(1))


room_repository = RoomRepository()
