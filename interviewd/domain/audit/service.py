"""Recording and reading the audit log.

`record` adds the entry to the caller's session and flushes with it, so an
administrative write and its audit row commit (or roll back) together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.audit.repository import audit_repository
from interviewd.kit.principal import Principal
from interviewd.models.audit import AuditEntry


class AuditService:
    async def record(
        self,
        session: AsyncSession,
        principal: Principal | None,
        *,
        action: str,
        target_type: str,
        target_id: str | int | None,
        details: dict[str, Any] | None = None,
        ip_address: str | None = None,
    ) -> AuditEntry:
        """Write one audit entry in the caller's transaction.

        `action` is `<target>.<verb>` (user.disable, user.role, question.create...);
        `details` holds what changed, never secrets. A `None` principal records a
        system action (no actor).
        """
        user = principal.user if principal is not None else None
        entry = AuditEntry(
            actor_id=user.id if user is not None else None,
            actor_email=user.email if user is not None else None,
            action=action,
            target_type=target_type,
            target_id=str(target_id) if target_id is not None else None,
            details=dict(details or {}),
            ip_address=ip_address,
        )
        return await audit_repository.add(session, entry)

    async def search(
        self,
        session: AsyncSession,
        principal: Principal,
        *,
        action: str | None = None,
        actor_id: int | None = None,
        actor: str | None = None,
        target_type: str | None = None,
        target_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[AuditEntry], int, dict[int, str]]:
        """Admins read the log, newest first. Returns the page, the total and
        the actors' public ids (user uid by internal id) for the page."""
        principal.require_admin()
        entries, total = await audit_repository.search(
            session, action=action, actor_id=actor_id, actor=actor, target_type=target_type,
            target_id=target_id, since=since, until=until, limit=limit, offset=offset,
        )
        uids = await audit_repository.actor_uids(
            session, {e.actor_id for e in entries if e.actor_id is not None}
        )
        return entries, total, uids


audit_service = AuditService()
