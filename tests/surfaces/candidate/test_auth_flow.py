from __future__ import annotations

from tests.conftest import STRONG_PASSWORD, bearer, register, unique_email


async def test_register_login_refresh_profile_logout(client):
    account = await register(client, firstName="Jo", lastName="Doe",
                             preferredLanguages=["python"], experienceLevel="mid")
    tokens = account["tokens"]
    assert set(tokens) == {"accessToken", "refreshToken", "expiresIn"}
    assert isinstance(tokens["expiresIn"], int) and isinstance(account["userId"], str)

    login = await client.post("/api/auth/login",
                              json={"email": account["email"], "password": STRONG_PASSWORD})
    assert login.status_code == 200
    assert login.json()["userId"] == account["userId"]

    refreshed = await client.post("/api/auth/refresh",
                                  headers=bearer(login.json()["tokens"]["refreshToken"]))
    assert refreshed.status_code == 200, refreshed.text
    assert set(refreshed.json()) == {"accessToken", "refreshToken", "expiresIn"}
    access = refreshed.json()["accessToken"]

    profile = await client.get("/api/auth/profile", headers=bearer(access))
    assert profile.status_code == 200
    body = profile.json()
    assert body["email"] == account["email"]
    assert body["name"] == "Jo Doe"
    assert body["preferredLanguages"] == ["python"] and body["experienceLevel"] == "mid"

    logout = await client.post("/api/auth/logout", headers=bearer(access))
    assert logout.status_code == 204
    again = await client.get("/api/auth/profile", headers=bearer(access))
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "UNAUTHORIZED"
    # The refresh family of the signed-out session is refused too.
    stale = await client.post("/api/auth/refresh",
                              json={"refreshToken": refreshed.json()["refreshToken"]})
    assert stale.status_code == 401


async def test_auth_alias_at_root_serves_the_same_handlers(client):
    email = unique_email()
    created = await client.post("/auth/register", json={"email": email, "password": STRONG_PASSWORD,
                                                         "name": "Ann"})
    assert created.status_code == 201
    login = await client.post("/api/auth/login", json={"email": email, "password": STRONG_PASSWORD})
    assert login.status_code == 200
    missing = await client.post("/auth/login", json={"email": email})
    assert missing.status_code == 400
    assert missing.json()["success"] is False


async def test_duplicate_email_is_conflict(client):
    account = await register(client)
    again = await client.post("/api/auth/register",
                              json={"email": account["email"].upper(), "password": STRONG_PASSWORD})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "CONFLICT"


async def test_weak_password_and_bad_email_name_the_field(client):
    weak = await client.post("/api/auth/register", json={"email": unique_email(), "password": "short"})
    assert weak.status_code == 400
    body = weak.json()
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert body["error"]["details"]["field"] == "password"
    assert "password" in body["details"]
    assert "value" not in body["error"]["details"]  # passwords are never echoed

    common = await client.post("/api/auth/register",
                               json={"email": unique_email(), "password": "password123"})
    assert common.status_code == 400 and common.json()["error"]["details"]["field"] == "password"

    bad_email = await client.post("/api/auth/register",
                                  json={"email": "not-an-email", "password": STRONG_PASSWORD})
    assert bad_email.status_code == 400
    assert bad_email.json()["error"]["details"]["field"] == "email"


async def test_wrong_password_is_401_in_envelope(client):
    account = await register(client)
    response = await client.post("/api/auth/login",
                                 json={"email": account["email"], "password": "Wrong-Password-1"})
    assert response.status_code == 401
    body = response.json()
    assert body["success"] is False and body["error"]["code"] == "UNAUTHORIZED"
    assert body["requestId"] == response.headers["x-request-id"]


async def test_profile_update(client):
    account = await register(client)
    access = account["tokens"]["accessToken"]
    response = await client.put("/api/auth/profile", headers=bearer(access),
                                json={"name": "New Name", "preferences": {"language": "ko"}})
    assert response.status_code == 200
    assert response.json()["name"] == "New Name"
    assert response.json()["preferences"] == {"language": "ko"}
    again = await client.get("/api/auth/profile", headers=bearer(access))
    assert again.json()["name"] == "New Name"
