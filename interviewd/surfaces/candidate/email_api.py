"""POST /api/send-email (000)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["email api"])
