"""Contract 001: domains and practice sessions at /api."""

from __future__ import annotations

import pytest

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.models import Recording
from tests.domain.practice.factories import admin, candidate, new_session, seed_domains

CONTRACT_METRICS = {
    "postureScore": 85, "eyeContactScore": 80, "gestureScore": 75, "speechPaceWpm": 125,
    "speechClarityScore": 88, "fillerWordFrequency": 0.08,
    "emotionTimeline": [{"label": "neutral", "probability": 0.7, "timestamp": 0}],
    "overallPerformanceScore": 82,
}


@pytest.fixture
async def user(client) -> dict:
    await seed_domains()
    return await candidate(client)


async def test_domains_are_listed_for_signed_in_users_only(client, user):
    assert (await client.get("/api/domains")).status_code == 401
    response = await client.get("/api/domains", headers=user["headers"])
    assert response.status_code == 200
    domains = response.json()
    slugs = {d["slug"] for d in domains}
    assert {"software-dev", "data-science", "product-management", "design", "sales", "finance"} <= slugs
    assert all(set(d) == {"_id", "slug", "name", "description"} for d in domains)


async def test_create_session_answers_the_contract_shape(client, user):
    [domain] = [d for d in (await client.get("/api/domains", headers=user["headers"])).json()
                if d["slug"] == "data-science"]
    response = await client.post("/api/interviews/sessions", headers=user["headers"], json={
        "userId": user["userId"], "domainId": domain["_id"], "sessionType": "mock",
        "scheduledAt": "2024-12-25T10:30:00Z"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"] == user["userId"] and body["domain"] == domain["_id"]
    assert body["sessionType"] == "mock" and body["status"] == "scheduled"
    assert body["scheduledAt"] == "2024-12-25T10:30:00Z" and isinstance(body["_id"], str)
    # A slug is accepted as the domainId too; the session shows the domain's id.
    by_slug = await new_session(client, user, domain="data-science", session_type="video")
    assert by_slug["domain"] == domain["_id"] and by_slug["scheduledAt"] is None


@pytest.mark.parametrize(("payload", "field"), [
    ({"domainId": "no-such-domain"}, "domainId"),
    ({"domainId": "software-dev", "sessionType": "interpretive-dance"}, "sessionType"),
    ({}, "domainId"),
    ({"domainId": "software-dev", "scheduledAt": "not a date"}, "scheduledAt"),
])
async def test_create_session_validation(client, user, payload, field):
    response = await client.post("/api/interviews/sessions", headers=user["headers"], json=payload)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert body["error"]["details"]["field"] == field


async def test_sessions_for_someone_else_are_forbidden_unless_admin(client, user):
    other = await candidate(client)
    forbidden = await client.post("/api/interviews/sessions", headers=user["headers"],
                                  json={"userId": other["userId"], "domainId": "sales"})
    assert forbidden.status_code == 403
    assert (await client.get("/api/interviews/sessions", headers=user["headers"],
                             params={"userId": other["userId"]})).status_code == 403

    boss = await admin(client)
    made = await client.post("/api/interviews/sessions", headers=boss["headers"],
                             json={"userId": other["userId"], "domainId": "sales"})
    assert made.status_code == 201 and made.json()["user"] == other["userId"]
    listed = await client.get("/api/interviews/sessions", headers=boss["headers"],
                              params={"userId": other["userId"]})
    assert [s["_id"] for s in listed.json()] == [made.json()["_id"]]
    unknown = await client.get("/api/interviews/sessions", headers=boss["headers"],
                               params={"userId": "nobody"})
    assert unknown.status_code == 404


async def test_list_is_a_plain_array_or_a_page(client, user):
    ids = [(await new_session(client, user))["_id"] for _ in range(3)]
    other = await candidate(client)
    await new_session(client, other)

    plain = await client.get("/api/interviews/sessions", headers=user["headers"],
                             params={"userId": user["userId"]})
    assert plain.status_code == 200
    assert [s["_id"] for s in plain.json()] == ids[::-1]
    assert {"_id", "domain", "sessionType", "status", "scheduledAt", "completedAt",
            "overallScore"} <= set(plain.json()[0])

    page = await client.get("/api/interviews/sessions", headers=user["headers"],
                            params={"page": 2, "pageSize": 2})
    assert page.json() == {**page.json(), "total": 3, "page": 2, "pageSize": 2, "totalPages": 2}
    assert [s["_id"] for s in page.json()["items"]] == ids[:1]
    for params in ({"page": 0}, {"pageSize": 0}, {"pageSize": 10_000}, {"page": "x"}):
        bad = await client.get("/api/interviews/sessions", headers=user["headers"], params=params)
        assert bad.status_code == 400, params


async def test_metrics_complete_the_session_and_derive_feedback(client, user):
    created = await new_session(client, user, session_type="video")
    url = f"/api/interviews/sessions/{created['_id']}"
    before = await client.get(url, headers=user["headers"])
    assert before.json()["status"] == "scheduled" and before.json()["recording"] is None

    response = await client.patch(f"{url}/metrics", headers=user["headers"],
                                  json={"metrics": CONTRACT_METRICS})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["_id"] == created["_id"] and body["status"] == "completed"
    assert body["overallScore"] == 82
    assert "Reduce filler words usage" in body["recommendations"]

    session = (await client.get(url, headers=user["headers"])).json()
    assert session["status"] == "completed" and session["completedAt"]
    assert session["overallScore"] == 82 and session["recommendations"] == body["recommendations"]
    categories = {f["category"]: f for f in session["feedback"]}
    assert categories["eye-contact"]["score"] == 80
    assert categories["eye-contact"]["comments"] == "Good eye contact maintained throughout"
    assert categories["pace"]["score"] == 100
    assert set(categories) == {"posture", "eye-contact", "gestures", "speech-clarity", "pace",
                               "filler-words", "emotion"}

    analytics = await client.get(f"/api/analytics/sessions/{created['_id']}", headers=user["headers"])
    assert analytics.status_code == 200
    assert analytics.json() == {**analytics.json(), "sessionId": created["_id"], **CONTRACT_METRICS,
                                "recommendations": body["recommendations"]}


async def test_patching_again_recomputes_but_keeps_the_completion_time(client, user):
    created = await new_session(client, user)
    url = f"/api/interviews/sessions/{created['_id']}"
    first = await client.patch(f"{url}/metrics", headers=user["headers"],
                               json={"metrics": {"speechPaceWpm": 210, "eyeContactScore": 50}})
    assert first.json()["overallScore"] == pytest.approx((37.5 * 0.15 + 50 * 0.2) / 0.35, abs=0.1)
    assert first.json()["recommendations"] == ["Work on pacing - speaking too fast",
                                               "Work on maintaining consistent eye contact"]
    completed_at = (await client.get(url, headers=user["headers"])).json()["completedAt"]
    second = await client.patch(f"{url}/metrics", headers=user["headers"],
                                json={"metrics": {"speechPaceWpm": 140, "eyeContactScore": 95}})
    assert second.json()["overallScore"] == pytest.approx((100 * 0.15 + 95 * 0.2) / 0.35, abs=0.1)
    assert second.json()["recommendations"] == ["Keep practising regularly to maintain your performance"]
    assert (await client.get(url, headers=user["headers"])).json()["completedAt"] == completed_at


@pytest.mark.parametrize(("metrics", "field"), [
    ({"postureScore": 101}, "metrics.postureScore"),
    ({"eyeContactScore": -1}, "metrics.eyeContactScore"),
    ({"speechPaceWpm": 401}, "metrics.speechPaceWpm"),
    ({"fillerWordFrequency": 1.5}, "metrics.fillerWordFrequency"),
    ({"overallPerformanceScore": 100.5}, "metrics.overallPerformanceScore"),
    ({"emotionTimeline": [{"label": "", "probability": 0.5, "timestamp": 0}]},
     "metrics.emotionTimeline.0.label"),
    ({"emotionTimeline": [{"label": "happy", "probability": 1.2, "timestamp": 0}]},
     "metrics.emotionTimeline.0.probability"),
    ({"emotionTimeline": [{"label": "happy", "probability": 0.2, "timestamp": 3},
                          {"label": "happy", "probability": 0.2, "timestamp": -3}]},
     "metrics.emotionTimeline.1.timestamp"),
    ({}, "metrics"),
])
async def test_metrics_are_range_checked(client, user, metrics, field):
    created = await new_session(client, user)
    response = await client.patch(f"/api/interviews/sessions/{created['_id']}/metrics",
                                  headers=user["headers"], json={"metrics": metrics})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert response.json()["error"]["details"]["field"] == field
    after = await client.get(f"/api/interviews/sessions/{created['_id']}", headers=user["headers"])
    assert after.json()["status"] == "scheduled"


async def test_another_users_session_is_not_found(client, user):
    other = await candidate(client)
    created = await new_session(client, user)
    for method, path, kwargs in (
        ("GET", f"/api/interviews/sessions/{created['_id']}", {}),
        ("PATCH", f"/api/interviews/sessions/{created['_id']}/metrics",
         {"json": {"metrics": {"postureScore": 50}}}),
        ("GET", f"/api/analytics/sessions/{created['_id']}", {}),
        ("GET", "/api/interviews/sessions/does-not-exist", {}),
    ):
        response = await client.request(method, path, headers=other["headers"], **kwargs)
        assert response.status_code == 404, (method, path)
        assert response.json()["error"]["code"] == "NOT_FOUND"
    still = await client.get(f"/api/interviews/sessions/{created['_id']}", headers=user["headers"])
    assert still.json()["status"] == "scheduled"
    boss = await admin(client)
    assert (await client.get(f"/api/interviews/sessions/{created['_id']}",
                             headers=boss["headers"])).status_code == 200


async def test_session_analytics_before_metrics_is_empty(client, user):
    created = await new_session(client, user)
    response = await client.get(f"/api/analytics/sessions/{created['_id']}", headers=user["headers"])
    assert response.status_code == 200
    body = response.json()
    assert body["sessionId"] == created["_id"] and body["postureScore"] is None
    assert body["emotionTimeline"] == [] and body["recommendations"] == []
    assert body["overallPerformanceScore"] is None and body["status"] == "scheduled"


async def test_a_stored_recording_shows_a_recording_object(client, user):
    created = await new_session(client, user, session_type="video")
    async with unit_of_work(runtime.current().sessionmaker) as session:
        from sqlalchemy import select

        from interviewd.models import InterviewSession
        row = await session.scalar(select(InterviewSession).where(InterviewSession.uid == created["_id"]))
        session.add(Recording(session_id=row.id, user_id=row.user_id, media_kind="video",
                              content_type="video/webm", size_bytes=10, storage_key="k/v.webm"))
    body = (await client.get(f"/api/interviews/sessions/{created['_id']}", headers=user["headers"])).json()
    assert set(body["recording"]) == {"videoUrl", "audioUrl", "transcriptUrl"}
    assert body["recording"]["videoUrl"].startswith("http") and body["recording"]["audioUrl"] is None
