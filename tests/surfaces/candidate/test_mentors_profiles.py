"""Mentor profiles and availability through /api/mentors: who may create and
edit them, what is validated, and the free-slot endpoint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import bearer, register
from tests.domain.mentor.factories import account

PROFILE = {
    "name": "Grace Mentor", "title": "Staff Engineer", "currentCompany": "Acme",
    "previousCompanies": ["Globex", "Initech"], "bio": "Distributed systems and interviews.",
    "specialties": ["System Design"], "skills": ["Go", "Kubernetes"], "languages": ["English", "German"],
    "experience": 12, "hourlyRate": 150, "responseTime": "within 2 hours", "timezone": "Europe/Berlin",
}


async def create(client, token: str, **body) -> dict:
    response = await client.post("/api/mentors", headers=bearer(token), json={**PROFILE, **body})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_mentor_creates_reads_and_edits_their_own_profile(client):
    mentor = await account(client)
    headers = bearer(mentor["token"])
    assert (await client.get("/api/mentors/me", headers=headers)).status_code == 404

    created = await create(client, mentor["token"])
    assert created["name"] == "Grace Mentor" and created["userId"] == mentor["userId"]
    assert created["previousCompanies"] == ["Globex", "Initech"] and created["rating"] == 0
    assert created["isActive"] is True and created["reviews"] == []

    me = (await client.get("/api/mentors/me", headers=headers)).json()
    assert me["id"] == created["id"]
    again = await client.post("/api/mentors", headers=headers, json=PROFILE)
    assert again.status_code == 409

    patched = await client.patch(f"/api/mentors/{created['id']}", headers=headers,
                                 json={"title": "Principal Engineer", "skills": ["Rust", "rust", " Go "]})
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["title"] == "Principal Engineer" and body["skills"] == ["Rust", "Go"]
    assert body["bio"] == PROFILE["bio"]  # PATCH keeps what it was not given

    replaced = await client.put(f"/api/mentors/{created['id']}", headers=headers,
                                json={"name": "Grace M.", "skills": ["Python"]})
    assert replaced.status_code == 200
    body = replaced.json()
    assert body["name"] == "Grace M." and body["bio"] is None and body["previousCompanies"] == []
    assert (await client.put(f"/api/mentors/{created['id']}", headers=headers,
                             json={"skills": ["Python"]})).status_code == 400


async def test_search_text_follows_profile_changes(client):
    mentor = await account(client)
    created = await create(client, mentor["token"])
    found = (await client.get("/api/mentors", params={"search": "distributed"})).json()
    assert [m["id"] for m in found["mentors"]] == [created["id"]]
    await client.patch(f"/api/mentors/{created['id']}", headers=bearer(mentor["token"]),
                       json={"bio": "Frontend performance coaching", "specialties": ["Accessibility"]})
    assert (await client.get("/api/mentors", params={"search": "distributed"})).json()["mentors"] == []
    found = (await client.get("/api/mentors", params={"search": "ACCESSIBILITY coaching"})).json()
    assert [m["id"] for m in found["mentors"]] == [created["id"]]


async def test_only_the_owner_or_an_admin_may_edit(client):
    owner = await account(client)
    other = await account(client)
    admin = await account(client, role="admin", name="Admin")
    candidate = await register(client)
    created = await create(client, owner["token"])
    path = f"/api/mentors/{created['id']}"

    for token in (other["token"], candidate["tokens"]["accessToken"]):
        for method in ("PATCH", "PUT"):
            response = await client.request(method, path, headers=bearer(token), json={"name": "Hijack"})
            assert response.status_code == 403, response.text
            assert response.json()["error"]["code"] == "FORBIDDEN"
        assert (await client.get(path + "/availability", headers=bearer(token))).status_code == 403
        assert (await client.put(path + "/availability", headers=bearer(token),
                                 json={"weekly": []})).status_code == 403
    assert (await client.patch(path, json={"name": "Anonymous"})).status_code == 401
    assert (await client.get(path)).json()["name"] == "Grace Mentor"

    response = await client.patch(path, headers=bearer(admin["token"]), json={"name": "Admin Edit"})
    assert response.status_code == 200 and response.json()["name"] == "Admin Edit"
    assert (await client.patch("/api/mentors/unknown", headers=bearer(admin["token"]),
                               json={"name": "x"})).status_code == 404


async def test_who_may_create_a_profile(client):
    candidate = await register(client)
    response = await client.post("/api/mentors", headers=bearer(candidate["tokens"]["accessToken"]),
                                 json=PROFILE)
    assert response.status_code == 403
    assert (await client.post("/api/mentors", json=PROFILE)).status_code == 401

    mentor = await account(client)
    other = await account(client)
    response = await client.post("/api/mentors", headers=bearer(mentor["token"]),
                                 json={**PROFILE, "userId": other["userId"]})
    assert response.status_code == 403

    # An admin creates one for a candidate (who becomes a mentor) and an unowned one.
    admin = await account(client, role="admin", name="Admin")
    made = await create(client, admin["token"], userId=candidate["userId"], name="Cand Idate")
    assert made["userId"] == candidate["userId"]
    me = await client.get("/api/mentors/me", headers=bearer(candidate["tokens"]["accessToken"]))
    assert me.status_code == 200 and me.json()["id"] == made["id"]
    unowned = await create(client, admin["token"], name="House Mentor")
    assert unowned["userId"] is None
    missing = await client.post("/api/mentors", headers=bearer(admin["token"]),
                                json={**PROFILE, "userId": "nobody"})
    assert missing.status_code == 400


async def test_profile_input_is_validated(client):
    mentor = await account(client)
    headers = bearer(mentor["token"])
    for bad in ({"timezone": "Mars/Olympus"}, {"experience": -1}, {"hourlyRate": "lots"},
                {"skills": "Go"}, {"name": "   "}, {"skills": [""]}):
        response = await client.post("/api/mentors", headers=headers, json={**PROFILE, **bad})
        assert response.status_code == 400, (bad, response.text)
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_availability_is_replaced_and_read_back(client):
    mentor = await account(client)
    created = await create(client, mentor["token"])
    path = f"/api/mentors/{created['id']}/availability"
    headers = bearer(mentor["token"])
    body = {
        "timezone": "America/New_York", "bufferMinutes": 15, "minNoticeMinutes": 120,
        "weekly": [{"weekday": 0, "start": "09:00", "end": "12:00"},
                   {"weekday": "monday", "start": "13:00", "end": "17:00"},
                   {"weekday": "Sat", "start": "22:00", "end": "24:00"}],
        "exceptions": [{"date": "2026-12-24", "available": False, "reason": "Holiday"},
                       {"date": "2026-12-27", "start": "10:00", "end": "12:00", "available": True}],
    }
    response = await client.put(path, headers=headers, json=body)
    assert response.status_code == 200, response.text
    got = (await client.get(path, headers=headers)).json()
    assert got == response.json()
    assert got["timezone"] == "America/New_York" and got["bufferMinutes"] == 15
    assert got["minNoticeMinutes"] == 120
    assert got["weekly"] == [
        {"weekday": 0, "day": "monday", "start": "09:00", "end": "12:00"},
        {"weekday": 0, "day": "monday", "start": "13:00", "end": "17:00"},
        {"weekday": 5, "day": "saturday", "start": "22:00", "end": "24:00"},
    ]
    assert got["exceptions"] == [
        {"date": "2026-12-24", "start": None, "end": None, "available": False, "reason": "Holiday"},
        {"date": "2026-12-27", "start": "10:00", "end": "12:00", "available": True, "reason": None},
    ]
    # Omitted parts stay; a given list replaces.
    response = await client.put(path, headers=headers, json={"exceptions": []})
    assert response.json()["weekly"] == got["weekly"] and response.json()["exceptions"] == []
    assert response.json()["timezone"] == "America/New_York"


async def test_bad_availability_is_400_and_changes_nothing(client):
    mentor = await account(client)
    created = await create(client, mentor["token"])
    path = f"/api/mentors/{created['id']}/availability"
    headers = bearer(mentor["token"])
    good = {"weekly": [{"weekday": 1, "start": "09:00", "end": "17:00"}], "timezone": "Asia/Tokyo"}
    assert (await client.put(path, headers=headers, json=good)).status_code == 200
    bad_bodies = [
        {"timezone": "Not/AZone"},
        {"timezone": "Europe/Berlin", "weekly": [{"weekday": 1, "start": "10:00", "end": "10:00"}]},
        {"weekly": [{"weekday": 1, "start": "12:00", "end": "09:00"}]},
        {"weekly": [{"weekday": 2, "start": "09:00", "end": "12:00"},
                    {"weekday": "wednesday", "start": "11:00", "end": "13:00"}]},
        {"weekly": [{"weekday": 7, "start": "09:00", "end": "12:00"}]},
        {"weekly": [{"weekday": "someday", "start": "09:00", "end": "12:00"}]},
        {"weekly": [{"weekday": 1, "start": "9am", "end": "12:00"}]},
        {"weekly": [{"weekday": 1, "start": "09:00", "end": "24:30"}]},
        {"exceptions": [{"date": "2026-02-30", "available": False}]},
        {"exceptions": [{"date": "2026-03-01", "start": "10:00", "available": False}]},
        {"exceptions": [{"date": "2026-03-01", "start": "10:00", "end": "09:00", "available": True}]},
        {"bufferMinutes": -5},
    ]
    for bad in bad_bodies:
        response = await client.put(path, headers=headers, json=bad)
        assert response.status_code == 400, (bad, response.text)
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    got = (await client.get(path, headers=headers)).json()
    assert got["timezone"] == "Asia/Tokyo"
    assert got["weekly"] == [{"weekday": 1, "day": "tuesday", "start": "09:00", "end": "17:00"}]
    # Rules that only touch are fine.
    touching = {"weekly": [{"weekday": 2, "start": "09:00", "end": "12:00"},
                           {"weekday": 2, "start": "12:00", "end": "13:00"}]}
    assert (await client.put(path, headers=headers, json=touching)).status_code == 200


def _next_weekday(weekday: int) -> datetime:
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7)


async def test_slots_endpoint(client):
    mentor = await account(client)
    created = await create(client, mentor["token"])
    path = f"/api/mentors/{created['id']}"
    await client.put(path + "/availability", headers=bearer(mentor["token"]), json={
        "timezone": "UTC", "weekly": [{"weekday": 2, "start": "10:00", "end": "12:00"}],
    })
    wednesday = _next_weekday(2)
    params = {"from": wednesday.isoformat(), "to": (wednesday + timedelta(days=1)).isoformat()}
    response = await client.get(path + "/slots", params={**params, "duration": 60})
    assert response.status_code == 200, response.text
    body = response.json()
    day = wednesday.date().isoformat()
    assert body["slots"] == [f"{day}T10:00:00Z", f"{day}T10:30:00Z", f"{day}T11:00:00Z"]
    assert body["duration"] == 60 and body["mentorId"] == created["id"]
    body = (await client.get(path + "/slots", params={**params, "duration": 120})).json()
    assert body["slots"] == [f"{day}T10:00:00Z"]
    # Without from/to: the next days, still only Wednesdays at 10:00-12:00 UTC.
    default = (await client.get(path + "/slots")).json()["slots"]
    assert default and all(datetime.fromisoformat(s).weekday() == 2 for s in default)

    # A blocked Wednesday has nothing; an extra window on Thursday has slots.
    thursday = wednesday + timedelta(days=1)
    await client.put(path + "/availability", headers=bearer(mentor["token"]), json={"exceptions": [
        {"date": day, "available": False},
        {"date": thursday.date().isoformat(), "start": "15:00", "end": "16:00", "available": True},
    ]})
    two_days = {"from": wednesday.isoformat(), "to": (wednesday + timedelta(days=2)).isoformat()}
    body = (await client.get(path + "/slots", params=two_days)).json()
    assert body["slots"] == [f"{thursday.date().isoformat()}T15:00:00Z"]

    for bad in ({"duration": 10}, {"duration": "long"}, {"from": "yesterday"},
                {"from": params["to"], "to": params["from"]},
                {"from": params["from"], "to": (wednesday + timedelta(days=90)).isoformat()}):
        response = await client.get(path + "/slots", params=bad)
        assert response.status_code == 400, (bad, response.text)
    assert (await client.get("/api/mentors/unknown/slots")).status_code == 404


async def test_two_simultaneous_creates_make_one_profile(client):
    import asyncio

    mentor = await account(client)
    first, second = await asyncio.gather(
        *(client.post("/api/mentors", headers=bearer(mentor["token"]), json=PROFILE) for _ in range(2))
    )
    assert sorted([first.status_code, second.status_code]) == [201, 409], (first.text, second.text)
