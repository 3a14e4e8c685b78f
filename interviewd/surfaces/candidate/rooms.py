"""/api/rooms video rooms and provider webhooks (000)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.room.service import ProviderUnavailable, RoomGrant, RoomStatus, room_service
from interviewd.kit.clock import isoformat_z
from interviewd.kit.principal import Principal
from interviewd.surfaces.candidate.errors import envelope
from interviewd.surfaces.candidate.shapes import CamelModel
from interviewd.web.deps import current_principal, db_session

router = APIRouter(tags=["rooms"])

_MAX_WEBHOOK_BYTES = 256 * 1024


class RoomCreate(CamelModel):
    session_id: str = Field(min_length=1, max_length=64, description="The booking's session id")
    duration: int | None = Field(default=None, description="Minutes; default: the booking's duration")
    participant_name: str | None = Field(default=None, max_length=255)
    mentor_name: str | None = Field(default=None, max_length=255)
    record_session: bool | None = Field(default=None, description="Default: the booking's recordSession")


def grant_body(grant: RoomGrant) -> dict:
    return {
        "roomId": grant.room.room_id,
        "roomUrl": grant.room.room_url,
        "participantToken": grant.participant_token,
        "mentorToken": grant.mentor_token,
        "expiresAt": isoformat_z(grant.room.expires_at),
    }


def status_body(status: RoomStatus) -> dict:
    return {
        "roomId": status.room_id,
        "status": status.status,
        "participants": status.participants,
        "recordingUrl": status.recording_url,
        "duration": status.duration,
    }


@router.post("/rooms", summary="Create (or get) a booking's video room",
             responses={200: {"description": "The booking already had a live room"},
                        201: {"description": "A room was created"},
                        502: {"description": "The video provider failed"}})
async def create_room(
    body: RoomCreate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> JSONResponse:
    """`sessionId` is a mentor booking. Only its candidate, its mentor and
    admins may call (anyone else: 404). A booking has one live room: calling
    again answers the same `roomId` and `roomUrl` (200) with fresh tokens.
    Each person gets only their own token (`participantToken` for the
    candidate, `mentorToken` for the mentor, both for an admin); with Jitsi
    both are null unless a Jitsi JWT app is configured. The booking's
    `meetingLink` becomes `roomUrl`. Cancelled, in-person or finished
    bookings are 409."""
    try:
        grant = await room_service.create(
            session, principal, session_uid=body.session_id, duration=body.duration,
            participant_name=body.participant_name, mentor_name=body.mentor_name, record=body.record_session,
        )
    except ProviderUnavailable as exc:
        return envelope("BAD_GATEWAY", exc.message, status=502)
    return JSONResponse(grant_body(grant), status_code=201 if grant.created else 200)


@router.get("/rooms/{room_id}/status", summary="A video room's status and participants")
async def room_status(
    room_id: str,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """`status` is not_started, active or ended; `participants` one line per
    person who joined (100ms and LiveKit report them through webhooks; Jitsi
    reports nothing, so its status follows the booking's time and the list
    stays empty); `duration` in minutes. Only the booking's two people and
    admins may read it (anyone else: 404)."""
    return status_body(await room_service.status(session, principal, room_id=room_id))


@router.post("/rooms/webhooks/{provider}", summary="Events from the video provider (hms, livekit)",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": {"type": "object"}},
                 "application/webhook+json": {"schema": {"type": "object"}}}}})
async def provider_webhook(
    provider: str,
    request: Request,
    session: AsyncSession = Depends(db_session),
) -> dict:
    """No bearer token: 100ms requests must carry the configured secret header
    (INTERVIEWD_HMS_WEBHOOK_HEADER), LiveKit's a JWT in `Authorization` signed
    with the API secret that holds the body's SHA-256. A missing or wrong
    signature is 401 and changes nothing; a provider that is not configured
    is 404. Events about unknown rooms are ignored; redeliveries are harmless."""
    body = await _read_capped(request, _MAX_WEBHOOK_BYTES)
    if body is None:
        return envelope("PAYLOAD_TOO_LARGE", "Webhook body too large", status=413)
    changed = await room_service.handle_webhook(session, provider=provider, headers=request.headers,
                                                body=body)
    return {"success": True, "applied": changed}


async def _read_capped(request: Request, limit: int) -> bytes | None:
    """The body, or None past `limit` bytes (read no further: the route is unauthenticated)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
