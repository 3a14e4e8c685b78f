"""All SQL of analytics: aggregates over one user's sessions, answers and
evaluations, and over the cohort a user is compared with.

Every figure is computed by the database (GROUP BY, window functions,
local day numbers from precomputed UTC offsets): a user with thousands of sessions
costs a handful of queries that return a few rows each, never the rows
themselves. Only the export reads rows, in batches."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, Integer, Select, case, cast, distinct, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from interviewd.models.ai import AiAnswer, AiSessionDetails, AnalysisResult
from interviewd.models.question import Question
from interviewd.models.session import InterviewSession, SessionKind

# The kinds whose sessions a user takes and gets a score for.
SCORED_KINDS = (SessionKind.AI.value, SessionKind.PRACTICE.value)
OPEN_STATUSES = ("pending", "in_progress", "scheduled")
COMPLETED = "completed"
AXES = ("understanding", "logic", "specificity", "jobFit")
GENERAL = "general"  # the category of an evaluation with no bank question
SECONDS_PER_DAY = 86400


@dataclass
class Totals:
    sessions: int = 0
    completed: int = 0
    open: int = 0
    scored: int = 0
    average_score: float | None = None
    seconds: int = 0
    questions_answered: int = 0


@dataclass
class DayFigures:
    sessions: int = 0
    completed: int = 0
    scored: int = 0
    score_sum: float = 0.0
    seconds: int = 0


@dataclass
class CategoryFigures:
    category: str
    answers: int
    sessions: int
    average_score: float | None
    early: float | None
    late: float | None


@dataclass
class Cohort:
    peers: int
    your_score: float | None
    your_sessions: int
    below: int
    equal: int
    average: float | None


def _moment() -> ColumnElement:
    """When a session counts: its completion, else its creation."""
    return func.coalesce(InterviewSession.completed_at, InterviewSession.created_at)


def _epoch(session: AsyncSession, expr: ColumnElement) -> ColumnElement:
    """Whole seconds since 1970 of a UTC timestamp column."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.floor(extract("epoch", expr)), BigInteger)
    # SQLite keeps UTC timestamps as text; strftime('%s') reads them as UTC.
    return cast(func.strftime("%s", expr), Integer)


def _local_day(epoch: ColumnElement, segments: Sequence[tuple[int, int]]) -> ColumnElement:
    """The local calendar day number: (epoch + the offset in force) // 86400,
    one CASE branch per offset change (none for most zones)."""
    if len(segments) == 1:
        shifted = epoch + segments[0][1]
    else:
        shifted = case(*[(epoch < segments[i + 1][0], epoch + segments[i][1])
                         for i in range(len(segments) - 1)], else_=epoch + segments[-1][1])
    # Integer division on both databases; the numbers are positive, so it floors.
    return shifted // SECONDS_PER_DAY


def _mean(value) -> float | None:
    return None if value is None else float(value)


