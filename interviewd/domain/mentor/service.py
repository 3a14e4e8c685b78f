"""Mentor profiles, availability, search and detail pages (000).

A profile belongs to a user with role mentor, who manages it; admins manage
every profile (and may create one for a user, or one that no user owns).
Everyone, signed in or not, may search active mentors and read their pages.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.db import on_commit
from interviewd.domain.audit.service import audit_service
from interviewd.domain.mentor import availability
from interviewd.domain.mentor.repository import mentor_repository
from interviewd.domain.mentor.schemas import (
    AvailabilityUpdate,
    AvailabilityView,
    Facets,
    MentorCard,
    MentorCreate,
    MentorDetail,
    MentorPage,
    MentorProfileFields,
    MentorSearch,
    ReviewView,
    clock_minutes,
)
from interviewd.domain.users.service import user_service
from interviewd.errors import Conflict, Forbidden, NotFound, ValidationFailed
from interviewd.kit.clock import as_utc
from interviewd.kit.principal import Principal
from interviewd.models.mentor import AvailabilityException, AvailabilityRule, Mentor
from interviewd.models.user import Role

FACETS_KEY = "mentors:facets"
MAX_LIMIT = 100

# Profile fields a PUT resets when they are left out (name is required there).
PROFILE_DEFAULTS = {
    "title": None, "current_company": None, "previous_companies": [], "avatar": None, "bio": None,
    "specialties": [], "skills": [], "languages": [], "experience": 0, "hourly_rate": None,
    "response_time": None,
}


def search_text(mentor: Mentor) -> str:
    """What `search` matches: name, title, bio, specialties and skills, lower-cased."""
    parts = [mentor.name, mentor.title, mentor.bio, *(mentor.specialties or []), *(mentor.skills or [])]
    return "\n".join(p for p in parts if p).lower()


def valid_timezone(name: str) -> str:
    name = name.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(f"Unknown timezone {name!r}", field="timezone",
                               details={"field": "timezone", "value": name}) from None
    return name


def _folded(values: list[str]) -> set[str]:
    return {v.strip().casefold() for v in values if v and v.strip()}


def _matches_any(wanted: set[str], have: list[str | None]) -> bool:
    return bool(wanted & {h.strip().casefold() for h in have if h})


def _sorted_unique(values) -> list[str]:
    """One spelling per value ignoring case: the most used one, then the one
    sorting first (capitalised before lower case), so the answer is stable."""
    spellings: dict[str, Counter] = {}
    for value in values:
        if value and value.strip():
            text = value.strip()
            spellings.setdefault(text.casefold(), Counter())[text] += 1
    chosen = [min(counter, key=lambda s, c=counter: (-c[s], s)) for counter in spellings.values()]
    return sorted(chosen, key=str.casefold)


class MentorService:
    # --- lookups and permission ---

    async def get_active(self, session: AsyncSession, *, mentor_uid: str) -> Mentor:
        """An active mentor by its id, for booking; NotFound otherwise."""
        mentor = await mentor_repository.by_uid(session, mentor_uid)
        if mentor is None or not mentor.is_active:
            raise NotFound("Mentor not found")
        return mentor

    async def _visible(self, session: AsyncSession, principal: Principal | None, mentor_uid: str) -> Mentor:
        mentor = await mentor_repository.by_uid(session, mentor_uid)
        if mentor is None or not (mentor.is_active or self._may_manage(principal, mentor)):
            raise NotFound("Mentor not found")
        return mentor

    @staticmethod
    def _may_manage(principal: Principal | None, mentor: Mentor) -> bool:
        if principal is None:
            return False
        return principal.is_admin or (mentor.user_id is not None and mentor.user_id == principal.user_id)

    async def _managed(self, session: AsyncSession, principal: Principal, mentor_uid: str) -> Mentor:
        mentor = await mentor_repository.by_uid(session, mentor_uid)
        if mentor is None:
            raise NotFound("Mentor not found")
        if not self._may_manage(principal, mentor):
            raise Forbidden("Only the mentor or an administrator may change this profile")
        return mentor

    async def owner_uid(self, session: AsyncSession, mentor: Mentor) -> str | None:
        if mentor.user_id is None:
            return None
        user = await mentor_repository.user_by_id(session, mentor.user_id)
        return user.uid if user else None

    # --- profiles ---

    async def my_profile(self, session: AsyncSession, principal: Principal) -> Mentor:
        """The caller's own profile; NotFound when they have none."""
        mentor = await mentor_repository.by_user(session, principal.user_id)
        if mentor is None:
            raise NotFound("You have no mentor profile")
        return mentor

    async def create_profile(
        self, session: AsyncSession, principal: Principal, *, data: MentorCreate
    ) -> Mentor:
        """A mentor creates their own profile; an admin creates one for the user
        named by `userId` (a candidate is made a mentor), or an unowned one."""
        if principal.is_admin:
            owner = None
            if data.user_id:
                owner = await user_service.find_by_uid(session, uid=data.user_id)
                if owner is None:
                    raise ValidationFailed("Unknown user", field="userId",
                                           details={"field": "userId", "value": data.user_id})
                if owner.role == Role.CANDIDATE.value:
                    owner.role = Role.MENTOR.value
                elif owner.role != Role.MENTOR.value:
                    raise ValidationFailed("Only a candidate or mentor account can own a mentor profile",
                                           field="userId", details={"field": "userId", "value": data.user_id})
        else:
            if principal.user.role != Role.MENTOR.value:
                raise Forbidden("Only mentors may create a mentor profile")
            if data.user_id and data.user_id != principal.user.uid:
                raise Forbidden("You may only create your own mentor profile")
            owner = principal.user
        if owner is not None and await mentor_repository.by_user(session, owner.id) is not None:
            raise Conflict("This user already has a mentor profile")
        name = data.name or (owner.name if owner is not None else None)
        if not name:
            raise ValidationFailed("A name is required", field="name", details={"field": "name"})
        mentor = Mentor(user_id=owner.id if owner else None, name=name, **PROFILE_DEFAULTS)
        self._apply(mentor, data, partial=True)
        mentor.name = name
        if not await mentor_repository.add_profile(session, mentor):
            raise Conflict("This user already has a mentor profile")
        self._profiles_changed(session)
        await self._audit_admin(session, principal, mentor, "mentor.create",
                                {"userId": owner.uid if owner is not None else None})
        return mentor

    @staticmethod
    async def _audit_admin(session: AsyncSession, principal: Principal, mentor: Mentor, action: str,
                           details: dict) -> None:
        """An administrator changing a profile that is not theirs is an admin write."""
        if principal.is_admin and mentor.user_id != principal.user_id:
            await audit_service.record(session, principal, action=action, target_type="mentor",
                                       target_id=mentor.uid, details=details)

    async def update_profile(
        self, session: AsyncSession, principal: Principal, *, mentor_uid: str,
        data: MentorProfileFields, replace: bool,
    ) -> Mentor:
        """PATCH changes the given fields; PUT (replace) also resets the
        omitted optional ones. Owner or admin only."""
        mentor = await self._managed(session, principal, mentor_uid)
        if replace and not data.name:
            raise ValidationFailed("A name is required", field="name", details={"field": "name"})
        self._apply(mentor, data, partial=not replace)
        await session.flush()
        await self._audit_admin(session, principal, mentor, "mentor.update",
                                {"fields": sorted(data.model_dump(exclude_unset=True)), "replace": replace})
        self._profiles_changed(session)
        return mentor

    def _apply(self, mentor: Mentor, data: MentorProfileFields, *, partial: bool) -> None:
        given = data.model_dump(exclude_unset=True, exclude={"user_id"})
        if not partial:
            for key, default in PROFILE_DEFAULTS.items():
                given.setdefault(key, default)
        for key in ("name", "is_active", "timezone"):
            if key in given and given[key] is None:
                given.pop(key)  # not nullable: null means "leave as is"
        if "timezone" in given:
            given["timezone"] = valid_timezone(given["timezone"])
        for key in ("previous_companies", "specialties", "skills", "languages"):
            if key in given and given[key] is None:
                given[key] = []
        for key, value in given.items():
            setattr(mentor, key, value)
        mentor.search_text = search_text(mentor)

    def _profiles_changed(self, session: AsyncSession) -> None:
        async def bump() -> None:
            await runtime.current().cache.set(FACETS_KEY + ":gen", uuid.uuid4().hex, ttl=30 * 86400)

        on_commit(session, bump)

    async def refresh_rating(self, session: AsyncSession, *, mentor_id: int) -> Mentor | None:
        """Make `rating` and `review_count` the average and count of the mentor's
        reviews; whoever writes a review calls this in the same transaction."""
        mentor = await mentor_repository.get(session, mentor_id)
        if mentor is None:
            return None
        average, count = await mentor_repository.review_stats(session, mentor_id)
        mentor.rating, mentor.review_count = average, count
        await session.flush()
        return mentor

    # --- availability ---

    async def get_availability(self, session: AsyncSession, principal: Principal, *,
                               mentor_uid: str) -> AvailabilityView:
        """Weekly rules and dated exceptions; owner or admin only."""
        mentor = await self._managed(session, principal, mentor_uid)
        return AvailabilityView(
            mentor=mentor,
            rules=await mentor_repository.rules(session, mentor.id),
            exceptions=await mentor_repository.exceptions(session, mentor.id),
        )

    async def set_availability(self, session: AsyncSession, principal: Principal, *, mentor_uid: str,
                               data: AvailabilityUpdate) -> AvailabilityView:
        """Replace the weekly rules and/or the exceptions and set the timezone,
        buffer and notice. Rules of one weekday may not overlap."""
        mentor = await self._managed(session, principal, mentor_uid)
        timezone = valid_timezone(data.timezone) if data.timezone is not None else None
        rules = self._rules(data) if data.weekly is not None else None
        exceptions = self._exceptions(data) if data.exceptions is not None else None
        if timezone is not None:
            mentor.timezone = timezone
        if data.buffer_minutes is not None:
            mentor.buffer_minutes = data.buffer_minutes
        if data.min_notice_minutes is not None:
            mentor.min_notice_minutes = data.min_notice_minutes
        if rules is None:
            rules = await mentor_repository.rules(session, mentor.id)
            rules = [AvailabilityRule(weekday=r.weekday, start_minute=r.start_minute,
                                      end_minute=r.end_minute) for r in rules]
        if exceptions is None:
            exceptions = [
                AvailabilityException(on_date=e.on_date, start_minute=e.start_minute,
                                      end_minute=e.end_minute, available=e.available, reason=e.reason)
                for e in await mentor_repository.exceptions(session, mentor.id)
            ]
        await mentor_repository.replace_availability(session, mentor.id, rules=rules, exceptions=exceptions)
        await self._audit_admin(session, principal, mentor, "mentor.availability",
                                {"fields": sorted(data.model_dump(exclude_unset=True))})
        return await self.get_availability(session, principal, mentor_uid=mentor_uid)

    @staticmethod
    def _rules(data: AvailabilityUpdate) -> list[AvailabilityRule]:
        rows: list[AvailabilityRule] = []
        for i, rule in enumerate(data.weekly or []):
            start, end = clock_minutes(rule.start), clock_minutes(rule.end)
            if end <= start:
                raise ValidationFailed("A rule's end must be after its start", field=f"weekly[{i}].end",
                                       details={"field": f"weekly[{i}].end", "value": rule.end})
            rows.append(AvailabilityRule(weekday=rule.weekday, start_minute=start, end_minute=end))
        by_day = sorted(rows, key=lambda r: (r.weekday, r.start_minute))
        for before, after in zip(by_day, by_day[1:], strict=False):
            if before.weekday == after.weekday and after.start_minute < before.end_minute:
                raise ValidationFailed("Weekly rules of the same day overlap", field="weekly",
                                       details={"field": "weekly", "value": before.weekday})
        return rows

    @staticmethod
    def _exceptions(data: AvailabilityUpdate) -> list[AvailabilityException]:
        rows: list[AvailabilityException] = []
        for i, exc in enumerate(data.exceptions or []):
            name = f"exceptions[{i}]"
            if (exc.start is None) != (exc.end is None):
                raise ValidationFailed("An exception needs both start and end, or neither", field=name,
                                       details={"field": name})
            start = clock_minutes(exc.start) if exc.start is not None else None
            end = clock_minutes(exc.end) if exc.end is not None else None
            if start is not None and end is not None and end <= start:
                raise ValidationFailed("An exception's end must be after its start", field=name + ".end",
                                       details={"field": name + ".end", "value": exc.end})
            rows.append(AvailabilityException(on_date=exc.on_date, start_minute=start, end_minute=end,
                                              available=exc.available, reason=exc.reason))
        return rows

    async def slots(
        self, session: AsyncSession, principal: Principal | None, *, mentor_uid: str,
        start: datetime, end: datetime, duration_minutes: int, now: datetime,
    ) -> tuple[Mentor, list[datetime]]:
        """Free slot starts of a mentor in [start, end)."""
        settings = runtime.current().settings
        mentor = await self._visible(session, principal, mentor_uid)
        start, end = as_utc(start), as_utc(end)
        if end <= start:
            raise ValidationFailed("`to` must be after `from`", field="to", details={"field": "to"})
        if end - start > timedelta(days=settings.mentor_slots_max_range_days):
            raise ValidationFailed(f"At most {settings.mentor_slots_max_range_days} days at once",
                                   field="to", details={"field": "to"})
        found = await availability.free_slots(
            session, mentor, start=start, end=end, duration_minutes=duration_minutes, now=now,
            step_minutes=settings.mentor_slot_step_minutes,
        )
        return mentor, found

    # --- search and detail ---

    async def search(self, session: AsyncSession, principal: Principal | None, *, filters: MentorSearch,
                     now: datetime) -> MentorPage:
        """Active mentors matching every given filter, best rated first, with
        their next free slots and the facets of all active mentors."""
        if filters.page < 1:
            raise ValidationFailed("page must be at least 1", field="page", details={"field": "page"})
        if not 1 <= filters.limit <= MAX_LIMIT:
            raise ValidationFailed(f"limit must be 1-{MAX_LIMIT}", field="limit", details={"field": "limit"})
        if (filters.price_min is not None and filters.price_max is not None
                and filters.price_min > filters.price_max):
            raise ValidationFailed("price_min must not exceed price_max", field="price_min",
                                   details={"field": "price_min"})
        words = (filters.search or "").lower().replace(",", " ").split()
        skills, companies, languages = (_folded(filters.skills), _folded(filters.companies),
                                        _folded(filters.languages))
        offset = (filters.page - 1) * filters.limit
        in_python = bool(skills or companies or languages)
        candidates, total = await mentor_repository.active_filtered(
            session, rating_min=filters.rating_min, price_min=filters.price_min,
            price_max=filters.price_max, experience_min=filters.experience_min, words=words[:20],
            limit=None if in_python else filters.limit, offset=offset,
        )
        if in_python:
            matched = [
                m for m in candidates
                if (not skills or _matches_any(skills, m.skills or []))
                and (not companies
                     or _matches_any(companies, [m.current_company, *(m.previous_companies or [])]))
                and (not languages or _matches_any(languages, m.languages or []))
            ]
            page, total = matched[offset:offset + filters.limit], len(matched)
        else:
            page = candidates
        settings = runtime.current().settings
        slots = await availability.next_free_slots(
            session, page, now=now, days=settings.mentor_slot_horizon_days,
            duration_minutes=settings.mentor_slot_duration_minutes,
            step_minutes=settings.mentor_slot_step_minutes, limit=settings.mentor_list_slot_count,
        )
        return MentorPage(
            cards=[MentorCard(mentor=m, slots=slots.get(m.id, [])) for m in page],
            total=total, page=filters.page, limit=filters.limit,
            facets=await self.facets(session),
        )

    async def facets(self, session: AsyncSession) -> Facets:
        """Skills, companies, languages and the price and experience ranges of
        all active mentors, kept briefly in the cache."""
        ttl = runtime.current().settings.mentor_facets_cache_seconds
        cache = runtime.current().cache
        key = None
        if ttl > 0:
            generation = await cache.get(FACETS_KEY + ":gen") or "0"
            key = f"{FACETS_KEY}:{generation}"
            cached = await cache.get(key)
            if cached:
                data = json.loads(cached)
                return Facets(skills=data["skills"], companies=data["companies"],
                              languages=data["languages"], price_range=tuple(data["price"]),
                              experience_range=tuple(data["experience"]))
        rows = await mentor_repository.facet_rows(session)
        prices = [r.hourly_rate for r in rows if r.hourly_rate is not None]
        years = [r.experience for r in rows if r.experience is not None]
        facets = Facets(
            skills=_sorted_unique(s for r in rows for s in (r.skills or [])),
            companies=_sorted_unique(
                c for r in rows for c in [r.current_company, *(r.previous_companies or [])]
            ),
            languages=_sorted_unique(lang for r in rows for lang in (r.languages or [])),
            price_range=(min(prices), max(prices)) if prices else (0, 0),
            experience_range=(min(years), max(years)) if years else (0, 0),
        )
        if key is not None:
            await cache.set(key, json.dumps({
                "skills": facets.skills, "companies": facets.companies, "languages": facets.languages,
                "price": list(facets.price_range), "experience": list(facets.experience_range),
            }), ttl=ttl)
        return facets

    async def detail(self, session: AsyncSession, principal: Principal | None, *, mentor_uid: str,
                     now: datetime) -> MentorDetail:
        """A mentor's page: profile, newest public reviews and upcoming free
        slots. Inactive profiles are visible only to their owner and admins."""
        mentor = await self._visible(session, principal, mentor_uid)
        return await self._detail(session, mentor, now=now)

    async def my_detail(self, session: AsyncSession, principal: Principal, *, now: datetime) -> MentorDetail:
        return await self._detail(session, await self.my_profile(session, principal), now=now)

    async def _detail(self, session: AsyncSession, mentor: Mentor, *, now: datetime) -> MentorDetail:
        settings = runtime.current().settings
        rows = await mentor_repository.public_reviews(session, mentor.id,
                                                      limit=settings.mentor_detail_review_count)
        slots = await availability.next_free_slots(
            session, [mentor], now=now, days=settings.mentor_slot_horizon_days,
            duration_minutes=settings.mentor_slot_duration_minutes,
            step_minutes=settings.mentor_slot_step_minutes, limit=settings.mentor_detail_slot_count,
        )
        return MentorDetail(
            mentor=mentor,
            owner_uid=await self.owner_uid(session, mentor),
            reviews=[ReviewView(review=r, user_uid=uid, user_name=name, session_type=kind)
                     for r, uid, name, kind in rows],
            slots=slots.get(mentor.id, []),
        )


mentor_service = MentorService()
