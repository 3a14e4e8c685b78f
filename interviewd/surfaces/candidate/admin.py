"""/api/admin/{users,sessions,analytics,audit-log} (004)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["admin"])
