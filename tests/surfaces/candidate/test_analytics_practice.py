"""Self-practice sessions (001) count beside AI sessions: in the overview,
the progress buckets and the streak; their metrics and achievements are in
the export. 001's own dashboard keeps answering as before."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.domain.analytics.factories import FAST, ai_session, insert_bank
from tests.domain.practice.factories import candidate, completed_session, new_session, seed_domains

pytestmark = pytest.mark.asyncio


async def test_practice_and_ai_sessions_together(make_client):
    client = await make_client(**FAST)
    await seed_domains()
    await insert_bank(technical=2, behavioral=0, coding=False)
    user = await candidate(client)
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    yesterday = today - timedelta(days=1)
    practice = await completed_session(client, user, yesterday, score=60, domain="software-dev")
    await new_session(client, user)  # scheduled: open, not in the completion rate
    ai = await ai_session(client, user, questions=1)

    analytics = (await client.get("/api/users/me/analytics", headers=user["headers"])).json()["analytics"]
    overview = analytics["overview"]
    assert overview["totalSessions"] == 3 and overview["completionRate"] == 100.0
    assert overview["streakDays"] == 2  # yesterday's practice, today's AI session
    ai_score = (await client.get(f"/api/sessions/{ai}", headers=user["headers"])).json()["session"]
    assert overview["averageScore"] == round((60 + ai_score["overallScore"]) / 2, 1)

    days = {b["date"]: b for b in (await client.get(
        "/api/analytics/progress", params={"startDate": yesterday.date().isoformat()},
        headers=user["headers"])).json()["progress"]["buckets"]}
    assert days[yesterday.date().isoformat()]["sessionsCompleted"] == 1
    assert days[yesterday.date().isoformat()]["averageScore"] == 60.0
    assert days[today.date().isoformat()]["sessions"] == 2  # the open practice session, the AI one

    exported = json.loads((await client.post("/api/analytics/export", headers=user["headers"])).content)
    assert {s["kind"] for s in exported["sessions"]} == {"practice", "ai"}
    [details] = [p for p in exported["practiceSessions"] if p["sessionId"] == practice]
    assert details["domain"] == "software-dev" and details["metrics"]["overallPerformanceScore"] == 60
    assert "FIRST_SESSION" in {a["code"] for a in exported["achievements"]}

    dashboard = await client.get("/api/analytics/dashboard", headers=user["headers"])
    assert dashboard.status_code == 200 and dashboard.json()["totalSessions"] == 1
