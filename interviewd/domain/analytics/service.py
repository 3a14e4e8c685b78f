"""Analytics over the caller's own sessions, answers and evaluations (003's
GET /api/users/me/analytics, 004's /api/analytics/*): overview, progress in
calendar buckets of the user's time zone, skills with trends, and a
benchmark against the cohort of other users, which only ever yields
aggregates. docs/analytics.md defines every figure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.analytics import periods, recommendations
from interviewd.domain.analytics.repository import CategoryFigures, Totals, analytics_repository
from interviewd.domain.practice.progress import zone
from interviewd.errors import ValidationFailed
from interviewd.kit.clock import utcnow
from interviewd.kit.principal import Principal
from interviewd.models.user import User

STREAK_WINDOW_DAYS = 366  # a streak is counted back at most this far
RUBRIC_MAX = 25.0


@dataclass
class BucketFigures:
    sessions: int = 0
    completed: int = 0
    scored: int = 0
    average_score: float | None = None
    seconds: int = 0
    questions_answered: int = 0


@dataclass
class SkillFigure:
    skill: str  # the question category
    name: str  # shown to people
    score: float | None
    trend: str
    questions: int
    sessions: int
    level: str
    next_milestone: str


@dataclass
class ProgressBucket:
    label: date
    start: datetime
    end: datetime
    figures: BucketFigures
    improvement_rate: float | None


@dataclass
class Overview:
    user: User
    timezone: str
    totals: Totals
    completion_rate: float
    streak_days: int
    categories: list[SkillFigure]
    recent: list[tuple[date, BucketFigures]]
    recommendations: list[dict]


@dataclass
class UserStats:
    user: User
    timezone: str
    today: date
    totals: Totals
    improvement_rate: float | None
    skills: list[SkillFigure]
    generated_at: datetime


@dataclass
class Progress:
    period: str
    timezone: str
    start: date
    end: date
    buckets: list[ProgressBucket]


@dataclass
class Skills:
    skills: list[SkillFigure]
    rubric: list[dict]
    evaluations: int
    threshold: float
    minimum: int


@dataclass
class Benchmark:
    category: str | None
    job_type: str | None
    cohort_size: int
    minimum: int
    sufficient: bool
    your_score: float | None
    your_sessions: int
    percentile_rank: float | None = None
    average: float | None = None
    median: float | None = None
    top_quartile: float | None = None
    difference: float | None = None
    reason: str | None = None
    extras: dict = field(default_factory=dict)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def display_name(category: str) -> str:
    """"data-structures" -> "Data Structures"."""
    return " ".join(part.capitalize() for part in category.replace("_", "-").split("-") if part) or category


class AnalyticsService:
    # -- 003 ------------------------------------------------------------------------------
    async def overview(self, session: AsyncSession, principal: Principal, *, timezone: str | None = None,
                       now: datetime | None = None) -> Overview:
        """003's analytics: totals, completion rate, current streak of local
        days with a completed session, performance and level per question
        category, recent days, and recommendations."""
        settings = runtime.current().settings
        now = now or utcnow()
        user = principal.user
        tz = self._zone(user, timezone)
        today = now.astimezone(tz).date()
        totals = await analytics_repository.totals(session, user.id)
        edges = periods.buckets(today - timedelta(days=STREAK_WINDOW_DAYS - 1), today, "day", tz,
                                limit=STREAK_WINDOW_DAYS)
        by_day = await self._bucketed(session, user.id, edges, tz, answers=False)
        streak = periods.streak([edge.label for edge, f in zip(edges, by_day, strict=True) if f.completed],
                                today)
        window = max(0, settings.analytics_recent_days)
        recent = [(edge.label, f) for edge, f in reversed(list(zip(edges, by_day, strict=True)))
                  if f.sessions and edge.label > today - timedelta(days=window)]
        skills = await self._skills(session, user.id)
        _count, rubric = await analytics_repository.rubric(session, user.id)
        return Overview(
            user=user, timezone=tz.key, totals=totals, completion_rate=self._completion_rate(totals),
            streak_days=streak, categories=skills, recent=recent,
            recommendations=recommendations.build(
                skills=skills, rubric={axis: means[0] for axis, means in rubric.items()}, totals=totals,
                streak=streak, language=(user.preferences or {}).get("language") or "en"),
        )

    # -- 004 ------------------------------------------------------------------------------
    async def user_stats(self, session: AsyncSession, principal: Principal, *, timezone: str | None = None,
                         now: datetime | None = None) -> UserStats:
        """004's UserAnalytics for today: completed sessions, mean score, time
        spent, questions answered, the improvement rate (later half of the
        completed sessions against the earlier half, in percent) and the
        breakdown per skill."""
        now = now or utcnow()
        user = principal.user
        tz = self._zone(user, timezone)
        totals = await analytics_repository.totals(session, user.id)
        early, late, _count = await analytics_repository.score_halves(session, user.id)
        return UserStats(user=user, timezone=tz.key, today=now.astimezone(tz).date(), totals=totals,
                         improvement_rate=periods.improvement_rate(early, late),
                         skills=await self._skills(session, user.id), generated_at=now)

    async def progress(self, session: AsyncSession, principal: Principal, *, period: str | None = None,
                       timezone: str | None = None, start: str | None = None, end: str | None = None,
                       now: datetime | None = None) -> Progress:
        """Sessions, completed sessions, mean score, time spent and questions
        answered per day, week (Monday first) or month of the user's time zone,
        from `start` to `end` (local dates, both included; by default the last
        30 days, 12 weeks or 12 months up to today)."""
        settings = runtime.current().settings
        now = now or utcnow()
        user = principal.user
        unit = periods.granularity(period)
        tz = self._zone(user, timezone)
        first, last = periods.default_range(now.astimezone(tz).date(), unit,
                                            periods.parse_date(start, field="startDate"),
                                            periods.parse_date(end, field="endDate"))
        edges = periods.buckets(first, last, unit, tz, limit=settings.analytics_max_buckets)
        by_bucket = await self._bucketed(session, user.id, edges, tz)
        out: list[ProgressBucket] = []
        previous: float | None = None
        for edge, figures in zip(edges, by_bucket, strict=True):
            out.append(ProgressBucket(edge.label, edge.start, edge.end, figures,
                                      periods.improvement_rate(previous, figures.average_score)))
            if figures.average_score is not None:
                previous = figures.average_score
        return Progress(period=unit, timezone=tz.key, start=first, end=last, buckets=out)

    async def skills(self, session: AsyncSession, principal: Principal) -> Skills:
        """Per question category: mean score, trend, answers and sessions; and
        per rubric axis (0-25) the mean and its trend."""
        settings = runtime.current().settings
        user = principal.user
        count, rubric = await analytics_repository.rubric(session, user.id)
        # The axes are out of 25: the same relative threshold as for 0-100 scores.
        axis_threshold = settings.analytics_trend_threshold * RUBRIC_MAX / 100
        axes = [{"axis": axis, "score": _round(mean), "maxScore": RUBRIC_MAX,
                 "trend": periods.trend(early, late, count, threshold=axis_threshold,
                                        minimum=settings.analytics_trend_min_answers)}
                for axis, (mean, early, late) in rubric.items()] if count else []
        return Skills(skills=await self._skills(session, user.id), rubric=axes, evaluations=count,
                      threshold=settings.analytics_trend_threshold,
                      minimum=settings.analytics_trend_min_answers)

    async def benchmarks(self, session: AsyncSession, principal: Principal, *, category: str | None = None,
                         job_type: str | None = None) -> Benchmark:
        """The caller's percentile among the users with completed scored
        sessions (optionally of one category and/or job type): the share of
        the other users whose mean score is below the caller's, ties counting
        half. Below the minimum cohort size there is no percentile and no
        aggregate, only the cohort's size."""
        minimum = max(1, runtime.current().settings.analytics_benchmark_min_cohort)
        category = (category or "").strip() or None
        job_type = (job_type or "").strip() or None
        for name, value, limit in (("category", category, 60), ("jobType", job_type, 120)):
            if value is not None and len(value) > limit:
                raise ValidationFailed(f"{name} must be at most {limit} characters", field=name)
        user = principal.user
        cohort = await analytics_repository.cohort(session, user.id, category=category, job_type=job_type)
        size = cohort.peers + (1 if cohort.your_score is not None else 0)
        result = Benchmark(category=category, job_type=job_type, cohort_size=size, minimum=minimum,
                           sufficient=False, your_score=_round(cohort.your_score),
                           your_sessions=cohort.your_sessions)
        if cohort.your_score is None:
            result.reason = "You have no completed, scored sessions in this cohort yet"
            return result
        if size < minimum or cohort.peers == 0:
            result.reason = (f"Fewer than {minimum} users have completed scored sessions in this cohort; "
                             "a comparison would reveal their scores")
            return result
        result.sufficient = True
        result.percentile_rank = round(100.0 * (cohort.below + 0.5 * cohort.equal) / cohort.peers)
        result.average = _round(cohort.average)
        result.median = _round(await analytics_repository.peer_quantile(
            session, user.id, 0.5, cohort.peers, category=category, job_type=job_type))
        result.top_quartile = _round(await analytics_repository.peer_quantile(
            session, user.id, 0.75, cohort.peers, category=category, job_type=job_type))
        result.difference = _round(cohort.your_score - cohort.average) if cohort.average is not None else None
        return result

    # -- internals ------------------------------------------------------------------------
    @staticmethod
    def _zone(user: User, name: str | None) -> ZoneInfo:
        """The request's IANA zone (unknown: 400), else the user's
        preferences.timezone (unknown: UTC), else UTC."""
        if name is not None and name.strip():
            return zone(name.strip(), field="timezone")
        return zone((user.preferences or {}).get("timezone"))

    @staticmethod
    async def _bucketed(session: AsyncSession, user_id: int, edges: list[periods.Bucket], tz: ZoneInfo, *,
                        answers: bool = True) -> list[BucketFigures]:
        """The figures of each bucket, from per-day aggregates the database
        computes in the zone (periods.offset_segments) folded into buckets."""
        start, end = edges[0].start, edges[-1].end
        segments = periods.offset_segments(start, end, tz)
        starts = [periods.day_number(edge.label) for edge in edges]
        out = [BucketFigures() for _ in edges]
        sums = [0.0 for _ in edges]
        for number, day in (await analytics_repository.session_days(
                session, user_id, start, end, segments)).items():
            index = periods.bucket_index(starts, number)
            if index is None:
                continue
            figures = out[index]
            figures.sessions += day.sessions
            figures.completed += day.completed
            figures.scored += day.scored
            figures.seconds += day.seconds
            sums[index] += day.score_sum
        if answers:
            for number, count in (await analytics_repository.answer_days(
                    session, user_id, start, end, segments)).items():
                index = periods.bucket_index(starts, number)
                if index is not None:
                    out[index].questions_answered += count
        for figures, total in zip(out, sums, strict=True):
            figures.average_score = total / figures.scored if figures.scored else None
        return out

    @staticmethod
    def _completion_rate(totals: Totals) -> float:
        """Completed sessions among those no longer open, in percent."""
        finished = totals.sessions - totals.open
        return round(100.0 * totals.completed / finished, 1) if finished > 0 else 0.0

    @staticmethod
    async def _skills(session: AsyncSession, user_id: int) -> list[SkillFigure]:
        settings = runtime.current().settings
        rows: list[CategoryFigures] = await analytics_repository.categories(session, user_id)
        out = [SkillFigure(
            skill=row.category, name=display_name(row.category), score=_round(row.average_score),
            trend=periods.trend(row.early, row.late, row.answers,
                                threshold=settings.analytics_trend_threshold,
                                minimum=settings.analytics_trend_min_answers),
            questions=row.answers, sessions=row.sessions, level=periods.level(row.average_score),
            next_milestone=periods.next_milestone(row.average_score),
        ) for row in rows]
        return sorted(out, key=lambda s: (-s.questions, s.skill))


analytics_service = AnalyticsService()
