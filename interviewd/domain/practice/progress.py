"""Streaks and experience points (docs/practice.md), as pure functions of the
completed sessions so that they can be checked without a database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from interviewd.errors import ValidationFailed

XP_PER_SESSION = 50
XP_STREAK_DAY = 25


def zone(name: str | None, *, field: str | None = None) -> ZoneInfo:
    """An IANA zone. An unknown name is a 400 when the caller gave it
    (`field` set), and UTC when it comes from stored preferences."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            if field:
                raise ValidationFailed(f"Unknown time zone {name!r}", field=field, details={"value": name}
                                       ) from None
    return ZoneInfo("UTC")


def local_days(moments: Iterable[datetime], tz: ZoneInfo) -> list[date]:
    """The distinct calendar days (in `tz`) the moments fall on, in order."""
    return sorted({moment.astimezone(tz).date() for moment in moments})


def runs(days: list[date]) -> list[int]:
    """Lengths of the runs of consecutive days. Consecutive calendar dates stay
    consecutive across a daylight-saving change: dates, not 24-hour spans, are
    compared."""
    lengths: list[int] = []
    previous: date | None = None
    for day in days:
        if previous is not None and day - previous == timedelta(days=1):
            lengths[-1] += 1
        else:
            lengths.append(1)
        previous = day
    return lengths


def streaks(moments: Iterable[datetime], tz: ZoneInfo, *, now: datetime) -> tuple[int, int]:
    """(current, best). The current streak is the run ending today or
    yesterday (today may not be practised yet); otherwise 0."""
    days = local_days(moments, tz)
    if not days:
        return 0, 0
    lengths = runs(days)
    today = now.astimezone(tz).date()
    current = lengths[-1] if days[-1] >= today - timedelta(days=1) else 0
    return current, max(lengths)


def experience_points(scores: list[float | None], days: list[date], achievement_xp: int) -> int:
    """50 per completed session, plus half its overall score (rounded down),
    plus 25 for every practice day that follows a practice day, plus the XP of
    each unlocked achievement."""
    sessions = sum(XP_PER_SESSION + int((score or 0) // 2) for score in scores)
    streak_days = sum(length - 1 for length in runs(days))
    return sessions + XP_STREAK_DAY * streak_days + achievement_xp
