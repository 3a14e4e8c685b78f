"""How a provider's event changes a room. Every change is idempotent: a
redelivered event finds its effect already there and changes nothing, and an
event older than the room's last end does not reopen it."""

from __future__ import annotations

from datetime import datetime

from interviewd.adapters.video import EventKind, RoomEvent
from interviewd.kit.clock import as_utc, isoformat_z
from interviewd.models.mentor import VideoRoom

MENTOR_ROLES = ("mentor", "host", "interviewer")


def apply_event(room: VideoRoom, event: RoomEvent, *, identities: dict[str, str], now: datetime) -> bool:
    """Apply `event` to `room`; True when something changed. `identities`
    maps the booking's people (user uids) to their roles."""
    at = as_utc(event.at) if event.at else now
    before = _snapshot(room)
    if event.kind is EventKind.ROOM_STARTED:
        _start(room, at)
    elif event.kind is EventKind.ROOM_ENDED:
        _end(room, at)
    elif event.kind is EventKind.PARTICIPANT_JOINED:
        _joined(room, event, at, identities)
    elif event.kind is EventKind.PARTICIPANT_LEFT:
        _left(room, event, at, identities)
    elif event.kind is EventKind.RECORDING_READY and event.recording_url:
        room.recording_url = event.recording_url
    return _snapshot(room) != before


def ended_participants(entries: list[dict], ended_at: datetime) -> list[dict]:
    """Everyone has left a room that is over."""
    return [{**e, "isActive": False, "leftAt": e.get("leftAt") or isoformat_z(ended_at)} for e in entries]


def _snapshot(room: VideoRoom) -> tuple:
    return (room.status, room.started_at, room.ended_at, room.actual_duration, room.recording_url,
            repr(room.participants))


def _ended_at(room: VideoRoom) -> datetime | None:
    return as_utc(room.ended_at) if room.ended_at else None


def _start(room: VideoRoom, at: datetime) -> None:
    if room.status == "ended":
        ended = _ended_at(room)
        if ended is None or at <= ended:
            return  # a late or repeated start of a session that is already over
        # A new session in the same room (everyone had left, then rejoined).
        room.status, room.ended_at, room.actual_duration = "active", None, None
    elif room.status != "active":
        room.status = "active"
    if room.started_at is None or at < as_utc(room.started_at):
        room.started_at = at


def _end(room: VideoRoom, at: datetime) -> None:
    ended = _ended_at(room)
    if room.status == "ended" and ended is not None and at <= ended:
        return
    if room.started_at is None:
        joins = [e["joinedAt"] for e in room.participants or [] if e.get("joinedAt")]
        room.started_at = min((_parse(j) for j in joins), default=at)
    room.status = "ended"
    room.ended_at = at
    room.actual_duration = max(0, int(((at - as_utc(room.started_at)).total_seconds() + 30) // 60))
    room.participants = ended_participants(room.participants or [], at)


def _role(event: RoomEvent, identities: dict[str, str]) -> str:
    if event.identity and event.identity in identities:
        return identities[event.identity]
    return "mentor" if (event.provider_role or "").lower() in MENTOR_ROLES else "participant"


def _find(entries: list[dict], event: RoomEvent) -> int | None:
    for index, entry in enumerate(entries):
        if event.peer_id and entry.get("peerId") == event.peer_id:
            return index
    if event.peer_id is None and event.identity:
        # Without a connection id, the person's open connection is the one meant.
        for index in range(len(entries) - 1, -1, -1):
            if entries[index].get("identity") == event.identity and entries[index].get("isActive"):
                return index
    return None


def _joined(room: VideoRoom, event: RoomEvent, at: datetime, identities: dict[str, str]) -> None:
    entries = list(room.participants or [])
    if _find(entries, event) is not None:
        return
    ended = _ended_at(room)
    late = room.status == "ended" and ended is not None and at <= ended
    entries.append({
        "peerId": event.peer_id, "identity": event.identity, "name": event.name or event.identity or "",
        "role": _role(event, identities), "joinedAt": isoformat_z(at),
        "leftAt": isoformat_z(ended) if late else None, "isActive": not late,
    })
    room.participants = entries
    if not late:
        _start(room, at)


def _left(room: VideoRoom, event: RoomEvent, at: datetime, identities: dict[str, str]) -> None:
    entries = list(room.participants or [])
    index = _find(entries, event)
    if index is None:
        if event.peer_id is None and any(e.get("identity") == event.identity for e in entries):
            return  # already recorded as gone
        joined = as_utc(event.joined_at) if event.joined_at else at
        entries.append({
            "peerId": event.peer_id, "identity": event.identity, "name": event.name or event.identity or "",
            "role": _role(event, identities), "joinedAt": isoformat_z(joined), "leftAt": isoformat_z(at),
            "isActive": False,
        })
        if room.status == "not_started":
            room.status = "active"  # its join was lost, but the session did start
        if room.started_at is None or joined < as_utc(room.started_at):
            room.started_at = joined
    else:
        entry = entries[index]
        if not entry.get("isActive"):
            return
        entries[index] = {**entry, "isActive": False, "leftAt": isoformat_z(at)}
    room.participants = entries


def _parse(value: str) -> datetime:
    return as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
