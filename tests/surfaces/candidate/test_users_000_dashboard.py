"""000's GET /api/users/{userId}/analytics and the profile's session history,
computed from real rows: bookings and practice sessions written through the
ORM, an AI interview run through HTTP with the identity provider's token."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from sqlalchemy import select

from interviewd import runtime
from interviewd.kit.clock import isoformat_z, utcnow
from interviewd.models import InterviewSession
from tests.conftest import bearer
from tests.domain.auth.factories import create_admin
from tests.domain.interview.factories import GOOD_ANSWER, insert_bank
from tests.domain.profile.factories import (
    ISSUER,
    ClerkUser,
    latest_scores_by_category,
    login_token,
    make_booking,
    make_mentor,
    make_session,
    user_by_uid,
)


@pytest.fixture
async def idp_client(make_client, jwks):
    return await make_client(external_jwt_issuer=ISSUER, external_jwt_jwks_url=jwks.url,
                             ai_answers_per_minute=0)


async def run_ai_interview(client, headers: dict) -> InterviewSession:
    """Start, answer every question (and follow-up) and complete an AI interview."""
    started = await client.post("/api/sessions", headers=headers, json={
        "mode": "technical", "jobType": "Backend Engineer", "difficulty": "medium", "questionCount": 2,
        "includeCoding": False, "topics": []})
    assert started.status_code == 201, started.text
    sid = started.json()["session"]["sessionId"]
    for _ in range(2):
        nxt = await client.post(f"/api/sessions/{sid}/questions/next", headers=headers)
        assert nxt.status_code == 200, nxt.text
        answer = await client.post(f"/api/sessions/{sid}/answers", headers=headers,
                                   json={"answerText": GOOD_ANSWER, "responseTime": 60})
        assert answer.status_code == 200, answer.text
        if answer.json()["nextAction"]["type"] == "follow_up":
            follow = await client.post(f"/api/sessions/{sid}/answers", headers=headers, json={
                "answerText": "The trade-off is memory for speed; I measured it on one million rows."})
            assert follow.status_code == 200, follow.text
    done = await client.post(f"/api/sessions/{sid}/complete", headers=headers)
    assert done.status_code == 200, done.text
    async with runtime.current().sessionmaker() as session:
        return await session.scalar(select(InterviewSession).where(InterviewSession.uid == sid))


def month(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


async def test_dashboard_figures_come_from_the_users_sessions(idp_client):
    await insert_bank(coding=False, technical=3, behavioral=1)
    ada, eve = ClerkUser(), ClerkUser()
    await ada.create_profile(idp_client, firstName="Ada")
    await eve.create_profile(idp_client, firstName="Eve")
    user, other = await user_by_uid(ada.uid), await user_by_uid(eve.uid)
    linus = await make_mentor("Linus", company="Kernel Inc")
    barbara = await make_mentor("Barbara", company="MIT")
    now = utcnow()

    done = await make_booking(user.id, linus, starts_at=now - timedelta(days=10), minutes=60,
                              status="completed", rating=5, feedback="Clear and kind",
                              created_at=now - timedelta(days=14))
    later = await make_booking(user.id, linus, starts_at=now + timedelta(days=3), minutes=45,
                               session_type="System Design", created_at=now - timedelta(days=2))
    cancelled = await make_booking(user.id, barbara, starts_at=now + timedelta(days=5), status="cancelled",
                                   created_at=now - timedelta(days=3))
    soon = await make_booking(user.id, barbara, starts_at=now + timedelta(days=1), minutes=30,
                              status="pending", created_at=now - timedelta(days=1))
    practiced = await make_session(user.id, completed_at=now - timedelta(days=40), score=80, seconds=1800,
                                   title="Practice: software-dev")
    planned = await make_session(user.id, status="scheduled", scheduled_at=now + timedelta(days=2),
                                 title="Practice: data-science")
    await make_session(other.id, completed_at=now - timedelta(days=1), score=10, seconds=600)
    await make_booking(other.id, linus, starts_at=now + timedelta(hours=6))
    ai = await run_ai_interview(idp_client, ada.headers)
    assert ai.status == "completed" and ai.overall_score is not None

    response = await idp_client.get(f"/api/users/{ada.sub}/analytics", headers=ada.headers)
    assert response.status_code == 200, response.text
    board = response.json()

    assert board["stats"] == {
        "totalInterviews": 6,  # every session but the cancelled booking
        "completedCount": 3,  # the booking, the practice session and the AI interview
        "upcomingCount": 3,  # two bookings and the scheduled practice session
        "averageScore": round((80 + ai.overall_score) / 2, 1),  # the booking has no score
        "totalHoursSpent": round((3600 + 1800 + (ai.duration_seconds or 0)) / 3600, 1),
    }

    progress = board["progressData"]
    assert len(progress) == 12 and progress[-1]["month"] == month(now)
    assert [p["month"] for p in progress] == sorted(p["month"] for p in progress)
    expected: dict[str, list] = {}
    for moment, score in ((done.completed_at, None), (practiced.completed_at, 80),
                          (ai.completed_at, ai.overall_score)):
        expected.setdefault(month(moment), []).append(score)
    for item in progress:
        scores = expected.get(item["month"], [])
        assert item["interviews"] == len(scores), item
        known = [s for s in scores if s is not None]
        assert item["score"] == (round(sum(known) / len(known), 1) if known else None), item

    skills = await latest_scores_by_category(user.id)
    assert skills  # the AI interview scored answers
    assert board["skillAssessments"] == [
        {"skill": skill, "score": score, "assessedAt": isoformat_z(at)}
        for skill, (score, at) in sorted(skills.items())
    ]
    assert all(0 <= s["score"] <= 100 for s in board["skillAssessments"])

    upcoming = board["upcomingInterviews"]
    assert [u["id"] for u in upcoming] == [soon.uid, planned.uid, later.uid]
    assert upcoming[0] == {
        "id": soon.uid, "kind": "booking", "mentorId": barbara.uid, "mentorName": "Barbara", "company": "MIT",
        "title": "Mock Technical Interview", "scheduledAt": isoformat_z(soon.scheduled_at),
        "type": "Mock Technical Interview", "difficulty": None,
    }
    assert upcoming[1]["mentorName"] is None and upcoming[1]["title"] == "Practice: data-science"
    assert upcoming[2]["type"] == "System Design" and upcoming[2]["company"] == "Kernel Inc"

    activity = board["recentActivity"]
    assert 0 < len(activity) <= 10
    dates = [a["date"] for a in activity]
    assert dates == sorted(dates, reverse=True)
    kinds = {a["type"] for a in activity}
    assert {"session_completed", "skill_assessed", "session_booked"} <= kinds
    [ai_done] = [a for a in activity
                 if a["type"] == "session_completed" and a["metadata"]["sessionId"] == ai.uid]
    assert ai_done["metadata"]["kind"] == "ai"
    booked = [a["metadata"]["sessionId"] for a in activity if a["type"] == "session_booked"]
    assert booked == [soon.uid, later.uid, cancelled.uid, done.uid]  # newest booking first

    profile = (await idp_client.get(f"/api/users/{ada.sub}", headers=ada.headers)).json()
    history = profile["sessionHistory"]
    assert [h["id"] for h in history] == [cancelled.uid, later.uid, soon.uid, done.uid]
    assert history[-1] == {"id": done.uid, "mentorId": linus.uid, "date": isoformat_z(done.scheduled_at),
                           "duration": 60, "type": "Mock Technical Interview", "rating": 5,
                           "feedback": "Clear and kind"}
    assert profile["skillAssessments"] == board["skillAssessments"]


async def test_a_new_user_has_an_empty_dashboard_and_others_cannot_see_it(idp_client):
    ada, eve = ClerkUser(), ClerkUser()
    await ada.create_profile(idp_client)
    await eve.create_profile(idp_client)
    # (/api/users/me/analytics is 003's analytics, routed first.)
    board = (await idp_client.get(f"/api/users/{ada.uid}/analytics", headers=ada.headers)).json()
    assert board["stats"] == {"totalInterviews": 0, "completedCount": 0, "upcomingCount": 0,
                              "averageScore": 0.0, "totalHoursSpent": 0.0}
    assert len(board["progressData"]) == 12
    assert all(p == {"month": p["month"], "score": None, "interviews": 0} for p in board["progressData"])
    assert board["skillAssessments"] == board["upcomingInterviews"] == board["recentActivity"] == []

    for key in (ada.sub, ada.uid):
        refused = await idp_client.get(f"/api/users/{key}/analytics", headers=eve.headers)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "FORBIDDEN"
    admin = await create_admin()
    headers = bearer(await login_token(idp_client, admin["email"]))
    assert (await idp_client.get(f"/api/users/{ada.sub}/analytics", headers=headers)).status_code == 200
    missing = await idp_client.get("/api/users/user_nobody/analytics", headers=headers)
    assert missing.status_code == 404
