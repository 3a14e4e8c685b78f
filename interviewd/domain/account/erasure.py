"""Erasing an account (GDPR article 17): the user row and everything that
cascades from it, the files in storage, the mentor profile, and the outbox
rows that would still mail the person.

What stays, without the person: a review they wrote (and the booking it
rates) loses its author and the booking its candidate details, so that the
mentor's rating stays true; a mentor profile is deactivated and emptied, so
that other candidates' past bookings with that mentor still read. See
docs/account.md for the full list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.account.avatar import owned_key
from interviewd.domain.account.files import queue_deletion
from interviewd.domain.account.repository import account_repository
from interviewd.domain.auth import external
from interviewd.domain.auth.service import auth_service
from interviewd.domain.notifications.booking import queue_cancellation
from interviewd.domain.users.service import user_service
from interviewd.errors import Forbidden, Unauthorized, ValidationFailed
from interviewd.kit import tokens
from interviewd.kit.clock import as_utc, utcnow
from interviewd.kit.passwords import verify_password
from interviewd.kit.principal import Principal
from interviewd.models.mentor import Mentor

log = structlog.get_logger(__name__)

# Bookings that have not taken place yet; a retiring mentor's are cancelled.
LIVE_BOOKING_STATUSES = ("pending", "confirmed", "scheduled")
MENTOR_GONE_REASON = "The mentor's account was deleted"
REAUTH_REASON = "reauthentication_required"


@dataclass(frozen=True)
class ErasureCaller:
    principal: Principal
    signed_in_at: datetime | None  # when the caller last proved who they are


def _moment(value: object) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    return None


class ErasureService:
    async def caller(self, session: AsyncSession, *, token: str) -> ErasureCaller | None:
        """Who asks for erasure; None when the token is genuine but its account
        no longer exists (an erasure that already happened). A token that does
        not verify, or was revoked while its account still exists, is 401."""
        if external.is_external_token(token):
            return await self._external_caller(session, token)
        settings = runtime.current().settings
        try:
            claims = tokens.decode(settings.secret_key, token, typ="access")
        except tokens.TokenInvalid:
            raise Unauthorized("Invalid or expired token") from None
        if await user_service.find_by_uid(session, uid=claims["sub"]) is None:
            return None
        principal = await auth_service.authenticate(session, token)
        started = None
        if principal.family:
            started = await account_repository.family_started_at(session, principal.user_id, principal.family)
        # A refresh keeps the family: its first token is when the person signed in.
        return ErasureCaller(principal, as_utc(started) if started else _moment(claims.get("iat")))

    async def _external_caller(self, session: AsyncSession, token: str) -> ErasureCaller | None:
        verifier = external.verifier()
        try:
            claims = await verifier.verify(token) if verifier else None
        except external.ExternalTokenInvalid:
            claims = None
        if claims is None:
            raise Unauthorized("Invalid or expired token")
        # Looked up, never created: erasing must not bring the account back first.
        user = await account_repository.user_by_identity(session, external.PROVIDER, claims["sub"])
        if user is None:
            return None
        if not user.is_active:
            raise Unauthorized("Account is not active")
        principal = Principal(user=user, expires_at=_moment(claims.get("exp")),
                              external_subject=claims["sub"])
        return ErasureCaller(principal, _moment(claims.get("auth_time")) or _moment(claims.get("iat")))

    async def erase(self, session: AsyncSession, caller: ErasureCaller, *, password: str | None,
                    now: datetime | None = None) -> None:
        """Erase the caller's account. An account with a password confirms with
        it (wrong: 403); one without must have signed in within
        ACCOUNT_DELETE_REAUTH_WINDOW seconds (else 403, reason
        `reauthentication_required`). Nothing is written before that check."""
        now = now or utcnow()
        principal = caller.principal
        user = principal.user
        await self._confirm(user, caller, password=password, now=now)

        keys = set(await account_repository.recording_keys(session, user.id))
        avatar = owned_key(user, user.avatar_url)
        if avatar:
            keys.add(avatar)
        session_ids = await account_repository.session_ids(session, user.id)
        kept = await account_repository.reviewed_session_ids(session, session_ids)
        mentor = await account_repository.mentor_of(session, user.id)
        if mentor is not None:
            await self._retire_mentor(session, mentor, now=now)
        await account_repository.detach_sessions(session, kept)
        # Holds name the integer id, which SQLite may hand to the next account.
        await account_repository.delete_holds(session, calendar=f"user:{user.id}")
        purged = await account_repository.purge_jobs(
            session, user_id=user.id, email=user.email, session_ids=[i for i in session_ids if i not in kept])
        await auth_service.logout(session, principal)
        user_uid = user.uid
        await account_repository.delete_user(session, user.id)
        session.expunge(user)
        await queue_deletion(session, sorted(keys))
        log.info("account_erased", user=user_uid, sessions=len(session_ids), kept_reviewed=len(kept),
                 files=len(keys), jobs_purged=purged, mentor=mentor.uid if mentor else None)

    async def _confirm(self, user, caller: ErasureCaller, *, password: str | None, now: datetime) -> None:
        if user.password_hash:
            if not password:
                raise ValidationFailed("Your current password is required to delete the account",
                                       field="password")
            if not await verify_password(user.password_hash, password):
                raise Forbidden("Password is incorrect", field="password")
            return
        window = runtime.current().settings.account_delete_reauth_window
        signed_in = caller.signed_in_at
        if signed_in is None or (now - signed_in).total_seconds() > window:
            raise Forbidden("Sign in again to delete this account",
                            details={"reason": REAUTH_REASON, "maxAgeSeconds": window})

    async def _retire_mentor(self, session: AsyncSession, mentor: Mentor, *, now: datetime) -> None:
        """Other candidates' bookings keep pointing at the profile, emptied of the
        person; bookings yet to happen are cancelled and their candidates told."""
        upcoming = await account_repository.live_bookings_of_mentor(
            session, mentor.id, statuses=LIVE_BOOKING_STATUSES, after=now)
        ids = [s.id for s in upcoming]
        await account_repository.cancel_bookings(session, ids, reason=MENTOR_GONE_REASON)
        for session_id in ids:
            await queue_cancellation(session, session_id=session_id)
        await account_repository.clear_availability(session, mentor.id)
        mentor.name = "Former mentor"
        mentor.title = mentor.current_company = mentor.avatar = mentor.bio = None
        mentor.hourly_rate = None
        mentor.response_time = None
        mentor.previous_companies, mentor.specialties, mentor.skills, mentor.languages = [], [], [], []
        mentor.is_active = False
        mentor.search_text = ""
        mentor.user_id = None
        await session.flush()


erasure_service = ErasureService()
