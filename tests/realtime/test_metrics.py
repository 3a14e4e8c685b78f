"""metrics:send -> validated, stored (throttled), answered with metrics:update."""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx

from tests.realtime.conftest import MIN_INTERVAL, TIMELINE_MAX, live_timeline, old_sample, sign_up

SAMPLE = {"postureScore": 85, "eyeContactScore": 80.5, "speechPaceWpm": 125,
          "fillerWordFrequency": 0.08,
          "emotionTimeline": [{"label": "neutral", "probability": 0.7, "timestamp": 0}]}


def _is_recent_utc(text: str) -> bool:
    assert text.endswith("Z"), text
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return abs((datetime.now(moment.tzinfo) - moment).total_seconds()) < 120


async def test_a_sample_reaches_every_socket_of_its_user_and_no_other(
        server, connect, practice_session, database_url):
    alice, bob = await sign_up(server.url), await sign_up(server.url)
    session_id = await practice_session(alice["userId"])
    sender = await connect(server.url, {"token": alice["accessToken"]})
    other_tab = await connect(server.url, {"token": alice["accessToken"]}, transports=["websocket"])
    stranger = await connect(server.url, {"token": bob["accessToken"]})

    await sender.emit({"sessionId": session_id, **SAMPLE, "unknownField": "ignored"})

    seen = [await sender.inbox.next("metrics:update"), await other_tab.inbox.next("metrics:update")]
    assert seen[0] == seen[1]
    update = seen[0]
    assert set(update) == {"sessionId", "metrics", "stored", "timelineLength"}
    assert update["sessionId"] == session_id
    assert update["stored"] is True and update["timelineLength"] == 1
    metrics = dict(update["metrics"])
    assert _is_recent_utc(metrics.pop("timestamp"))
    assert metrics == SAMPLE

    stored = await live_timeline(database_url, session_id)
    assert stored == [update["metrics"]]
    # Bob's socket heard nothing: give a stray delivery time to arrive.
    await asyncio.sleep(0.5)
    assert stranger.inbox.pending("metrics:update") == 0
    assert sender.inbox.pending("metrics:error") == 0


async def test_invalid_payloads_answer_metrics_error_to_the_sender_only(
        server, connect, practice_session, database_url):
    alice = await sign_up(server.url)
    session_id = await practice_session(alice["userId"])
    sender = await connect(server.url, {"token": alice["accessToken"]})
    other_tab = await connect(server.url, {"token": alice["accessToken"]})

    cases = [
        ({"sessionId": session_id, "postureScore": 101}, "postureScore"),
        ({"sessionId": session_id, "speechPaceWpm": 401}, "speechPaceWpm"),
        ({"sessionId": session_id, "fillerWordFrequency": 1.5}, "fillerWordFrequency"),
        ({"sessionId": session_id, "eyeContactScore": "high"}, "eyeContactScore"),
        ({"sessionId": session_id, "emotionTimeline": [{"label": "joy", "probability": 2, "timestamp": 0}]},
         "emotionTimeline.0.probability"),
        ({"sessionId": session_id, "emotionTimeline": [{"label": "joy", "probability": 1, "timestamp": -1}]},
         "emotionTimeline.0.timestamp"),
        ({"postureScore": 80}, "sessionId"),
        ("not an object", "payload"),
    ]
    for payload, field in cases:
        answer = await sender.send(payload)
        error = await sender.inbox.next("metrics:error")
        assert error["code"] == "VALIDATION_ERROR" and error["message"] == "Invalid metrics"
        assert field in error["details"], (payload, error)
        assert answer == {"ok": False, **error}

    assert sender.client.connected
    assert other_tab.inbox.pending("metrics:error") == 0
    assert sender.inbox.pending("metrics:update") == 0
    assert await live_timeline(database_url, session_id) == []


async def test_samples_within_the_interval_are_answered_but_stored_once(
        server, connect, practice_session, database_url):
    alice = await sign_up(server.url)
    session_id = await practice_session(alice["userId"])
    sender = await connect(server.url, {"token": alice["accessToken"]})

    first = await sender.send({"sessionId": session_id, "postureScore": 70})
    second = await sender.send({"sessionId": session_id, "postureScore": 71})

    assert first["ok"] and first["stored"] is True and first["timelineLength"] == 1
    assert second["ok"] and second["stored"] is False and second["timelineLength"] == 1
    assert second["metrics"]["postureScore"] == 71
    updates = [await sender.inbox.next("metrics:update") for _ in range(2)]
    assert [u["stored"] for u in updates] == [True, False]
    timeline = await live_timeline(database_url, session_id)
    assert [s["postureScore"] for s in timeline] == [70]


async def test_a_sample_after_the_interval_is_stored_until_the_timeline_is_full(
        server, connect, practice_session, database_url):
    alice = await sign_up(server.url)
    earlier = [old_sample(MIN_INTERVAL * 3, postureScore=50), old_sample(MIN_INTERVAL + 1, postureScore=60)]
    session_id = await practice_session(alice["userId"], timeline=earlier)
    full_id = await practice_session(alice["userId"], timeline=[
        old_sample(MIN_INTERVAL * (TIMELINE_MAX - i) * 2, postureScore=i) for i in range(TIMELINE_MAX)])
    sender = await connect(server.url, {"token": alice["accessToken"]})

    stored = await sender.send({"sessionId": session_id, "postureScore": 90})
    assert stored["stored"] is True and stored["timelineLength"] == 3
    assert [s["postureScore"] for s in await live_timeline(database_url, session_id)] == [50, 60, 90]

    refused = await sender.send({"sessionId": full_id, "postureScore": 90})
    assert refused["ok"] and refused["stored"] is False and refused["timelineLength"] == TIMELINE_MAX
    assert len(await live_timeline(database_url, full_id)) == TIMELINE_MAX


async def test_sessions_that_are_not_the_callers_running_practice_are_refused(
        server, connect, practice_session, database_url):
    alice, bob = await sign_up(server.url), await sign_up(server.url)
    bobs = await practice_session(bob["userId"])
    finished = await practice_session(alice["userId"], status="completed")
    sender = await connect(server.url, {"token": alice["accessToken"]})
    bob_socket = await connect(server.url, {"token": bob["accessToken"]})

    expected = [(bobs, "FORBIDDEN"), (finished, "VALIDATION_ERROR"), ("0" * 32, "NOT_FOUND")]
    for session_id, code in expected:
        answer = await sender.send({"sessionId": session_id, "postureScore": 80})
        error = await sender.inbox.next("metrics:error")
        assert answer["ok"] is False and error["code"] == code, error
        assert error["details"]["field"] == "sessionId"

    assert await live_timeline(database_url, bobs) == []
    assert await live_timeline(database_url, finished) == []
    await asyncio.sleep(0.3)
    assert bob_socket.inbox.pending("metrics:update") == 0
    assert sender.inbox.pending("metrics:update") == 0


async def test_a_signed_out_token_stops_the_socket(server, connect, practice_session):
    alice = await sign_up(server.url)
    session_id = await practice_session(alice["userId"])
    sender = await connect(server.url, {"token": alice["accessToken"]})
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        logout = await http.post("/api/auth/logout",
                                 headers={"Authorization": f"Bearer {alice['accessToken']}"})
    assert logout.status_code == 204

    await sender.emit({"sessionId": session_id, "postureScore": 80})
    error = await sender.inbox.next("metrics:error")
    assert error["code"] == "UNAUTHORIZED"
    for _ in range(50):
        if not sender.client.connected:
            break
        await asyncio.sleep(0.1)
    assert not sender.client.connected
