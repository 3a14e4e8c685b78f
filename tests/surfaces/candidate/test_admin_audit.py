"""The audit log: every administrative write leaves an entry, and only
administrators read them (GET /api/admin/audit-log)."""

from __future__ import annotations

import pytest

from tests.conftest import STRONG_PASSWORD
from tests.domain.admin.factories import account, admin_account, audit_entries
from tests.domain.auth.factories import user_id_of

pytestmark = pytest.mark.asyncio

NEW_QUESTION = {"question": "What does a database index cost on writes, and when is it worth it?",
                "type": "technical", "category": "databases", "difficulty": "medium"}


async def test_question_writes_are_audited(client):
    admin = await admin_account(client)
    created = await client.post("/api/admin/questions", headers=admin["headers"], json=NEW_QUESTION)
    assert created.status_code == 201, created.text
    question_id = created.json()["question"]["id"]
    updated = await client.put(f"/api/admin/questions/{question_id}", headers=admin["headers"],
                               json={"difficulty": "hard", "tags": ["indexes"]})
    assert updated.status_code == 200, updated.text
    deleted = await client.delete(f"/api/admin/questions/{question_id}", headers=admin["headers"])
    assert deleted.status_code == 204

    entries = await audit_entries()
    assert [(e.action, e.target_type, e.target_id) for e in entries] == [
        ("question.create", "question", question_id),
        ("question.update", "question", question_id),
        ("question.delete", "question", question_id),
    ]
    assert all(e.actor_email == admin["email"] and e.actor_id == admin["id"] for e in entries)
    assert all(e.ip_address for e in entries)
    assert entries[0].details["category"] == "databases"
    assert entries[1].details == {"fields": ["difficulty", "tags"]}

    # A refused write leaves nothing behind: the duplicate is a 409 and its entry rolls back with it.
    again = await client.post("/api/admin/questions", headers=admin["headers"], json=NEW_QUESTION)
    assert again.status_code == 409
    assert len(await audit_entries()) == 3


async def test_hiring_admin_user_writes_are_audited(client):
    admin = await admin_account(client)
    created = await client.post("/api/v1/admin/users", headers=admin["headers"], json={
        "username": "panel_lead", "email": "panel.lead@example.com", "password": STRONG_PASSWORD,
        "role": "interviewer"})
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    updated = await client.put(f"/api/v1/admin/users/{user_id}", headers=admin["headers"],
                               json={"is_active": False, "company": "Acme"})
    assert updated.status_code == 200, updated.text
    unchanged = await client.put(f"/api/v1/admin/users/{user_id}", headers=admin["headers"],
                                 json={"company": "Acme"})
    assert unchanged.status_code == 200

    entries = await audit_entries(target_type="user")
    assert [e.action for e in entries] == ["user.create", "user.update"]
    assert entries[0].details == {"email": "panel.lead@example.com", "role": "interviewer",
                                  "status": "active"}
    assert entries[1].details["changes"] == {"status": {"from": "active", "to": "disabled"},
                                             "company": {"from": None, "to": "Acme"}}
    assert entries[0].target_id == entries[1].target_id and entries[0].actor_email == admin["email"]

    # The same guard as /api: no disabling or demoting oneself there either.
    own_id = await user_id_of(client, admin["token"], admin["email"])
    for body in ({"is_active": False}, {"role": "interviewer"}):
        refused = await client.put(f"/api/v1/admin/users/{own_id}", headers=admin["headers"], json=body)
        assert refused.status_code == 403 and isinstance(refused.json()["detail"], str)
    assert len(await audit_entries(target_type="user")) == 2


