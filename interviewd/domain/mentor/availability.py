"""When a mentor can be booked.

A mentor keeps weekly rules (weekday, local start/end minutes) and dated
exceptions in their own IANA timezone. `windows` turns them into UTC
intervals; `is_bookable` and `free_slots` answer the questions the booking
flow and the mentor pages ask.

Wall-clock semantics, so a rule 09:00-17:00 stays 09:00-17:00 on the mentor's
clock on both sides of a daylight-saving change (the UTC interval moves by the
offset change):

- A local time that does not exist (the spring-forward gap, e.g. 02:30 in
  Berlin on 2026-03-29) maps to the instant the clock jumps (01:00 UTC there):
  a window covers exactly the instants whose wall-clock reading lies inside it.
  A rule 02:00-03:00 on that day therefore yields nothing, and 01:00-04:00
  yields two real hours.
- A local time that occurs twice (the autumn fold) maps to its first
  occurrence when it starts a window and to its second when it ends one, so a
  window covers every instant whose reading lies inside it, the repeated hour
  included: 01:00-04:00 on the autumn day yields four real hours.

Exceptions apply per local date: an unavailable exception without minutes
blocks the whole day of weekly rules, with minutes it cuts that stretch out of
them; an available exception adds a window (the whole day without minutes).
Blocks act on the weekly rules only, so "block the day, add 10:00-12:00"
leaves just 10:00-12:00.

Conflicts with bookings are not checked by `is_bookable`: bookings take
`booking_holds` minutes (the mentor's buffer included), and the unique
(calendar, minute) pair refuses overlaps at insert time. `free_slots` reads
those holds so it only offers starts a booking would get.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.mentor.repository import mentor_calendar, mentor_repository
from interviewd.kit.clock import as_utc

Interval = tuple[datetime, datetime]
DAY_MINUTES = 1440


def zone(tz_name: str | None) -> ZoneInfo:
    """The mentor's zone; an unknown name (only possible in old rows) falls back to UTC."""
    try:
        return ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _round_trips(naive: datetime, tz: ZoneInfo, fold: int) -> bool:
    aware = naive.replace(tzinfo=tz, fold=fold)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive


