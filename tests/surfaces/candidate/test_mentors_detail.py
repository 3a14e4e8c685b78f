"""GET /api/mentors/{mentorId}: the profile page with reviews and free slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import bearer, register
from tests.domain.mentor.factories import account, hold, make_mentor, review

NOW = datetime.now(UTC)


async def test_detail_has_public_reviews_newest_first(client):
    mentor = await make_mentor(name="Rita Review", skills=["Go"])
    reviewer = await account(client, role="candidate", name="Riley Reviewer")
    other = await account(client, role="candidate", name="Omar Other")
    await review(mentor, user_id=other["id"], rating=3, comment="Old one", when=NOW - timedelta(days=30),
                 session_type="Coding Interview")
    await review(mentor, user_id=other["id"], rating=1, comment="Private", when=NOW - timedelta(days=5),
                 public=False)
    await review(mentor, user_id=reviewer["id"], rating=5, comment="New one", when=NOW - timedelta(days=1),
                 session_type="System Design")

    response = await client.get(f"/api/mentors/{mentor.uid}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == mentor.uid and body["name"] == "Rita Review" and body["skills"] == ["Go"]
    # Rating and count cover every review, the private one included; the page shows only public ones.
    assert body["reviewCount"] == 3 and body["rating"] == 3.0
    assert [r["comment"] for r in body["reviews"]] == ["New one", "Old one"]
    newest = body["reviews"][0]
    assert set(newest) == {"id", "userId", "userName", "rating", "comment", "date", "sessionType"}
    assert newest["userId"] == reviewer["userId"] and newest["rating"] == 5
    assert newest["sessionType"] == "System Design" and newest["date"].endswith("Z")
    assert body["reviews"][1]["userName"] == "Omar Other"
    assert "isActive" not in body  # owner fields are not shown to the public


async def test_upcoming_slots_and_is_available(client):
    busy = await make_mentor(name="Always Open", tz="Pacific/Auckland",
                             rules=[(d, "00:00", "24:00") for d in range(7)])
    body = (await client.get(f"/api/mentors/{busy.uid}")).json()
    assert body["isAvailable"] is True
    slots = [datetime.fromisoformat(s) for s in body["upcomingSlots"]]
    assert len(slots) == 50 and slots == sorted(slots) and slots[0] > NOW
    assert body["availability"] == body["upcomingSlots"]

    # A booking's held minutes (and its buffer) disappear from the page.
    first = slots[2]
    await hold(busy, first, 60)
    again = [datetime.fromisoformat(s) for s in (await client.get(f"/api/mentors/{busy.uid}")).json()[
        "upcomingSlots"]]
    assert first not in again and first + timedelta(minutes=30) not in again
    assert first + timedelta(minutes=60) in again

    idle = await make_mentor(name="No Hours", rules=[])
    body = (await client.get(f"/api/mentors/{idle.uid}")).json()
    assert body["isAvailable"] is False and body["upcomingSlots"] == [] and body["reviews"] == []


async def test_unknown_or_inactive_mentors_are_404(client):
    assert (await client.get("/api/mentors/does-not-exist")).status_code == 404
    owner = await account(client)
    created = await client.post("/api/mentors", headers=bearer(owner["token"]), json={"name": "Hidden"})
    mentor_id = created.json()["id"]
    response = await client.patch(f"/api/mentors/{mentor_id}", headers=bearer(owner["token"]),
                                  json={"isActive": False})
    assert response.status_code == 200 and response.json()["isActive"] is False

    candidate = await register(client)
    for headers in ({}, bearer(candidate["tokens"]["accessToken"])):
        response = await client.get(f"/api/mentors/{mentor_id}", headers=headers)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "NOT_FOUND"
        assert (await client.get(f"/api/mentors/{mentor_id}/slots", headers=headers)).status_code == 404
    assert (await client.get("/api/mentors")).json()["pagination"]["total"] == 0
    # The owner still sees their hidden profile.
    own = await client.get(f"/api/mentors/{mentor_id}", headers=bearer(owner["token"]))
    assert own.status_code == 200 and own.json()["isActive"] is False
    assert (await client.get("/api/mentors/me", headers=bearer(owner["token"]))).status_code == 200


async def test_a_bad_token_on_a_public_route_is_still_401(client):
    mentor = await make_mentor()
    response = await client.get(f"/api/mentors/{mentor.uid}", headers=bearer("not-a-token"))
    assert response.status_code == 401
