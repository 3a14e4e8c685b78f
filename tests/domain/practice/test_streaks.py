"""Streaks count calendar days of the user's time zone, across midnight UTC
and across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.domain.practice.dashboard import dashboard_service
from interviewd.domain.practice.progress import local_days, runs, streaks, zone
from interviewd.errors import ValidationFailed
from tests.domain.practice.factories import (
    candidate,
    completed_session,
    principal_of,
    seed_domains,
    set_timezone,
)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def board(user: dict, *, now: datetime, timezone: str | None = None):
    async with unit_of_work(runtime.current().sessionmaker) as session:
        principal = await principal_of(session, user["userId"])
        return await dashboard_service.dashboard(session, principal, timezone=timezone, now=now)


@pytest.fixture
async def user(client) -> dict:
    await seed_domains()
    return await candidate(client)


async def complete_all(client, user, moments):
    for moment in moments:
        await completed_session(client, user, moment)


async def test_two_sessions_an_hour_apart_across_midnight_utc(client, user):
    await complete_all(client, user, [utc(2026, 1, 10, 23, 30), utc(2026, 1, 11, 0, 30)])
    now = utc(2026, 1, 11, 12)
    in_utc = await board(user, now=now)
    assert (in_utc.current_streak, in_utc.best_streak, in_utc.timezone) == (2, 2, "UTC")
    for name in ("America/New_York", "Asia/Tokyo"):
        local = await board(user, now=now, timezone=name)
        assert (local.current_streak, local.best_streak) == (1, 1), name
    # The user's own preference applies when no zone is asked for.
    await set_timezone(user["userId"], "America/New_York")
    preferred = await board(user, now=now)
    assert (preferred.best_streak, preferred.timezone) == (1, "America/New_York")


async def test_new_york_spring_forward_keeps_local_days_consecutive(client, user):
    # Local days 7, 8 (twice: 00:30 EST and 23:45 EDT) and 9 March 2026; in
    # UTC these fall on four different dates.
    await complete_all(client, user, [
        utc(2026, 3, 7, 17, 0), utc(2026, 3, 8, 5, 30), utc(2026, 3, 9, 3, 45), utc(2026, 3, 10, 2, 0),
    ])
    await set_timezone(user["userId"], "America/New_York")
    now = utc(2026, 3, 10, 12)
    local = await board(user, now=now)
    assert (local.current_streak, local.best_streak) == (3, 3)
    assert (await board(user, now=now, timezone="UTC")).best_streak == 4


async def test_berlin_fall_back_keeps_local_days_consecutive(client, user):
    # 24 Oct 23:30 CEST, 25 Oct 23:30 CET (a 25-hour day), 26 Oct 00:15 CET.
    await complete_all(client, user, [
        utc(2026, 10, 24, 21, 30), utc(2026, 10, 25, 22, 30), utc(2026, 10, 25, 23, 15),
    ])
    now = utc(2026, 10, 26, 10)
    berlin = await board(user, now=now, timezone="Europe/Berlin")
    assert (berlin.current_streak, berlin.best_streak) == (3, 3)
    in_utc = await board(user, now=now)
    assert (in_utc.current_streak, in_utc.best_streak) == (2, 2)


async def test_current_streak_ends_when_a_day_is_missed(client, user):
    await complete_all(client, user, [utc(2026, 5, d, 9) for d in (1, 2, 3, 4, 6, 7)])
    assert [(b.current_streak, b.best_streak) for b in [
        await board(user, now=utc(2026, 5, 7, 20)),  # practised today
        await board(user, now=utc(2026, 5, 8, 20)),  # yesterday: still alive
        await board(user, now=utc(2026, 5, 9, 20)),  # missed a day
    ]] == [(2, 4), (2, 4), (0, 4)]


async def test_an_unknown_zone_is_refused_when_asked_and_ignored_when_stored(client, user):
    await completed_session(client, user, utc(2026, 1, 1, 12))
    with pytest.raises(ValidationFailed) as caught:
        await board(user, now=utc(2026, 1, 2), timezone="Mars/Olympus_Mons")
    assert caught.value.field == "timezone"
    response = await client.get("/api/analytics/dashboard", headers=user["headers"],
                                params={"timezone": "Not/AZone"})
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "timezone"
    await set_timezone(user["userId"], "Not/AZone")
    assert (await board(user, now=utc(2026, 1, 2))).timezone == "UTC"


def test_runs_compare_dates_not_durations():
    tz = zone("America/New_York")
    days = local_days([utc(2026, 3, 8, 4, 59), utc(2026, 3, 9, 3, 59)], tz)  # 23:59 EST, 23:59 EDT
    assert [d.isoformat() for d in days] == ["2026-03-07", "2026-03-08"] and runs(days) == [2]
    assert streaks([], tz, now=utc(2026, 1, 1)) == (0, 0)
