"""Buckets, trends, levels and streaks as pure functions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from interviewd.domain.analytics import periods
from interviewd.errors import ValidationFailed

SEOUL, NEW_YORK = ZoneInfo("Asia/Seoul"), ZoneInfo("America/New_York")


@pytest.mark.parametrize(("given", "unit"), [(None, "day"), ("", "day"), ("week", "week"),
                                             ("Monthly", "month"), ("daily", "day")])
def test_granularity_names(given, unit):
    assert periods.granularity(given) == unit


@pytest.mark.parametrize("given", ["hour", "year", "quarterly", "1"])
def test_unknown_granularity_is_a_validation_error(given):
    with pytest.raises(ValidationFailed) as caught:
        periods.granularity(given)
    assert caught.value.field == "period"


def test_day_buckets_are_local_midnights_in_utc():
    [first, second] = periods.buckets(date(2026, 3, 10), date(2026, 3, 11), "day", SEOUL, limit=10)
    assert first.label == date(2026, 3, 10)
    assert first.start == datetime(2026, 3, 9, 15, tzinfo=UTC)
    assert first.end == second.start == datetime(2026, 3, 10, 15, tzinfo=UTC)


def test_a_day_can_be_23_or_25_hours_long():
    spring = periods.buckets(date(2026, 3, 8), date(2026, 3, 8), "day", NEW_YORK, limit=5)[0]
    autumn = periods.buckets(date(2026, 11, 1), date(2026, 11, 1), "day", NEW_YORK, limit=5)[0]
    assert (spring.end - spring.start).total_seconds() == 23 * 3600
    assert (autumn.end - autumn.start).total_seconds() == 25 * 3600


def test_weeks_and_months_start_at_their_first_day():
    weeks = periods.buckets(date(2026, 3, 11), date(2026, 3, 23), "week", SEOUL, limit=10)
    assert [w.label for w in weeks] == [date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 23)]
    months = periods.buckets(date(2025, 11, 15), date(2026, 2, 1), "month", ZoneInfo("UTC"), limit=10)
    assert [m.label for m in months] == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1),
                                         date(2026, 2, 1)]
    assert months[-1].end == datetime(2026, 3, 1, tzinfo=UTC)


def test_too_many_buckets_or_a_reversed_range_are_refused():
    with pytest.raises(ValidationFailed):
        periods.buckets(date(2020, 1, 1), date(2026, 1, 1), "day", SEOUL, limit=400)
    with pytest.raises(ValidationFailed):
        periods.buckets(date(2026, 1, 2), date(2026, 1, 1), "day", SEOUL, limit=400)


def test_default_range():
    today = date(2026, 3, 18)  # a Wednesday
    assert periods.default_range(today, "day", None, None) == (date(2026, 2, 17), today)
    assert periods.default_range(today, "week", None, None) == (date(2025, 12, 29), today)
    assert periods.default_range(today, "month", None, None) == (date(2025, 4, 1), today)
    assert periods.default_range(today, "day", date(2026, 3, 1), None) == (date(2026, 3, 1), today)


@pytest.mark.parametrize(("early", "late", "count", "expected"), [
    (50.0, 55.0, 4, "improving"),  # exactly the threshold
    (50.0, 54.9, 4, "stable"),
    (55.0, 50.0, 4, "declining"),
    (20.0, 90.0, 3, "stable"),  # below the minimum count
    (None, None, 0, "stable"),
])
def test_trend(early, late, count, expected):
    assert periods.trend(early, late, count, threshold=5.0, minimum=4) == expected


def test_levels_and_milestones():
    assert [periods.level(s) for s in (None, 0, 39.9, 40, 69.9, 70, 89.9, 90, 100)] == [
        "beginner", "beginner", "beginner", "intermediate", "intermediate", "advanced", "advanced", "expert",
        "expert"]
    assert periods.next_milestone(85) == "expert at 90%"
    assert periods.next_milestone(None) == "intermediate at 40%"
    assert periods.next_milestone(95) == "expert level reached"


def test_streak_ends_today_or_yesterday():
    today = date(2026, 3, 18)
    days = [date(2026, 3, 15), date(2026, 3, 16), date(2026, 3, 17)]
    assert periods.streak(days, today) == 3
    assert periods.streak([*days, today], today) == 4
    assert periods.streak(days[:2], today) == 0
    assert periods.streak([], today) == 0


def test_improvement_rate_and_dates():
    assert periods.improvement_rate(50, 75) == 50.0
    assert periods.improvement_rate(None, 75) is None and periods.improvement_rate(0, 10) is None
    assert periods.parse_date("2026-03-01T10:00:00Z", field="startDate") == date(2026, 3, 1)
    with pytest.raises(ValidationFailed):
        periods.parse_date("yesterday", field="startDate")


def test_offset_segments_find_each_change_to_the_second():
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    segments = periods.offset_segments(start, end, NEW_YORK)
    # EST, then EDT from 2026-03-08 07:00 UTC, then EST again from 2026-11-01 06:00 UTC.
    assert segments == [(int(start.timestamp()), -5 * 3600),
                        (int(datetime(2026, 3, 8, 7, tzinfo=UTC).timestamp()), -4 * 3600),
                        (int(datetime(2026, 11, 1, 6, tzinfo=UTC).timestamp()), -5 * 3600)]
    assert periods.offset_segments(start, end, SEOUL) == [(int(start.timestamp()), 9 * 3600)]


def test_day_numbers_and_bucket_index():
    assert periods.day_number(date(1970, 1, 2)) == 1
    starts = [periods.day_number(date(2026, 3, d)) for d in (9, 16)]
    assert periods.bucket_index(starts, periods.day_number(date(2026, 3, 8))) is None
    assert periods.bucket_index(starts, periods.day_number(date(2026, 3, 15))) == 0
    assert periods.bucket_index(starts, periods.day_number(date(2026, 3, 16))) == 1
