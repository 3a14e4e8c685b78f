"""004's GET/PUT /api/users/profile and /api/users/settings."""

from __future__ import annotations

import pytest

from tests.conftest import bearer, register
from tests.surfaces.candidate.account_factories import user_row

pytestmark = pytest.mark.asyncio


async def _user(client) -> dict:
    user = await register(client, name="Min Park")
    user["headers"] = bearer(user["tokens"]["accessToken"])
    return user


async def test_profile_is_004s_user(client):
    user = await _user(client)
    response = await client.get("/api/users/profile", headers=user["headers"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True and body["user"]["id"] == user["userId"]
    for shape in (body, body["user"]):
        assert shape["id"] == user["userId"] and shape["email"] == user["email"]
        assert shape["name"] == "Min Park" and shape["avatar"] is None and shape["role"] == "candidate"
        assert shape["preferences"]["language"] == "en" and shape["preferences"]["notifications"] is True
        assert shape["subscription"]["type"] == "free"
        assert shape["createdAt"].endswith("Z") and shape["updatedAt"].endswith("Z")
        assert "lastLoginAt" in shape


async def test_put_profile_changes_own_fields_only(client):
    user = await _user(client)
    response = await client.put("/api/users/profile", headers=user["headers"], json={
        "name": "Min-ji Park", "avatar": "https://cdn.example.com/me.png",
        "preferences": {"language": "ko", "difficulty": "hard"},
        "email": "taken@example.com", "role": "admin", "subscription": {"type": "premium"},
    })
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "Min-ji Park" and body["avatar"] == "https://cdn.example.com/me.png"
    assert body["preferences"]["language"] == "ko" and body["preferences"]["difficulty"] == "hard"
    assert body["email"] == user["email"] and body["role"] == "candidate"
    assert body["subscription"]["type"] == "free"
    # null removes the avatar
    body = (await client.put("/api/users/profile", headers=user["headers"], json={"avatar": None})).json()
    assert body["avatar"] is None and body["name"] == "Min-ji Park"


@pytest.mark.parametrize("payload, field", [
    ({"avatar": "javascript:alert(1)"}, "avatar"),
    ({"avatar": "/relative.png"}, "avatar"),
    ({"name": "x" * 256}, "name"),
    ({"preferences": {"language": "fr"}}, "preferences.language"),
])
async def test_put_profile_rejects_bad_values(client, payload, field):
    user = await _user(client)
    response = await client.put("/api/users/profile", headers=user["headers"], json=payload)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert field in response.json()["details"]
    assert (await user_row(user["userId"])).avatar_url is None


async def test_settings_have_defaults_and_merge(client):
    user = await _user(client)
    body = (await client.get("/api/users/settings", headers=user["headers"])).json()
    assert body["settings"] == {"jobCategory": None, "difficulty": "medium", "notifications": True,
                                "language": "en"}
    assert body["language"] == "en" and body["success"] is True

    response = await client.put("/api/users/settings", headers=user["headers"],
                                json={"jobCategory": "software-engineering", "language": "ko"})
    assert response.status_code == 200, response.text
    assert response.json()["settings"] == {"jobCategory": "software-engineering", "difficulty": "medium",
                                           "notifications": True, "language": "ko"}
    # Wrapped under `preferences` works too, and only the named keys change.
    response = await client.put("/api/users/settings", headers=user["headers"],
                                json={"preferences": {"notifications": False, "difficulty": "easy"}})
    settings = response.json()["settings"]
    assert settings == {"jobCategory": "software-engineering", "difficulty": "easy", "notifications": False,
                        "language": "ko"}
    # null goes back to the default
    response = await client.put("/api/users/settings", headers=user["headers"], json={"language": None})
    assert response.json()["settings"]["language"] == "en"
    stored = (await user_row(user["userId"])).preferences
    assert stored == {"jobCategory": "software-engineering", "difficulty": "easy", "notifications": False}
    # The same preferences show in 003's /me.
    me = (await client.get("/api/users/me", headers=user["headers"])).json()["user"]
    assert me["preferences"]["difficulty"] == "easy"
    assert me["preferences"]["jobCategory"] == "software-engineering"


@pytest.mark.parametrize("payload, field", [
    ({"difficulty": "expert"}, "difficulty"),
    ({"language": "fr"}, "language"),
    ({"notifications": "sometimes"}, "notifications"),
    ({"jobCategory": "Software Engineering!"}, "jobCategory"),
    ({"timezone": "Nowhere/City"}, "timezone"),
    ({"settings": {"language": "de"}}, "settings.language"),
])
async def test_settings_reject_values_outside_their_enumerations(client, payload, field):
    user = await _user(client)
    response = await client.put("/api/users/settings", headers=user["headers"], json=payload)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"]["code"] == "VALIDATION_ERROR" and field in body["details"]
    assert (await user_row(user["userId"])).preferences == {}


async def test_account_routes_need_a_token(client):
    for method, path in (("GET", "/api/users/profile"), ("PUT", "/api/users/profile"),
                         ("GET", "/api/users/settings"), ("PUT", "/api/users/settings"),
                         ("GET", "/api/users/me/sessions"), ("POST", "/api/users/avatar"),
                         ("DELETE", "/api/users/account")):
        response = await client.request(method, path, json={} if method == "PUT" else None)
        assert response.status_code == 401, (method, path, response.text)
