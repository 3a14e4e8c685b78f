"""The video port: create a room for a booking, mint each person's join token,
and read what the provider reports about the room through its webhooks."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum


class VideoProviderError(Exception):
    """The provider refused or could not be reached; nothing was created."""


class WebhookSignatureError(Exception):
    """A webhook whose signature (or shared secret) is missing or wrong."""


class WebhooksNotSupported(Exception):
    """This backend has no webhooks, or they are not configured."""


class InvalidWebhook(Exception):
    """Signed by the provider, yet not a body this port can read."""


@dataclass(frozen=True)
class RoomPeer:
    """Someone who may join: `identity` is stable (the user's uid), `name` is shown."""

    identity: str
    name: str


@dataclass(frozen=True)
class CreatedRoom:
    provider_room_id: str
    room_url: str
    participant_token: str | None
    mentor_token: str | None
    expires_at: datetime


class EventKind(StrEnum):
    ROOM_STARTED = "room_started"
    ROOM_ENDED = "room_ended"
    PARTICIPANT_JOINED = "participant_joined"
    PARTICIPANT_LEFT = "participant_left"
    RECORDING_READY = "recording_ready"


@dataclass(frozen=True)
class RoomEvent:
    """One thing a provider reported, in the port's words. `provider_room_id`
    and `room_name` identify the room (either may be missing); `peer_id` is the
    provider's id of one connection of one person, so a rejoin is a new peer."""

    kind: EventKind
    provider_room_id: str | None = None
    room_name: str | None = None
    at: datetime | None = None
    event_id: str | None = None
    peer_id: str | None = None
    identity: str | None = None
    name: str | None = None
    provider_role: str | None = None
    joined_at: datetime | None = None
    recording_url: str | None = None


class VideoBackend(ABC):
    name: str
    # False: the provider tells nothing; a room's status follows the booking's schedule.
    has_webhooks: bool = False

    @abstractmethod
    async def create_room(self, name: str, *, duration_minutes: int, record: bool, participant: RoomPeer,
                          mentor: RoomPeer, expires_at: datetime) -> CreatedRoom:
        """Create (or prepare) room `name` and mint both join tokens, valid until `expires_at`."""

    @abstractmethod
    def join_tokens(self, *, provider_room_id: str, name: str, participant: RoomPeer | None,
                    mentor: RoomPeer | None, expires_at: datetime) -> tuple[str | None, str | None]:
        """Fresh join tokens for an existing room: (participant's, mentor's); None for a peer not given."""

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[RoomEvent]:
        """Check the request is the provider's and translate it; raises
        WebhookSignatureError when it is not, WebhooksNotSupported when this
        backend has none."""
        raise WebhooksNotSupported(f"{self.name} sends no webhooks")


class JoinOnFirstUse(VideoBackend):
    """A provider whose rooms need no call ahead: the room comes into being
    when the first person joins, so creating one is naming it and minting its
    tokens. `base_url` is where rooms live; `join_url` (with `{room}`) is
    where people should be sent instead, when set."""

    base_url: str
    join_url: str | None = None

    def room_url(self, name: str) -> str:
        if self.join_url:
            return self.join_url.replace("{room}", name)
        return f"{self.base_url}/{name}"

    async def create_room(self, name: str, *, duration_minutes: int, record: bool, participant: RoomPeer,
                          mentor: RoomPeer, expires_at: datetime) -> CreatedRoom:
        participant_token, mentor_token = self.join_tokens(
            provider_room_id=name, name=name, participant=participant, mentor=mentor, expires_at=expires_at)
        return CreatedRoom(provider_room_id=name, room_url=self.room_url(name),
                           participant_token=participant_token, mentor_token=mentor_token,
                           expires_at=expires_at)


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, whatever its case (Starlette's headers already ignore it; dicts do not)."""
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value


_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time as providers write it (nanoseconds, `Z`) as aware UTC;
    None for anything else."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(_FRACTION.sub(r"\1", value.strip()).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
