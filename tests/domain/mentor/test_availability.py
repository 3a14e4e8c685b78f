"""Availability windows and free slots: timezones, daylight-saving changes,
exceptions, notice and buffers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from interviewd import runtime
from interviewd.domain.mentor.availability import free_slots, is_bookable, windows
from tests.domain.mentor.factories import hold, make_mentor


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def rule(weekday: int, start: int, end: int) -> SimpleNamespace:
    return SimpleNamespace(weekday=weekday, start_minute=start * 60, end_minute=end * 60)


def exc(on: str, start: int | None, end: int | None, available: bool) -> SimpleNamespace:
    from datetime import date

    return SimpleNamespace(on_date=date.fromisoformat(on), start_minute=None if start is None else start * 60,
                           end_minute=None if end is None else end * 60, available=available)


NINE_TO_FIVE = [rule(d, 9, 17) for d in range(7)]


def day_windows(tz: str, on: str, rules=NINE_TO_FIVE, exceptions=()) -> list[tuple[datetime, datetime]]:
    start = datetime.fromisoformat(on).replace(tzinfo=UTC) - timedelta(hours=14)
    found = windows(rules, exceptions, tz, start=start, end=start + timedelta(hours=40))
    # Only the window(s) of the local date asked for.
    from zoneinfo import ZoneInfo

    return [(s, e) for s, e in found if s.astimezone(ZoneInfo(tz)).date().isoformat() == on]


@pytest.mark.parametrize(("tz", "before", "change", "after", "hours_before", "hours_after"), [
    # Berlin springs forward on 2026-03-29: 09:00 local is 08:00Z before, 07:00Z from that day.
    ("Europe/Berlin", "2026-03-28", "2026-03-29", "2026-03-30", 8, 7),
    # ...and falls back on 2026-10-25: 07:00Z before, 08:00Z from that day.
    ("Europe/Berlin", "2026-10-24", "2026-10-25", "2026-10-26", 7, 8),
    # New York springs forward on 2026-03-08 (14:00Z -> 13:00Z) and falls back on 2026-11-01.
    ("America/New_York", "2026-03-07", "2026-03-08", "2026-03-09", 14, 13),
    ("America/New_York", "2026-10-31", "2026-11-01", "2026-11-02", 13, 14),
])
def test_a_local_rule_moves_in_utc_across_a_dst_change(tz, before, change, after, hours_before, hours_after):
    [(s0, e0)] = day_windows(tz, before)
    [(s1, e1)] = day_windows(tz, change)
    [(s2, e2)] = day_windows(tz, after)
    assert (s0.hour, e0.hour) == (hours_before, hours_before + 8)
    assert (s1.hour, e1.hour) == (hours_after, hours_after + 8)
    assert (s2.hour, e2.hour) == (hours_after, hours_after + 8)
    # Eight real hours on every side: the rule is wall-clock time.
    assert {e0 - s0, e1 - s1, e2 - s2} == {timedelta(hours=8)}


@pytest.mark.parametrize(("tz", "sunday"), [("Europe/Berlin", "2026-03-29"),
                                            ("America/New_York", "2026-03-08")])
def test_a_rule_inside_the_spring_gap_yields_nothing_that_day(tz, sunday):
    gap_rule = [rule(6, 2, 3)]
    assert day_windows(tz, sunday, rules=gap_rule) == []
    # A week later the same rule is an ordinary hour.
    next_week = (datetime.fromisoformat(sunday) + timedelta(days=7)).date().isoformat()
    [(s, e)] = day_windows(tz, next_week, rules=gap_rule)
    assert e - s == timedelta(hours=1)


def test_a_rule_across_the_spring_gap_covers_only_real_time():
    # Berlin 01:00-04:00 on 2026-03-29: 01:00 CET (00:00Z) to 04:00 CEST (02:00Z).
    assert day_windows("Europe/Berlin", "2026-03-29", rules=[rule(6, 1, 4)]) == [
        (utc(2026, 3, 29, 0), utc(2026, 3, 29, 2))]
    # Starting inside the gap starts at the jump (01:00Z).
    found = windows([SimpleNamespace(weekday=6, start_minute=150, end_minute=240)], [], "Europe/Berlin",
                    start=utc(2026, 3, 28), end=utc(2026, 3, 30))
    assert found == [(utc(2026, 3, 29, 1), utc(2026, 3, 29, 2))]


def test_a_rule_across_the_autumn_fold_includes_the_repeated_hour():
    # Berlin 01:00-04:00 on 2026-10-25: 01:00 CEST (23:00Z) to 04:00 CET (03:00Z), four real hours.
    assert day_windows("Europe/Berlin", "2026-10-25", rules=[rule(6, 1, 4)]) == [
        (utc(2026, 10, 24, 23), utc(2026, 10, 25, 3))]
    # An ambiguous start takes the first 02:30 (00:30Z), an ambiguous end the second (01:30Z).
    found = windows([SimpleNamespace(weekday=6, start_minute=150, end_minute=240)], [], "Europe/Berlin",
                    start=utc(2026, 10, 24), end=utc(2026, 10, 26))
    assert found == [(utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 3))]
    found = windows([SimpleNamespace(weekday=6, start_minute=60, end_minute=150)], [], "Europe/Berlin",
                    start=utc(2026, 10, 24), end=utc(2026, 10, 26))
    assert found == [(utc(2026, 10, 24, 23), utc(2026, 10, 25, 1, 30))]


def test_exceptions_block_days_and_stretches_and_add_windows():
    # 2026-06-01 is a Monday.
    rules = [rule(0, 9, 17), rule(1, 9, 17)]
    assert day_windows("UTC", "2026-06-01", rules, [exc("2026-06-01", None, None, False)]) == []
    assert day_windows("UTC", "2026-06-01", rules, [exc("2026-06-01", 12, 13, False)]) == [
        (utc(2026, 6, 1, 9), utc(2026, 6, 1, 12)), (utc(2026, 6, 1, 13), utc(2026, 6, 1, 17))]
    # An extra window on a day without rules (Wednesday), whole-day when no times are given.
    assert day_windows("UTC", "2026-06-03", rules, [exc("2026-06-03", 18, 20, True)]) == [
        (utc(2026, 6, 3, 18), utc(2026, 6, 3, 20))]
    assert day_windows("UTC", "2026-06-03", rules, [exc("2026-06-03", None, None, True)]) == [
        (utc(2026, 6, 3, 0), utc(2026, 6, 4, 0))]
    # Blocking the day and adding a window leaves only that window.
    assert day_windows("UTC", "2026-06-02", rules, [exc("2026-06-02", None, None, False),
                                                    exc("2026-06-02", 10, 12, True)]) == [
        (utc(2026, 6, 2, 10), utc(2026, 6, 2, 12))]
    # An exception on another date changes nothing.
    assert day_windows("UTC", "2026-06-02", rules, [exc("2026-06-01", None, None, False)]) == [
        (utc(2026, 6, 2, 9), utc(2026, 6, 2, 17))]


def test_exceptions_apply_to_the_mentors_local_date():
    # Tokyo is UTC+9: blocking 2026-06-02 local removes 00:00-09:00Z... of the 2nd local, i.e.
    # the window 09:00-17:00 JST = 00:00-08:00Z on June 2nd.
    rules = [rule(d, 9, 17) for d in range(7)]
    found = windows(rules, [exc("2026-06-02", None, None, False)], "Asia/Tokyo",
                    start=utc(2026, 6, 1), end=utc(2026, 6, 4))
    assert found == [(utc(2026, 6, 1, 0), utc(2026, 6, 1, 8)), (utc(2026, 6, 3, 0), utc(2026, 6, 3, 8))]


def test_windows_across_midnight_merge_and_are_clipped():
    rules = [rule(0, 22, 24), rule(1, 0, 2)]
    assert windows(rules, [], "UTC", start=utc(2026, 6, 1), end=utc(2026, 6, 3)) == [
        (utc(2026, 6, 1, 22), utc(2026, 6, 2, 2))]
    assert windows(rules, [], "UTC", start=utc(2026, 6, 1, 23), end=utc(2026, 6, 2, 1)) == [
        (utc(2026, 6, 1, 23), utc(2026, 6, 2, 1))]
    assert windows(rules, [], "UTC", start=utc(2026, 6, 2), end=utc(2026, 6, 1)) == []


async def test_free_slots_shift_by_an_hour_across_the_berlin_spring_change(client):
    mentor = await make_mentor(tz="Europe/Berlin")
    async with runtime.current().sessionmaker() as session:
        slots = await free_slots(session, mentor, start=utc(2026, 3, 28), end=utc(2026, 3, 30),
                                 duration_minutes=60, now=utc(2026, 3, 1), step_minutes=60)
    saturday = [s for s in slots if s.day == 28]
    sunday = [s for s in slots if s.day == 29]
    assert [s.hour for s in saturday] == list(range(8, 16))
    assert [s.hour for s in sunday] == list(range(7, 15))


async def test_free_slots_shift_back_across_the_new_york_autumn_change(client):
    mentor = await make_mentor(tz="America/New_York")
    async with runtime.current().sessionmaker() as session:
        slots = await free_slots(session, mentor, start=utc(2026, 10, 31, 5), end=utc(2026, 11, 2, 5),
                                 duration_minutes=60, now=utc(2026, 10, 1), step_minutes=60)
    assert [s.hour for s in slots if s.day == 31] == list(range(13, 21))
    assert [s.hour for s in slots if s.day == 1] == list(range(14, 22))


async def test_is_bookable_needs_one_window_and_the_notice(client):
    mentor = await make_mentor(tz="Europe/Berlin", notice=120)
    now = utc(2026, 6, 1, 6)  # 08:00 in Berlin (CEST)
    async with runtime.current().sessionmaker() as session:
        async def ok(start, minutes=60):
            return await is_bookable(session, mentor, starts_at=start, duration_minutes=minutes, now=now)

        assert await ok(utc(2026, 6, 1, 9))  # 11:00 local, 3 h notice
        assert not await ok(utc(2026, 6, 1, 7))  # 09:00 local but only 1 h notice
        assert await ok(utc(2026, 6, 1, 8))  # exactly the notice
        assert not await ok(utc(2026, 6, 1, 14, 30))  # 16:30-17:30 runs past 17:00
        assert await ok(utc(2026, 6, 1, 14))  # 16:00-17:00 ends with the window
        assert not await ok(utc(2026, 6, 1, 20))  # evening
        assert not await ok(utc(2026, 6, 1, 9), minutes=0)


async def test_an_inactive_mentor_is_never_bookable(client):
    mentor = await make_mentor(active=False)
    async with runtime.current().sessionmaker() as session:
        assert not await is_bookable(session, mentor, starts_at=utc(2026, 6, 1, 10), duration_minutes=60,
                                     now=utc(2026, 5, 1))
        assert await free_slots(session, mentor, start=utc(2026, 6, 1), end=utc(2026, 6, 2),
                                duration_minutes=60, now=utc(2026, 5, 1)) == []


async def test_free_slots_respect_the_notice(client):
    mentor = await make_mentor(notice=180)
    async with runtime.current().sessionmaker() as session:
        slots = await free_slots(session, mentor, start=utc(2026, 6, 1), end=utc(2026, 6, 2),
                                 duration_minutes=60, now=utc(2026, 6, 1, 9, 10), step_minutes=30)
    # Nothing before 12:10; the window's own grid (on the half hour) resumes at 12:30.
    assert slots[0] == utc(2026, 6, 1, 12, 30)
    assert slots[-1] == utc(2026, 6, 1, 16)


async def test_free_slots_keep_the_buffer_around_bookings(client):
    mentor = await make_mentor(buffer=15)
    await hold(mentor, utc(2026, 6, 1, 11), 60)  # holds 11:00-12:15
    async with runtime.current().sessionmaker() as session:
        slots = await free_slots(session, mentor, start=utc(2026, 6, 1), end=utc(2026, 6, 2),
                                 duration_minutes=60, now=utc(2026, 5, 1), step_minutes=15)
    times = [(s.hour, s.minute) for s in slots]
    # 09:45-10:45 plus its 15-minute buffer ends exactly at 11:00; 10:00 would run into the booking.
    assert (9, 45) in times and (10, 0) not in times
    # Nothing while the booking or its buffer runs; 12:15 is the first start after it.
    assert not [t for t in times if (10, 0) <= t < (12, 15)]
    assert (12, 15) in times
    # The last start still ends with the window (its buffer may run past 17:00).
    assert times[-1] == (16, 0)


async def test_free_slots_start_on_each_windows_own_grid(client):
    # Kathmandu is UTC+05:45: 09:00 local is 03:15Z, and the slots follow from there.
    mentor = await make_mentor(tz="Asia/Kathmandu", rules=[(0, "09:00", "11:00")])
    async with runtime.current().sessionmaker() as session:
        slots = await free_slots(session, mentor, start=utc(2026, 6, 1), end=utc(2026, 6, 2),
                                 duration_minutes=60, now=utc(2026, 5, 1))
    assert slots == [utc(2026, 6, 1, 3, 15), utc(2026, 6, 1, 3, 45), utc(2026, 6, 1, 4, 15)]
