"""004's session limits, validation, ownership and the session lifecycle."""

from __future__ import annotations

from datetime import timedelta

import pytest

from interviewd.kit.clock import utcnow
from tests.domain.interview.factories import GOOD_ANSWER, candidate, insert_bank, move_session_start, start

pytestmark = pytest.mark.asyncio

FAST = {"ai_answers_per_minute": 0, "ai_sessions_per_day": 0}


async def _next(client, headers, sid):
    return await client.post(f"/api/sessions/{sid}/questions/next", headers=headers)


async def _answer(client, headers, sid, text=GOOD_ANSWER, **extra):
    return await client.post(f"/api/sessions/{sid}/answers", headers=headers,
                             json={"answerText": text, **extra})


@pytest.mark.parametrize("body, field", [
    ({"answerText": "too short"}, "answerText"),
    ({"answerText": "x" * 5001}, "answerText"),
    ({}, "answerText"),
    ({"codeSubmission": {"language": "ruby", "code": "puts 1"}}, "codeSubmission.language"),
    ({"codeSubmission": {"language": "python", "code": "   "}}, "codeSubmission.code"),
])
async def test_answer_validation_names_the_field(make_client, body, field):
    client = await make_client(**FAST)
    await insert_bank(coding=False)
    user = await candidate(client)
    sid = (await start(client, user["headers"]))["session"]["sessionId"]
    assert (await _next(client, user["headers"], sid)).status_code == 200
    response = await client.post(f"/api/sessions/{sid}/answers", headers=user["headers"], json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and error["details"]["field"] == field


async def test_session_request_validation(make_client):
    client = await make_client(**FAST)
    user = await candidate(client)
    for body, field in (({"mode": "karaoke"}, "mode"), ({"difficulty": "insane"}, "difficulty"),
                        ({"questionCount": 21}, "questionCount"), ({"duration": 1}, "duration")):
        response = await client.post("/api/sessions", json=body, headers=user["headers"])
        assert response.status_code == 400, (body, response.text)
        assert response.json()["error"]["details"]["field"] == field
    assert (await client.post("/api/sessions", json={"mode": "technical"})).status_code == 401


async def test_another_users_session_is_not_found_everywhere(make_client):
    client = await make_client(**FAST)
    await insert_bank(coding=False)
    owner, other = await candidate(client), await candidate(client)
    sid = (await start(client, owner["headers"], questionCount=1))["session"]["sessionId"]
    assert (await _next(client, owner["headers"], sid)).status_code == 200
    answered = (await _answer(client, owner["headers"], sid)).json()
    if answered["nextAction"]["type"] == "follow_up":
        await _answer(client, owner["headers"], sid)
    done = (await client.post(f"/api/sessions/{sid}/complete", headers=owner["headers"])).json()
    feedback_id, analysis_id = done["feedback"]["feedbackId"], answered["aiResponse"]["analysisId"]

    h = other["headers"]
    for method, path, body in (
        ("GET", f"/api/sessions/{sid}", None), ("PUT", f"/api/sessions/{sid}", {"title": "mine"}),
        ("DELETE", f"/api/sessions/{sid}", None), ("POST", f"/api/sessions/{sid}/questions/next", None),
        ("POST", f"/api/sessions/{sid}/answers", {"answerText": GOOD_ANSWER}),
        ("POST", f"/api/sessions/{sid}/complete", None), ("GET", f"/api/sessions/{sid}/transcript.pdf", None),
        ("GET", f"/api/feedback/{feedback_id}", None), ("DELETE", f"/api/feedback/{feedback_id}/share", None),
        ("POST", f"/api/feedback/{feedback_id}/share", None), ("GET", f"/api/analysis/{analysis_id}", None),
        ("GET", f"/api/analysis/feedback/{analysis_id}", None),
    ):
        response = await client.request(method, path, json=body, headers=h)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["error"]["code"] == "NOT_FOUND"
    assert (await client.get(f"/api/sessions/{sid}", headers=owner["headers"])).status_code == 200


async def test_sessions_per_day(make_client):
    client = await make_client(ai_sessions_per_day=2, ai_answers_per_minute=0)
    user, other = await candidate(client), await candidate(client)
    await start(client, user["headers"])
    await start(client, user["headers"])
    refused = await client.post("/api/sessions", json={"mode": "technical"}, headers=user["headers"])
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    assert 0 < int(refused.headers["retry-after"]) <= 24 * 3600
    await start(client, other["headers"])  # counted per user


async def test_answers_per_minute(make_client):
    client = await make_client(ai_answers_per_minute=1, ai_sessions_per_day=0, ai_follow_ups=False)
    await insert_bank(coding=False)
    user = await candidate(client)
    sid = (await start(client, user["headers"]))["session"]["sessionId"]
    await _next(client, user["headers"], sid)
    assert (await _answer(client, user["headers"], sid)).status_code == 200
    await _next(client, user["headers"], sid)
    refused = await _answer(client, user["headers"], sid)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "RATE_LIMITED"
    assert 0 < int(refused.headers["retry-after"]) <= 60
    detail = (await client.get(f"/api/sessions/{sid}", headers=user["headers"])).json()["session"]
    assert detail["questions"][-1]["status"] == "presented"  # the refused answer left no trace


async def test_question_cap_and_skipping(make_client):
    client = await make_client(ai_max_questions=2, **FAST)
    await insert_bank(coding=False)
    user = await candidate(client)
    created = await start(client, user["headers"], questionCount=None, duration=60)
    sid = created["session"]["sessionId"]
    assert created["session"]["questionCount"] == 2
    first = (await _next(client, user["headers"], sid)).json()["question"]
    second = (await _next(client, user["headers"], sid)).json()["question"]  # skips the first
    assert first["questionId"] != second["questionId"]
    capped = await _next(client, user["headers"], sid)
    assert capped.status_code == 409 and capped.json()["error"]["code"] == "CONFLICT"
    detail = (await client.get(f"/api/sessions/{sid}", headers=user["headers"])).json()["session"]
    assert [q["status"] for q in detail["questions"]] == ["skipped", "presented"]


async def test_session_past_max_duration_is_abandoned(make_client):
    client = await make_client(**FAST)
    await insert_bank(coding=False)
    user = await candidate(client)
    sid = (await start(client, user["headers"]))["session"]["sessionId"]
    await _next(client, user["headers"], sid)
    await move_session_start(sid, started_at=utcnow() - timedelta(hours=2, minutes=1))
    refused = await _answer(client, user["headers"], sid)
    assert refused.status_code == 409 and refused.json()["error"]["details"]["status"] == "abandoned"
    detail = (await client.get(f"/api/sessions/{sid}", headers=user["headers"])).json()["session"]
    assert detail["status"] == "abandoned"  # the abandonment was kept despite the 409
    assert (await client.post(f"/api/sessions/{sid}/complete", headers=user["headers"])).status_code == 409
    assert (await _next(client, user["headers"], sid)).status_code == 409


async def test_pending_session_also_expires_when_read(make_client):
    client = await make_client(ai_session_max_duration=60, **FAST)
    user = await candidate(client)
    sid = (await start(client, user["headers"]))["session"]["sessionId"]
    await move_session_start(sid, created_at=utcnow() - timedelta(minutes=2))
    detail = (await client.get(f"/api/sessions/{sid}", headers=user["headers"])).json()["session"]
    assert detail["status"] == "abandoned"


async def test_vague_answer_gets_one_follow_up(make_client):
    client = await make_client(**FAST)
    await insert_bank(coding=False, behavioral=0, technical=1)
    user = await candidate(client)
    sid = (await start(client, user["headers"], questionCount=1))["session"]["sessionId"]
    await _next(client, user["headers"], sid)
    vague = await _answer(client, user["headers"], sid, "It depends on many things really, it is fine.")
    assert vague.status_code == 200
    body = vague.json()
    assert body["aiResponse"]["followUp"] is True and body["aiResponse"]["followUpQuestion"]
    assert body["nextAction"] == {"type": "follow_up", "message": body["aiResponse"]["followUpQuestion"],
                                  "maxResponseTime": 120}
    follow = await _answer(client, user["headers"], sid)
    assert follow.status_code == 200 and follow.json()["answer"]["isFollowUp"] is True
    assert follow.json()["nextAction"]["type"] == "complete"
    third = await _answer(client, user["headers"], sid)
    assert third.status_code == 409
    detail = (await client.get(f"/api/sessions/{sid}", headers=user["headers"])).json()["session"]
    assert len(detail["questions"][0]["answers"]) == 2
    assert detail["questions"][0]["followUp"] == body["aiResponse"]["followUpQuestion"]


async def test_lifecycle_conflicts_update_and_delete(make_client):
    client = await make_client(**FAST)
    await insert_bank(coding=False)
    user = await candidate(client)
    h = user["headers"]
    sid = (await start(client, h))["session"]["sessionId"]
    assert (await _answer(client, h, sid)).status_code == 409  # no question yet
    assert (await client.post(f"/api/sessions/{sid}/complete", headers=h)).status_code == 409  # no answer
    updated = await client.put(f"/api/sessions/{sid}", headers=h,
                               json={"title": "Friday practice", "metadata": {"platform": "web"}})
    assert updated.status_code == 200
    assert updated.json()["session"]["title"] == "Friday practice"
    assert updated.json()["session"]["metadata"] == {"platform": "web"}
    abandoned = await client.put(f"/api/sessions/{sid}", headers=h, json={"status": "abandoned"})
    assert abandoned.json()["session"]["status"] == "abandoned"
    assert (await _next(client, h, sid)).status_code == 409
    bad = await client.put(f"/api/sessions/{sid}", headers=h, json={"status": "completed"})
    assert bad.status_code == 400

    sid2 = (await start(client, h, questionCount=1))["session"]["sessionId"]
    await _next(client, h, sid2)
    answered = (await _answer(client, h, sid2)).json()
    if answered["nextAction"]["type"] == "follow_up":
        await _answer(client, h, sid2)
    assert (await client.get(f"/api/sessions/{sid2}/transcript.pdf", headers=h)).status_code == 404
    assert (await client.post(f"/api/sessions/{sid2}/complete", headers=h)).status_code == 200
    assert (await client.post(f"/api/sessions/{sid2}/complete", headers=h)).status_code == 409
    assert (await _answer(client, h, sid2)).status_code == 409
    analysis_id = answered["aiResponse"]["analysisId"]
    assert (await client.get(f"/api/analysis/{analysis_id}", headers=h)).status_code == 200
    deleted = await client.delete(f"/api/sessions/{sid2}", headers=h)
    assert deleted.status_code == 204
    assert (await client.get(f"/api/sessions/{sid2}", headers=h)).status_code == 404
    assert (await client.get(f"/api/analysis/{analysis_id}", headers=h)).status_code == 404


async def test_korean_session_speaks_korean_and_asks_korean_questions(make_client):
    client = await make_client(**FAST)
    await insert_bank(coding=False, prefix="en")
    await insert_bank(coding=False, prefix="ko", language="ko")
    user = await candidate(client)
    created = await start(client, user["headers"], language="ko", jobType="백엔드 개발자")
    assert created["session"]["interviewLanguage"] == "ko" and created["session"]["language"] is None
    assert created["session"]["aiInterviewer"]["name"] == "민준"
    assert "면접" in created["nextAction"]["message"]
    sid = created["session"]["sessionId"]
    question = (await _next(client, user["headers"], sid)).json()["question"]
    assert question["language"] == "ko"


async def test_recently_seen_questions_are_avoided_while_others_remain(make_client):
    client = await make_client(**FAST)
    await insert_bank(coding=False, technical=3, behavioral=0)
    user = await candidate(client)
    h = user["headers"]
    first = (await start(client, h, questionCount=2))["session"]["sessionId"]
    seen = {(await _next(client, h, first)).json()["question"]["questionId"] for _ in range(2)}
    second = (await start(client, h, questionCount=2))["session"]["sessionId"]
    fresh = (await _next(client, h, second)).json()["question"]["questionId"]
    assert fresh not in seen  # the third question, never shown before
    again = (await _next(client, h, second)).json()["question"]["questionId"]
    assert again in seen and again != fresh  # the bank ran out of unseen ones: reuse, never repeat