def _gap_instant(naive: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant the clock jumps over `naive` (a nonexistent local time)."""
    # With fold=1 Python reads the gap time with the later offset and gets an
    # instant before the jump; with fold=0 an instant at or after it.
    lo = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    hi = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    before = lo.astimezone(tz).utcoffset()
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        mid = mid.replace(microsecond=0)
        if mid <= lo:
            break
        if mid.astimezone(tz).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return hi


def local_to_utc(day: date, minute: int, tz: ZoneInfo, *, is_end: bool) -> datetime:
    """The UTC instant of local wall-clock `minute` on `day` (1440 = next midnight)."""
    naive = datetime.combine(day, time()) + timedelta(minutes=minute)
    first_ok = _round_trips(naive, tz, 0)
    second_ok = _round_trips(naive, tz, 1)
    if not first_ok and not second_ok:
        return _gap_instant(naive, tz)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if first != second and first_ok and second_ok:
        return second if is_end else first
    return first


def _subtract(spans: list[tuple[int, int]], cut: tuple[int, int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if cut[1] <= s or cut[0] >= e:
            out.append((s, e))
            continue
        if s < cut[0]:
            out.append((s, cut[0]))
        if cut[1] < e:
            out.append((cut[1], e))
    return out


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping or touching intervals joined."""
    out: list[list[datetime]] = []
    for s, e in sorted(intervals):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def local_spans(rules: Iterable[Any], exceptions: Iterable[Any], day: date) -> list[tuple[int, int]]:
    """The local [start, end) minute spans of one date after its exceptions."""
    weekday = day.weekday()
    spans = [(r.start_minute, r.end_minute) for r in rules if r.weekday == weekday]
    extra: list[tuple[int, int]] = []
    for exc in exceptions:
        if exc.on_date != day:
            continue
        whole = exc.start_minute is None or exc.end_minute is None
        span = (0, DAY_MINUTES) if whole else (exc.start_minute, exc.end_minute)
        if exc.available:
            extra.append(span)
        else:
            spans = _subtract(spans, span)
    return [*spans, *extra]


def windows(
    rules: Iterable[Any],
    exceptions: Iterable[Any],
    tz_name: str | None,
    *,
    start: datetime,
    end: datetime,
) -> list[Interval]:
    """The mentor's available UTC intervals within [start, end), merged and sorted.

    `rules` need `weekday`, `start_minute`, `end_minute`; `exceptions` need
    `on_date`, `start_minute`, `end_minute`, `available` (the ORM rows fit).
    """
    start, end = as_utc(start), as_utc(end)
    if end <= start:
        return []
    tz = zone(tz_name)
    rules = list(rules)
    exceptions = list(exceptions)
    # One local day either side covers windows that cross midnight or the date line.
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    found: list[Interval] = []
    while day <= last:
        for s, e in local_spans(rules, exceptions, day):
            found.append((local_to_utc(day, s, tz, is_end=False), local_to_utc(day, e, tz, is_end=True)))
        day += timedelta(days=1)
    clipped = ((max(s, start), min(e, end)) for s, e in merge(found))
    return [(s, e) for s, e in clipped if s < e]


def _grid_floor(value: datetime, step_minutes: int) -> datetime:
    # A window longer than the look-back (a mentor open around the clock) starts
    # at the look-back's edge; flooring it keeps such slots on a fixed UTC grid.
    step = max(step_minutes, 1) * 60
    epoch = int(value.timestamp())
    return datetime.fromtimestamp(epoch - epoch % step, UTC)


def _minute(value: datetime) -> datetime:
    return as_utc(value).replace(second=0, microsecond=0)


async def is_bookable(
    session: AsyncSession, mentor, *, starts_at: datetime, duration_minutes: int, now: datetime
) -> bool:
    """Whether [starts_at, starts_at + duration) lies inside one availability
    window of an active mentor, with at least `min_notice_minutes` notice.
    Other bookings are not checked here (booking holds enforce them)."""
    if not getattr(mentor, "is_active", True) or duration_minutes <= 0:
        return False
    starts_at = as_utc(starts_at)
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    if starts_at < as_utc(now) + timedelta(minutes=mentor.min_notice_minutes or 0):
        return False
    tz = zone(mentor.timezone)
    rules = await mentor_repository.rules(session, mentor.id)
    exceptions = await mentor_repository.exceptions(
        session, mentor.id,
        since=starts_at.astimezone(tz).date() - timedelta(days=1),
        until=ends_at.astimezone(tz).date() + timedelta(days=1),
    )
    found = windows(rules, exceptions, mentor.timezone, start=starts_at, end=ends_at)
    return any(s <= starts_at and e >= ends_at for s, e in found)


def slot_starts(
    found: list[Interval],
    held: Iterable[datetime],
    *,
    start: datetime,
    end: datetime,
    duration_minutes: int,
    buffer_minutes: int,
    earliest: datetime,
    step_minutes: int,
    limit: int | None = None,
) -> list[datetime]:
    """Pure slot arithmetic over precomputed windows and held minutes.

    Starts step from each window's start; a start is kept when the session
    fits the window, nothing is held from its start until its end plus the
    mentor's buffer (earlier bookings' holds already carry their buffer), it
    is at or after `earliest` and inside [start, end).
    """
    duration = timedelta(minutes=duration_minutes)
    guard = timedelta(minutes=duration_minutes + max(buffer_minutes, 0))
    step = timedelta(minutes=max(step_minutes, 1))
    held_sorted = sorted({_minute(m) for m in held})
    out: list[datetime] = []
    for w_start, w_end in found:
        slot = w_start
        if slot < earliest or slot < start:
            # Skip ahead on the window's own grid instead of walking minute by minute.
            floor = max(earliest, start)
            steps = -(-(floor - slot) // step)
            slot = slot + steps * step
        while slot + duration <= w_end and slot < end:
            first_free = bisect_left(held_sorted, _minute(slot))
            blocked = first_free < len(held_sorted) and held_sorted[first_free] < slot + guard
            if not blocked:
                out.append(slot)
                if limit is not None and len(out) >= limit:
                    return out
            slot += step
    return out


async def free_slots(
    session: AsyncSession,
    mentor,
    *,
    start: datetime,
    end: datetime,
    duration_minutes: int,
    now: datetime,
    step_minutes: int = 30,
    limit: int | None = None,
) -> list[datetime]:
    """Bookable UTC slot starts in [start, end) for a session of `duration_minutes`,
    skipping minutes held on the mentor's calendar and keeping the mentor's buffer
    free after the new session as well."""
    if not getattr(mentor, "is_active", True) or duration_minutes <= 0:
        return []
    start, end = as_utc(start), as_utc(end)
    if end <= start:
        return []
    tz = zone(mentor.timezone)
    buffer = mentor.buffer_minutes or 0
    # Windows are computed from a day earlier so each keeps its own step grid.
    reach_start = _grid_floor(start - timedelta(days=1), step_minutes)
    reach_end = end + timedelta(minutes=duration_minutes)
    rules = await mentor_repository.rules(session, mentor.id)
    exceptions = await mentor_repository.exceptions(
        session, mentor.id,
        since=reach_start.astimezone(tz).date() - timedelta(days=1),
        until=reach_end.astimezone(tz).date() + timedelta(days=1),
    )
    found = windows(rules, exceptions, mentor.timezone, start=reach_start, end=reach_end)
    calendar = mentor_calendar(mentor.id)
    held = await mentor_repository.held_minutes(
        session, [calendar], start=_minute(start), end=reach_end + timedelta(minutes=buffer + 1)
    )
    earliest = as_utc(now) + timedelta(minutes=mentor.min_notice_minutes or 0)
    return slot_starts(
        found, held.get(calendar, []), start=start, end=end, duration_minutes=duration_minutes,
        buffer_minutes=buffer, earliest=earliest, step_minutes=step_minutes, limit=limit,
    )


async def next_free_slots(
    session: AsyncSession,
    mentors: list,
    *,
    now: datetime,
    days: int,
    duration_minutes: int,
    step_minutes: int,
    limit: int,
) -> dict[int, list[datetime]]:
    """The first `limit` free slot starts of each mentor within `days`, in three
    queries for the whole batch (a list page shows up to 100 mentors)."""
    mentors = [m for m in mentors if getattr(m, "is_active", True)]
    if not mentors or limit <= 0:
        return {m.id: [] for m in mentors}
    now = as_utc(now)
    end = now + timedelta(days=days)
    reach_start = _grid_floor(now - timedelta(days=1), step_minutes)
    reach_end = end + timedelta(minutes=duration_minutes)
    ids = [m.id for m in mentors]
    rules = await mentor_repository.rules_for(session, ids)
    exceptions = await mentor_repository.exceptions_for(
        session, ids, since=reach_start.date() - timedelta(days=2), until=reach_end.date() + timedelta(days=2)
    )
    longest_buffer = max((m.buffer_minutes or 0) for m in mentors)
    held = await mentor_repository.held_minutes(
        session, [mentor_calendar(i) for i in ids], start=_minute(now),
        end=reach_end + timedelta(minutes=longest_buffer + 1),
    )
    out: dict[int, list[datetime]] = {}
    for mentor in mentors:
        found = windows(rules.get(mentor.id, []), exceptions.get(mentor.id, []), mentor.timezone,
                        start=reach_start, end=reach_end)
        out[mentor.id] = slot_starts(
            found, held.get(mentor_calendar(mentor.id), []), start=now, end=end,
            duration_minutes=duration_minutes, buffer_minutes=mentor.buffer_minutes or 0,
            earliest=now + timedelta(minutes=mentor.min_notice_minutes or 0),
            step_minutes=step_minutes, limit=limit,
        )
    return out
