from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.models.auth import PasswordResetToken, RefreshToken


class AuthRepository:
    async def add(self, session: AsyncSession, obj) -> None:
        session.add(obj)
        await session.flush()

    async def refresh_by_hash(self, session: AsyncSession, token_hash: str) -> RefreshToken | None:
        return await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash))

    async def mark_refresh_used(self, session: AsyncSession, token_id: int, now: datetime) -> bool:
        """Atomically mark a refresh token used; False if someone else did first."""
        result = await session.execute(
            update(RefreshToken)
            .where(RefreshToken.id == token_id, RefreshToken.used_at.is_(None))
            .values(used_at=now)
        )
        return result.rowcount == 1

    async def family_revoked(self, session: AsyncSession, family: str) -> bool:
        revoked = await session.scalar(
            select(RefreshToken.id)
            .where(RefreshToken.family == family, RefreshToken.revoked_at.is_not(None))
            .limit(1)
        )
        return revoked is not None

    async def revoke_family(self, session: AsyncSession, family: str, now: datetime) -> None:
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.family == family, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def revoke_user(self, session: AsyncSession, user_id: int, now: datetime) -> None:
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def reset_by_hash(self, session: AsyncSession, token_hash: str) -> PasswordResetToken | None:
        return await session.scalar(
            select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash)
        )

    async def void_resets(self, session: AsyncSession, user_id: int, now: datetime) -> None:
        await session.execute(
            update(PasswordResetToken)
            .where(PasswordResetToken.user_id == user_id, PasswordResetToken.used_at.is_(None))
            .values(used_at=now)
        )

    async def consume_reset(self, session: AsyncSession, token_id: int, now: datetime) -> bool:
        result = await session.execute(
            update(PasswordResetToken)
            .where(PasswordResetToken.id == token_id, PasswordResetToken.used_at.is_(None))
            .values(used_at=now)
        )
        return result.rowcount == 1


auth_repository = AuthRepository()
