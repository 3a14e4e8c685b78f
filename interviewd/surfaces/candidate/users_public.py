"""/api/users and /api/users/{userId} with favorites and dashboard analytics (000).

`{userId}` is interviewd's user id, the identity provider's user id (Clerk's
`sub`) or `me`. The account routes of 003/004 (/api/users/me, profile,
settings, avatar, account) are routed first and keep those paths.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Response
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.profile.schemas import Dashboard, FavoriteCard, ProfileUpsert, SkillAssessment
from interviewd.domain.profile.service import profile_service
from interviewd.kit.clock import isoformat_z
from interviewd.kit.principal import Principal
from interviewd.models.user import User
from interviewd.surfaces.candidate.shapes import CamelModel
from interviewd.web.deps import current_principal, db_session

router = APIRouter(tags=["users public"])

UserIdPath = Path(alias="userId", min_length=1, max_length=255,
                  description="interviewd's user id, the identity provider's user id, or `me`")


class FavoriteAdd(CamelModel):
    mentor_id: str = Field(min_length=1, max_length=64)


def _preferences(user: User) -> dict:
    prefs = user.preferences or {}
    return {
        "recentSearches": list(prefs.get("recentSearches") or []),
        "favoriteTopics": list(prefs.get("favoriteTopics") or []),
        "timezone": prefs.get("timezone") or "UTC",
    }


def _skill(item: SkillAssessment) -> dict:
    return {"skill": item.skill, "score": item.score, "assessedAt": isoformat_z(item.assessed_at)}


def _card(card: FavoriteCard) -> dict:
    m = card.mentor
    return {
        "id": m.uid, "mentorId": m.uid, "name": m.name, "title": m.title, "company": m.current_company,
        "avatar": m.avatar, "rating": m.rating, "reviewCount": m.review_count, "hourlyRate": m.hourly_rate,
        "specialties": list(m.specialties or []), "addedAt": isoformat_z(card.added_at),
    }


def _favorites_body(cards: list[FavoriteCard]) -> dict:
    return {"success": True, "favorites": [c.mentor.uid for c in cards], "mentors": [_card(c) for c in cards]}


@router.post(
    "/users", status_code=201, summary="Create or update the signed-in user's profile",
    responses={200: {"description": "The profile already existed and was updated"}},
)
async def upsert_profile(
    body: ProfileUpsert, response: Response,
    principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session),
) -> dict:
    """Creates (201) or updates (200) the profile of the token's subject; omitted
    fields keep their value. `userId`, when given, must be the token's `sub`
    (the identity provider's user id, or interviewd's id for its own tokens),
    else 403. `role` may be `candidate` or `mentor`; any other role only an
    administrator may give (403). `preferences.timezone` must be an IANA zone.
    `email` changes the account's address only when the identity provider
    verified it for this user. The first creation queues the welcome e-mail."""
    result = await profile_service.upsert(session, principal, data=body)
    user = result.user
    response.status_code = 201 if result.created else 200
    profile = user.profile or {}
    return {
        "success": True,
        "user": {
            "id": user.uid,
            "userId": result.subject,
            "email": user.email,
            "firstName": user.first_name,
            "lastName": user.last_name,
            "role": user.role,
            "profileImage": user.avatar_url,
            "experience": profile.get("experience"),
            "skills": list(profile.get("skills") or []),
            "preferences": _preferences(user),
            "createdAt": isoformat_z(user.created_at),
            "updatedAt": isoformat_z(user.updated_at),
        },
    }


@router.get("/users/{userId}", summary="A user's profile and session history")
async def get_profile(
    user_id: str = UserIdPath,
    principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session),
) -> dict:
    """The profile, the mentor bookings (newest first), skill assessments (the
    latest scored AI answer per question category, 0-100), favourite mentor ids
    and preferences. Only the user themselves or an administrator (403 for
    anyone else; 404 for an administrator asking for an unknown user)."""
    view = await profile_service.view(session, principal, user_id=user_id)
    user = view.user
    profile = user.profile or {}
    return {
        "profile": {
            "id": user.uid,
            "userId": view.subject,
            "email": user.email,
            "firstName": user.first_name,
            "lastName": user.last_name,
            "role": user.role,
            "experience": profile.get("experience"),
            "profileImage": user.avatar_url,
            "skills": list(profile.get("skills") or []),
        },
        "sessionHistory": [
            {"id": h.id, "mentorId": h.mentor_id, "date": isoformat_z(h.date), "duration": h.duration,
             "type": h.type, "rating": h.rating, "feedback": h.feedback}
            for h in view.history
        ],
        "skillAssessments": [_skill(s) for s in view.skills],
        "favorites": view.favorites,
        "preferences": _preferences(user),
    }


@router.get("/users/{userId}/favorites", summary="A user's favourite mentors")
async def list_favorites(
    user_id: str = UserIdPath,
    principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session),
) -> dict:
    """`favorites` (mentor ids) and `mentors` (brief cards) of the active
    favourite mentors, oldest favourite first. Self or administrator only."""
    return _favorites_body(await profile_service.favorites(session, principal, user_id=user_id))


@router.post("/users/{userId}/favorites", status_code=201, summary="Add a favourite mentor")
async def add_favorite(
    body: FavoriteAdd, user_id: str = UserIdPath,
    principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session),
) -> dict:
    """Adds an active mentor (404 for an unknown or inactive one); adding one
    that is already a favourite answers 201 again and changes nothing. Answers
    the whole favourites list. Self or administrator only."""
    cards = await profile_service.add_favorite(session, principal, user_id=user_id, mentor_id=body.mentor_id)
    return _favorites_body(cards)


@router.delete("/users/{userId}/favorites/{mentorId}", status_code=204, summary="Remove a favourite mentor")
async def remove_favorite(
    user_id: str = UserIdPath, mentor_id: str = Path(alias="mentorId", min_length=1, max_length=64),
    principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session),
) -> Response:
    """Removes the mentor from the favourites; 204 also when it was not one.
    An unknown mentor is 404. Self or administrator only."""
    await profile_service.remove_favorite(session, principal, user_id=user_id, mentor_id=mentor_id)
    return Response(status_code=204)


def dashboard_body(board: Dashboard) -> dict:
    return {
        "stats": {
            "totalInterviews": board.stats.total_interviews,
            "completedCount": board.stats.completed_count,
            "upcomingCount": board.stats.upcoming_count,
            "averageScore": board.stats.average_score,
            "totalHoursSpent": board.stats.total_hours_spent,
        },
        "progressData": board.progress,
        "skillAssessments": [_skill(s) for s in board.skills],
        "upcomingInterviews": board.upcoming,
        "recentActivity": [
            {"type": a.type, "description": a.description, "date": isoformat_z(a.date),
             "metadata": a.metadata}
            for a in board.activity
        ],
    }


@router.get("/users/{userId}/analytics", summary="A user's dashboard analytics")
async def analytics(
    user_id: str = UserIdPath,
    principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session),
) -> dict:
    """Totals over the user's sessions of every kind (mentor bookings, AI
    interviews, practice, one-way), monthly progress (UTC months), skill
    assessments, the next sessions and recent activity. Self or administrator
    only. See docs/users-000.md for how each figure is computed."""
    board = await profile_service.analytics(session, principal, user_id=user_id)
    return dashboard_body(board)
