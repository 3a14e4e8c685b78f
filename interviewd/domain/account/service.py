"""The caller's own account: profile and preferences (003, 004), figures over
their sessions of every kind, and their session history."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.account.avatar import avatar_service
from interviewd.domain.account.repository import account_repository
from interviewd.domain.account.schemas import (
    KINDS,
    MODES,
    SETTINGS_DEFAULTS,
    STATUSES,
    AccountStats,
    MeUpdate,
    PreferencesUpdate,
    ProfileUpdate,
    SessionFilter,
    SessionRow,
)
from interviewd.domain.practice import progress
from interviewd.errors import ValidationFailed
from interviewd.kit.clock import as_utc, utcnow
from interviewd.kit.principal import Principal
from interviewd.models.user import User

COMPLETED = "completed"
MAX_PAGE = 100

# 003's preferences as a user who never set them has them.
PREFERENCE_DEFAULTS = {
    "defaultMode": "technical",
    "defaultDifficulty": "medium",
    "languagePreferences": [],
    "feedbackStyle": "detailed",
    "voiceInputEnabled": False,
    "darkMode": False,
    **SETTINGS_DEFAULTS,
}
# 003 names the languages a user works in primaryLanguages; registration
# (001, 003) stores them as preferredLanguages: one list under the latter name.
_PROFILE_NAMES = {"primaryLanguages": "preferredLanguages"}


def preferences_of(user: User) -> dict:
    """Every preference with its default filled in."""
    return {**PREFERENCE_DEFAULTS, **(user.preferences or {})}


def settings_of(user: User) -> dict:
    """004's preferences object."""
    prefs = preferences_of(user)
    return {key: prefs[key] for key in SETTINGS_DEFAULTS}


def _merge(current: dict | None, changes: dict) -> dict:
    merged = dict(current or {})
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _check_timezone(changes: dict, field: str) -> None:
    if changes.get("timezone"):
        progress.zone(changes["timezone"], field=field)


def _check_avatar_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationFailed("avatar must be an http(s) URL", field="avatar", details={"value": url})


def parse_when(value: str | None, *, field: str) -> datetime | None:
    """An ISO 8601 date or date-time; a date is its midnight UTC, a time
    without an offset is UTC."""
    if value is None or value == "":
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        raise ValidationFailed(f"{field} must be an ISO 8601 date or date-time", field=field,
                               details={"value": value}) from None
    return as_utc(parsed)


