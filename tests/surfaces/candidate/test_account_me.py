"""003's GET/PUT /api/users/me and GET /api/users/me/sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.kit.clock import utcnow
from interviewd.models import InterviewSession
from tests.conftest import bearer, register
from tests.surfaces.candidate.account_factories import seed_account

pytestmark = pytest.mark.asyncio


async def _user(client, **extra) -> dict:
    user = await register(client, name="Dana Lee", **extra)
    user["headers"] = bearer(user["tokens"]["accessToken"])
    return user


async def test_me_answers_003_shape_with_figures_from_every_kind(client):
    user = await _user(client, preferredLanguages=["python"], experienceLevel="mid")
    await seed_account(user["userId"], tag="me")
    response = await client.get("/api/users/me", headers=user["headers"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    me = body["user"]
    assert me["userId"] == user["userId"] and me["email"] == user["email"] and me["name"] == "Dana Lee"
    assert me["profile"] == {"jobTitles": [], "experienceLevel": "mid", "primaryLanguages": ["python"],
                             "industries": [], "resumeSummary": None, "areasOfInterest": []}
    assert me["preferences"]["defaultMode"] == "technical" and me["preferences"]["darkMode"] is False
    stats = me["stats"]
    # ai (completed, 80), practice (completed, 70), booking completed (no score), booking confirmed
    assert stats["totalSessions"] == 4 and stats["completedSessions"] == 3
    assert stats["averageScore"] == 75.0
    assert stats["completedChallenges"] == 1 and stats["answeredQuestions"] == 1
    assert stats["streakDays"] == 2  # today (AI) and yesterday (practice)
    assert stats["totalTimeMinutes"] == 45
    assert stats["sessionsByKind"] == {"ai": 1, "practice": 1, "booking": 2, "oneway": 0}
    assert me["createdAt"].endswith("Z") and me["lastActive"].endswith("Z")


async def test_me_of_a_new_user_has_empty_figures(client):
    user = await _user(client)
    stats = (await client.get("/api/users/me", headers=user["headers"])).json()["user"]["stats"]
    assert stats["totalSessions"] == 0 and stats["averageScore"] is None and stats["streakDays"] == 0


async def test_me_needs_a_token(client):
    response = await client.get("/api/users/me")
    assert response.status_code == 401 and response.json()["error"]["code"] == "UNAUTHORIZED"


async def test_put_me_merges_profile_and_preferences(client):
    user = await _user(client, preferredLanguages=["python"])
    response = await client.put("/api/users/me", headers=user["headers"], json={
        "profile": {"jobTitles": ["Senior Software Engineer", "Tech Lead"], "experienceLevel": "senior",
                    "primaryLanguages": ["typescript", "go"],
                    "resumeSummary": "Senior full-stack developer...",
                    "areasOfInterest": ["distributed systems", "machine learning"]},
        "preferences": {"defaultMode": "mixed", "defaultDifficulty": "hard", "feedbackStyle": "actionable",
                        "voiceInputEnabled": True},
    })
    assert response.status_code == 200, response.text
    me = response.json()["user"]
    assert me["profile"]["jobTitles"] == ["Senior Software Engineer", "Tech Lead"]
    assert me["profile"]["primaryLanguages"] == ["typescript", "go"]
    assert me["preferences"]["defaultMode"] == "mixed" and me["preferences"]["voiceInputEnabled"] is True
    assert me["preferences"]["darkMode"] is False  # untouched keys keep their value
    # A second update changes only what it names; null removes a key.
    response = await client.put("/api/users/me", headers=user["headers"], json={
        "profile": {"industries": ["tech"], "resumeSummary": None}, "preferences": {"darkMode": True}})
    me = response.json()["user"]
    assert me["profile"]["industries"] == ["tech"] and me["profile"]["resumeSummary"] is None
    assert me["profile"]["jobTitles"] == ["Senior Software Engineer", "Tech Lead"]
    assert me["preferences"]["darkMode"] is True and me["preferences"]["defaultMode"] == "mixed"
    # The same languages show through 004's profile.
    profile = (await client.get("/api/auth/profile", headers=user["headers"])).json()
    assert profile["preferredLanguages"] == ["typescript", "go"]


@pytest.mark.parametrize("payload, field", [
    ({"preferences": {"defaultMode": "casual"}}, "preferences.defaultMode"),
    ({"preferences": {"defaultDifficulty": "extreme"}}, "preferences.defaultDifficulty"),
    ({"preferences": {"darkMode": "yes"}}, "preferences.darkMode"),
    ({"preferences": {"timezone": "Mars/Olympus"}}, "preferences.timezone"),
    ({"profile": {"jobTitles": "engineer"}}, "profile.jobTitles"),
    ({"profile": {"resumeSummary": "x" * 5001}}, "profile.resumeSummary"),
])
async def test_put_me_rejects_bad_values(client, payload, field):
    user = await _user(client)
    response = await client.put("/api/users/me", headers=user["headers"], json=payload)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["success"] is False and body["error"]["code"] == "VALIDATION_ERROR"
    assert field in body["details"]


async def test_my_sessions_lists_every_kind_newest_first_with_pagination(client):
    user = await _user(client)
    other = await _user(client)
    seeded = await seed_account(user["userId"], tag="a")
    await seed_account(other["userId"], tag="b")
    response = await client.get("/api/users/me/sessions", headers=user["headers"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    assert body["pagination"] == {"total": 4, "limit": 20, "offset": 0, "hasMore": False}
    kinds = sorted(s["kind"] for s in body["sessions"])
    assert kinds == ["ai", "booking", "booking", "practice"]
    ai = next(s for s in body["sessions"] if s["kind"] == "ai")
    assert ai == {**ai, "mode": "technical", "jobType": "Backend Engineer", "difficulty": "hard",
                  "status": "completed", "duration": 35, "overallScore": 80.0, "questionCount": 3,
                  "feedbackAvailable": True}
    assert set(ai) >= {"sessionId", "mode", "jobType", "difficulty", "status", "createdAt", "completedAt",
                       "duration", "overallScore", "questionCount", "feedbackAvailable"}
    practice = next(s for s in body["sessions"] if s["kind"] == "practice")
    assert practice["mode"] is None and practice["feedbackAvailable"] is True
    created = [s["createdAt"] for s in body["sessions"]]
    assert created == sorted(created, reverse=True)

    page = (await client.get("/api/users/me/sessions", headers=user["headers"],
                             params={"limit": 3, "offset": 0})).json()
    assert len(page["sessions"]) == 3 and page["pagination"]["hasMore"] is True
    rest = (await client.get("/api/users/me/sessions", headers=user["headers"],
                             params={"limit": 3, "offset": 3})).json()
    assert len(rest["sessions"]) == 1 and rest["pagination"] == {"total": 4, "limit": 3, "offset": 3,
                                                                 "hasMore": False}
    ids = {s["sessionId"] for s in page["sessions"]} | {s["sessionId"] for s in rest["sessions"]}
    assert len(ids) == 4 and len(seeded.session_ids) == 4


async def test_my_sessions_filters(client):
    user = await _user(client)
    seeded = await seed_account(user["userId"], tag="f")
    # Move the practice session (second seeded) ten days back.
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await session.execute(update(InterviewSession).where(InterviewSession.id == seeded.session_ids[1])
                              .values(created_at=utcnow() - timedelta(days=10)))
    get = lambda **params: client.get("/api/users/me/sessions", headers=user["headers"], params=params)  # noqa: E731
    technical = (await get(mode="technical")).json()
    assert [s["kind"] for s in technical["sessions"]] == ["ai"]
    assert (await get(mode="behavioral")).json()["pagination"]["total"] == 0
    confirmed = (await get(status="confirmed")).json()["sessions"]
    assert [(s["kind"], s["status"]) for s in confirmed] == [("booking", "confirmed")]
    assert (await get(kind="booking")).json()["pagination"]["total"] == 2
    since = (utcnow() - timedelta(days=2)).date().isoformat()
    recent = (await get(startDate=since)).json()
    assert recent["pagination"]["total"] == 3 and "practice" not in {s["kind"] for s in recent["sessions"]}
    stamp = (utcnow() - timedelta(days=2)).isoformat().replace("+00:00", "Z")
    assert (await get(startDate=stamp)).json()["pagination"]["total"] == 3


@pytest.mark.parametrize("params, field", [
    ({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"limit": "ten"}, "limit"),
    ({"offset": -1}, "offset"), ({"mode": "casual"}, "mode"), ({"status": "done"}, "status"),
    ({"kind": "video"}, "kind"), ({"startDate": "yesterday"}, "startDate"),
    ({"startDate": "2024-13-45"}, "startDate"),
])
async def test_my_sessions_rejects_bad_filters(client, params, field):
    user = await _user(client)
    response = await client.get("/api/users/me/sessions", headers=user["headers"], params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"]["code"] == "VALIDATION_ERROR" and body["error"]["details"]["field"] == field
