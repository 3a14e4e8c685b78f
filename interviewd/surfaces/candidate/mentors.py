"""/api/mentors and mentor availability (000)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["mentors"])
