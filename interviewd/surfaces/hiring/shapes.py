from __future__ import annotations

from interviewd.domain.auth.service import TokenPair
from interviewd.kit.clock import isoformat_z
from interviewd.models.user import User


def user_body(user: User) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "company": user.company,
        "role": user.role,
        "is_active": user.is_active,
        "status": user.status,
        "subscription_status": user.subscription_status,
        "subscription_plan": user.subscription_plan,
        "subscription_end_date": isoformat_z(user.subscription_end_date),
        "created_at": isoformat_z(user.created_at),
        "updated_at": isoformat_z(user.updated_at),
        "last_login_at": isoformat_z(user.last_login_at),
    }


def login_body(user: User, pair: TokenPair) -> dict:
    return {
        "access_token": pair.access_token,
        "token_type": "bearer",
        "expires_in": pair.expires_in,
        "refresh_token": pair.refresh_token,
        "user": {
            "id": user.id,
            "username": user.username,
            "email": user.email,
            "company": user.company,
            "subscription_status": user.subscription_status,
            "subscription_plan": user.subscription_plan,
        },
    }


def page_body(items: list, *, total: int, limit: int, offset: int) -> dict:
    return {
        "items": items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "has_next": offset + len(items) < total,
        "has_prev": offset > 0,
    }
