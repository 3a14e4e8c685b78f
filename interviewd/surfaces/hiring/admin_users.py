"""/api/v1/admin/users: account management for administrators (contract 002)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, EmailStr, Field
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.admin.service import admin_service
from interviewd.domain.audit.service import audit_service
from interviewd.domain.auth.service import auth_service
from interviewd.domain.users.schemas import UserAdminUpdate, UserCreate
from interviewd.domain.users.service import user_service
from interviewd.kit.principal import Principal
from interviewd.models.user import UserStatus
from interviewd.surfaces.hiring.shapes import page_body, user_body
from interviewd.web.deps import admin_principal, db_session
from interviewd.web.ratelimit import client_address

router = APIRouter(prefix="/users", tags=["admin"])

SORTABLE = Literal["created_at", "updated_at", "email", "username", "last_login_at"]


class AdminUserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=150)
    email: EmailStr
    password: str = Field(max_length=128)
    company: str | None = None
    role: Literal["interviewer", "admin", "candidate", "mentor"] = "interviewer"
    is_active: bool = True
    subscription_status: str | None = None
    subscription_plan: str | None = None


class AdminUserUpdate(BaseModel):
    email: EmailStr | None = None
    company: str | None = Field(default=None, max_length=255)
    is_active: bool | None = None
    role: Literal["interviewer", "admin", "candidate", "mentor"] | None = None
    subscription_status: str | None = Field(default=None, max_length=40)
    subscription_plan: str | None = Field(default=None, max_length=40)
    subscription_end_date: datetime | None = None


async def _list(session, principal, *, status, limit, offset, sort, order, **filters) -> dict:
    users, total = await user_service.search(
        session, principal, status=status, sort=sort, descending=order == "desc",
        limit=limit, offset=offset, **filters,
    )
    return page_body([user_body(u) for u in users], total=total, limit=limit, offset=offset)


@router.get("", summary="List accounts")
async def list_users(
    subscription_status: str | None = None,
    is_active: bool | None = None,
    role: str | None = None,
    search: str | None = Query(default=None, max_length=200),
    sort: SORTABLE = "created_at",
    order: Literal["asc", "desc"] = "desc",
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0),
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    # "Not active" covers both pending and disabled accounts.
    status = None if is_active is None else (UserStatus.ACTIVE.value if is_active else "!active")
    return await _list(
        session, principal, status=status, limit=limit, offset=offset, sort=sort, order=order,
        subscription_status=subscription_status, role=role, query=search,
    )


@router.get("/pending", summary="Accounts waiting for activation")
async def pending_users(
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0),
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    return await _list(session, principal, status=UserStatus.PENDING.value, limit=limit,
                       offset=offset, sort="created_at", order="asc")


@router.post("", status_code=201, summary="Create an account")
async def create_user(
    body: AdminUserCreate,
    request: Request,
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    user = await user_service.create(
        session,
        data=UserCreate(
            email=body.email, password=body.password, username=body.username, name=body.username,
            company=body.company, role=body.role,
            status=UserStatus.ACTIVE.value if body.is_active else UserStatus.PENDING.value,
        ),
    )
    if body.subscription_status or body.subscription_plan:
        user = await user_service.admin_update(
            session, principal, user_id=user.id,
            data=UserAdminUpdate(subscription_status=body.subscription_status,
                                 subscription_plan=body.subscription_plan),
        )
    await audit_service.record(session, principal, action="user.create", target_type="user",
                               target_id=user.uid, ip_address=client_address(request),
                               details={"email": user.email, "role": user.role, "status": user.status})
    return user_body(user)


@router.get("/{user_id}", summary="One account")
async def get_user(
    user_id: int,
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    return user_body(await user_service.get(session, principal, user_id=user_id))


@router.put("/{user_id}", summary="Update an account (activate with is_active)")
async def update_user(
    user_id: int,
    body: AdminUserUpdate,
    request: Request,
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """`is_active: true` activates a pending account; `false` disables it and
    refuses its tokens at once."""
    status = None
    if body.is_active is not None:
        status = UserStatus.ACTIVE.value if body.is_active else UserStatus.DISABLED.value
    target = await user_service.get(session, principal, user_id=user_id)
    before = {field: getattr(target, field) for field in _AUDITED}
    await admin_service.check_account_change(session, principal, target, role=body.role, status=status)
    user = await user_service.admin_update(
        session, principal, user_id=user_id,
        data=UserAdminUpdate(
            email=body.email, company=body.company, status=status, role=body.role,
            subscription_status=body.subscription_status,
            subscription_plan=body.subscription_plan,
            subscription_end_date=body.subscription_end_date,
        ),
    )
    if status == UserStatus.DISABLED.value:
        await auth_service.revoke_all(session, user)
    changes = {field: {"from": _plain(before[field]), "to": _plain(getattr(user, field))}
               for field in _AUDITED if getattr(user, field) != before[field]}
    if changes:
        await audit_service.record(session, principal, action="user.update", target_type="user",
                                   target_id=user.uid, ip_address=client_address(request),
                                   details={"email": user.email, "changes": changes})
    return user_body(user)


_AUDITED = ("email", "company", "status", "role", "subscription_status", "subscription_plan",
            "subscription_end_date")


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value

