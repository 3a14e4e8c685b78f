"""The 000 user profile: create or update it from the signed-in token, read
it with the session history and skill assessments, keep favourite mentors."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.notifications import booking as booking_mail
from interviewd.domain.profile.dashboard import build_dashboard, skill_assessments
from interviewd.domain.profile.repository import profile_repository
from interviewd.domain.profile.schemas import (
    Dashboard,
    FavoriteCard,
    HistoryItem,
    ProfileUpsert,
    ProfileView,
    UpsertResult,
)
from interviewd.domain.users.service import user_service
from interviewd.errors import Conflict, Forbidden, NotFound, ValidationFailed
from interviewd.kit.clock import isoformat_z, utcnow
from interviewd.kit.principal import Principal
from interviewd.models.mentor import Mentor
from interviewd.models.user import Role, User

# Roles a user may give themselves; any other (admin, interviewer) only an admin may set.
SELF_ROLES = {Role.CANDIDATE.value, Role.MENTOR.value}
ROLES = {r.value for r in Role}
# Marks that the 000 profile exists (the account may be older: an identity
# provider's first token creates it). Its absence is what makes a POST a creation.
CREATED_KEY = "profileCreatedAt"
# The account routes of 003/004 own these words; "me" also names the caller here.
SELF_ALIAS = "me"


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(f"Unknown time zone {name!r}", field="preferences.timezone",
                               details={"value": name}) from None
    return name


class ProfileService:
    # -- whose data ---------------------------------------------------------------------------
    async def _target(self, session: AsyncSession, principal: Principal, user_id: str) -> User:
        """The user `user_id` (interviewd uid, identity-provider subject or "me")
        names. Another user's data is 403 for anyone but an admin, whether or not
        that user exists, so that ids cannot be probed; an admin gets 404 for an
        unknown one."""
        me = principal.user
        if user_id in (SELF_ALIAS, me.uid) or user_id == principal.external_subject:
            return me
        user = await user_service.find_by_uid(session, uid=user_id)
        if user is None:
            user = await profile_repository.user_by_subject(session, user_id)
        if user is not None and user.id == me.id:
            return me
        if not principal.is_admin:
            raise Forbidden("You may not access another user's data")
        if user is None:
            raise NotFound("User not found")
        return user

    async def subject_of(self, session: AsyncSession, user: User) -> str:
        """The id 000 calls `userId`: the identity provider's subject, else the uid."""
        return await profile_repository.subject_of(session, user.id) or user.uid

    # -- profile ------------------------------------------------------------------------------
    async def upsert(self, session: AsyncSession, principal: Principal, *, data: ProfileUpsert
                     ) -> UpsertResult:
        """Create or update the profile of the token's subject. The first call
        creates it (and queues the welcome e-mail once); later calls update it.
        Omitted fields keep their value."""
        subject = principal.subject
        if data.user_id is not None and data.user_id != subject:
            raise Forbidden("userId must be the signed-in user's id", field="userId")
        user = principal.user
        await profile_repository.lock_user(session, user)
        created = CREATED_KEY not in (user.profile or {})
        if data.role is not None and data.role != user.role:
            self._check_role(principal, data.role)
            user.role = data.role
        await self._apply_email(session, principal, user, data.email)
        for field, attr in (("first_name", "first_name"), ("last_name", "last_name"),
                            ("profile_image", "avatar_url")):
            value = getattr(data, field)
            if value is not None:
                setattr(user, attr, value.strip() or None)
        if data.first_name is not None or data.last_name is not None:
            name = " ".join(p for p in (user.first_name, user.last_name) if p)
            user.name = name or user.name
        profile = dict(user.profile or {})
        if data.experience is not None:
            profile["experience"] = data.experience.strip() or None
        if data.skills is not None:
            profile["skills"] = data.skills
        if created:
            profile[CREATED_KEY] = isoformat_z(utcnow())
        user.profile = profile
        if data.preferences is not None:
            prefs = dict(user.preferences or {})
            given = data.preferences
            if given.recent_searches is not None:
                prefs["recentSearches"] = given.recent_searches
            if given.favorite_topics is not None:
                prefs["favoriteTopics"] = given.favorite_topics
            if given.timezone is not None:
                prefs["timezone"] = _zone(given.timezone.strip())
            user.preferences = prefs
        user.updated_at = utcnow()
        await session.flush()
        if created:
            await booking_mail.queue_welcome(session, user_id=user.id)
        return UpsertResult(user=user, subject=subject, created=created)

    @staticmethod
    def _check_role(principal: Principal, role: str) -> None:
        if role not in ROLES:
            raise ValidationFailed(f"Unknown role {role!r}", field="role", details={"value": role})
        if role not in SELF_ROLES and not principal.is_admin:
            raise Forbidden(f"Only an administrator may give the role {role!r}", field="role")

    async def _apply_email(self, session: AsyncSession, principal: Principal, user: User,
                           email: str | None) -> None:
        """The account's address changes only to one the identity provider
        verified for this token's subject: an address anyone typed in would let
        them claim it before its owner signs up. Any other value is left as is."""
        if email is None:
            return
        email = email.strip().lower()
        if "@" not in email or any(c.isspace() for c in email):
            raise ValidationFailed("Invalid e-mail address", field="email")
        if email == user.email or principal.external_subject is None:
            return
        identity = await profile_repository.identity(session, principal.external_subject)
        claims = (identity.claims or {}) if identity else {}
        verified = claims.get("email_verified") in (True, "true", "True")
        if identity is None or (identity.email or "").lower() != email or not verified:
            return
        if await profile_repository.email_taken(session, email, by_other_than=user.id):
            raise Conflict("An account with this e-mail already exists", field="email")
        user.email = email

    async def view(self, session: AsyncSession, principal: Principal, *, user_id: str) -> ProfileView:
        """The profile with its booking history, skill assessments and favourites."""
        user = await self._target(session, principal, user_id)
        settings = runtime.current().settings
        history = [
            HistoryItem(id=uid, mentor_id=mentor_uid, date=starts_at, duration=minutes, type=kind,
                        rating=rating, feedback=feedback)
            for uid, mentor_uid, starts_at, minutes, kind, rating, feedback
            in await profile_repository.booking_history(session, user.id,
                                                        limit=settings.users_session_history_limit)
        ]
        return ProfileView(
            user=user,
            subject=await self.subject_of(session, user),
            history=history,
            skills=skill_assessments(await profile_repository.latest_skill_scores(session, user.id)),
            favorites=[m.uid for m, _ in await profile_repository.favorites(session, user.id)],
        )

    # -- favourites ---------------------------------------------------------------------------
    async def _mentor(self, session: AsyncSession, mentor_id: str, *, active: bool) -> Mentor:
        mentor = await profile_repository.mentor_by_uid(session, mentor_id)
        if mentor is None or (active and not mentor.is_active):
            raise NotFound("Mentor not found", field="mentorId")
        return mentor

    async def add_favorite(self, session: AsyncSession, principal: Principal, *, user_id: str,
                           mentor_id: str) -> list[FavoriteCard]:
        """Add an active mentor to the user's favourites; adding one twice changes nothing."""
        user = await self._target(session, principal, user_id)
        mentor = await self._mentor(session, mentor_id, active=True)
        limit = runtime.current().settings.users_max_favorites
        if not await profile_repository.is_favorite(session, user_id=user.id, mentor_id=mentor.id):
            if await profile_repository.favorite_count(session, user.id) >= limit:
                raise Conflict(f"At most {limit} favourite mentors", field="mentorId")
            await profile_repository.add_favorite(session, user_id=user.id, mentor_id=mentor.id)
        return await self._cards(session, user)

    async def remove_favorite(self, session: AsyncSession, principal: Principal, *, user_id: str,
                              mentor_id: str) -> None:
        """Remove a mentor from the favourites; removing one that is not there
        changes nothing. An inactive mentor can still be removed."""
        user = await self._target(session, principal, user_id)
        mentor = await self._mentor(session, mentor_id, active=False)
        await profile_repository.remove_favorite(session, user_id=user.id, mentor_id=mentor.id)

    async def favorites(self, session: AsyncSession, principal: Principal, *, user_id: str
                        ) -> list[FavoriteCard]:
        """The user's active favourite mentors, oldest favourite first."""
        user = await self._target(session, principal, user_id)
        return await self._cards(session, user)

    @staticmethod
    async def _cards(session: AsyncSession, user: User) -> list[FavoriteCard]:
        return [FavoriteCard(mentor=m, added_at=added)
                for m, added in await profile_repository.favorites(session, user.id)]

    # -- dashboard ----------------------------------------------------------------------------
    async def analytics(self, session: AsyncSession, principal: Principal, *, user_id: str,
                        now: datetime | None = None) -> Dashboard:
        """000's dashboard over the user's sessions of every kind and bookings."""
        user = await self._target(session, principal, user_id)
        return await build_dashboard(session, user, now=now or utcnow())


profile_service = ProfileService()
