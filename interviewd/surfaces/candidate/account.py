"""Account routes of 003 and 004: /api/users/{me,me/sessions,profile,settings,avatar,account}."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["account"])
