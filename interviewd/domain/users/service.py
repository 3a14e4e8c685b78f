from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.users.repository import user_repository
from interviewd.domain.users.schemas import UserAdminUpdate, UserCreate, UserUpdate
from interviewd.errors import Conflict, NotFound, ValidationFailed
from interviewd.kit.passwords import hash_password, password_problem
from interviewd.kit.principal import Principal
from interviewd.models.user import Role, User, UserStatus

ROLES = {r.value for r in Role}
STATUSES = {s.value for s in UserStatus}


def check_password(password: str | None, *, email: str | None, field: str = "password") -> str:
    if not password:
        raise ValidationFailed("Password is required", field=field)
    problem = password_problem(password, email=email)
    if problem:
        raise ValidationFailed(f"Password {problem}", field=field)
    return password


class UserService:
    async def create(self, session: AsyncSession, *, data: UserCreate) -> User:
        """Create an account; the e-mail (and username, if any) must be free."""
        email = data.email.lower()
        if data.password is not None or data.provider == "email":
            check_password(data.password, email=email)
        if data.role not in ROLES:
            raise ValidationFailed(f"Unknown role {data.role!r}", field="role")
        if await user_repository.by_email(session, email):
            raise Conflict("An account with this e-mail already exists", field="email")
        if data.username and await user_repository.by_username(session, data.username):
            raise Conflict("This username is taken", field="username")
        name = data.name or " ".join(p for p in (data.first_name, data.last_name) if p) or ""
        user = User(
            email=email,
            username=data.username,
            password_hash=await hash_password(data.password) if data.password else None,
            name=name.strip(),
            first_name=data.first_name,
            last_name=data.last_name,
            company=data.company,
            role=data.role,
            status=data.status,
            provider=data.provider,
            profile=dict(data.profile),
            preferences=dict(data.preferences),
        )
        try:
            async with session.begin_nested():
                await user_repository.add(session, user)
        except IntegrityError:
            # Two registrations raced past the checks above; the index decided.
            raise Conflict("An account with this e-mail already exists", field="email") from None
        return user

    async def find_by_uid(self, session: AsyncSession, *, uid: str) -> User | None:
        """The account with this /api id, or None; no permission check (the
        calling service decides what the caller may see of it)."""
        return await user_repository.by_uid(session, uid)

    async def get(self, session: AsyncSession, principal: Principal, *, user_id: int) -> User:
        principal.require_self_or_admin(user_id)
        user = await user_repository.get(session, user_id)
        if user is None:
            raise NotFound("User not found")
        return user

    async def update_self(self, session: AsyncSession, principal: Principal, *, data: UserUpdate) -> User:
        """Change the caller's own profile fields; dict fields are merged."""
        user = principal.user
        self._apply(user, data)
        await session.flush()
        return user

    async def admin_update(
        self, session: AsyncSession, principal: Principal, *, user_id: int, data: UserAdminUpdate
    ) -> User:
        principal.require_admin()
        user = await user_repository.get(session, user_id)
        if user is None:
            raise NotFound("User not found")
        if data.role is not None and data.role not in ROLES:
            raise ValidationFailed(f"Unknown role {data.role!r}", field="role")
        if data.status is not None and data.status not in STATUSES:
            raise ValidationFailed(f"Unknown status {data.status!r}", field="status")
        if data.email is not None and data.email.lower() != user.email:
            if await user_repository.by_email(session, data.email):
                raise Conflict("An account with this e-mail already exists", field="email")
            user.email = data.email.lower()
        self._apply(user, data)
        for field in ("role", "status", "subscription_status", "subscription_plan",
                      "subscription_end_date"):
            value = getattr(data, field)
            if value is not None:
                setattr(user, field, value)
        await session.flush()
        return user

    async def search(self, session: AsyncSession, principal: Principal, **filters) -> tuple[list[User], int]:
        principal.require_admin()
        return await user_repository.search(session, **filters)

    @staticmethod
    def _apply(user: User, data: UserUpdate) -> None:
        for field in ("name", "first_name", "last_name", "company", "avatar_url"):
            value = getattr(data, field)
            if value is not None:
                setattr(user, field, value)
        if data.profile is not None:
            user.profile = {**(user.profile or {}), **data.profile}
        if data.preferences is not None:
            user.preferences = {**(user.preferences or {}), **data.preferences}


user_service = UserService()
