"""GET /api/analytics/progress: buckets are calendar days, ISO weeks and
months of the user's time zone, so a session at 23:30 UTC belongs to the
next day in Seoul; the zone comes from the query, else the user's
preferences, else UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.domain.analytics.factories import (
    FAST,
    ai_session,
    candidate,
    insert_bank,
    move_answers,
    set_preferences,
    set_session,
)

pytestmark = pytest.mark.asyncio

LATE_EVENING_UTC = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 2026-03-11 08:30 in Seoul


async def _user_with_session_at(client, moment: datetime, *, score: float = 80.0) -> tuple[dict, str]:
    user = await candidate(client)
    sid = await ai_session(client, user, questions=1)
    await set_session(sid, completed_at=moment, created_at=moment, started_at=moment, overall_score=score,
                      duration_seconds=420)
    await move_answers(sid, moment)
    return user, sid


def _by_date(body: dict) -> dict[str, dict]:
    return {bucket["date"]: bucket for bucket in body["progress"]["buckets"]}


async def _progress(client, user, **params) -> dict:
    response = await client.get("/api/analytics/progress", params=params, headers=user["headers"])
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_session_at_2330_utc_is_the_next_day_in_seoul(make_client):
    client = await make_client(**FAST)
    await insert_bank(technical=2, behavioral=0, coding=False)
    user, _sid = await _user_with_session_at(client, LATE_EVENING_UTC)
    span = {"startDate": "2026-03-09", "endDate": "2026-03-12"}

    seoul = await _progress(client, user, period="day", timezone="Asia/Seoul", **span)
    assert seoul["progress"]["timezone"] == "Asia/Seoul"
    days = _by_date(seoul)
    assert list(days) == ["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12"]
    assert days["2026-03-11"]["sessions"] == 1 and days["2026-03-11"]["sessionsCompleted"] == 1
    assert days["2026-03-11"]["averageScore"] == 80.0
    assert days["2026-03-11"]["timeSpent"] == 420 and days["2026-03-11"]["questionsAnswered"] == 1
    assert days["2026-03-10"]["sessions"] == 0 and days["2026-03-10"]["averageScore"] is None
    # Seoul's midnight is 15:00 UTC the day before.
    assert days["2026-03-11"]["periodStart"] == "2026-03-10T15:00:00Z"
    assert days["2026-03-11"]["periodEnd"] == "2026-03-11T15:00:00Z"

    utc = _by_date(await _progress(client, user, period="day", **span))
    assert utc["2026-03-10"]["sessions"] == 1 and utc["2026-03-11"]["sessions"] == 0


async def test_the_users_preferred_zone_is_used_when_the_query_names_none(make_client):
    client = await make_client(**FAST)
    await insert_bank(technical=2, behavioral=0, coding=False)
    user, _sid = await _user_with_session_at(client, LATE_EVENING_UTC)
    await set_preferences(user["userId"], timezone="Asia/Seoul")
    body = await _progress(client, user, granularity="daily", startDate="2026-03-10", endDate="2026-03-11")
    assert body["progress"]["timezone"] == "Asia/Seoul" and body["progress"]["period"] == "day"
    assert _by_date(body)["2026-03-11"]["sessions"] == 1
    # A stored zone that is not a zone falls back to UTC rather than failing.
    await set_preferences(user["userId"], timezone="Not/AZone")
    body = await _progress(client, user, startDate="2026-03-10", endDate="2026-03-11")
    assert body["progress"]["timezone"] == "UTC" and _by_date(body)["2026-03-10"]["sessions"] == 1


async def test_weeks_start_on_monday_and_months_on_the_first_in_the_users_zone(make_client):
    client = await make_client(**FAST)
    await insert_bank(technical=2, behavioral=0, coding=False)
    # Sunday 2026-03-15 23:30 UTC is Monday morning in Seoul; 2026-03-31 23:30 UTC is April there.
    user, _first = await _user_with_session_at(client, datetime(2026, 3, 15, 23, 30, tzinfo=UTC), score=60)
    second = await ai_session(client, user, questions=1)
    moment = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    await set_session(second, completed_at=moment, created_at=moment, overall_score=90.0)

    weeks = _by_date(await _progress(client, user, period="week", timezone="Asia/Seoul",
                                     startDate="2026-03-09", endDate="2026-03-22"))
    assert list(weeks) == ["2026-03-09", "2026-03-16"]
    assert weeks["2026-03-16"]["sessions"] == 1 and weeks["2026-03-09"]["sessions"] == 0
    weeks_utc = _by_date(await _progress(client, user, period="week", startDate="2026-03-09",
                                         endDate="2026-03-22"))
    assert weeks_utc["2026-03-09"]["sessions"] == 1

    months = _by_date(await _progress(client, user, period="month", timezone="Asia/Seoul",
                                      startDate="2026-03-01", endDate="2026-04-30"))
    assert list(months) == ["2026-03-01", "2026-04-01"]
    assert months["2026-03-01"]["averageScore"] == 60.0 and months["2026-04-01"]["averageScore"] == 90.0
    assert months["2026-04-01"]["improvementRate"] == 50.0
    months_utc = _by_date(await _progress(client, user, period="month", startDate="2026-03-01",
                                          endDate="2026-04-30"))
    assert months_utc["2026-03-01"]["sessions"] == 2 and months_utc["2026-03-01"]["averageScore"] == 75.0


async def test_day_buckets_follow_daylight_saving_changes(make_client):
    client = await make_client(**FAST)
    await insert_bank(technical=2, behavioral=0, coding=False)
    # New York moves to UTC-4 on 2026-03-08: 04:30 UTC on the 9th is 00:30 local that day
    # (a fixed UTC-5 offset would put it on the 8th).
    user, _sid = await _user_with_session_at(client, datetime(2026, 3, 9, 4, 30, tzinfo=UTC))
    days = _by_date(await _progress(client, user, period="day", timezone="America/New_York",
                                    startDate="2026-03-08", endDate="2026-03-09"))
    assert days["2026-03-09"]["sessions"] == 1 and days["2026-03-08"]["sessions"] == 0
    assert days["2026-03-08"]["periodStart"] == "2026-03-08T05:00:00Z"
    assert days["2026-03-09"]["periodStart"] == "2026-03-09T04:00:00Z"


async def test_default_range_ends_today_and_other_users_sessions_never_count(make_client):
    client = await make_client(**FAST)
    await insert_bank(technical=2, behavioral=0, coding=False)
    user = await candidate(client)
    await ai_session(client, user, questions=1)
    other = await candidate(client)
    await ai_session(client, other, questions=1)
    await ai_session(client, other, questions=1)

    body = await _progress(client, user)
    buckets = body["progress"]["buckets"]
    assert len(buckets) == 30 and body["progress"]["period"] == "day"
    assert buckets[-1]["date"] == datetime.now(UTC).date().isoformat()
    assert sum(b["sessions"] for b in buckets) == 1
    months = (await _progress(client, user, period="monthly"))["progress"]["buckets"]
    assert len(months) == 12 and sum(b["sessions"] for b in months) == 1
