"""Read models of the administration pages: accounts with their session
counts, the session overview across every kind, platform figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, String, func, literal_column, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from interviewd.domain.admin.schemas import SessionFilter, UserFilter
from interviewd.models.ai import AiAnswer, AiSessionDetails, AnalysisResult
from interviewd.models.auth import RefreshToken
from interviewd.models.question import Question
from interviewd.models.session import InterviewSession
from interviewd.models.user import Role, User, UserStatus

USER_SORTS = {"created_at", "last_login_at", "email", "name"}


class utc_day(FunctionElement):
    """The UTC calendar day of a timestamp column as 'YYYY-MM-DD', the same on
    SQLite (naive UTC text) and PostgreSQL (timestamptz, whatever the
    connection's time zone)."""

    type = String()
    inherit_cache = True


@compiles(utc_day)
def _utc_day_default(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element, compiler, **kw):
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


def _session_count() -> ColumnElement[int]:
    return (
        select(func.count(InterviewSession.id))
        .where(InterviewSession.user_id == User.id)
        .correlate(User)
        .scalar_subquery()
    )


class AdminRepository:
    # -- accounts -------------------------------------------------------------
    async def users(
        self, session: AsyncSession, filters: UserFilter, *, limit: int, offset: int
    ) -> tuple[list[tuple[User, int]], int]:
        stmt = select(User)
        if filters.search:
            like = f"%{_escape_like(filters.search.lower())}%"
            stmt = stmt.where(or_(func.lower(User.email).like(like, escape="\\"),
                                  func.lower(User.name).like(like, escape="\\")))
        if filters.role:
            stmt = stmt.where(User.role == filters.role)
        if filters.status:
            stmt = stmt.where(User.status == filters.status)
        total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
        column = getattr(User, filters.sort if filters.sort in USER_SORTS else "created_at")
        order = column.desc() if filters.descending else column.asc()
        rows = await session.execute(
            stmt.add_columns(_session_count())
            .order_by(order.nulls_last(), User.id.desc() if filters.descending else User.id.asc())
            .limit(limit).offset(offset)
        )
        return [(user, int(count or 0)) for user, count in rows], int(total or 0)

    async def sessions_by_kind_of(self, session: AsyncSession, user_id: int) -> dict[str, int]:
        rows = await session.execute(
            select(InterviewSession.kind, func.count())
            .where(InterviewSession.user_id == user_id)
            .group_by(InterviewSession.kind)
        )
        return {kind: int(n) for kind, n in rows}

    async def lock_active_admins(self, session: AsyncSession) -> list[int]:
        """Ids of the active administrators, locked until the transaction ends
        (PostgreSQL), so that two admins demoting each other at the same moment
        cannot leave the platform with none. SQLite serialises writers anyway."""
        rows = await session.scalars(
            select(User.id)
            .where(User.role == Role.ADMIN.value, User.status == UserStatus.ACTIVE.value)
            .order_by(User.id)
            .with_for_update()
        )
        return list(rows)

    # -- sessions -------------------------------------------------------------
    def _sessions_query(self, filters: SessionFilter) -> Select:
        stmt = select(InterviewSession, User).outerjoin(User, User.id == InterviewSession.user_id)
        if filters.kind:
            stmt = stmt.where(InterviewSession.kind == filters.kind)
        if filters.status:
            stmt = stmt.where(InterviewSession.status == filters.status)
        if filters.user_uid:
            stmt = stmt.where(User.uid == filters.user_uid)
        if filters.since is not None:
            stmt = stmt.where(InterviewSession.created_at >= filters.since)
        if filters.until is not None:
            stmt = stmt.where(InterviewSession.created_at < filters.until)
        return stmt

    async def sessions(
        self, session: AsyncSession, filters: SessionFilter, *, limit: int, offset: int
    ) -> tuple[list[tuple[InterviewSession, User | None]], int, dict[str, int], dict[str, int]]:
        stmt = self._sessions_query(filters)
        filtered = stmt.with_only_columns(InterviewSession.kind, InterviewSession.status).subquery()
        counts = await session.execute(
            select(filtered.c.kind, filtered.c.status, func.count())
            .group_by(filtered.c.kind, filtered.c.status)
        )
        by_kind: dict[str, int] = {}
        by_status: dict[str, int] = {}
        for kind, status, n in counts:
            by_kind[kind] = by_kind.get(kind, 0) + int(n)
            by_status[status] = by_status.get(status, 0) + int(n)
        rows = await session.execute(
            stmt.order_by(InterviewSession.created_at.desc(), InterviewSession.id.desc())
            .limit(limit).offset(offset)
        )
        return [(s, u) for s, u in rows], sum(by_kind.values()), by_kind, by_status

    # -- platform figures -----------------------------------------------------
    async def count_by(self, session: AsyncSession, column) -> dict[str, int]:
        rows = await session.execute(select(column, func.count()).group_by(column))
        return {str(value): int(n) for value, n in rows}

    async def question_counts(self, session: AsyncSession) -> tuple[int, int]:
        row = (await session.execute(
            select(func.count(), func.count().filter(Question.is_active.is_(True))).select_from(Question)
        )).one()
        return int(row[0]), int(row[1] or 0)

    async def evaluation_count(self, session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(AnalysisResult)) or 0)

    async def daily_active_users(self, session: AsyncSession, *, since: datetime) -> dict[str, int]:
        """Distinct users per UTC day who signed in or refreshed a token,
        started a session, or answered a question."""
        activity = union_all(
            select(RefreshToken.user_id.label("user_id"), utc_day(RefreshToken.created_at).label("day"))
            .where(RefreshToken.created_at >= since),
            select(InterviewSession.user_id.label("user_id"),
                   utc_day(InterviewSession.created_at).label("day"))
            .where(InterviewSession.created_at >= since, InterviewSession.user_id.is_not(None)),
            select(AiAnswer.user_id.label("user_id"), utc_day(AiAnswer.submitted_at).label("day"))
            .where(AiAnswer.submitted_at >= since),
        ).subquery()
        rows = await session.execute(
            select(activity.c.day, func.count(func.distinct(activity.c.user_id))).group_by(activity.c.day)
        )
        return {str(day): int(n) for day, n in rows}

    async def per_day(self, session: AsyncSession, column, *, since: datetime) -> dict[str, int]:
        day = utc_day(column)
        rows = await session.execute(select(day, func.count()).where(column >= since).group_by(day))
        return {str(d): int(n) for d, n in rows}

    async def category_scores(
        self, session: AsyncSession, *, since: datetime
    ) -> list[tuple[str, float, int]]:
        """Average evaluation score (0-100) per question category. Answers
        evaluated outside the bank take their AI session's category."""
        category = func.coalesce(Question.category, AiSessionDetails.category,
                                 literal_column("'uncategorized'"))
        rows = await session.execute(
            select(category, func.avg(AnalysisResult.total_score), func.count(AnalysisResult.id))
            .select_from(AnalysisResult)
            .outerjoin(Question, Question.id == AnalysisResult.question_id)
            .outerjoin(AiSessionDetails, AiSessionDetails.session_id == AnalysisResult.session_id)
            .where(AnalysisResult.created_at >= since)
            .group_by(category)
            .order_by(category)
        )
        return [(str(c), float(avg or 0.0), int(n)) for c, avg, n in rows]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


admin_repository = AdminRepository()
