"""How provider events change a room, event by event, without a database:
redeliveries, events out of order, and lost events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from interviewd.adapters.video import EventKind, RoomEvent
from interviewd.domain.room.events import apply_event
from interviewd.models import VideoRoom

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
PEOPLE = {"user-alice": "participant", "user-maria": "mentor"}


def room() -> VideoRoom:
    return VideoRoom(room_id="iv-x", session_id=1, provider="hms", room_url="u", status="not_started",
                     participants=[])


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def apply(r: VideoRoom, kind: EventKind, minutes: int, **fields) -> bool:
    return apply_event(r, RoomEvent(kind=kind, at=at(minutes), **fields), identities=PEOPLE, now=at(100))


def test_join_starts_the_room_and_roles_come_from_the_booking():
    r = room()
    assert apply(r, EventKind.PARTICIPANT_JOINED, 1, peer_id="p1", identity="user-maria", name="Maria",
                 provider_role="guest")
    assert (r.status, r.started_at) == ("active", at(1))
    assert r.participants[0]["role"] == "mentor"
    assert not apply(r, EventKind.PARTICIPANT_JOINED, 1, peer_id="p1", identity="user-maria", name="Maria")
    assert apply(r, EventKind.PARTICIPANT_JOINED, 2, peer_id="p2", identity="someone", provider_role="host")
    assert r.participants[1]["role"] == "mentor"


def test_a_leave_whose_join_was_lost_is_still_recorded():
    r = room()
    assert apply(r, EventKind.PARTICIPANT_LEFT, 30, peer_id="p1", identity="user-alice", name="Alice",
                 joined_at=at(5))
    [entry] = r.participants
    assert (entry["joinedAt"], entry["leftAt"], entry["isActive"]) == ("2026-03-02T10:05:00Z",
                                                                       "2026-03-02T10:30:00Z", False)
    assert (r.status, r.started_at) == ("active", at(5))
    assert not apply(r, EventKind.PARTICIPANT_LEFT, 30, peer_id="p1", identity="user-alice", joined_at=at(5))
    # The join arriving late changes nothing: that connection is already over.
    assert not apply(r, EventKind.PARTICIPANT_JOINED, 5, peer_id="p1", identity="user-alice")


def test_end_without_start_uses_the_first_join_and_closes_everyone():
    r = room()
    apply(r, EventKind.PARTICIPANT_JOINED, 3, peer_id="p1", identity="user-alice")
    assert apply(r, EventKind.ROOM_ENDED, 48)
    assert (r.status, r.started_at, r.ended_at, r.actual_duration) == ("ended", at(3), at(48), 45)
    assert r.participants[0]["isActive"] is False and r.participants[0]["leftAt"] == "2026-03-02T10:48:00Z"
    assert not apply(r, EventKind.ROOM_ENDED, 48)
    assert not apply(r, EventKind.ROOM_ENDED, 40), "an older end does not move the recorded one"


def test_a_join_older_than_the_end_does_not_reopen_the_room():
    r = room()
    apply(r, EventKind.ROOM_STARTED, 0)
    apply(r, EventKind.ROOM_ENDED, 30)
    assert apply(r, EventKind.PARTICIPANT_JOINED, 10, peer_id="p9", identity="user-alice")
    assert r.status == "ended" and r.participants[0]["isActive"] is False
    assert not apply(r, EventKind.ROOM_STARTED, 0)
    assert apply(r, EventKind.PARTICIPANT_JOINED, 40, peer_id="p10", identity="user-alice")
    assert (r.status, r.ended_at, r.actual_duration, r.started_at) == ("active", None, None, at(0))


def test_recording_is_kept_once():
    r = room()
    assert apply(r, EventKind.RECORDING_READY, 50, recording_url="https://rec.example.com/a.mp4")
    assert not apply(r, EventKind.RECORDING_READY, 50, recording_url="https://rec.example.com/a.mp4")
    assert r.recording_url == "https://rec.example.com/a.mp4"
