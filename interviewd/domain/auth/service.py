"""Sign-in, token rotation and revocation, password reset.

Access tokens are short-lived JWTs checked on every request against the
user's status and token version and against the jti denylist (cache port).
Refresh tokens are JWTs too, stored hashed, single use: each refresh rotates
the token within its family, and replaying a used one revokes the family.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.auth.repository import auth_repository
from interviewd.domain.notifications.service import notification_service
from interviewd.domain.users.repository import user_repository
from interviewd.domain.users.schemas import UserCreate
from interviewd.domain.users.service import check_password, user_service
from interviewd.errors import Forbidden, Unauthorized, ValidationFailed
from interviewd.kit import tokens
from interviewd.kit.clock import as_utc, utcnow
from interviewd.kit.ids import new_token, new_uid, sha256_hex
from interviewd.kit.passwords import hash_password, needs_rehash, verify_password
from interviewd.kit.principal import Principal
from interviewd.models.auth import PasswordResetToken, RefreshToken
from interviewd.models.user import User, UserStatus

DENYLIST_PREFIX = "denied-jti:"
DENIED_FAMILY_PREFIX = "denied-family:"


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


class AuthService:
    # -- issuing ---------------------------------------------------------
    async def issue_tokens(
        self, session: AsyncSession, user: User, *, family: str | None = None
    ) -> TokenPair:
        settings = runtime.current().settings
        family = family or new_uid()
        access = tokens.issue(
            settings.secret_key, sub=user.uid, typ="access", ttl=settings.access_token_ttl,
            claims={"role": user.role, "fam": family, "ver": user.token_version},
        )
        refresh = tokens.issue(
            settings.secret_key, sub=user.uid, typ="refresh", ttl=settings.refresh_token_ttl,
            claims={"fam": family},
        )
        await auth_repository.add(
            session,
            RefreshToken(
                user_id=user.id, family=family, token_hash=sha256_hex(refresh.token),
                expires_at=utcnow() + timedelta(seconds=settings.refresh_token_ttl),
            ),
        )
        return TokenPair(access.token, refresh.token, access.expires_in)

    # -- registration and sign-in ----------------------------------------
    async def register(self, session: AsyncSession, *, data: UserCreate) -> tuple[User, TokenPair | None]:
        """Create an account and send the welcome mail. Active accounts are
        signed in at once; pending ones wait for an administrator."""
        user = await user_service.create(session, data=data)
        await notification_service.send_email(
            session, to=user.email, template="welcome",
            context={"name": user.name or user.username or user.email, "email": user.email,
                     "pending": user.status == UserStatus.PENDING.value},
        )
        if not user.is_active:
            return user, None
        user.last_login_at = utcnow()
        return user, await self.issue_tokens(session, user)

    async def login(
        self, session: AsyncSession, *, login: str, password: str, admin_only: bool = False
    ) -> tuple[User, TokenPair]:
        """Check a password sign-in by e-mail (or username)."""
        user = await user_repository.by_login(session, login)
        if user is None or not await verify_password(user.password_hash, password):
            raise Unauthorized("Invalid email or password")
        if user.status == UserStatus.PENDING.value:
            raise Forbidden("Account is pending activation by an administrator")
        if user.status == UserStatus.DISABLED.value:
            raise Forbidden("Account is disabled")
        if admin_only and not user.is_admin:
            raise Forbidden("Administrator access required")
        if needs_rehash(user.password_hash):
            user.password_hash = await hash_password(password)
        user.last_login_at = utcnow()
        return user, await self.issue_tokens(session, user)

    # -- using tokens -------------------------------------------------------
    async def authenticate(self, session: AsyncSession, access_token: str) -> Principal:
        """The principal behind an access token, or Unauthorized."""
        rt = runtime.current()
        try:
            claims = tokens.decode(rt.settings.secret_key, access_token, typ="access")
        except tokens.TokenInvalid:
            raise Unauthorized("Invalid or expired token") from None
        if await rt.cache.get(DENYLIST_PREFIX + claims["jti"]) or (
            claims.get("fam") and await rt.cache.get(DENIED_FAMILY_PREFIX + claims["fam"])
        ):
            raise Unauthorized("Token has been revoked")
        user = await user_repository.by_uid(session, claims["sub"])
        if user is None or not user.is_active or claims.get("ver") != user.token_version:
            raise Unauthorized("Token is no longer valid")
        return Principal(user=user, jti=claims["jti"], family=claims.get("fam"),
                         expires_at=_exp(claims))

    async def refresh(self, session: AsyncSession, *, refresh_token: str) -> tuple[User, TokenPair]:
        """Rotate a refresh token. A token presented twice revokes its family:
        one of the two presenters is not who they claim to be."""
        settings = runtime.current().settings
        try:
            tokens.decode(settings.secret_key, refresh_token, typ="refresh")
        except tokens.TokenInvalid:
            raise Unauthorized("Invalid or expired refresh token") from None
        stored = await auth_repository.refresh_by_hash(session, sha256_hex(refresh_token))
        if stored is None or stored.revoked_at is not None:
            raise Unauthorized("Refresh token has been revoked")
        now = utcnow()
        if stored.used_at is not None or not await auth_repository.mark_refresh_used(session, stored.id, now):
            await self._revoke_family(session, stored.family)
            # persist=True: the revocation must survive the 401 that follows.
            raise Unauthorized("Refresh token reuse detected; please sign in again", persist=True)
        if await auth_repository.family_revoked(session, stored.family) or as_utc(stored.expires_at) <= now:
            raise Unauthorized("Refresh token has been revoked")
        user = await user_repository.get(session, stored.user_id)
        if user is None or not user.is_active:
            raise Unauthorized("Account is not active")
        return user, await self.issue_tokens(session, user, family=stored.family)

    async def rotate_access(self, session: AsyncSession, principal: Principal) -> TokenPair:
        """New tokens for a still-valid access token (002's refresh); the old
        access token is refused from now on."""
        await self._deny(principal)
        if principal.family:
            await self._revoke_family(session, principal.family)
        return await self.issue_tokens(session, principal.user)

    async def logout(self, session: AsyncSession, principal: Principal) -> None:
        """Refuse this access token and its refresh family from now on."""
        await self._deny(principal)
        if principal.family:
            await self._revoke_family(session, principal.family)

    async def _revoke_family(self, session: AsyncSession, family: str) -> None:
        """Refuse the family's refresh tokens (database) and every access token
        issued with it (cache, for as long as such a token can live)."""
        await auth_repository.revoke_family(session, family, utcnow())
        settings = runtime.current().settings
        await runtime.current().cache.set(DENIED_FAMILY_PREFIX + family, "1",
                                          ttl=settings.access_token_ttl + 1)

    async def _deny(self, principal: Principal) -> None:
        if principal.jti and principal.expires_at:
            ttl = int((principal.expires_at - utcnow()).total_seconds()) + 1
            if ttl > 0:
                await runtime.current().cache.set(DENYLIST_PREFIX + principal.jti, "1", ttl=ttl)

    async def revoke_all(self, session: AsyncSession, user: User) -> None:
        """Every token of `user` stops working: access tokens by version, refresh
        tokens by revocation, and reset links still in someone's mailbox."""
        user.token_version += 1
        now = utcnow()
        await auth_repository.revoke_user(session, user.id, now)
        await auth_repository.void_resets(session, user.id, now)
        await session.flush()

    # -- passwords -----------------------------------------------------------
    async def change_password(
        self, session: AsyncSession, principal: Principal, *, current_password: str, new_password: str
    ) -> TokenPair:
        """Change the caller's password; other sessions are signed out and the
        caller gets fresh tokens."""
        user = principal.user
        if not await verify_password(user.password_hash, current_password):
            raise ValidationFailed("Current password is incorrect", field="current_password")
        check_password(new_password, email=user.email, field="new_password")
        user.password_hash = await hash_password(new_password)
        await self._deny(principal)
        await self.revoke_all(session, user)
        return await self.issue_tokens(session, user)

    async def forgot_password(self, session: AsyncSession, *, email: str) -> None:
        """E-mail a single-use reset link if the account exists. The caller
        answers the same either way, so this reveals nothing."""
        user = await user_repository.by_email(session, email)
        if user is None or user.status == UserStatus.DISABLED.value:
            return
        settings = runtime.current().settings
        raw = new_token()
        await auth_repository.add(
            session,
            PasswordResetToken(
                user_id=user.id, token_hash=sha256_hex(raw),
                expires_at=utcnow() + timedelta(seconds=settings.password_reset_ttl),
            ),
        )
        reset_url = f"{settings.public_base_url.rstrip('/')}/reset-password?{urlencode({'token': raw})}"
        await notification_service.send_email(
            session, to=user.email, template="password_reset",
            context={"name": user.name or user.email, "email": user.email, "reset_url": reset_url,
                     "valid_minutes": settings.password_reset_ttl // 60},
        )

    async def reset_password(self, session: AsyncSession, *, token: str, new_password: str) -> User:
        """Set a new password from a reset link and revoke every token."""
        stored = await auth_repository.reset_by_hash(session, sha256_hex(token))
        now = utcnow()
        if stored is None or stored.used_at is not None or as_utc(stored.expires_at) <= now:
            raise ValidationFailed("Reset link is invalid or has expired", field="token")
        user = await user_repository.get(session, stored.user_id)
        check_password(new_password, email=user.email)
        if not await auth_repository.consume_reset(session, stored.id, now):
            raise ValidationFailed("Reset link is invalid or has expired", field="token")
        user.password_hash = await hash_password(new_password)
        await self.revoke_all(session, user)
        return user


def _exp(claims: dict) -> datetime:
    return datetime.fromtimestamp(claims["exp"], UTC)


auth_service = AuthService()
