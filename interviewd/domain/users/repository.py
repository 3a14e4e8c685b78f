from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.kit.repository import Repository
from interviewd.models.user import User


class UserRepository(Repository[User]):
    model = User

    async def by_uid(self, session: AsyncSession, uid: str) -> User | None:
        return await session.scalar(select(User).where(User.uid == uid))

    async def by_email(self, session: AsyncSession, email: str) -> User | None:
        return await session.scalar(select(User).where(User.email == email.lower()))

    async def by_username(self, session: AsyncSession, username: str) -> User | None:
        return await session.scalar(
            select(User).where(func.lower(User.username) == username.lower())
        )

    async def by_login(self, session: AsyncSession, login: str) -> User | None:
        login = login.strip().lower()
        return await session.scalar(
            select(User).where(or_(User.email == login, func.lower(User.username) == login))
        )

    async def search(
        self,
        session: AsyncSession,
        *,
        status: str | None = None,
        role: str | None = None,
        subscription_status: str | None = None,
        query: str | None = None,
        sort: str = "created_at",
        descending: bool = True,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[User], int]:
        stmt = select(User)
        if status == "!active":
            stmt = stmt.where(User.status != "active")
        elif status:
            stmt = stmt.where(User.status == status)
        if role:
            stmt = stmt.where(User.role == role)
        if subscription_status:
            stmt = stmt.where(User.subscription_status == subscription_status)
        if query:
            like = f"%{query.lower()}%"
            stmt = stmt.where(
                or_(func.lower(User.email).like(like), func.lower(User.name).like(like),
                    func.lower(User.username).like(like), func.lower(User.company).like(like))
            )
        column = getattr(User, sort, User.created_at)
        stmt = stmt.order_by(column.desc() if descending else column.asc(), User.id)
        return await self.page(session, stmt, limit=limit, offset=offset)


user_repository = UserRepository()
