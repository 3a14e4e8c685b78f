"""Account routes of 003 and 004: /api/users/{me,me/sessions,profile,settings,avatar,account},
and GET /api/avatars/{userId}/{name}, where uploaded avatars are served."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from interviewd import runtime
from interviewd.domain.account.avatar import avatar_service
from interviewd.domain.account.erasure import erasure_service
from interviewd.domain.account.schemas import (
    AccountStats,
    MeUpdate,
    PreferencesUpdate,
    ProfileUpdate,
    SessionRow,
)
from interviewd.domain.account.service import account_service, preferences_of, settings_of
from interviewd.domain.recordings.service import PayloadTooLarge
from interviewd.errors import Unauthorized, ValidationFailed
from interviewd.kit.clock import isoformat_z
from interviewd.kit.principal import Principal
from interviewd.models.user import User
from interviewd.surfaces.candidate.shapes import CamelModel, user_body
from interviewd.web.deps import bearer_token, current_principal, db_session

router = APIRouter(tags=["account"])

# Room for the multipart boundaries and headers around the file.
_MULTIPART_SLACK = 16 * 1024
AVATAR_FIELDS = ("avatar", "file", "image")

_AVATAR_BODY = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["avatar"],
            "properties": {"avatar": {
                "type": "string", "format": "binary",
                "description": "PNG, JPEG or WebP, judged by the content (not the name or type); "
                               "`file` and `image` are accepted as the field name too"}},
        }}},
    }
}


# -- shapes ------------------------------------------------------------------------
def profile_003(user: User) -> dict:
    profile = user.profile or {}
    return {
        "jobTitles": profile.get("jobTitles", []),
        "experienceLevel": profile.get("experienceLevel"),
        "primaryLanguages": profile.get("preferredLanguages", []),
        "industries": profile.get("industries", []),
        "resumeSummary": profile.get("resumeSummary"),
        "areasOfInterest": profile.get("areasOfInterest", []),
    }


def stats_body(stats: AccountStats) -> dict:
    return {
        "totalSessions": stats.total_sessions,
        "completedSessions": stats.completed_sessions,
        "averageScore": stats.average_score,
        "completedChallenges": stats.completed_challenges,
        "answeredQuestions": stats.answered_questions,
        "streakDays": stats.streak_days,
        "bestStreak": stats.best_streak,
        "totalTimeMinutes": stats.total_minutes,
        "sessionsByKind": {kind: stats.sessions_by_kind.get(kind, 0)
                           for kind in ("ai", "practice", "booking", "oneway")},
    }


def me_body(user: User, stats: AccountStats) -> dict:
    """003's user, with 004's names (id, avatar, role) beside it."""
    return {
        "userId": user.uid,
        "id": user.uid,
        "email": user.email,
        "name": user.name,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "avatar": user.avatar_url,
        "role": user.role,
        "profile": profile_003(user),
        "preferences": preferences_of(user),
        "stats": stats_body(stats),
        "createdAt": isoformat_z(user.created_at),
        "updatedAt": isoformat_z(user.updated_at),
        "lastLoginAt": isoformat_z(user.last_login_at),
        "lastActive": isoformat_z(stats.last_active),
    }


def _minutes(seconds: int | None) -> int | None:
    return None if seconds is None else round(seconds / 60)


def session_item(row: SessionRow) -> dict:
    s = row.session
    return {
        "sessionId": s.uid,
        "id": s.uid,
        "kind": s.kind,
        "mode": row.mode,
        "jobType": row.job_type,
        "difficulty": row.difficulty,
        "status": s.status,
        "title": s.title,
        "createdAt": isoformat_z(s.created_at),
        "scheduledAt": isoformat_z(s.scheduled_at),
        "startedAt": isoformat_z(s.started_at),
        "completedAt": isoformat_z(s.completed_at),
        "duration": _minutes(s.duration_seconds),
        "plannedDuration": row.planned_minutes,
        "overallScore": s.overall_score,
        "questionCount": row.question_count,
        "feedbackAvailable": row.feedback_available,
    }


def profile_004(user: User) -> dict:
    body = user_body(user)
    body["preferences"] = preferences_of(user)
    return {"success": True, **body, "user": body}


def settings_body(user: User) -> dict:
    """004's preferences at the top level and under `settings`; 003's and the
    other stored preferences under `preferences`."""
    settings = settings_of(user)
    return {"success": True, **settings, "settings": settings, "preferences": preferences_of(user)}


# -- requests ------------------------------------------------------------------------
class SettingsUpdate(PreferencesUpdate):
    """The preference keys themselves, or the same object under `preferences` or `settings`."""

    preferences: PreferencesUpdate | None = None
    settings: PreferencesUpdate | None = None

    def effective(self) -> PreferencesUpdate:
        return self.preferences or self.settings or self


class AccountDelete(CamelModel):
    password: str | None = Field(default=None, max_length=128)
    current_password: str | None = Field(default=None, max_length=128)


# -- 003 -----------------------------------------------------------------------------
@router.get("/users/me", summary="The signed-in user with profile, preferences and figures")
async def get_me(
    principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session)
) -> dict:
    """003's user. `stats` are computed from the user's sessions of every kind:
    totalSessions, completedSessions, averageScore (completed sessions with a
    score), completedChallenges (coding challenges whose tests all passed),
    streakDays (current run of days with a completed session), totalTimeMinutes."""
    stats = await account_service.stats(session, principal)
    return {"success": True, "user": me_body(principal.user, stats)}


@router.put("/users/me", summary="Update the signed-in user's profile and preferences")
async def put_me(
    body: MeUpdate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Keys of `profile` and `preferences` are merged into what is stored; a key
    sent as null is removed. Enumerations (defaultMode, defaultDifficulty,
    difficulty, language) are checked: an unknown value is 400."""
    user = await account_service.update_me(session, principal, data=body)
    stats = await account_service.stats(session, principal)
    return {"success": True, "user": me_body(user, stats)}


