"""/api/admin/users (004): search, filters, pagination, enabling, disabling
and role changes, and who may do it."""

from __future__ import annotations

import pytest

from tests.conftest import STRONG_PASSWORD, bearer
from tests.domain.admin.factories import account, admin_account, audit_entries, insert_session

pytestmark = pytest.mark.asyncio

ADMIN_ROUTES = [
    ("GET", "/api/admin/users", None),
    ("GET", "/api/admin/users/{uid}", None),
    ("PATCH", "/api/admin/users/{uid}", {"status": "disabled"}),
    ("GET", "/api/admin/sessions", None),
    ("GET", "/api/admin/analytics", None),
    ("GET", "/api/admin/audit-log", None),
    ("POST", "/api/admin/questions", {"question": "What is a B-tree and why do databases use it?",
                                      "type": "technical", "category": "databases", "difficulty": "easy"}),
    ("PUT", "/api/admin/questions/{uid}", {"isActive": False}),
    ("DELETE", "/api/admin/questions/{uid}", None),
]


@pytest.mark.parametrize("role", ["candidate", "mentor", "interviewer"])
async def test_every_admin_route_refuses_non_admins(client, role):
    caller = await account(client, role=role)
    victim = await account(client)
    for method, path, body in ADMIN_ROUTES:
        url = path.format(uid=victim["uid"])
        response = await client.request(method, url, headers=caller["headers"], json=body)
        assert response.status_code == 403, (method, url, response.text)
        error = response.json()
        assert error["success"] is False and error["error"]["code"] == "FORBIDDEN"
        anonymous = await client.request(method, url, json=body)
        assert anonymous.status_code == 401, (method, url)
        assert anonymous.json()["error"]["code"] == "UNAUTHORIZED"
    # Nothing was changed, and nothing was written to the audit log.
    assert (await client.post("/api/auth/login", json={"email": victim["email"],
                                                       "password": STRONG_PASSWORD})).status_code == 200
    assert await audit_entries() == []


async def test_search_filters_and_pagination(client):
    admin = await admin_account(client)
    alice = await account(client, email="alice.smith@example.com", name="Alice Smith")
    await account(client, email="bob@example.com", name="Bob SMITHERS", role="mentor")
    await account(client, email="carol@example.org", name="Carol", role="mentor")
    await insert_session(alice["id"], kind="ai")
    await insert_session(alice["id"], kind="practice")

    async def users(**params) -> dict:
        response = await client.get("/api/admin/users", headers=admin["headers"], params=params)
        assert response.status_code == 200, response.text
        return response.json()

    everyone = await users()
    assert everyone["pagination"]["total"] == 4
    listed = {u["email"]: u for u in everyone["users"]}
    assert listed["alice.smith@example.com"]["sessionCount"] == 2
    assert listed["carol@example.org"]["sessionCount"] == 0
    item = listed["alice.smith@example.com"]
    assert item["id"] == alice["uid"] and item["name"] == "Alice Smith"
    assert item["role"] == "candidate" and item["status"] == "active"
    assert item["createdAt"].endswith("Z") and item["lastLoginAt"].endswith("Z")

    assert {u["email"] for u in (await users(search="SMITH"))["users"]} == {
        "alice.smith@example.com", "bob@example.com"}
    assert {u["email"] for u in (await users(search="example.org"))["users"]} == {"carol@example.org"}
    assert {u["email"] for u in (await users(role="mentor"))["users"]} == {
        "bob@example.com", "carol@example.org"}
    assert {u["email"] for u in (await users(role="mentor", search="smith"))["users"]} == {"bob@example.com"}
    assert (await users(search="100%"))["users"] == []
    assert (await users(status="disabled"))["pagination"]["total"] == 0

    pages = [await users(limit=3, page=1, sort="email", order="asc"),
             await users(limit=3, page=2, sort="email", order="asc")]
    assert [p["pagination"] for p in pages] == [
        {"page": 1, "limit": 3, "total": 4, "totalPages": 2, "hasMore": True},
        {"page": 2, "limit": 3, "total": 4, "totalPages": 2, "hasMore": False},
    ]
    emails = [u["email"] for p in pages for u in p["users"]]
    assert emails == sorted(listed)
    assert (await users(page=9))["users"] == []
    by_login = (await users(sort="lastLoginAt"))["users"]
    assert [u["lastLoginAt"] for u in by_login] == sorted((u["lastLoginAt"] for u in by_login), reverse=True)


@pytest.mark.parametrize("params", [
    {"role": "superuser"}, {"status": "gone"}, {"page": 0}, {"page": "x"}, {"limit": 0},
    {"limit": 101}, {"sort": "password"}, {"order": "up"}, {"search": "x" * 201},
])
async def test_bad_query_values_are_400(client, params):
    admin = await admin_account(client)
    response = await client.get("/api/admin/users", headers=admin["headers"], params=params)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_get_one_user_and_unknown_ids(client):
    admin = await admin_account(client)
    user = await account(client)
    await insert_session(user["id"], kind="booking", status="scheduled")
    await insert_session(user["id"], kind="ai")
    await insert_session(user["id"], kind="ai")
    response = await client.get(f"/api/admin/users/{user['uid']}", headers=admin["headers"])
    assert response.status_code == 200, response.text
    body = response.json()["user"]
    assert body["id"] == user["uid"] and body["sessionCount"] == 3
    assert body["sessionsByKind"] == {"booking": 1, "ai": 2}
    for method, body in (("GET", None), ("PATCH", {"status": "disabled"})):
        missing = await client.request(method, "/api/admin/users/nope", headers=admin["headers"], json=body)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"
    # The integer id of /api/v1 is not an /api id.
    assert (await client.get(f"/api/admin/users/{user['id']}", headers=admin["headers"])).status_code == 404