async def test_audit_log_reading_filters_and_pagination(client):
    first = await admin_account(client)
    second = await admin_account(client)
    users = [await account(client) for _ in range(3)]
    for user in users:
        response = await client.patch(f"/api/admin/users/{user['uid']}", headers=first["headers"],
                                      json={"status": "disabled"})
        assert response.status_code == 200
    await client.patch(f"/api/admin/users/{users[0]['uid']}", headers=second["headers"],
                       json={"role": "mentor"})
    await client.post("/api/admin/questions", headers=second["headers"], json=NEW_QUESTION)

    async def log(**params) -> dict:
        response = await client.get("/api/admin/audit-log", headers=second["headers"], params=params)
        assert response.status_code == 200, response.text
        return response.json()

    everything = await log()
    assert everything["pagination"]["total"] == 5
    actions = [e["action"] for e in everything["entries"]]
    # Newest first.
    assert actions == ["question.create", "user.role", "user.disable", "user.disable", "user.disable"]
    assert [e["targetId"] for e in everything["entries"][2:]] == [u["uid"] for u in reversed(users)]
    entry = everything["entries"][1]
    assert entry["actor"] == {"id": second["uid"], "email": second["email"]}
    assert entry["targetType"] == "user" and entry["targetId"] == users[0]["uid"]
    assert entry["details"] == {"email": users[0]["email"], "from": "candidate", "to": "mentor"}
    assert entry["createdAt"].endswith("Z") and entry["ipAddress"]

    assert [e["action"] for e in (await log(action="user"))["entries"]] == [
        "user.role", "user.disable", "user.disable", "user.disable"]
    assert (await log(action="user.role"))["pagination"]["total"] == 1
    assert (await log(action="use"))["pagination"]["total"] == 0
    assert (await log(actor=first["email"].upper()))["pagination"]["total"] == 3
    assert (await log(actor=second["uid"]))["pagination"]["total"] == 2
    assert (await log(targetType="question"))["entries"][0]["action"] == "question.create"
    assert (await log(targetId=users[0]["uid"]))["pagination"]["total"] == 2
    assert (await log(**{"from": "2000-01-01", "to": "2000-01-02"}))["entries"] == []

    page_two = await log(limit=2, page=2)
    assert [e["action"] for e in page_two["entries"]] == ["user.disable", "user.disable"]
    assert page_two["pagination"] == {"page": 2, "limit": 2, "total": 5, "totalPages": 3, "hasMore": True}

    for params in ({"page": 0}, {"limit": 201}, {"from": "soon"}):
        bad = await client.get("/api/admin/audit-log", headers=second["headers"], params=params)
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "VALIDATION_ERROR"


@pytest.mark.parametrize("role", ["candidate", "mentor"])
async def test_only_admins_read_the_audit_log(client, role):
    admin = await admin_account(client)
    victim = await account(client)
    await client.patch(f"/api/admin/users/{victim['uid']}", headers=admin["headers"], json={"role": "mentor"})
    reader = await account(client, role=role)
    response = await client.get("/api/admin/audit-log", headers=reader["headers"])
    assert response.status_code == 403 and response.json()["error"]["code"] == "FORBIDDEN"
    assert "entries" not in response.json()
    assert (await client.get("/api/admin/audit-log")).status_code == 401


async def test_admin_writes_on_mentors_bookings_and_mail_are_audited(client):
    from tests.domain.booking.factories import booked, make_mentor, make_user, move_to_past, slot

    admin = await admin_account(client)
    mentor = await make_mentor()
    candidate = await make_user()
    # The people's own writes are not admin writes.
    own = await client.patch(f"/api/mentors/{mentor['uid']}", headers=mentor["user"]["headers"],
                             json={"title": "Staff Engineer II"})
    assert own.status_code == 200, own.text
    held = await booked(client, candidate, mentor, slot(days=2))
    assert await audit_entries() == []

    edited = await client.patch(f"/api/mentors/{mentor['uid']}", headers=admin["headers"],
                                json={"hourlyRate": 90})
    assert edited.status_code == 200, edited.text
    hours = await client.put(f"/api/mentors/{mentor['uid']}/availability", headers=admin["headers"],
                             json={"bufferMinutes": 15})
    assert hours.status_code == 200, hours.text
    confirmed = await client.patch(f"/api/sessions/{held['id']}", headers=admin["headers"],
                                   json={"status": "confirmed"})
    assert confirmed.status_code == 200, confirmed.text
    await move_to_past(held["id"], hours=24 * 3)
    completed = await client.patch(f"/api/sessions/{held['id']}", headers=admin["headers"],
                                   json={"status": "completed"})
    assert completed.status_code == 200, completed.text
    sent = await client.post("/api/send-email", headers=admin["headers"], json={
        "to": "someone@example.com", "toName": "Someone", "subject": "Hello", "html": "<p>Hi</p>"})
    assert sent.status_code == 200, sent.text

    entries = await audit_entries()
    assert [(e.action, e.target_id) for e in entries] == [
        ("mentor.update", mentor["uid"]),
        ("mentor.availability", mentor["uid"]),
        ("booking.confirmed", held["id"]),
        ("booking.completed", held["id"]),
        ("email.send", sent.json()["messageId"]),
    ]
    assert all(e.actor_id == admin["id"] for e in entries)
    assert entries[0].details["fields"] == ["hourly_rate"]
    assert entries[2].details == {"from": "pending", "to": "confirmed", "reason": None}
    assert entries[4].details["to"] == "someone@example.com"
