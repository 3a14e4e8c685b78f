"""Live metrics of a running practice session (001's Socket.IO `metrics:send`).

Samples arrive as often as the client measures; the timeline keeps at most one
per `realtime_metrics_min_interval` and at most `realtime_timeline_max` in all,
so a chatty or hostile client cannot grow a row without bound. The last stored
sample's server timestamp is the throttle's state: it lives in the row itself,
so every server process applies the same throttle without further coordination.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import datetime

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.practice.live_repository import live_repository
from interviewd.domain.practice.schemas import PracticeMetrics
from interviewd.errors import Forbidden, NotFound, ValidationFailed
from interviewd.kit.clock import isoformat_z, utcnow
from interviewd.kit.principal import Principal

# A session in these states takes no more live samples.
CLOSED_STATUSES = ("completed", "cancelled")
_SOCKET_ID_ALPHABET = string.ascii_letters + string.digits


class LiveMetricsSample(PracticeMetrics):
    """One `metrics:send` payload: 001's metric fields (all optional, the same
    ranges as PATCH .../metrics) and the practice session they belong to."""

    session_id: str = Field(min_length=1, max_length=64)

    def measurements(self) -> dict:
        return self.model_dump(by_alias=True, mode="json", exclude_unset=True, exclude_none=True,
                               exclude={"session_id"})


@dataclass(frozen=True)
class Handshake:
    socket_id: str
    server_time: datetime


@dataclass(frozen=True)
class LiveUpdate:
    session_uid: str
    owner_uid: str
    sample: dict
    stored: bool
    timeline_length: int


class LiveMetricsService:
    def handshake(self, principal: Principal, *, user_uid: str | None = None) -> Handshake:
        """A correlation id for the socket the caller is about to open, and the
        server's clock. `user_uid`, when given, must be the caller's own
        (administrators excepted)."""
        if user_uid is not None and user_uid != principal.user.uid and not principal.is_admin:
            raise Forbidden("You may not open a realtime connection for another user")
        socket_id = "".join(secrets.choice(_SOCKET_ID_ALPHABET) for _ in range(16))
        return Handshake(socket_id=socket_id, server_time=utcnow())

    async def record_sample(
        self, session: AsyncSession, principal: Principal, *, sample: LiveMetricsSample,
        min_interval: float, max_length: int,
    ) -> LiveUpdate:
        """Append `sample` to the caller's running practice session's timeline
        unless the previous stored sample is younger than `min_interval` seconds
        or the timeline is full; either way the answer carries the sample."""
        found = await live_repository.practice_session(session, sample.session_id)
        if found is None:
            raise NotFound("Practice session not found", field="sessionId")
        practice, details = found
        if practice.user_id != principal.user_id:
            raise Forbidden("You may only send metrics for your own practice session",
                            field="sessionId")
        if practice.status in CLOSED_STATUSES:
            raise ValidationFailed(f"The practice session is {practice.status}", field="sessionId",
                                   details={"status": practice.status})
        now = utcnow()
        entry = {**sample.measurements(), "timestamp": isoformat_z(now)}
        if self._accepts(details.live_timeline, now, min_interval, max_length):
            # Checked again under the row lock: another process may have stored
            # a sample since the unlocked read above.
            details = await live_repository.lock_details(session, practice.id)
            if details is not None and self._accepts(details.live_timeline, now, min_interval, max_length):
                timeline = [*(details.live_timeline or []), entry]
                await live_repository.set_timeline(session, details, timeline)
                return LiveUpdate(practice.uid, principal.user.uid, entry, True, len(timeline))
        length = len(details.live_timeline or []) if details is not None else 0
        return LiveUpdate(practice.uid, principal.user.uid, entry, False, length)

    @staticmethod
    def _accepts(timeline: list | None, now: datetime, min_interval: float, max_length: int) -> bool:
        timeline = timeline or []
        if len(timeline) >= max_length:
            return False
        if not timeline:
            return True
        last = _parse_timestamp(timeline[-1].get("timestamp") if isinstance(timeline[-1], dict) else None)
        return last is None or (now - last).total_seconds() >= min_interval


def _parse_timestamp(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


live_metrics_service = LiveMetricsService()
