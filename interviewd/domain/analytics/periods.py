"""Calendar buckets in a user's time zone, trends and levels: pure functions,
no database and no clock.

Buckets are computed here from the zone's rules (local midnight of each day,
Monday of each ISO week, first of each month, as UTC instants), and so are
the zone's UTC offsets over the range: the database only adds the offset in
force to each timestamp's epoch seconds and groups by local day number (the
same SQL on SQLite, which knows no time zones, and on PostgreSQL), and the
days are folded into weeks or months here. Exact across daylight-saving
changes."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from interviewd.errors import ValidationFailed

GRANULARITIES = ("day", "week", "month")
SYNONYMS = {"daily": "day", "weekly": "week", "monthly": "month", "days": "day", "weeks": "week",
            "months": "month"}
# Buckets shown when the request names no start date.
DEFAULT_BUCKETS = {"day": 30, "week": 12, "month": 12}

IMPROVING, STABLE, DECLINING = "improving", "stable", "declining"
EPOCH_DAY = date(1970, 1, 1)
# Dates a request may name: day numbers stay positive, and no bucket edge overflows.
EARLIEST, LATEST = date(1971, 1, 1), date(2999, 12, 1)

# 003's skill levels: a score at or above the bound reaches the level.
LEVELS = ((90.0, "expert"), (70.0, "advanced"), (40.0, "intermediate"), (0.0, "beginner"))


@dataclass(frozen=True)
class Bucket:
    label: date  # the local date the bucket starts on
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive


def granularity(value: str | None, *, field: str = "period") -> str:
    """day|week|month (daily, weekly, monthly accepted); default day."""
    if value is None or value == "":
        return "day"
    name = SYNONYMS.get(value.strip().lower(), value.strip().lower())
    if name not in GRANULARITIES:
        raise ValidationFailed(f"{field} must be one of day, week, month", field=field,
                               details={"value": value})
    return name


def floor(day: date, unit: str) -> date:
    """The first local date of the bucket `day` falls in."""
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def step(day: date, unit: str) -> date:
    """The first date of the next bucket; `day` is a bucket's first date."""
    if unit == "week":
        return day + timedelta(days=7)
    if unit == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return day + timedelta(days=1)


def back(day: date, unit: str, count: int) -> date:
    """The first date of the bucket `count` buckets before the one starting on `day`."""
    if unit == "week":
        return day - timedelta(days=7 * count)
    if unit == "month":
        months = day.year * 12 + day.month - 1 - count
        return date(months // 12, months % 12 + 1, 1)
    return day - timedelta(days=count)


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant the local calendar day begins. Where midnight does not
    exist (a zone moving its clocks at 00:00) zoneinfo gives the instant the
    day's first existing minute maps to; boundaries stay in order."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def buckets(start: date, end: date, unit: str, tz: ZoneInfo, *, limit: int) -> list[Bucket]:
    """The buckets covering the local dates start..end (both included)."""
    if end < start:
        raise ValidationFailed("endDate must not be before startDate", field="endDate",
                               details={"startDate": start.isoformat(), "endDate": end.isoformat()})
    first = floor(start, unit)
    labels: list[date] = []
    day = first
    while day <= end:
        labels.append(day)
        if len(labels) > limit:
            raise ValidationFailed(
                f"At most {limit} {unit} buckets per request; narrow the dates or use a longer period",
                field="startDate", details={"limit": limit, "period": unit})
        day = step(day, unit)
    edges = [local_midnight(label, tz) for label in labels] + [local_midnight(day, tz)]
    return [Bucket(label, edges[i], edges[i + 1]) for i, label in enumerate(labels)]


def offset_segments(start: datetime, end: datetime, tz: ZoneInfo) -> list[tuple[int, int]]:
    """The zone's UTC offsets over [start, end) as [(from_epoch_second,
    offset_seconds)], in order; the first starts at `start`. The database
    turns a timestamp into its local calendar day with these: day number =
    (epoch seconds + offset) // 86400, exact across daylight-saving changes,
    with one CASE branch per change instead of one per bucket."""

    def offset(epoch: int) -> int:
        return int(datetime.fromtimestamp(epoch, tz).utcoffset().total_seconds())

    first, last = int(start.timestamp()), int(end.timestamp())
    segments = [(first, offset(first))]
    cursor = first
    while cursor < last:
        following = min(cursor + 86400, last)
        if offset(following) != offset(cursor):
            # A change within this day: find its first second.
            low, high = cursor, following
            while high - low > 1:
                middle = (low + high) // 2
                if offset(middle) == offset(low):
                    low = middle
                else:
                    high = middle
            segments.append((high, offset(high)))
        cursor = following
    return segments


def day_number(day: date) -> int:
    """Days since 1970-01-01: what the database's day numbers count."""
    return (day - EPOCH_DAY).days


def bucket_index(starts: list[int], number: int) -> int | None:
    """Which bucket (by the day numbers of their first dates, in order) holds
    the local day `number`; None before the first."""
    index = bisect_right(starts, number) - 1
    return index if index >= 0 else None


def default_range(today: date, unit: str, start: date | None, end: date | None) -> tuple[date, date]:
    """Missing ends: up to today, and back DEFAULT_BUCKETS buckets from the end."""
    end = end or (today if start is None or start <= today else start)
    start = start or back(floor(end, unit), unit, DEFAULT_BUCKETS[unit] - 1)
    return start, end


def trend(early: float | None, late: float | None, count: int, *, threshold: float, minimum: int) -> str:
    """improving|stable|declining: the mean score of the later half of the
    scored answers (in time order) against the earlier half's. With an odd
    count the middle answer belongs to neither half. A difference of at least
    `threshold` points is a trend; fewer than `minimum` answers are stable."""
    if count < max(2, minimum) or early is None or late is None:
        return STABLE
    difference = late - early
    if difference >= threshold:
        return IMPROVING
    if difference <= -threshold:
        return DECLINING
    return STABLE


def level(score: float | None) -> str:
    for bound, name in LEVELS:
        if score is not None and score >= bound:
            return name
    return LEVELS[-1][1]


def next_milestone(score: float | None) -> str:
    """003's nextMilestone, e.g. "expert at 90%"."""
    current = score or 0.0
    for bound, name in reversed(LEVELS):
        if current < bound:
            return f"{name} at {int(bound)}%"
    return "expert level reached"


def improvement_rate(previous: float | None, current: float | None) -> float | None:
    """Change of the average score against the previous figure, in percent."""
    if previous is None or current is None or previous == 0:
        return None
    return round(100.0 * (current - previous) / previous, 1)


def streak(active_days: list[date], today: date) -> int:
    """Consecutive active days ending today, or yesterday (today may not be
    practised yet)."""
    days = set(active_days)
    cursor = today if today in days else today - timedelta(days=1)
    count = 0
    while cursor in days:
        count += 1
        cursor -= timedelta(days=1)
    return count


def parse_date(value: str | None, *, field: str) -> date | None:
    """YYYY-MM-DD (a full ISO timestamp is cut to its date)."""
    if value is None or value == "":
        return None
    try:
        parsed = date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ValidationFailed(f"{field} must be a date (YYYY-MM-DD)", field=field,
                               details={"value": value}) from None
    if not EARLIEST <= parsed <= LATEST:
        raise ValidationFailed(f"{field} must be between {EARLIEST} and {LATEST}", field=field,
                               details={"value": value})
    return parsed
