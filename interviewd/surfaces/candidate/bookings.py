"""GET /api/sessions and PATCH /api/sessions/{sessionId} for mentor bookings (000)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["bookings"])
