"""/api/users/me/analytics (003) and /api/analytics/{user-stats,progress,skills,benchmarks,export} (004)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["analytics"])
