"""/api/users and /api/users/{userId} with favorites and dashboard analytics (000)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["users public"])
