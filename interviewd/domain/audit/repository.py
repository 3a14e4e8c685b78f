from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.kit.repository import Repository
from interviewd.models.audit import AuditEntry
from interviewd.models.user import User


class AuditRepository(Repository[AuditEntry]):
    model = AuditEntry

    async def search(
        self,
        session: AsyncSession,
        *,
        action: str | None = None,
        actor_id: int | None = None,
        actor: str | None = None,
        target_type: str | None = None,
        target_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int,
        offset: int,
    ) -> tuple[list[AuditEntry], int]:
        stmt = select(AuditEntry)
        if action:
            # "user" matches user.disable, user.role...; "user.role" matches only itself.
            prefix = action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            stmt = stmt.where(or_(AuditEntry.action == action,
                                  AuditEntry.action.like(f"{prefix}.%", escape="\\")))
        if actor_id is not None:
            stmt = stmt.where(AuditEntry.actor_id == actor_id)
        if actor:
            # An e-mail (as written at the time) or the actor's user id.
            stmt = stmt.where(or_(
                func.lower(AuditEntry.actor_email) == actor.lower(),
                AuditEntry.actor_id == select(User.id).where(User.uid == actor).scalar_subquery(),
            ))
        if target_type:
            stmt = stmt.where(AuditEntry.target_type == target_type)
        if target_id:
            stmt = stmt.where(AuditEntry.target_id == target_id)
        if since is not None:
            stmt = stmt.where(AuditEntry.created_at >= since)
        if until is not None:
            stmt = stmt.where(AuditEntry.created_at < until)
        stmt = stmt.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        return await self.page(session, stmt, limit=limit, offset=offset)

    async def actor_uids(self, session: AsyncSession, actor_ids: set[int]) -> dict[int, str]:
        if not actor_ids:
            return {}
        rows = await session.execute(select(User.id, User.uid).where(User.id.in_(actor_ids)))
        return {row.id: row.uid for row in rows}


audit_repository = AuditRepository()
