"""003's /api/users/me/analytics and 004's analytics routes over real AI
sessions: shapes as the contracts write them, figures that follow from the
data, and 400s for bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import bearer
from tests.domain.analytics.factories import FAST, ai_session, candidate, insert_bank, set_session

pytestmark = pytest.mark.asyncio


async def test_overview_has_003s_shape_and_the_user_figures(make_client):
    client = await make_client(**FAST)
    await insert_bank(technical=3, behavioral=0, coding=False)
    user = await candidate(client)
    done = await ai_session(client, user, questions=2)
    await ai_session(client, user, questions=1, complete=False)

    response = await client.get("/api/users/me/analytics", headers=user["headers"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    analytics = body["analytics"]
    assert set(analytics) >= {"overview", "performanceByCategory", "skillProgress", "recentActivity",
                              "recommendations"}
    overview = analytics["overview"]
    assert overview["totalSessions"] == 2
    # The open session does not count against the completion rate.
    assert overview["completionRate"] == 100.0
    assert overview["streakDays"] == 1
    assert isinstance(overview["totalHours"], float)
    detail = (await client.get(f"/api/sessions/{done}", headers=user["headers"])).json()["session"]
    assert overview["averageScore"] == round(detail["overallScore"], 1)

    categories = analytics["performanceByCategory"]
    assert categories
    assert all(set(c) >= {"category", "averageScore", "sessionCount", "trend"} for c in categories)
    assert sum(c["questionCount"] for c in categories) == 3
    assert all(c["trend"] == "stable" for c in categories)  # too few answers for a trend
    progress = analytics["skillProgress"]
    assert all(set(p) >= {"skill", "currentLevel", "progress", "nextMilestone"} for p in progress)
    assert all(p["currentLevel"] in ("beginner", "intermediate", "advanced", "expert") for p in progress)
    today = datetime.now(UTC).date().isoformat()
    assert analytics["recentActivity"][0]["date"] == today
    assert analytics["recentActivity"][0]["sessions"] == 2
    assert all(set(r) == {"type", "content", "priority"} | ({"skill"} if "skill" in r else set())
               for r in analytics["recommendations"])
    assert analytics["recommendations"]


async def test_a_new_user_gets_zeros_and_a_getting_started_recommendation(client):
    user = await candidate(client)
    analytics = (await client.get("/api/users/me/analytics", headers=user["headers"])).json()["analytics"]
    assert analytics["overview"] == {"totalSessions": 0, "averageScore": None, "completionRate": 0.0,
                                     "streakDays": 0, "totalHours": 0.0}
    assert analytics["performanceByCategory"] == [] and analytics["recentActivity"] == []
    assert analytics["recommendations"][0]["type"] == "getting_started"

    stats = (await client.get("/api/analytics/user-stats", headers=user["headers"])).json()["stats"]
    assert stats["metrics"] == {"sessionsCompleted": 0, "averageScore": None, "timeSpent": 0,
                                "questionsAnswered": 0, "improvementRate": None}
    assert stats["skillBreakdown"] == {}


async def test_user_stats_is_004s_user_analytics(make_client):
    client = await make_client(**FAST)
    await insert_bank(technical=3, behavioral=0, coding=False)
    user = await candidate(client)
    first = await ai_session(client, user, questions=2)
    second = await ai_session(client, user, questions=1)
    now = datetime.now(UTC)
    await set_session(first, overall_score=50.0, completed_at=now - timedelta(hours=3), duration_seconds=600)
    await set_session(second, overall_score=75.0, completed_at=now - timedelta(hours=1), duration_seconds=300)

    response = await client.get("/api/analytics/user-stats", headers=user["headers"])
    assert response.status_code == 200, response.text
    stats = response.json()["stats"]
    assert stats["userId"] == user["userId"]
    assert stats["metrics"] == {"sessionsCompleted": 2, "averageScore": 62.5, "timeSpent": 900,
                                "questionsAnswered": 3, "improvementRate": 50.0}
    breakdown = stats["skillBreakdown"]
    assert sum(item["questionsCount"] for item in breakdown.values()) == 3
    assert all(set(item) == {"score", "trend", "questionsCount"} for item in breakdown.values())
    assert stats["createdAt"].endswith("Z")


@pytest.mark.parametrize("path", ["/api/users/me/analytics", "/api/analytics/user-stats",
                                  "/api/analytics/progress", "/api/analytics/skills",
                                  "/api/analytics/benchmarks"])
async def test_every_route_needs_a_signed_in_user(client, path):
    response = await client.get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"
    response = await client.get(path, headers=bearer("not-a-token"))
    assert response.status_code == 401
    assert (await client.post("/api/analytics/export", json={})).status_code == 401


@pytest.mark.parametrize("query", ["period=hourly", "granularity=year", "timezone=Mars/Olympus",
                                   "startDate=2026-13-01", "startDate=2026-02-01&endDate=2026-01-01",
                                   "period=day&granularity=week",
                                   "period=day&startDate=2000-01-01&endDate=2026-01-01",
                                   "period=month&startDate=9999-12-31&endDate=9999-12-31",
                                   "startDate=0001-01-01&endDate=0001-01-02"])
async def test_bad_progress_queries_are_400(client, query):
    user = await candidate(client)
    response = await client.get(f"/api/analytics/progress?{query}", headers=user["headers"])
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_unknown_timezone_is_400_on_every_route_that_takes_one(client):
    user = await candidate(client)
    for path in ("/api/users/me/analytics", "/api/analytics/user-stats"):
        response = await client.get(path, params={"timezone": "Nowhere/Town"}, headers=user["headers"])
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    response = await client.post("/api/analytics/export", json={"format": "xml"}, headers=user["headers"])
    assert response.status_code == 400