class AccountService:
    # -- 003: /api/users/me ----------------------------------------------------
    async def stats(self, session: AsyncSession, principal: Principal, *,
                    now: datetime | None = None) -> AccountStats:
        """Figures over every session of the caller, of every kind. Streak days
        are calendar days of `preferences.timezone` (UTC when unset)."""
        now = now or utcnow()
        user = principal.user
        rows = await account_repository.session_figures(session, user.id)
        stats = AccountStats(total_sessions=len(rows))
        scores: list[float] = []
        finished: list[datetime] = []
        seconds = 0
        activity = [user.last_login_at] if user.last_login_at else []
        for kind, status, score, duration, completed_at, updated_at in rows:
            stats.sessions_by_kind[kind] = stats.sessions_by_kind.get(kind, 0) + 1
            seconds += duration or 0
            activity.append(updated_at)
            if status == COMPLETED:
                stats.completed_sessions += 1
                if score is not None:
                    scores.append(float(score))
                if completed_at is not None:
                    finished.append(as_utc(completed_at))
        stats.average_score = round(sum(scores) / len(scores), 1) if scores else None
        stats.total_minutes = round(seconds / 60)
        tz = progress.zone((user.preferences or {}).get("timezone"))
        stats.streak_days, stats.best_streak = progress.streaks(finished, tz, now=now)
        stats.answered_questions = await account_repository.answered_questions(session, user.id)
        solved = {question for question, result in await account_repository.code_results(session, user.id)
                  if isinstance(result, dict) and (result.get("total") or 0) > 0
                  and result.get("passed") == result.get("total")}
        stats.completed_challenges = len(solved)
        stats.last_active = max((as_utc(a) for a in activity if a is not None), default=None)
        return stats

    async def update_me(self, session: AsyncSession, principal: Principal, *, data: MeUpdate) -> User:
        """003's update: profile and preference keys are merged into what is
        stored; a key sent as null is removed (preferences go back to their default)."""
        user = principal.user
        if data.name is not None:
            user.name = data.name.strip()
        if data.profile is not None:
            changes = {_PROFILE_NAMES.get(k, k): v
                       for k, v in data.profile.model_dump(by_alias=True, exclude_unset=True).items()}
            user.profile = _merge(user.profile, changes)
        if data.preferences is not None:
            self._set_preferences(user, data.preferences, field="preferences.timezone")
        await session.flush()
        return user

    async def sessions(self, session: AsyncSession, principal: Principal, *, mode: str | None = None,
                       status: str | None = None, kind: str | None = None, start_date: str | None = None,
                       end_date: str | None = None, limit: int = 20, offset: int = 0,
                       ) -> tuple[list[SessionRow], int, SessionFilter]:
        """The caller's sessions of every kind, newest first. `mode` (an AI
        interview mode) keeps AI sessions only; dates compare with creation."""
        if mode is not None and mode not in MODES:
            raise ValidationFailed(f"mode must be one of {', '.join(MODES)}", field="mode",
                                   details={"value": mode})
        if status is not None and status not in STATUSES:
            raise ValidationFailed(f"status must be one of {', '.join(STATUSES)}", field="status",
                                   details={"value": status})
        if kind is not None and kind not in KINDS:
            raise ValidationFailed(f"kind must be one of {', '.join(KINDS)}", field="kind",
                                   details={"value": kind})
        if not 1 <= limit <= MAX_PAGE:
            raise ValidationFailed(f"limit must be between 1 and {MAX_PAGE}", field="limit",
                                   details={"value": limit})
        if offset < 0:
            raise ValidationFailed("offset must not be negative", field="offset", details={"value": offset})
        filt = SessionFilter(mode=mode, status=status, kind=kind,
                             start_date=parse_when(start_date, field="startDate"),
                             end_date=parse_when(end_date, field="endDate"), limit=limit, offset=offset)
        rows, total = await account_repository.sessions_page(session, principal.user_id, filt)
        return rows, total, filt

    # -- 004: /api/users/profile and /api/users/settings --------------------------
    async def update_profile(self, session: AsyncSession, principal: Principal, *,
                             data: ProfileUpdate) -> User:
        """004's profile update. `avatar` set to another URL or null drops an
        uploaded avatar file."""
        user = principal.user
        sent = data.model_fields_set
        for field in ("name", "first_name", "last_name"):
            value = getattr(data, field)
            if value is not None:
                setattr(user, field, value.strip())
        if "avatar" in sent:
            url = (data.avatar or "").strip() or None
            if url is not None:
                _check_avatar_url(url)
            old = user.avatar_url
            user.avatar_url = url
            await avatar_service.replaced(session, user, old_url=old)
        profile = {}
        if data.preferred_languages is not None:
            profile["preferredLanguages"] = data.preferred_languages
        if data.experience_level is not None:
            profile["experienceLevel"] = data.experience_level
        if profile:
            user.profile = _merge(user.profile, profile)
        if data.preferences is not None:
            self._set_preferences(user, data.preferences, field="preferences.timezone")
        await session.flush()
        return user

    async def update_settings(self, session: AsyncSession, principal: Principal, *,
                              data: PreferencesUpdate) -> User:
        """Merge preference keys into what is stored (null: back to the default)."""
        user = principal.user
        self._set_preferences(user, data, field="timezone")
        await session.flush()
        return user

    @staticmethod
    def _set_preferences(user: User, data: PreferencesUpdate, *, field: str) -> None:
        changes = data.changes()
        _check_timezone(changes, field)
        user.preferences = _merge(user.preferences, changes)


account_service = AccountService()
