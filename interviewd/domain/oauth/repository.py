from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.kit.repository import Repository
from interviewd.models.identity import ExternalIdentity


class ExternalIdentityRepository(Repository[ExternalIdentity]):
    model = ExternalIdentity

    async def by_subject(self, session: AsyncSession, provider: str, subject: str) -> ExternalIdentity | None:
        return await session.scalar(
            select(ExternalIdentity).where(
                ExternalIdentity.provider == provider, ExternalIdentity.subject == subject
            )
        )


external_identity_repository = ExternalIdentityRepository()
