"""Every /api route that takes an object id, called by a second user with the
first user's ids: the answer is 403 or 404 and carries none of the first
user's data, and the first user's objects are unchanged afterwards.

The route list is read from the /api OpenAPI document, so a new route with a
path parameter fails this test until it is listed below (or named public
with the reason why)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.conftest import bearer, register
from tests.domain.booking.factories import booked, make_mentor, slot
from tests.domain.interview.factories import GOOD_ANSWER, insert_bank, start
from tests.domain.practice.factories import new_session, seed_domains

pytestmark = pytest.mark.asyncio

# Routes whose ids are not private to a user, with the reason.
PUBLIC = {
    ("POST", "/auth/oauth/{provider}"): "a provider name, not an object",
    ("GET", "/files/{token}"): "the signed token is the permission (expiring link)",
    ("GET", "/questions/{question_id}"): "the shared question bank",
    ("GET", "/avatars/{userId}/{name}"): "avatars are shown to other users (mentor cards, reviews)",
    ("GET", "/mentors/{mentorId}"): "mentor profiles are a public catalogue",
    ("GET", "/mentors/{mentorId}/availability"): "a mentor's weekly hours are public",
    ("GET", "/mentors/{mentorId}/slots"): "free slots are public so candidates can book",
    ("POST", "/rooms/webhooks/{provider}"): "callers prove themselves with the provider's signature",
}

ANSWER_MARK = "zebra-lighthouse-quartz"  # appears only in the first user's answers


def _avatar_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


async def _first_users_world(client) -> dict:
    """The first user with one object of every kind, and the ids to probe with."""
    await insert_bank()
    await seed_domains()
    owner = await register(client, name="Ada Owner")
    headers = bearer(owner["tokens"]["accessToken"])
    owner["headers"] = headers

    ai = (await start(client, headers, questionCount=1))["session"]["sessionId"]
    asked = await client.post(f"/api/sessions/{ai}/questions/next", headers=headers)
    assert asked.status_code == 200, asked.text
    answered = await client.post(f"/api/sessions/{ai}/answers", headers=headers,
                                 json={"answerText": f"{GOOD_ANSWER} {ANSWER_MARK}", "responseTime": 60})
    assert answered.status_code == 200, answered.text
    done = await client.post(f"/api/sessions/{ai}/complete", headers=headers)
    assert done.status_code == 200, done.text
    feedback_id = done.json()["feedback"]["feedbackId"]

    analysis = await client.post("/api/analysis/answer", headers=headers, json={
        "question": "How does a hash table work?", "answer": f"{GOOD_ANSWER} {ANSWER_MARK}"})
    assert analysis.status_code == 201, analysis.text

    practice = await new_session(client, owner)

    mentor = await make_mentor()
    booking = await booked(client, {"headers": headers}, mentor, slot(days=4))
    room = await client.post("/api/rooms", headers=headers, json={"sessionId": booking["id"]})
    assert room.status_code == 201, room.text
    favorite = await client.post(f"/api/users/{owner['userId']}/favorites", headers=headers,
                                 json={"mentorId": mentor["uid"]})
    assert favorite.status_code in (200, 201), favorite.text
    avatar = await client.post("/api/users/avatar", headers=headers,
                               files={"avatar": ("a.png", _avatar_png(), "image/png")})
    assert avatar.status_code in (200, 201), avatar.text

    return {
        "owner": owner,
        "mentor": mentor,
        "ids": {
            "session_id": ai, "analysis_id": analysis.json()["analysis"]["id"], "feedback_id": feedback_id,
            "practice_session_id": practice["_id"], "booking_id": booking["id"],
            "room_id": room.json()["roomId"], "userId": owner["userId"], "user_id": owner["userId"],
            "mentorId": mentor["uid"], "question_id": "unused",
        },
    }


def _probes(ids: dict) -> list[tuple[str, str, str, dict | None]]:
    """(method, route template, concrete path, JSON body) for each private route."""
    ai, practice, booking = ids["session_id"], ids["practice_session_id"], ids["booking_id"]
    user, mentor = ids["userId"], ids["mentorId"]
    return [
        ("POST", "/interviews/sessions/{session_id}/recording",
         f"/interviews/sessions/{practice}/recording", None),
        ("GET", "/interviews/sessions/{session_id}", f"/interviews/sessions/{practice}", None),
        ("PATCH", "/interviews/sessions/{session_id}/metrics", f"/interviews/sessions/{practice}/metrics",
         {"metrics": {"overallPerformanceScore": 1}}),
        ("GET", "/analytics/sessions/{session_id}", f"/analytics/sessions/{practice}", None),
        ("PUT", "/admin/questions/{question_id}", "/admin/questions/any", {"title": "changed"}),
        ("DELETE", "/admin/questions/{question_id}", "/admin/questions/any", None),
        ("GET", "/sessions/{session_id}", f"/sessions/{ai}", None),
        ("GET", "/sessions/{session_id}", f"/sessions/{booking}", None),
        ("GET", "/sessions/{session_id}", f"/sessions/{practice}", None),
        ("PUT", "/sessions/{session_id}", f"/sessions/{ai}", {"title": "taken over"}),
        ("PATCH", "/sessions/{session_id}", f"/sessions/{booking}",
         {"status": "cancelled", "cancellationReason": "not mine"}),
        ("DELETE", "/sessions/{session_id}", f"/sessions/{ai}", None),
        ("DELETE", "/sessions/{session_id}", f"/sessions/{booking}", None),
        ("POST", "/sessions/{session_id}/questions/next", f"/sessions/{ai}/questions/next", None),
        ("POST", "/sessions/{session_id}/answers", f"/sessions/{ai}/answers",
         {"answerText": "An answer that is long enough to be accepted."}),
        ("POST", "/sessions/{session_id}/complete", f"/sessions/{ai}/complete", None),
        ("GET", "/sessions/{session_id}/transcript.pdf", f"/sessions/{ai}/transcript.pdf", None),
        ("GET", "/analysis/feedback/{analysis_id}", f"/analysis/feedback/{ids['analysis_id']}", None),
        ("GET", "/analysis/{analysis_id}", f"/analysis/{ids['analysis_id']}", None),
        ("GET", "/feedback/{feedback_id}", f"/feedback/{ids['feedback_id']}", None),
        ("POST", "/feedback/{feedback_id}/share", f"/feedback/{ids['feedback_id']}/share", None),
        ("DELETE", "/feedback/{feedback_id}/share", f"/feedback/{ids['feedback_id']}/share", None),
        ("GET", "/users/{userId}", f"/users/{user}", None),
        ("GET", "/users/{userId}/favorites", f"/users/{user}/favorites", None),
        ("POST", "/users/{userId}/favorites", f"/users/{user}/favorites", {"mentorId": mentor}),
        ("DELETE", "/users/{userId}/favorites/{mentorId}", f"/users/{user}/favorites/{mentor}", None),
        ("GET", "/users/{userId}/analytics", f"/users/{user}/analytics", None),
        ("GET", "/admin/users/{user_id}", f"/admin/users/{user}", None),
        ("PATCH", "/admin/users/{user_id}", f"/admin/users/{user}", {"status": "disabled"}),
        ("PUT", "/mentors/{mentorId}", f"/mentors/{mentor}", {"name": "Taken Over"}),
        ("PATCH", "/mentors/{mentorId}", f"/mentors/{mentor}", {"name": "Taken Over"}),
        ("PUT", "/mentors/{mentorId}/availability", f"/mentors/{mentor}/availability",
         {"timezone": "UTC", "rules": []}),
        ("GET", "/rooms/{room_id}/status", f"/rooms/{ids['room_id']}/status", None),
    ]


async def test_every_object_route_refuses_a_second_user(client):
    world = await _first_users_world(client)
    owner, ids = world["owner"], world["ids"]
    intruder = await register(client, name="Eve Intruder")
    intruder_headers = bearer(intruder["tokens"]["accessToken"])
    probes = _probes(ids)

    documented = {
        (method.upper(), path)
        for path, operations in (await client.get("/api/openapi.json")).json()["paths"].items()
        if "{" in path for method in operations
    }
    probed = {(method, template) for method, template, _, _ in probes}
    assert documented - probed - set(PUBLIC) == set(), "classify every new route with an id"
    assert probed <= documented, "a probed route no longer exists"

    secrets = [owner["email"], "Ada Owner", ANSWER_MARK]
    for method, _template, path, body in probes:
        kwargs = {"json": body} if body is not None else {}
        if path.endswith("/recording"):
            kwargs = {"files": {"file": ("a.webm", b"\x1a\x45\xdf\xa3" + b"0" * 64, "video/webm")}}
        response = await client.request(method, "/api" + path, headers=intruder_headers, **kwargs)
        assert response.status_code in (403, 404), (method, path, response.status_code, response.text)
        assert response.json()["success"] is False, (method, path)
        for secret in secrets:
            assert secret not in response.text, (method, path, secret)

    # Nothing of the first user's changed.
    headers = owner["headers"]
    ai = await client.get(f"/api/sessions/{ids['session_id']}", headers=headers)
    assert ai.status_code == 200 and ai.json()["session"]["title"] != "taken over"
    booking = await client.get(f"/api/sessions/{ids['booking_id']}", headers=headers)
    assert booking.status_code == 200 and booking.json()["session"]["status"] != "cancelled"
    assert (await client.get(f"/api/feedback/{ids['feedback_id']}", headers=headers)).status_code == 200
    assert (await client.get(f"/api/users/{ids['userId']}/favorites", headers=headers)).json()
    mentor = await client.get(f"/api/mentors/{ids['mentorId']}")
    assert mentor.json()["name"] != "Taken Over"
    me = await client.get("/api/users/me", headers=headers)
    assert me.status_code == 200
