"""Contract 001: GET /api/analytics/dashboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.domain.practice.factories import admin, candidate, completed_session, new_session, seed_domains


@pytest.fixture
async def user(client) -> dict:
    await seed_domains()
    return await candidate(client)


async def test_an_empty_dashboard(client, user):
    response = await client.get("/api/analytics/dashboard", headers=user["headers"])
    assert response.status_code == 200
    assert response.json() == {
        "totalSessions": 0, "averageScore": None, "currentStreak": 0, "bestStreak": 0,
        "experiencePoints": 0, "timezone": "UTC", "recentSessions": [], "domainProgress": [],
        "achievements": [],
    }
    assert (await client.get("/api/analytics/dashboard")).status_code == 401


async def test_dashboard_figures(client, user):
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    days = [today - timedelta(days=n) for n in (2, 1, 0)]
    first = await completed_session(client, user, days[0], score=80, domain="software-dev")
    middle = await completed_session(client, user, days[1], score=90, domain="software-dev")
    last = await completed_session(client, user, days[2], score=100, domain="sales")
    await new_session(client, user)  # scheduled, never completed: not counted

    body = (await client.get("/api/analytics/dashboard", headers=user["headers"],
                             params={"userId": user["userId"]})).json()
    assert body["totalSessions"] == 3 and body["averageScore"] == 90
    assert (body["currentStreak"], body["bestStreak"]) == (3, 3)
    assert [s["_id"] for s in body["recentSessions"]] == [last, middle, first]
    assert body["recentSessions"][0] == {"_id": last, "domain": "sales", "score": 100,
                                         "completedAt": days[2].isoformat().replace("+00:00", "Z")}
    assert body["domainProgress"] == [
        {"domain": "software-dev", "proficiency": 85, "sessionsCompleted": 2},
        {"domain": "sales", "proficiency": 100, "sessionsCompleted": 1},
    ]
    codes = {a["code"] for a in body["achievements"]}
    assert codes == {"FIRST_SESSION", "STREAK_3", "HIGH_SCORE", "PERFECT_SCORE"}
    assert all(a["title"] and a["unlockedAt"].endswith("Z") for a in body["achievements"])
    # 3 x 50 + (40 + 45 + 50) + 2 streak days x 25 + achievements 50 + 75 + 150 + 300
    assert body["experiencePoints"] == 150 + 135 + 50 + 575


async def test_another_users_dashboard_is_forbidden_unless_admin(client, user):
    other = await candidate(client)
    await completed_session(client, other, datetime.now(UTC), score=70)
    forbidden = await client.get("/api/analytics/dashboard", headers=user["headers"],
                                 params={"userId": other["userId"]})
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "FORBIDDEN"
    boss = await admin(client)
    seen = await client.get("/api/analytics/dashboard", headers=boss["headers"],
                            params={"userId": other["userId"]})
    assert seen.status_code == 200 and seen.json()["totalSessions"] == 1
