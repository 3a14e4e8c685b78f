"""JSON shapes of the /api contracts that more than one route returns."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from interviewd.domain.auth.service import TokenPair
from interviewd.kit.clock import isoformat_z
from interviewd.models.user import User


class CamelModel(BaseModel):
    """Accepts camelCase (what the contracts send) or snake_case."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


def token_body(pair: TokenPair) -> dict:
    return {
        "accessToken": pair.access_token,
        "refreshToken": pair.refresh_token,
        "expiresIn": pair.expires_in,
    }


def user_body(user: User) -> dict:
    """004's User model, with 001's and 003's names beside it."""
    profile = user.profile or {}
    return {
        "id": user.uid,
        "userId": user.uid,
        "email": user.email,
        "name": user.name,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "avatar": user.avatar_url,
        "role": user.role,
        "status": user.status,
        "provider": user.provider,
        "preferredLanguages": profile.get("preferredLanguages", []),
        "experienceLevel": profile.get("experienceLevel"),
        "profile": profile,
        "preferences": user.preferences or {},
        "subscription": {
            "type": "premium" if user.subscription_plan not in ("free", None) else "free",
            "plan": user.subscription_plan,
            "status": user.subscription_status,
            "expiresAt": isoformat_z(user.subscription_end_date),
        },
        "createdAt": isoformat_z(user.created_at),
        "updatedAt": isoformat_z(user.updated_at),
        "lastLoginAt": isoformat_z(user.last_login_at),
    }
