"""Video rooms of bookings (000): one live room per booking, created through
the configured provider; join tokens for the booking's two people; status,
participants and recordings from the provider's webhooks."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.adapters.video import (
    PROVIDERS,
    InvalidWebhook,
    ProviderNotConfigured,
    RoomPeer,
    VideoBackend,
    VideoProviderError,
    WebhookSignatureError,
    WebhooksNotSupported,
    create_video_backend,
)
from interviewd.domain.room.events import apply_event, ended_participants
from interviewd.domain.room.repository import Booking, room_repository
from interviewd.errors import Conflict, DomainError, ErrorCode, NotFound, Unauthorized, ValidationFailed
from interviewd.kit.clock import as_utc, utcnow
from interviewd.kit.principal import Principal
from interviewd.models.mentor import VideoRoom

log = structlog.get_logger(__name__)

MAX_DURATION = 240  # minutes, the longest booking
CANCELLED = "cancelled"
IN_PERSON = ("in-person", "in_person")


class ProviderUnavailable(DomainError):
    """The video provider refused or did not answer; nothing was created."""

    code = ErrorCode.INTERNAL_ERROR


@dataclass(frozen=True)
class RoomGrant:
    """A room and the join tokens the caller may have (None for the other person's)."""

    room: VideoRoom
    participant_token: str | None
    mentor_token: str | None
    created: bool


@dataclass(frozen=True)
class RoomStatus:
    room_id: str
    status: str
    participants: list[dict]
    recording_url: str | None
    duration: int


def _backend(name: str | None = None) -> VideoBackend:
    rt = runtime.current()
    key = f"video:{name or rt.settings.video_backend}"
    backend = rt.extras.get(key)
    if backend is None:
        backend = rt.extras[key] = create_video_backend(rt.settings, name)
    return backend


def new_room_name() -> str:
    """128 random bits, in lower-case base32: the name is the only key to a Jitsi room."""
    return "iv-" + base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=").lower()


class RoomService:
    async def create(
        self,
        session: AsyncSession,
        principal: Principal,
        *,
        session_uid: str,
        duration: int | None = None,
        participant_name: str | None = None,
        mentor_name: str | None = None,
        record: bool | None = None,
    ) -> RoomGrant:
        """The booking's live room, created at the configured provider when it
        has none (so calling twice answers the same room). Only the booking's
        candidate, its mentor and admins may call; each person receives only
        their own join token, an admin both. The booking's meeting link
        becomes the room's URL."""
        booking = await self._booking_for(session, principal, session_uid)
        if duration is not None and not 1 <= duration <= MAX_DURATION:
            raise ValidationFailed(f"duration must be between 1 and {MAX_DURATION} minutes",
                                   field="duration", details={"value": duration})
        if booking.session.status == CANCELLED:
            raise Conflict("This booking is cancelled")
        if booking.details.meeting_type in IN_PERSON:
            raise Conflict("This booking meets in person; it has no video room")
        settings = runtime.current().settings
        now = utcnow()
        starts_at = as_utc(booking.details.starts_at)
        minutes = duration or booking.details.duration_minutes
        ends_at = max(as_utc(booking.details.ends_at), starts_at + timedelta(minutes=minutes))
        expires_at = ends_at + timedelta(seconds=settings.video_room_grace)
        if expires_at <= now:
            raise Conflict("This booking is over")
        participant, mentor = self._peers(booking, participant_name, mentor_name)
        is_candidate, is_mentor = self._roles(booking, principal)

        existing = await self._live_room(session, booking.session.id, now)
        if existing is not None:
            return self._grant(existing, participant, mentor, is_candidate, is_mentor, created=False)

        backend = _backend()
        name = new_room_name()
        record = booking.details.record_session if record is None else record
        try:
            made = await backend.create_room(name, duration_minutes=minutes, record=record,
                                             participant=participant, mentor=mentor, expires_at=expires_at)
        except VideoProviderError as exc:
            log.warning("video_room_create_failed", provider=backend.name, error=str(exc))
            raise ProviderUnavailable("The video provider could not create the room; try again") from exc
        # The provider was called without a lock held; whoever locks second
        # finds the first one's room and answers it (the spare room stays unused).
        await room_repository.lock_booking(session, booking.session.id)
        existing = await self._live_room(session, booking.session.id, now)
        if existing is not None:
            return self._grant(existing, participant, mentor, is_candidate, is_mentor, created=False)
        room = VideoRoom(room_id=name, session_id=booking.session.id, provider=backend.name,
                         provider_room_id=made.provider_room_id, room_url=made.room_url,
                         status="not_started", participants=[], expires_at=made.expires_at)
        await room_repository.add(session, room)
        await room_repository.set_meeting_link(session, booking.session.id, made.room_url)
        log.info("video_room_created", room=room.room_id, provider=backend.name, booking=booking.session.uid)
        return RoomGrant(room, made.participant_token if is_candidate else None,
                         made.mentor_token if is_mentor else None, created=True)

    async def status(self, session: AsyncSession, principal: Principal, *, room_id: str) -> RoomStatus:
        """Status, participants, recording and duration of a room the caller
        may see (the booking's two people and admins; anyone else: 404)."""
        room = await room_repository.by_room_id(session, room_id)
        booking = await room_repository.booking_by_id(session, room.session_id) if room else None
        if room is None or booking is None or not any(self._roles(booking, principal)):
            raise NotFound("Room not found")
        return self.describe(room, booking)

    def describe(self, room: VideoRoom, booking: Booking, *, now: datetime | None = None) -> RoomStatus:
        now = now or utcnow()
        if not self._has_webhooks(room.provider):
            return self._scheduled_status(room, booking, now)
        status = room.status
        if status != "ended" and room.expires_at is not None and as_utc(room.expires_at) <= now:
            status = "ended"  # no end was reported, but the room's time is over
        if status == "not_started" and booking.session.status == CANCELLED:
            status = "ended"
        if status == "ended":
            duration = room.actual_duration or 0
        elif status == "active" and room.started_at is not None:
            duration = _minutes(now - as_utc(room.started_at))
        else:
            duration = 0
        entries = room.participants or []
        if status == "ended":
            entries = ended_participants(entries, as_utc(room.ended_at) if room.ended_at else now)
        return RoomStatus(room.room_id, status, _people(entries), room.recording_url, duration)

    async def handle_webhook(self, session: AsyncSession, *, provider: str, headers: Mapping[str, str],
                             body: bytes) -> int:
        """Check a provider's webhook and apply its events to the rooms they
        name; returns how many changed a room. Events about rooms interviewd
        did not make are ignored, and a redelivered event changes nothing."""
        if provider not in PROVIDERS:
            raise NotFound("Unknown video provider")
        try:
            backend = _backend(provider)
            events = backend.parse_webhook(headers, body)
        except (ProviderNotConfigured, WebhooksNotSupported) as exc:
            raise NotFound(f"Webhooks of {provider} are not configured") from exc
        except WebhookSignatureError as exc:
            log.warning("video_webhook_refused", provider=provider, reason=str(exc))
            raise Unauthorized("Invalid webhook signature") from exc
        except InvalidWebhook as exc:
            raise ValidationFailed(str(exc), field="body") from exc
        changed = 0
        for event in events:
            room = await room_repository.for_event(session, provider=provider,
                                                   provider_room_id=event.provider_room_id,
                                                   room_name=event.room_name)
            if room is None:
                log.info("video_webhook_unknown_room", provider=provider, room=event.room_name,
                         provider_room=event.provider_room_id, kind=event.kind.value)
                continue
            booking = await room_repository.booking_by_id(session, room.session_id)
            identities = self._identities(booking) if booking else {}
            if apply_event(room, event, identities=identities, now=utcnow()):
                changed += 1
                if event.recording_url and booking is not None:
                    await room_repository.set_booking_recording(session, room.session_id, event.recording_url)
                await session.flush()
        return changed

    async def _booking_for(self, session: AsyncSession, principal: Principal, session_uid: str) -> Booking:
        booking = await room_repository.booking_by_uid(session, session_uid)
        # Someone else's booking answers exactly like a missing one.
        if booking is None or not any(self._roles(booking, principal)):
            raise NotFound("Session not found")
        return booking

    async def _live_room(self, session: AsyncSession, session_id: int, now: datetime) -> VideoRoom | None:
        room = await room_repository.live_room(session, session_id, now)
        if room is None:
            return None
        try:
            _backend(room.provider)
        except ProviderNotConfigured:
            return None  # its provider is gone from the settings: a new room replaces it
        return room

    @staticmethod
    def _roles(booking: Booking, principal: Principal) -> tuple[bool, bool]:
        """(may hold the participant's token, may hold the mentor's)."""
        admin = principal.is_admin
        return (admin or booking.session.user_id == principal.user_id,
                admin or (booking.mentor.user_id is not None and booking.mentor.user_id == principal.user_id))

    @staticmethod
    def _peers(booking: Booking, participant_name: str | None,
               mentor_name: str | None) -> tuple[RoomPeer, RoomPeer]:
        candidate = booking.candidate
        candidate_name = (participant_name or booking.details.participant_name
                          or (candidate.name if candidate else None)
                          or (candidate.email.split("@")[0] if candidate else "Participant"))
        participant = RoomPeer(identity=candidate.uid if candidate else f"session-{booking.session.uid}",
                               name=candidate_name)
        mentor_user = booking.mentor_user
        mentor = RoomPeer(identity=mentor_user.uid if mentor_user else f"mentor-{booking.mentor.uid}",
                          name=mentor_name or booking.mentor.name or "Mentor")
        return participant, mentor

    def _identities(self, booking: Booking) -> dict[str, str]:
        participant, mentor = self._peers(booking, None, None)
        return {participant.identity: "participant", mentor.identity: "mentor"}

    def _grant(self, room: VideoRoom, participant: RoomPeer, mentor: RoomPeer, is_candidate: bool,
               is_mentor: bool, *, created: bool) -> RoomGrant:
        expires_at = as_utc(room.expires_at) if room.expires_at else utcnow() + timedelta(hours=1)
        participant_token, mentor_token = _backend(room.provider).join_tokens(
            provider_room_id=room.provider_room_id or room.room_id, name=room.room_id,
            participant=participant if is_candidate else None, mentor=mentor if is_mentor else None,
            expires_at=expires_at)
        return RoomGrant(room, participant_token, mentor_token, created=created)

    @staticmethod
    def _has_webhooks(provider: str) -> bool:
        return provider in PROVIDERS and provider != "jitsi"

    @staticmethod
    def _scheduled_status(room: VideoRoom, booking: Booking, now: datetime) -> RoomStatus:
        """Jitsi reports nothing: the room is active during the booking's time."""
        starts_at = as_utc(booking.details.starts_at)
        ends_at = as_utc(booking.details.ends_at)
        if booking.session.status == CANCELLED or now >= ends_at:
            status, duration = "ended", booking.details.duration_minutes
        elif now >= starts_at:
            status, duration = "active", _minutes(now - starts_at)
        else:
            status, duration = "not_started", 0
        return RoomStatus(room.room_id, status, [], room.recording_url, duration)


def _minutes(span: timedelta) -> int:
    return max(0, int((span.total_seconds() + 30) // 60))


def _people(entries: list[dict]) -> list[dict]:
    """One line per person (a reconnect is the same person): first join, active if any connection is."""
    people: dict[str, dict] = {}
    for entry in entries:
        key = entry.get("identity") or entry.get("peerId") or entry.get("name") or ""
        person = people.get(key)
        if person is None:
            people[key] = {"name": entry.get("name") or "", "role": entry.get("role") or "participant",
                           "joinedAt": entry.get("joinedAt"), "isActive": bool(entry.get("isActive"))}
            continue
        joined = [t for t in (person["joinedAt"], entry.get("joinedAt")) if t]
        person["joinedAt"] = min(joined) if joined else None
        person["isActive"] = person["isActive"] or bool(entry.get("isActive"))
    return list(people.values())


room_service = RoomService()
