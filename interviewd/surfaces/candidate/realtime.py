"""POST /api/realtime/handshake (001): the step before opening the Socket.IO
connection at /socket.io, namespace /interview (docs/realtime.md)."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends
from pydantic import Field

from interviewd.domain.practice.live import live_metrics_service
from interviewd.kit.clock import isoformat_z
from interviewd.kit.principal import Principal
from interviewd.surfaces.candidate.shapes import CamelModel
from interviewd.web.deps import current_principal

router = APIRouter(tags=["realtime"])


class HandshakeRequest(CamelModel):
    user_id: str | None = Field(default=None, max_length=64)


class HandshakeResponse(CamelModel):
    socket_id: str = Field(description="A random id the client may pass back as `auth.socketId` when it "
                           "connects, to correlate the two in the server's logs. Not a secret and "
                           "not a credential: the socket authenticates with the access token.")
    server_time: str = Field(description="The server's clock (ISO 8601, UTC), to align client timestamps.")


@router.post("/realtime/handshake", status_code=201, response_model=HandshakeResponse,
             response_model_by_alias=True, summary="Prepare a realtime connection")
async def handshake(
    body: HandshakeRequest | None = Body(default=None),
    principal: Principal = Depends(current_principal),
) -> dict:
    """`{socketId, serverTime}`. A `userId` other than the caller's is 403 (administrators excepted)."""
    result = live_metrics_service.handshake(principal, user_uid=body.user_id if body else None)
    return {"socketId": result.socket_id, "serverTime": isoformat_z(result.server_time)}