class AnalyticsRepository:
    # -- one user's figures ----------------------------------------------------------
    async def totals(self, session: AsyncSession, user_id: int) -> Totals:
        s = InterviewSession
        done = s.status == COMPLETED
        row = (await session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(case((done, 1), else_=0)), 0),
                func.coalesce(func.sum(case((s.status.in_(OPEN_STATUSES), 1), else_=0)), 0),
                func.count(case((done, s.overall_score))),
                func.avg(case((done, s.overall_score))),
                func.coalesce(func.sum(s.duration_seconds), 0),
            ).where(s.user_id == user_id, s.kind.in_(SCORED_KINDS))
        )).one()
        answered = await session.scalar(
            select(func.count()).select_from(AiAnswer)
            .where(AiAnswer.user_id == user_id, AiAnswer.is_follow_up.is_(False)))
        return Totals(sessions=int(row[0]), completed=int(row[1]), open=int(row[2]), scored=int(row[3]),
                      average_score=_mean(row[4]), seconds=int(row[5]), questions_answered=int(answered or 0))

    async def score_halves(self, session: AsyncSession, user_id: int
                           ) -> tuple[float | None, float | None, int]:
        """Mean overall score of the earlier and the later half of the user's
        completed scored sessions (in completion order), and their count."""
        s = InterviewSession
        ranked = (
            select(
                s.overall_score.label("score"),
                func.row_number().over(order_by=(s.completed_at, s.id)).label("rn"),
                func.count().over().label("n"),
            ).where(s.user_id == user_id, s.kind.in_(SCORED_KINDS), s.status == COMPLETED,
                    s.overall_score.is_not(None), s.completed_at.is_not(None))
        ).subquery()
        row = (await session.execute(select(
            func.avg(case((ranked.c.rn <= ranked.c.n // 2, ranked.c.score))),
            func.avg(case((ranked.c.rn > ranked.c.n - ranked.c.n // 2, ranked.c.score))),
            func.count(),
        ))).one()
        return _mean(row[0]), _mean(row[1]), int(row[2])

    async def session_days(self, session: AsyncSession, user_id: int, start: datetime, end: datetime,
                           segments: Sequence[tuple[int, int]]) -> dict[int, DayFigures]:
        """Per local day number (see periods.offset_segments): sessions,
        completed ones, the sum and count of their scores, seconds spent. A
        session counts on the day of its completion, or of its creation while
        it is not completed. Only days with sessions come back."""
        s = InterviewSession
        moment = _moment()
        inner = (
            select(_local_day(_epoch(session, moment), segments).label("day"), s.status.label("status"),
                   s.overall_score.label("score"), s.duration_seconds.label("seconds"))
            .where(s.user_id == user_id, s.kind.in_(SCORED_KINDS), moment >= start, moment < end)
        ).subquery()
        done = inner.c.status == COMPLETED
        rows = await session.execute(
            select(inner.c.day, func.count(), func.coalesce(func.sum(case((done, 1), else_=0)), 0),
                   func.count(case((done, inner.c.score))), func.sum(case((done, inner.c.score))),
                   func.coalesce(func.sum(inner.c.seconds), 0))
            .group_by(inner.c.day)
        )
        return {int(day): DayFigures(int(count), int(completed), int(scored), float(total or 0), int(seconds))
                for day, count, completed, scored, total, seconds in rows}

    async def answer_days(self, session: AsyncSession, user_id: int, start: datetime, end: datetime,
                          segments: Sequence[tuple[int, int]]) -> dict[int, int]:
        """Questions answered per local day number (follow-up answers not counted)."""
        a = AiAnswer
        inner = (
            select(_local_day(_epoch(session, a.submitted_at), segments).label("day"))
            .where(a.user_id == user_id, a.is_follow_up.is_(False), a.submitted_at >= start,
                   a.submitted_at < end)
        ).subquery()
        rows = await session.execute(select(inner.c.day, func.count()).group_by(inner.c.day))
        return {int(day): int(count) for day, count in rows}

    async def categories(self, session: AsyncSession, user_id: int) -> list[CategoryFigures]:
        """Per question category of the user's evaluations: answers, sessions,
        mean score, and the mean of the earlier and of the later half of its
        answers in time order (the middle one of an odd count in neither)."""
        r = AnalysisResult
        category = func.coalesce(Question.category, GENERAL)
        ranked = (
            select(
                category.label("category"), r.total_score.label("score"), r.session_id.label("session_id"),
                func.row_number().over(partition_by=category, order_by=(r.created_at, r.id)).label("rn"),
                func.count().over(partition_by=category).label("n"),
            ).outerjoin(Question, Question.id == r.question_id).where(r.user_id == user_id)
        ).subquery()
        c = ranked.c
        rows = await session.execute(
            select(c.category, func.count(), func.count(distinct(c.session_id)), func.avg(c.score),
                   func.avg(case((c.rn <= c.n // 2, c.score))),
                   func.avg(case((c.rn > c.n - c.n // 2, c.score))))
            .group_by(c.category).order_by(c.category)
        )
        return [CategoryFigures(str(cat), int(n), int(sessions), _mean(avg), _mean(early), _mean(late))
                for cat, n, sessions, avg, early, late in rows]

    async def rubric(self, session: AsyncSession, user_id: int) -> tuple[int, dict[str, tuple]]:
        """Per 004 rubric axis (0-25): (mean, earlier half's mean, later half's mean)."""
        r = AnalysisResult
        ranked = (
            select(*[r.rubric[axis].as_float().label(axis) for axis in AXES],
                   func.row_number().over(order_by=(r.created_at, r.id)).label("rn"),
                   func.count().over().label("n"))
            .where(r.user_id == user_id)
        ).subquery()
        c = ranked.c
        columns = []
        for axis in AXES:
            value = c[axis]
            columns += [func.avg(value), func.avg(case((c.rn <= c.n // 2, value))),
                        func.avg(case((c.rn > c.n - c.n // 2, value)))]
        row = (await session.execute(select(func.count(), *columns))).one()
        count = int(row[0])
        return count, {axis: tuple(_mean(v) for v in row[1 + 3 * i: 4 + 3 * i])
                       for i, axis in enumerate(AXES)}

    # -- the cohort --------------------------------------------------------------------
    @staticmethod
    def _per_user(category: str | None, job_type: str | None) -> Select:
        s = InterviewSession
        query = (select(s.user_id.label("user_id"), func.avg(s.overall_score).label("score"),
                        func.count().label("sessions"))
                 .where(s.status == COMPLETED, s.overall_score.is_not(None), s.user_id.is_not(None)))
        if category or job_type:
            query = (query.join(AiSessionDetails, AiSessionDetails.session_id == s.id)
                     .where(s.kind == SessionKind.AI.value))
            d = AiSessionDetails
            if category:
                query = query.where(func.lower(func.trim(d.category)) == category.strip().lower())
            if job_type:
                query = query.where(func.lower(func.trim(d.job_type)) == job_type.strip().lower())
        else:
            query = query.where(s.kind.in_(SCORED_KINDS))
        return query.group_by(s.user_id)

    async def cohort(self, session: AsyncSession, user_id: int, *, category: str | None,
                     job_type: str | None) -> Cohort:
        """Aggregates only: how many other users have scored sessions (their
        per-user mean), how many of them score below and level with the user,
        and their average. No other user's row leaves this method."""
        per_user = self._per_user(category, job_type).subquery()
        mine = (await session.execute(
            select(per_user.c.score, per_user.c.sessions).where(per_user.c.user_id == user_id))).first()
        your_score = _mean(mine[0]) if mine else None
        peers = select(per_user.c.score).where(per_user.c.user_id != user_id).subquery()
        below = equal = 0
        if your_score is not None:
            row = (await session.execute(select(
                func.count(), func.avg(peers.c.score),
                func.coalesce(func.sum(case((peers.c.score < your_score, 1), else_=0)), 0),
                func.coalesce(func.sum(case((peers.c.score == your_score, 1), else_=0)), 0),
            ))).one()
            below, equal = int(row[2]), int(row[3])
        else:
            row = (await session.execute(select(func.count(), func.avg(peers.c.score)))).one()
        return Cohort(peers=int(row[0]), your_score=your_score, your_sessions=int(mine[1]) if mine else 0,
                      below=below, equal=equal, average=_mean(row[1]))

    async def peer_quantile(self, session: AsyncSession, user_id: int, q: float, peers: int, *,
                            category: str | None, job_type: str | None) -> float | None:
        """The q-quantile of the peers' per-user means, interpolated between
        the two nearest ranks, read as two rows of the ordered aggregate."""
        if peers <= 0:
            return None
        per_user = self._per_user(category, job_type).subquery()
        position = (peers - 1) * q
        low = int(position)
        values = [float(v) for v in await session.scalars(
            select(per_user.c.score).where(per_user.c.user_id != user_id)
            .order_by(per_user.c.score).offset(low).limit(2))]
        if not values:
            return None
        high = values[1] if len(values) > 1 else values[0]
        return values[0] + (high - values[0]) * (position - low)

    # -- the export ----------------------------------------------------------------------
    async def stream_rows(self, session: AsyncSession, query: Select, *, batch: int = 500
                          ) -> AsyncIterator[list[tuple]]:
        """The query's rows as tuples, `batch` at a time."""
        result = await session.stream(query.execution_options(yield_per=batch))
        async for partition in result.partitions(batch):
            yield [tuple(row) for row in partition]

    async def stream(self, session: AsyncSession, query: Select, *, batch: int = 500
                     ) -> AsyncIterator[list[dict]]:
        """The query's rows as mappings, `batch` at a time."""
        result = await session.stream(query.execution_options(yield_per=batch))
        async for partition in result.mappings().partitions(batch):
            yield [dict(row) for row in partition]


analytics_repository = AnalyticsRepository()
