"""/api/rooms video rooms and provider webhooks (000)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["rooms"])
