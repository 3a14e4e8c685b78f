"""Platform administration (004): accounts, the session overview and
platform figures. Every method requires an administrator; every write is
recorded in the audit log in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.admin.repository import admin_repository
from interviewd.domain.admin.schemas import (
    AdminUser,
    CategoryScore,
    DayFigures,
    Page,
    PlatformAnalytics,
    SessionFilter,
    SessionOverview,
    SessionRow,
    UserChange,
    UserFilter,
)
from interviewd.domain.audit.service import audit_service
from interviewd.domain.auth.service import auth_service
from interviewd.domain.users.schemas import UserAdminUpdate
from interviewd.domain.users.service import user_service
from interviewd.errors import Conflict, Forbidden, NotFound, ValidationFailed
from interviewd.kit.clock import utcnow
from interviewd.kit.principal import Principal
from interviewd.models.session import InterviewSession
from interviewd.models.user import Role, User, UserStatus

ROLES = tuple(r.value for r in Role)
# What an administrator may set; `pending` is reached only through sign-up flows.
SETTABLE_STATUSES = (UserStatus.ACTIVE.value, UserStatus.DISABLED.value)
MAX_ANALYTICS_DAYS = 365


class AdminService:
    # -- accounts -------------------------------------------------------------
    async def list_users(
        self, session: AsyncSession, principal: Principal, *, filters: UserFilter, page: int, limit: int
    ) -> Page[AdminUser]:
        """Accounts matching the filters, with how many sessions each has."""
        principal.require_admin()
        rows, total = await admin_repository.users(session, filters, limit=limit,
                                                   offset=(page - 1) * limit)
        return Page([AdminUser(user, count) for user, count in rows], total, page, limit)

    async def get_user(self, session: AsyncSession, principal: Principal, *, user_uid: str) -> AdminUser:
        principal.require_admin()
        user = await user_service.find_by_uid(session, uid=user_uid)
        if user is None:
            raise NotFound("User not found")
        return await self._view(session, user)

    async def update_user(
        self, session: AsyncSession, principal: Principal, *, user_uid: str, change: UserChange,
        ip_address: str | None = None,
    ) -> AdminUser:
        """Enable, disable or change the role of an account.

        Disabling refuses every token of the account at once (its token
        version moves on, its refresh tokens are revoked). An administrator
        cannot disable or demote their own account, and the last active
        administrator cannot be disabled or demoted (409)."""
        principal.require_admin()
        if change.role is not None and change.role not in ROLES:
            raise ValidationFailed(f"Unknown role {change.role!r}", field="role",
                                   details={"value": change.role})
        if change.status is not None and change.status not in SETTABLE_STATUSES:
            raise ValidationFailed(f"Status must be one of {', '.join(SETTABLE_STATUSES)}", field="status",
                                   details={"value": change.status})
        user = await user_service.find_by_uid(session, uid=user_uid)
        if user is None:
            raise NotFound("User not found")
        old_role, old_status = user.role, user.status
        role = change.role if change.role not in (None, old_role) else None
        status = change.status if change.status not in (None, old_status) else None
        if role is None and status is None:
            return await self._view(session, user)
        await self.check_account_change(session, principal, user, role=role, status=status)

        await user_service.admin_update(session, principal, user_id=user.id,
                                        data=UserAdminUpdate(role=role, status=status))
        if status == UserStatus.DISABLED.value:
            await auth_service.revoke_all(session, user)
        if status is not None:
            await audit_service.record(
                session, principal,
                action="user.disable" if status == UserStatus.DISABLED.value else "user.enable",
                target_type="user", target_id=user.uid, ip_address=ip_address,
                details={"email": user.email, "from": old_status, "to": status},
            )
        if role is not None:
            await audit_service.record(
                session, principal, action="user.role", target_type="user", target_id=user.uid,
                ip_address=ip_address, details={"email": user.email, "from": old_role, "to": role},
            )
        return await self._view(session, user)

    async def check_account_change(
        self, session: AsyncSession, principal: Principal, user: User, *, role: str | None = None,
        status: str | None = None,
    ) -> None:
        """Refuse an administrator locking themselves out, and any change that
        would leave no active administrator. Both admin surfaces call it."""
        principal.require_admin()
        loses_admin = user.is_admin and user.is_active and (
            (role is not None and role != Role.ADMIN.value)
            or (status is not None and status != UserStatus.ACTIVE.value)
        )
        if not loses_admin:
            return
        if user.id == principal.user_id:
            raise Forbidden("You cannot disable or demote your own account",
                            field="status" if status is not None else "role")
        admins = await admin_repository.lock_active_admins(session)
        if not [admin_id for admin_id in admins if admin_id != user.id]:
            raise Conflict("This is the last active administrator", field="role" if role else "status")

    async def _view(self, session: AsyncSession, user: User) -> AdminUser:
        by_kind = await admin_repository.sessions_by_kind_of(session, user.id)
        return AdminUser(user, sum(by_kind.values()), by_kind)

    # -- sessions -------------------------------------------------------------
    async def list_sessions(
        self, session: AsyncSession, principal: Principal, *, filters: SessionFilter, page: int, limit: int
    ) -> SessionOverview:
        """Sessions of every kind, newest first, with totals by status and by
        kind over everything the filters match (not only the page)."""
        principal.require_admin()
        if filters.since and filters.until and filters.since >= filters.until:
            raise ValidationFailed("`from` must be before `to`", field="from")
        rows, total, by_kind, by_status = await admin_repository.sessions(
            session, filters, limit=limit, offset=(page - 1) * limit)
        return SessionOverview(Page([SessionRow(s, u) for s, u in rows], total, page, limit),
                               by_status=by_status, by_kind=by_kind)

    # -- platform figures -----------------------------------------------------
    async def analytics(self, session: AsyncSession, principal: Principal, *, days: int = 30
                        ) -> PlatformAnalytics:
        """All-time totals, plus a day-by-day series (UTC days, today
        included) and average scores by question category over the last
        `days` days."""
        principal.require_admin()
        if not 1 <= days <= MAX_ANALYTICS_DAYS:
            raise ValidationFailed(f"days must be between 1 and {MAX_ANALYTICS_DAYS}", field="days",
                                   details={"value": days})
        now = utcnow()
        first_day = now.astimezone(UTC).date() - timedelta(days=days - 1)
        since = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
        active = await admin_repository.daily_active_users(session, since=since)
        sessions = await admin_repository.per_day(session, InterviewSession.created_at, since=since)
        signups = await admin_repository.per_day(session, User.created_at, since=since)
        daily = []
        for offset in range(days):
            day = (first_day + timedelta(days=offset)).isoformat()
            daily.append(DayFigures(day, active.get(day, 0), sessions.get(day, 0), signups.get(day, 0)))
        questions_total, questions_active = await admin_repository.question_counts(session)
        return PlatformAnalytics(
            since=since, until=now, days=days,
            users_by_role={role: 0 for role in ROLES} | await admin_repository.count_by(session, User.role),
            users_by_status={s.value: 0 for s in UserStatus}
            | await admin_repository.count_by(session, User.status),
            sessions_by_kind=await admin_repository.count_by(session, InterviewSession.kind),
            sessions_by_status=await admin_repository.count_by(session, InterviewSession.status),
            questions_total=questions_total, questions_active=questions_active,
            evaluations_total=await admin_repository.evaluation_count(session),
            daily=daily,
            category_scores=[CategoryScore(c, round(avg, 2), n)
                             for c, avg, n in await admin_repository.category_scores(session, since=since)],
        )


admin_service = AdminService()