async def test_disable_refuses_tokens_at_once_and_enable_restores_sign_in(client):
    admin = await admin_account(client)
    user = await account(client)
    refresh = user["tokens"]["refreshToken"]
    assert (await client.get("/api/auth/profile", headers=user["headers"])).status_code == 200

    response = await client.patch(f"/api/admin/users/{user['uid']}", headers=admin["headers"],
                                  json={"status": "disabled"})
    assert response.status_code == 200, response.text
    assert response.json()["user"]["status"] == "disabled"

    refused = await client.get("/api/auth/profile", headers=user["headers"])
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "UNAUTHORIZED"
    assert (await client.post("/api/auth/refresh", json={"refreshToken": refresh})).status_code == 401
    login = await client.post("/api/auth/login", json={"email": user["email"], "password": STRONG_PASSWORD})
    assert login.status_code == 403 and login.json()["error"]["code"] == "FORBIDDEN"
    listed = await client.get("/api/admin/users", headers=admin["headers"], params={"status": "disabled"})
    assert [u["id"] for u in listed.json()["users"]] == [user["uid"]]

    enabled = await client.patch(f"/api/admin/users/{user['uid']}", headers=admin["headers"],
                                 json={"status": "active"})
    assert enabled.status_code == 200 and enabled.json()["user"]["status"] == "active"
    # Old tokens stay dead; signing in again works.
    assert (await client.get("/api/auth/profile", headers=user["headers"])).status_code == 401
    login = await client.post("/api/auth/login", json={"email": user["email"], "password": STRONG_PASSWORD})
    assert login.status_code == 200, login.text
    fresh = login.json()["tokens"]["accessToken"]
    assert (await client.get("/api/auth/profile", headers=bearer(fresh))).status_code == 200

    actions = [(e.action, e.target_id, e.details["from"], e.details["to"]) for e in await audit_entries()]
    assert actions == [("user.disable", user["uid"], "active", "disabled"),
                       ("user.enable", user["uid"], "disabled", "active")]


async def test_role_changes_take_effect_and_are_audited(client):
    admin = await admin_account(client)
    user = await account(client)
    assert (await client.get("/api/admin/users", headers=user["headers"])).status_code == 403
    promoted = await client.patch(f"/api/admin/users/{user['uid']}", headers=admin["headers"],
                                  json={"role": "admin"})
    assert promoted.status_code == 200 and promoted.json()["user"]["role"] == "admin"
    # The same token now reaches admin routes: the role is read on each request.
    assert (await client.get("/api/admin/users", headers=user["headers"])).status_code == 200
    demoted = await client.patch(f"/api/admin/users/{user['uid']}", headers=admin["headers"],
                                 json={"role": "mentor"})
    assert demoted.status_code == 200 and demoted.json()["user"]["role"] == "mentor"
    assert (await client.get("/api/admin/users", headers=user["headers"])).status_code == 403
    # Setting what is already there changes nothing and writes nothing.
    same = await client.patch(f"/api/admin/users/{user['uid']}", headers=admin["headers"],
                              json={"role": "mentor", "status": "active"})
    assert same.status_code == 200
    entries = await audit_entries()
    assert [(e.action, e.details["from"], e.details["to"], e.actor_email) for e in entries] == [
        ("user.role", "candidate", "admin", admin["email"]),
        ("user.role", "admin", "mentor", admin["email"]),
    ]


async def test_admins_cannot_lock_themselves_out(client):
    admin = await admin_account(client)
    other = await admin_account(client)
    for body in ({"role": "candidate"}, {"status": "disabled"}, {"role": "mentor", "status": "active"}):
        response = await client.patch(f"/api/admin/users/{admin['uid']}", headers=admin["headers"], json=body)
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "FORBIDDEN"
    me = await client.get(f"/api/admin/users/{admin['uid']}", headers=admin["headers"])
    assert me.json()["user"]["role"] == "admin" and me.json()["user"]["status"] == "active"
    # Another administrator may demote them.
    demoted = await client.patch(f"/api/admin/users/{admin['uid']}", headers=other["headers"],
                                 json={"role": "interviewer"})
    assert demoted.status_code == 200, demoted.text
    assert (await client.get("/api/admin/users", headers=admin["headers"])).status_code == 403


@pytest.mark.parametrize("body", [
    {}, {"status": "pending"}, {"status": "deleted"}, {"role": "owner"}, {"role": "user"},
    {"status": "disabled", "email": "x@example.com"}, [], {"status": None, "role": None},
])
async def test_bad_patch_bodies_are_400(client, body):
    admin = await admin_account(client)
    user = await account(client)
    response = await client.patch(f"/api/admin/users/{user['uid']}", headers=admin["headers"], json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert await audit_entries() == []
