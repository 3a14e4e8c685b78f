"""Whose practice data a request is about."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.users.service import user_service
from interviewd.errors import Forbidden, NotFound
from interviewd.kit.principal import Principal
from interviewd.models.user import User


async def target_user(session: AsyncSession, principal: Principal, user_uid: str | None, *,
                      field: str) -> User:
    """The caller, or the user `user_uid` names: another user only for an admin."""
    if not user_uid or user_uid == principal.user.uid:
        return principal.user
    if not principal.is_admin:
        raise Forbidden("You may not access another user's practice data", field=field)
    user = await user_service.find_by_uid(session, uid=user_uid)
    if user is None:
        raise NotFound("User not found", field=field)
    return user
