"""/api/v1 accounts (contract 002): registration pending activation, admin
activation, sign-in by username or e-mail (JSON and OAuth2 form), refresh,
password changes, and the `{"detail": ...}` errors."""

from __future__ import annotations

import pytest

from tests.conftest import STRONG_PASSWORD, bearer, unique_email
from tests.domain.auth.factories import register_hiring, set_active

LOGIN_USER_KEYS = {"id", "username", "email", "company", "subscription_status", "subscription_plan"}
PAGE_KEYS = {"items", "total", "limit", "offset", "has_next", "has_prev"}
NEW_PASSWORD = "Battery-Staple-77"


def assert_login_body(body: dict, account: dict) -> None:
    assert {"access_token", "token_type", "user"} <= set(body)
    assert body["token_type"] == "bearer"
    assert isinstance(body["access_token"], str) and body["access_token"].count(".") == 2
    user = body["user"]
    assert set(user) >= LOGIN_USER_KEYS
    assert type(user["id"]) is int
    assert user["email"] == account["email"]
    if account.get("username"):
        assert user["username"] == account["username"]
    assert isinstance(user["subscription_status"], str) and isinstance(user["subscription_plan"], str)
    assert not any("password" in key for key in user)


def assert_detail(response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"detail"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    return body["detail"]


def assert_422(response) -> list:
    assert response.status_code == 422, response.text
    body = response.json()
    assert set(body) == {"detail"}
    assert isinstance(body["detail"], list) and body["detail"]
    for error in body["detail"]:
        assert {"loc", "msg", "type"} <= set(error)
    return body["detail"]


async def _profile_status(client, token: str) -> int:
    return (await client.get("/api/auth/profile", headers=bearer(token))).status_code


@pytest.fixture
async def interviewer(client, admin_headers) -> dict:
    """A registered and activated interviewer, signed in."""
    account = await register_hiring(client)
    await set_active(client, admin_headers["Authorization"][7:], account["id"], True)
    login = await client.post("/api/v1/auth/login",
                              json={"username": account["username"], "password": account["password"]})
    assert login.status_code == 200, login.text
    return {**account, "tokens": login.json()}


async def test_registration_is_pending_until_an_admin_activates(client, admin_headers):
    account = await register_hiring(client)
    body = account["body"]
    assert type(body["id"]) is int
    assert body["username"] == account["username"] and body["email"] == account["email"]
    assert body["company"] == "Example Corp"
    assert body["is_active"] is False and body["status"] == "pending"
    assert body["role"] == "interviewer"
    assert not any("password" in key for key in body)

    for login in ({"username": account["username"]}, {"email": account["email"]}):
        refused = await client.post("/api/v1/auth/login", json={**login, "password": STRONG_PASSWORD})
        assert "pending" in assert_detail(refused, 403).lower()

    pending = await client.get("/api/v1/admin/users/pending", headers=admin_headers)
    assert pending.status_code == 200, pending.text
    page = pending.json()
    assert set(page) == PAGE_KEYS
    assert page["total"] == 1 and page["limit"] == 50 and page["offset"] == 0
    assert page["has_next"] is False and page["has_prev"] is False
    [item] = page["items"]
    assert item["id"] == account["id"] and item["email"] == account["email"]

    activated = await client.put(f"/api/v1/admin/users/{account['id']}", headers=admin_headers,
                                 json={"is_active": True})
    assert activated.status_code == 200, activated.text
    assert activated.json()["is_active"] is True and activated.json()["status"] == "active"
    assert activated.json()["id"] == account["id"]
    after = await client.get("/api/v1/admin/users/pending", headers=admin_headers)
    assert after.json()["items"] == [] and after.json()["total"] == 0

    requests = [
        {"json": {"username": account["username"], "password": STRONG_PASSWORD}},
        {"json": {"email": account["email"], "password": STRONG_PASSWORD}},
        {"json": {"username": account["email"], "password": STRONG_PASSWORD}},
        {"json": {"username": account["username"].upper(), "password": STRONG_PASSWORD}},
        {"data": {"username": account["username"], "password": STRONG_PASSWORD, "grant_type": "password"}},
        {"data": {"username": account["email"], "password": STRONG_PASSWORD}},
    ]
    for request in requests:
        login = await client.post("/api/v1/auth/login", **request)
        assert login.status_code == 200, (request, login.text)
        assert_login_body(login.json(), account)
        assert login.json()["user"]["id"] == account["id"]
        assert login.json()["user"]["company"] == "Example Corp"
        assert await _profile_status(client, login.json()["access_token"]) == 200


async def test_wrong_password_or_unknown_account_is_401(client, interviewer):
    for body in ({"username": interviewer["username"], "password": "Wrong-Password-1"},
                 {"username": "nobody_here", "password": STRONG_PASSWORD}):
        response = await client.post("/api/v1/auth/login", json=body)
        assert_detail(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"
    form = await client.post("/api/v1/auth/login",
                             data={"username": interviewer["email"], "password": "Wrong-Password-1"})
    assert_detail(form, 401)


async def test_pending_list_paginates(client, admin_headers):
    accounts = [await register_hiring(client) for _ in range(3)]
    first = await client.get("/api/v1/admin/users/pending", headers=admin_headers,
                             params={"limit": 2, "offset": 0})
    assert first.status_code == 200
    assert {k: v for k, v in first.json().items() if k != "items"} == {
        "total": 3, "limit": 2, "offset": 0, "has_next": True, "has_prev": False}
    last = await client.get("/api/v1/admin/users/pending", headers=admin_headers,
                            params={"limit": 2, "offset": 2})
    assert {k: v for k, v in last.json().items() if k != "items"} == {
        "total": 3, "limit": 2, "offset": 2, "has_next": False, "has_prev": True}
    # Oldest first, and the two pages together are the three accounts once each.
    ids = [u["id"] for u in first.json()["items"] + last.json()["items"]]
    assert ids == [a["id"] for a in accounts]


async def test_admin_signs_in_with_json_and_oauth2_form(client, admin):
    requests = [
        {"json": {"email": admin["email"], "password": admin["password"]}},
        {"json": {"username": admin["username"], "password": admin["password"]}},
        {"data": {"username": admin["email"], "password": admin["password"]}},
        {"data": {"username": admin["username"], "password": admin["password"], "grant_type": "password"}},
    ]
    for request in requests:
        response = await client.post("/api/v1/admin/auth/login", **request)
        assert response.status_code == 200, (request, response.text)
        assert_login_body(response.json(), admin)
        assert response.json()["user"]["id"] == admin["id"]
    wrong = await client.post("/api/v1/admin/auth/login",
                              json={"email": admin["email"], "password": "Wrong-Password-1"})
    assert_detail(wrong, 401)


async def test_non_admin_is_kept_out_of_the_admin_panel(client, interviewer):
    login = await client.post("/api/v1/admin/auth/login",
                              json={"username": interviewer["username"], "password": STRONG_PASSWORD})
    assert_detail(login, 403)
    form = await client.post("/api/v1/admin/auth/login",
                             data={"username": interviewer["email"], "password": STRONG_PASSWORD})
    assert_detail(form, 403)

    headers = bearer(interviewer["tokens"]["access_token"])
    assert_detail(await client.get("/api/v1/admin/users/pending", headers=headers), 403)
    assert_detail(await client.get("/api/v1/admin/users", headers=headers), 403)
    assert_detail(await client.get(f"/api/v1/admin/users/{interviewer['id']}", headers=headers), 403)
    promote = await client.put(f"/api/v1/admin/users/{interviewer['id']}", headers=headers,
                               json={"role": "admin"})
    assert_detail(promote, 403)
    change = await client.post("/api/v1/admin/auth/change-password", headers=headers,
                               json={"current_password": STRONG_PASSWORD, "new_password": NEW_PASSWORD})
    assert_detail(change, 403)
    # Nothing of the above took effect.
    again = await client.post("/api/v1/auth/login",
                              json={"username": interviewer["username"], "password": STRONG_PASSWORD})
    assert again.status_code == 200 and await _profile_status(client, again.json()["access_token"]) == 200
    assert_detail(await client.post("/api/v1/admin/auth/login",
                                     json={"email": interviewer["email"], "password": STRONG_PASSWORD}), 403)
    # Without a token the admin panel is 401, not 403.
    assert_detail(await client.get("/api/v1/admin/users/pending"), 401)


async def test_refresh_by_refresh_token_and_by_bearer(client, interviewer):
    tokens = interviewer["tokens"]
    assert isinstance(tokens["refresh_token"], str)

    by_refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert by_refresh.status_code == 200, by_refresh.text
    assert_login_body(by_refresh.json(), interviewer)
    assert by_refresh.json()["refresh_token"] != tokens["refresh_token"]
    assert await _profile_status(client, by_refresh.json()["access_token"]) == 200

    current = by_refresh.json()["access_token"]
    by_bearer = await client.post("/api/v1/auth/refresh", headers=bearer(current))
    assert by_bearer.status_code == 200, by_bearer.text
    assert_login_body(by_bearer.json(), interviewer)
    fresh = by_bearer.json()["access_token"]
    assert fresh != current
    # The access token that was exchanged is spent; the new one works.
    assert await _profile_status(client, current) == 401
    assert await _profile_status(client, fresh) == 200
    assert (await client.post("/api/v1/auth/refresh", headers=bearer(current))).status_code == 401

    assert_detail(await client.post("/api/v1/auth/refresh"), 401)
    assert_detail(await client.post("/api/v1/auth/refresh", json={}), 401)


async def test_change_password(client, interviewer):
    old_token = interviewer["tokens"]["access_token"]
    old_refresh = interviewer["tokens"]["refresh_token"]
    headers = bearer(old_token)

    wrong = await client.post("/api/v1/auth/change-password", headers=headers,
                              json={"current_password": "Wrong-Password-1", "new_password": NEW_PASSWORD})
    assert_detail(wrong, 400)
    weak = await client.post("/api/v1/auth/change-password", headers=headers,
                             json={"current_password": STRONG_PASSWORD, "new_password": "short"})
    assert "password" in assert_detail(weak, 400).lower()
    assert_422(await client.post("/api/v1/auth/change-password", headers=headers,
                                 json={"current_password": STRONG_PASSWORD}))
    # The refused attempts changed nothing.
    assert await _profile_status(client, old_token) == 200

    changed = await client.post("/api/v1/auth/change-password", headers=headers,
                                json={"current_password": STRONG_PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.text
    assert isinstance(changed.json()["detail"], str)
    assert_login_body(changed.json(), interviewer)
    new_token = changed.json()["access_token"]

    assert await _profile_status(client, old_token) == 401
    assert await _profile_status(client, new_token) == 200
    assert (await client.post("/api/v1/auth/refresh", json={"refresh_token": old_refresh})).status_code == 401
    old_login = await client.post("/api/v1/auth/login",
                                  json={"username": interviewer["username"], "password": STRONG_PASSWORD})
    assert_detail(old_login, 401)
    new_login = await client.post("/api/v1/auth/login",
                                  json={"username": interviewer["username"], "password": NEW_PASSWORD})
    assert new_login.status_code == 200

    # `old_password` is accepted as the name of the current password too.
    again = await client.post("/api/v1/auth/change-password", headers=bearer(new_token),
                              json={"old_password": NEW_PASSWORD, "new_password": "Third-Secret-333"})
    assert again.status_code == 200, again.text


async def test_admin_change_password(client, admin):
    login = await client.post("/api/v1/admin/auth/login",
                              json={"email": admin["email"], "password": admin["password"]})
    old_token = login.json()["access_token"]
    headers = bearer(old_token)
    wrong = await client.post("/api/v1/admin/auth/change-password", headers=headers,
                              json={"current_password": "Wrong-Password-1", "new_password": NEW_PASSWORD})
    assert_detail(wrong, 400)

    changed = await client.post("/api/v1/admin/auth/change-password", headers=headers,
                                json={"current_password": admin["password"], "new_password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.text
    new_token = changed.json()["access_token"]
    assert (await client.get("/api/v1/admin/users", headers=headers)).status_code == 401
    assert (await client.get("/api/v1/admin/users", headers=bearer(new_token))).status_code == 200

    assert_detail(await client.post("/api/v1/admin/auth/login",
                                    json={"email": admin["email"], "password": admin["password"]}), 401)
    relogin = await client.post("/api/v1/admin/auth/login",
                                data={"username": admin["email"], "password": NEW_PASSWORD})
    assert relogin.status_code == 200


async def test_logout(client, interviewer):
    token = interviewer["tokens"]["access_token"]
    response = await client.post("/api/v1/auth/logout", headers=bearer(token))
    assert response.status_code == 200
    assert isinstance(response.json()["detail"], str)
    assert_detail(await client.post("/api/v1/auth/logout", headers=bearer(token)), 401)
    assert_detail(await client.post("/api/v1/auth/refresh",
                                    json={"refresh_token": interviewer["tokens"]["refresh_token"]}), 401)
    assert_detail(await client.post("/api/v1/auth/logout"), 401)


async def test_validation_errors_are_422_with_a_list(client, admin_headers):
    registrations = [
        {},
        {"username": "ab", "email": unique_email(), "password": STRONG_PASSWORD},
        {"username": "has space", "email": unique_email(), "password": STRONG_PASSWORD},
        {"username": "valid_name", "email": "not-an-email", "password": STRONG_PASSWORD},
        {"username": "valid_name", "email": unique_email()},
    ]
    for body in registrations:
        assert_422(await client.post("/api/v1/auth/registration/", json=body))
    logins = [
        {"json": {}},
        {"json": {"password": STRONG_PASSWORD}},
        {"json": {"username": "someone"}},
        {"data": {"username": "someone"}},
        {"content": b"{not json", "headers": {"content-type": "application/json"}},
    ]
    for request in logins:
        errors = assert_422(await client.post("/api/v1/auth/login", **request))
        assert STRONG_PASSWORD not in str(errors)
        assert_422(await client.post("/api/v1/admin/auth/login", **request))

    assert_422(await client.put("/api/v1/admin/users/1", headers=admin_headers, json={"is_active": "maybe"}))
    assert_422(await client.put("/api/v1/admin/users/1", headers=admin_headers, json={"role": "overlord"}))
    assert_422(await client.get("/api/v1/admin/users/not-a-number", headers=admin_headers))
    for params in ({"limit": 0}, {"limit": 100000}, {"offset": -1}):
        assert_422(await client.get("/api/v1/admin/users/pending", headers=admin_headers, params=params))
    assert_422(await client.get("/api/v1/admin/users", headers=admin_headers,
                                params={"sort": "password_hash"}))


async def test_weak_registration_password_is_refused(client, admin_headers):
    email = unique_email()
    response = await client.post("/api/v1/auth/registration/",
                                 json={"username": "weakling", "email": email, "password": "password123"})
    assert "password" in assert_detail(response, 400).lower()
    listed = await client.get("/api/v1/admin/users", headers=admin_headers, params={"search": email})
    assert listed.json()["total"] == 0


async def test_unknown_user_is_404(client, admin_headers):
    assert_detail(await client.get("/api/v1/admin/users/987654", headers=admin_headers), 404)
    assert_detail(await client.put("/api/v1/admin/users/987654", headers=admin_headers,
                                   json={"is_active": True}), 404)


async def test_duplicate_registration_is_409(client, admin_headers):
    account = await register_hiring(client)
    same_email = await client.post("/api/v1/auth/registration/", json={
        "username": "another_name", "email": account["email"].upper(), "password": STRONG_PASSWORD})
    assert_detail(same_email, 409)
    same_username = await client.post("/api/v1/auth/registration/", json={
        "username": account["username"].upper(), "email": unique_email(), "password": STRONG_PASSWORD})
    assert_detail(same_username, 409)
    pending = await client.get("/api/v1/admin/users/pending", headers=admin_headers)
    assert pending.json()["total"] == 1
