"""The small shared base every repository builds on. All SQL lives in
repositories; services call them with the session the boundary opened."""

from __future__ import annotations

from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.models.base import Base

ModelT = TypeVar("ModelT", bound=Base)


class Repository(Generic[ModelT]):
    model: type[ModelT]

    async def get(self, session: AsyncSession, pk) -> ModelT | None:
        return await session.get(self.model, pk)

    async def add(self, session: AsyncSession, obj: ModelT) -> ModelT:
        session.add(obj)
        await session.flush()
        return obj

    async def page(
        self, session: AsyncSession, query: Select, *, limit: int, offset: int
    ) -> tuple[list[ModelT], int]:
        total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        rows = await session.scalars(query.limit(limit).offset(offset))
        return list(rows), int(total or 0)
