"""/api/admin/{users,sessions,analytics,audit-log} (004). Administrators only:
a signed-in non-admin gets 403 FORBIDDEN, no token 401."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.admin.schemas import AdminUser, Page, SessionFilter, SessionRow, UserChange, UserFilter
from interviewd.domain.admin.service import admin_service
from interviewd.domain.audit.service import audit_service
from interviewd.errors import ValidationFailed
from interviewd.kit.clock import isoformat_z
from interviewd.kit.principal import Principal
from interviewd.models.audit import AuditEntry
from interviewd.surfaces.candidate.shapes import CamelModel
from interviewd.web.deps import admin_principal, db_session
from interviewd.web.ratelimit import client_address

router = APIRouter(prefix="/admin", tags=["admin"])

RoleName = Literal["candidate", "mentor", "interviewer", "admin"]
StatusName = Literal["active", "pending", "disabled"]
SessionKind = Literal["booking", "ai", "practice", "oneway"]
_USER_SORTS = {"createdAt": "created_at", "lastLoginAt": "last_login_at", "email": "email", "name": "name"}


class UserPatch(CamelModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["active", "disabled"] | None = None
    role: RoleName | None = None


def _pagination(page: Page) -> dict:
    return {"page": page.page, "limit": page.limit, "total": page.total, "totalPages": page.total_pages,
            "hasMore": page.page * page.limit < page.total}


def _time_bound(value: str | None, field: str, *, end: bool = False) -> datetime | None:
    """A date (`2026-01-31`, the whole day; `to` includes it) or an ISO 8601
    date-time (UTC when it has no offset)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return moment + timedelta(days=1) if end else moment
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(f"{field} must be an ISO 8601 date or date-time", field=field,
                               details={"value": value}) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _range(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    start, stop = _time_bound(since, "from"), _time_bound(until, "to", end=True)
    if start is not None and stop is not None and start >= stop:
        raise ValidationFailed("`from` must be before `to`", field="from")
    return start, stop


def admin_user_body(item: AdminUser, *, full: bool = False) -> dict:
    user = item.user
    body = {
        "id": user.uid,
        "email": user.email,
        "name": user.name,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "avatar": user.avatar_url,
        "role": user.role,
        "status": user.status,
        "provider": user.provider,
        "createdAt": isoformat_z(user.created_at),
        "updatedAt": isoformat_z(user.updated_at),
        "lastLoginAt": isoformat_z(user.last_login_at),
        "sessionCount": item.session_count,
    }
    if full:
        body["sessionsByKind"] = item.sessions_by_kind
        body["subscription"] = {"plan": user.subscription_plan, "status": user.subscription_status,
                                "expiresAt": isoformat_z(user.subscription_end_date)}
    return body


def admin_session_body(row: SessionRow) -> dict:
    s, user = row.session, row.user
    return {
        "id": s.uid,
        "kind": s.kind,
        "status": s.status,
        "title": s.title,
        "user": None if user is None else {"id": user.uid, "email": user.email, "name": user.name},
        "userId": None if user is None else user.uid,
        "scheduledAt": isoformat_z(s.scheduled_at),
        "startedAt": isoformat_z(s.started_at),
        "completedAt": isoformat_z(s.completed_at),
        "createdAt": isoformat_z(s.created_at),
        "updatedAt": isoformat_z(s.updated_at),
        "overallScore": s.overall_score,
        "durationSeconds": s.duration_seconds,
    }


def audit_entry_body(entry: AuditEntry, actor_uids: dict[int, str]) -> dict:
    return {
        "id": entry.id,
        "action": entry.action,
        "actor": {"id": actor_uids.get(entry.actor_id) if entry.actor_id is not None else None,
                  "email": entry.actor_email},
        "targetType": entry.target_type,
        "targetId": entry.target_id,
        "details": entry.details or {},
        "ipAddress": entry.ip_address,
        "createdAt": isoformat_z(entry.created_at),
    }


@router.get("/users", summary="User management: search and list accounts")
async def list_users(
    search: str | None = Query(default=None, max_length=200, description="Substring of e-mail or name"),
    role: RoleName | None = None,
    status: StatusName | None = None,
    sort: Literal["createdAt", "lastLoginAt", "email", "name"] = "createdAt",
    order: Literal["asc", "desc"] = "desc",
    page: int = Query(default=1, ge=1, le=100000),
    limit: int = Query(default=20, ge=1, le=100),
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Accounts with their session count. `search` matches e-mail or name
    (case-insensitive substring); filters combine."""
    filters = UserFilter(search=(search or "").strip() or None, role=role, status=status,
                         sort=_USER_SORTS[sort], descending=order == "desc")
    result = await admin_service.list_users(session, principal, filters=filters, page=page, limit=limit)
    return {"success": True, "users": [admin_user_body(item) for item in result.items],
            "pagination": _pagination(result)}


@router.get("/users/{user_id}", summary="One account")
async def get_user(
    user_id: str,
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """The account with its sessions counted by kind and its subscription."""
    item = await admin_service.get_user(session, principal, user_uid=user_id)
    return {"success": True, "user": admin_user_body(item, full=True)}


@router.patch("/users/{user_id}", summary="Enable, disable or change the role of an account")
async def update_user(
    user_id: str,
    body: UserPatch,
    request: Request,
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """`status`: `active` or `disabled` (every token of a disabled account is
    refused at once and it cannot sign in); `role`: candidate, mentor,
    interviewer or admin. An administrator cannot disable or demote their
    own account (403); the last active administrator cannot be disabled or
    demoted (409). Each change is written to the audit log."""
    if body.status is None and body.role is None:
        raise ValidationFailed("Nothing to change: give status or role", field="body")
    item = await admin_service.update_user(
        session, principal, user_uid=user_id, change=UserChange(status=body.status, role=body.role),
        ip_address=client_address(request),
    )
    return {"success": True, "user": admin_user_body(item, full=True)}


@router.get("/sessions", summary="Session overview across every kind")
async def list_sessions(
    kind: SessionKind | None = None,
    status: str | None = Query(default=None, max_length=20),
    user_id: str | None = Query(default=None, alias="userId", max_length=64),
    since: str | None = Query(default=None, alias="from", max_length=40,
                              description="Created at or after (date or date-time)"),
    until: str | None = Query(default=None, alias="to", max_length=40,
                              description="Created before the end of this date, or before this date-time"),
    page: int = Query(default=1, ge=1, le=100000),
    limit: int = Query(default=20, ge=1, le=100),
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Newest first. `totals` counts everything the filters match, by status
    and by kind."""
    start, stop = _range(since, until)
    overview = await admin_service.list_sessions(
        session, principal, page=page, limit=limit,
        filters=SessionFilter(kind=kind, status=status or None, user_uid=user_id or None,
                              since=start, until=stop),
    )
    return {
        "success": True,
        "sessions": [admin_session_body(row) for row in overview.page.items],
        "pagination": _pagination(overview.page),
        "totals": {"total": overview.page.total, "byStatus": overview.by_status, "byKind": overview.by_kind},
    }


@router.get("/analytics", summary="Platform analytics")
async def platform_analytics(
    days: int = Query(default=30, ge=1, le=365, description="Window of the daily series, in days"),
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """All-time totals; daily active users, new users and sessions per UTC
    day over the last `days` days (today included); average evaluation
    score (0-100) by question category over the same window."""
    data = await admin_service.analytics(session, principal, days=days)
    return {
        "success": True,
        "window": {"days": data.days, "from": isoformat_z(data.since), "to": isoformat_z(data.until)},
        "totals": {
            "users": {"total": sum(data.users_by_role.values()), "byRole": data.users_by_role,
                      "byStatus": data.users_by_status},
            "sessions": {"total": sum(data.sessions_by_kind.values()), "byKind": data.sessions_by_kind,
                         "byStatus": data.sessions_by_status},
            "questions": {"total": data.questions_total, "active": data.questions_active},
            "evaluations": data.evaluations_total,
        },
        "daily": [{"date": d.day, "activeUsers": d.active_users, "newUsers": d.new_users,
                   "sessions": d.sessions} for d in data.daily],
        "averageScoresByCategory": [{"category": c.category, "averageScore": c.average_score,
                                     "count": c.evaluations} for c in data.category_scores],
    }


@router.get("/audit-log", summary="The audit log of administrative writes")
async def audit_log(
    action: str | None = Query(default=None, max_length=80,
                               description="An action (user.role) or its prefix (user)"),
    actor: str | None = Query(default=None, max_length=320, description="The actor's e-mail or user id"),
    target_type: str | None = Query(default=None, alias="targetType", max_length=40),
    target_id: str | None = Query(default=None, alias="targetId", max_length=64),
    since: str | None = Query(default=None, alias="from", max_length=40),
    until: str | None = Query(default=None, alias="to", max_length=40),
    page: int = Query(default=1, ge=1, le=100000),
    limit: int = Query(default=50, ge=1, le=200),
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Newest first. Each entry: who (`actor`), what (`action`), to which
    object (`targetType`, `targetId`), the change (`details`), from where
    (`ipAddress`) and when."""
    start, stop = _range(since, until)
    entries, total, uids = await audit_service.search(
        session, principal, action=action or None, actor=actor or None, target_type=target_type or None,
        target_id=target_id or None, since=start, until=stop, limit=limit, offset=(page - 1) * limit,
    )
    return {"success": True, "entries": [audit_entry_body(e, uids) for e in entries],
            "pagination": _pagination(Page(entries, total, page, limit))}
