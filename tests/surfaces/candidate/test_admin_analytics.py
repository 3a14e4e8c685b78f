"""/api/admin/analytics (004): platform totals, the daily series and average
scores by question category."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.domain.admin.factories import account, admin_account, insert_evaluation, insert_session

pytestmark = pytest.mark.asyncio


async def test_totals_daily_series_and_category_scores(client):
    admin = await admin_account(client)
    ann = await account(client)
    ben = await account(client, role="mentor")
    cat = await account(client)
    now = datetime.now(UTC)
    today = now.date()
    three_days_ago = now - timedelta(days=3)
    await insert_session(ann["id"], kind="ai", status="completed", created_at=three_days_ago)
    await insert_session(ben["id"], kind="booking", status="scheduled", created_at=three_days_ago)
    await insert_session(ann["id"], kind="practice", status="completed", created_at=three_days_ago)
    await insert_session(ann["id"], kind="ai", status="completed", created_at=now - timedelta(days=40))
    await insert_session(cat["id"], kind="ai", status="in_progress")
    await insert_evaluation(ann["id"], category="algorithms", score=80, created_at=three_days_ago)
    await insert_evaluation(ann["id"], category="algorithms", score=61, created_at=three_days_ago)
    await insert_evaluation(cat["id"], category="behavioral", score=50)
    await insert_evaluation(cat["id"], category=None, score=70)
    await insert_evaluation(ann["id"], category="behavioral", score=10, created_at=now - timedelta(days=40))

    response = await client.get("/api/admin/analytics", headers=admin["headers"])
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["window"]["days"] == 30
    totals = data["totals"]
    assert totals["users"]["total"] == 4
    assert totals["users"]["byRole"] == {"candidate": 2, "mentor": 1, "interviewer": 0, "admin": 1}
    assert totals["users"]["byStatus"] == {"active": 4, "pending": 0, "disabled": 0}
    assert totals["sessions"] == {"total": 5, "byKind": {"ai": 3, "booking": 1, "practice": 1},
                                  "byStatus": {"completed": 3, "scheduled": 1, "in_progress": 1}}
    assert totals["evaluations"] == 5

    daily = data["daily"]
    assert len(daily) == 30
    assert daily[-1]["date"] == today.isoformat()
    assert daily[0]["date"] == (today - timedelta(days=29)).isoformat()
    by_date = {d["date"]: d for d in daily}
    # Today: four sign-ins (registrations and the admin's login) and one session.
    assert by_date[today.isoformat()] == {"date": today.isoformat(), "activeUsers": 4, "newUsers": 4,
                                          "sessions": 1}
    # Three days ago: Ann twice and Ben once started sessions.
    assert by_date[three_days_ago.date().isoformat()] == {
        "date": three_days_ago.date().isoformat(), "activeUsers": 2, "newUsers": 0, "sessions": 3}
    assert sum(d["sessions"] for d in daily) == 4

    # The 40-day-old evaluation is outside the window.
    assert data["averageScoresByCategory"] == [
        {"category": "algorithms", "averageScore": 70.5, "count": 2},
        {"category": "behavioral", "averageScore": 50.0, "count": 1},
        {"category": "uncategorized", "averageScore": 70.0, "count": 1},
    ]

    wide = (await client.get("/api/admin/analytics", headers=admin["headers"], params={"days": 60})).json()
    assert len(wide["daily"]) == 60 and sum(d["sessions"] for d in wide["daily"]) == 5
    assert {c["category"]: c["count"] for c in wide["averageScoresByCategory"]}["behavioral"] == 2
    one = (await client.get("/api/admin/analytics", headers=admin["headers"], params={"days": 1})).json()
    assert [d["date"] for d in one["daily"]] == [today.isoformat()]


@pytest.mark.parametrize("days", ["0", "366", "-5", "ten", "1.5"])
async def test_bad_window_is_400(client, days):
    admin = await admin_account(client)
    response = await client.get("/api/admin/analytics", headers=admin["headers"], params={"days": days})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert response.json()["error"]["details"]["field"] == "days"