@router.get("/users/me/sessions", summary="The signed-in user's session history")
async def my_sessions(
    limit: int = Query(20, description="1-100"),
    offset: int = Query(0, ge=0),
    mode: str | None = Query(None, description="An AI interview mode; keeps AI sessions only"),
    status: str | None = Query(None),
    kind: str | None = Query(None, description="booking, ai, practice or oneway"),
    start_date: str | None = Query(None, alias="startDate", description="ISO 8601; created at or after"),
    end_date: str | None = Query(None, alias="endDate", description="ISO 8601; created before"),
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Sessions of every kind, newest first, in 003's shape (`duration` in
    minutes; `mode`, `difficulty` and `questionCount` are null for kinds other
    than AI). Invalid filters are 400."""
    rows, total, filt = await account_service.sessions(
        session, principal, mode=mode, status=status, kind=kind, start_date=start_date,
        end_date=end_date, limit=limit, offset=offset)
    return {
        "success": True,
        "sessions": [session_item(r) for r in rows],
        "pagination": {"total": total, "limit": filt.limit, "offset": filt.offset,
                       "hasMore": filt.offset + len(rows) < total},
    }


# -- 004 -----------------------------------------------------------------------------
@router.get("/users/profile", summary="The signed-in user (004's User)")
async def get_profile(principal: Principal = Depends(current_principal)) -> dict:
    """004's User at the top level and under `user`."""
    return profile_004(principal.user)


@router.put("/users/profile", summary="Update the signed-in user (004's User)")
async def put_profile(
    body: ProfileUpdate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """name, firstName, lastName, avatar (an http(s) URL, or null to remove)
    and preferences; email, role and subscription are not changed here."""
    user = await account_service.update_profile(session, principal, data=body)
    return profile_004(user)


@router.get("/users/settings", summary="The signed-in user's preferences")
async def get_settings(principal: Principal = Depends(current_principal)) -> dict:
    """004's preferences (jobCategory, difficulty, notifications, language) with
    their defaults filled in."""
    return settings_body(principal.user)


@router.put("/users/settings", summary="Update the signed-in user's preferences")
async def put_settings(
    body: SettingsUpdate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Merged into the stored preferences; null resets a key. difficulty is
    easy|medium|hard, language ko|en, notifications a boolean, jobCategory a
    category slug such as `software-engineering`."""
    user = await account_service.update_settings(session, principal, data=body.effective())
    return settings_body(user)


@router.post("/users/avatar", summary="Upload an avatar", openapi_extra=_AVATAR_BODY)
async def upload_avatar(
    request: Request,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Multipart field `avatar` (or `file`, `image`): a PNG, JPEG or WebP of at
    most INTERVIEWD_AVATAR_MAX_BYTES (413 beyond); anything else is 415. The
    image is stored without its metadata and `avatar` is its public URL; the
    previous uploaded avatar is deleted."""
    limit = runtime.current().settings.avatar_max_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + _MULTIPART_SLACK:
        raise PayloadTooLarge(f"Avatar is larger than the limit of {limit} bytes", field="avatar",
                              details={"limit": limit})
    async with request.form(max_files=1, max_fields=10) as form:
        upload = next((form.get(name) for name in AVATAR_FIELDS if isinstance(form.get(name), UploadFile)),
                      None)
        if upload is None:
            raise ValidationFailed("An image is required in the multipart field 'avatar'", field="avatar")
        user = await avatar_service.upload(session, principal, file=upload.file)
    return {"success": True, "avatar": user.avatar_url, "avatarUrl": user.avatar_url,
            "url": user.avatar_url, "user": user_body(user)}


@router.delete("/users/account", status_code=204, summary="Delete the account and its data",
               responses={204: {"description": "Erased (also when it already was)"}})
async def delete_account(
    request: Request,
    body: AccountDelete | None = Body(default=None),
    session: AsyncSession = Depends(db_session),
) -> Response:
    """Erases the account: sessions of every kind with their answers,
    evaluations, reports and recordings, tokens, linked sign-ins, favourites,
    the avatar and recording files, a mentor profile (deactivated and emptied).
    Confirm with `password`; an account without one (OAuth, external sign-in)
    must have signed in within INTERVIEWD_ACCOUNT_DELETE_REAUTH_WINDOW seconds.
    A wrong password is 403 and erases nothing. Repeating the request with the
    same token after the erasure answers 204 again."""
    token = bearer_token(request)
    if token is None:
        raise Unauthorized("Authentication required")
    caller = await erasure_service.caller(session, token=token)
    if caller is not None:
        password = (body.password or body.current_password) if body else None
        await erasure_service.erase(session, caller, password=password)
    return Response(status_code=204)


@router.get("/avatars/{userId}/{name}", summary="An uploaded avatar", response_class=Response,
            responses={200: {"content": {"image/png": {}, "image/jpeg": {}, "image/webp": {}}},
                       307: {"description": "Redirect to the object store"}})
async def get_avatar(
    name: str, user_id: str = Path(alias="userId"), session: AsyncSession = Depends(db_session)
) -> Response:
    """Public, like any profile picture: the name is unguessable and changes
    with every upload. Only the user's current avatar is served (404 once
    replaced or erased)."""
    answer = await avatar_service.resolve(session, user_uid=user_id, name=name)
    headers = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}
    if answer.redirect_url:
        return RedirectResponse(answer.redirect_url, status_code=307, headers={"Cache-Control": "no-store"})
    return FileResponse(answer.path, media_type=answer.content_type, filename=answer.filename,
                        content_disposition_type="inline", headers=headers)
