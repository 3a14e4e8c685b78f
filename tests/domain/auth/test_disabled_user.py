"""Disabling an account stops its tokens at once; re-activating it does not
bring them back."""

from __future__ import annotations

from tests.conftest import STRONG_PASSWORD, bearer, register
from tests.domain.auth.factories import admin_token, set_active, user_id_of


async def test_disabled_user_tokens_stop_at_once(client, admin):
    account = await register(client)
    tokens = account["tokens"]
    rotated = await client.post("/api/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert rotated.status_code == 200
    access, refresh = rotated.json()["accessToken"], rotated.json()["refreshToken"]
    assert (await client.get("/api/auth/profile", headers=bearer(access))).status_code == 200

    token = await admin_token(client, admin)
    user_id = await user_id_of(client, token, account["email"])
    body = await set_active(client, token, user_id, False)
    assert body["is_active"] is False and body["status"] == "disabled"

    refused = await client.get("/api/auth/profile", headers=bearer(access))
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "UNAUTHORIZED"
    assert (await client.get("/api/v1/admin/users", headers=bearer(access))).status_code == 401
    assert (await client.post("/api/auth/refresh", json={"refreshToken": refresh})).status_code == 401
    assert (await client.post("/api/v1/auth/refresh", headers=bearer(access))).status_code == 401

    login = await client.post("/api/auth/login",
                              json={"email": account["email"], "password": STRONG_PASSWORD})
    assert login.status_code == 403
    assert login.json()["error"]["code"] == "FORBIDDEN"
    v1_login = await client.post("/api/v1/auth/login",
                                 json={"email": account["email"], "password": STRONG_PASSWORD})
    assert v1_login.status_code == 403 and isinstance(v1_login.json()["detail"], str)

    # Re-activation lets the user sign in again, with new tokens only.
    body = await set_active(client, token, user_id, True)
    assert body["is_active"] is True and body["status"] == "active"
    assert (await client.get("/api/auth/profile", headers=bearer(access))).status_code == 401
    assert (await client.get("/api/auth/profile", headers=bearer(tokens["accessToken"]))).status_code == 401
    assert (await client.post("/api/auth/refresh", json={"refreshToken": refresh})).status_code == 401

    again = await client.post("/api/auth/login",
                              json={"email": account["email"], "password": STRONG_PASSWORD})
    assert again.status_code == 200
    fresh = again.json()["tokens"]
    assert (await client.get("/api/auth/profile", headers=bearer(fresh["accessToken"]))).status_code == 200
    renewed = await client.post("/api/auth/refresh", json={"refreshToken": fresh["refreshToken"]})
    assert renewed.status_code == 200


async def test_disabling_one_user_leaves_others_signed_in(client, admin):
    victim, bystander = await register(client), await register(client)
    token = await admin_token(client, admin)
    await set_active(client, token, await user_id_of(client, token, victim["email"]), False)
    headers = bearer(bystander["tokens"]["accessToken"])
    assert (await client.get("/api/auth/profile", headers=headers)).status_code == 200
    refreshed = await client.post("/api/auth/refresh",
                                  json={"refreshToken": bystander["tokens"]["refreshToken"]})
    assert refreshed.status_code == 200
    # The administrator's own token is unaffected as well.
    assert (await client.get("/api/v1/admin/users", headers=bearer(token))).status_code == 200


async def test_updating_an_active_user_does_not_sign_them_out(client, admin):
    account = await register(client)
    token = await admin_token(client, admin)
    user_id = await user_id_of(client, token, account["email"])
    response = await client.put(f"/api/v1/admin/users/{user_id}", headers=bearer(token),
                                json={"company": "Elsewhere Ltd", "is_active": True})
    assert response.status_code == 200 and response.json()["company"] == "Elsewhere Ltd"
    headers = bearer(account["tokens"]["accessToken"])
    assert (await client.get("/api/auth/profile", headers=headers)).status_code == 200
