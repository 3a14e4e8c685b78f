"""POST /api/auth/oauth/{google,linkedin} against loopback OpenID Connect providers."""

from __future__ import annotations

import time
import uuid

from sqlalchemy import select, update

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.models.identity import ExternalIdentity
from interviewd.models.user import User
from tests.conftest import STRONG_PASSWORD, bearer, register, unique_email
from tests.domain.oauth.fake_oidc import pkce_pair

REDIRECT = "https://app.example/oauth/callback"


async def code_sign_in(client, provider, claims, *, name="google", nonce=None, **body):
    verifier, challenge = pkce_pair()
    code = provider.authorize(claims, redirect_uri=REDIRECT, code_challenge=challenge, nonce=nonce)
    payload = {"code": code, "redirectUri": REDIRECT, "codeVerifier": verifier, **body}
    if nonce:
        payload["nonce"] = nonce
    return await client.post(f"/api/auth/oauth/{name}", json=payload)


def error_of(response) -> dict:
    body = response.json()
    assert body["success"] is False, body
    return body["error"]


async def test_first_sign_in_creates_an_account_and_its_tokens_work(oauth_client, google):
    email = unique_email("g")
    claims = google.claims_for("g-" + uuid.uuid4().hex, email, name="Ada Lovelace",
                               given_name="Ada", family_name="Lovelace")
    response = await code_sign_in(oauth_client, google, claims, nonce="n-123")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["isNewUser"] is True
    assert set(body["tokens"]) == {"accessToken", "refreshToken", "expiresIn"}
    # The provider got the client's credentials, the redirect URI and the PKCE verifier.
    sent = google.token_requests[-1]
    assert sent["client_id"] == google.client_id and sent["redirect_uri"] == REDIRECT
    assert sent["code_verifier"]

    profile = await oauth_client.get("/api/auth/profile", headers=bearer(body["tokens"]["accessToken"]))
    assert profile.status_code == 200, profile.text
    assert profile.json()["id"] == body["userId"]
    assert profile.json()["email"] == email
    assert profile.json()["name"] == "Ada Lovelace"
    assert profile.json()["provider"] == "google"

    refreshed = await oauth_client.post("/api/auth/refresh",
                                        json={"refreshToken": body["tokens"]["refreshToken"]})
    assert refreshed.status_code == 200, refreshed.text


async def test_second_sign_in_returns_the_same_user(oauth_client, google):
    claims = google.claims_for("g-" + uuid.uuid4().hex, unique_email("g"))
    first = await code_sign_in(oauth_client, google, claims)
    assert first.status_code == 201, first.text
    # The address changed at the provider: the subject still names the same person.
    second = await code_sign_in(oauth_client, google, {**claims, "email": unique_email("moved")})
    assert second.status_code == 200, second.text
    assert second.json()["userId"] == first.json()["userId"]
    assert second.json()["isNewUser"] is False
    async with unit_of_work(runtime.current().sessionmaker) as session:
        identities = list(await session.scalars(select(ExternalIdentity)))
    assert [(i.provider, i.subject) for i in identities] == [("google", claims["sub"])]
    assert identities[0].last_used_at is not None


async def test_password_account_is_linked_by_verified_email(oauth_client, google):
    account = await register(oauth_client)
    claims = google.claims_for("g-" + uuid.uuid4().hex, account["email"].upper())
    response = await code_sign_in(oauth_client, google, claims)
    assert response.status_code == 200, response.text
    assert response.json() == {**response.json(), "userId": account["userId"], "isNewUser": False}
    # The password still works beside the linked identity.
    login = await oauth_client.post("/api/auth/login",
                                    json={"email": account["email"], "password": STRONG_PASSWORD})
    assert login.status_code == 200, login.text


async def test_unverified_email_is_refused_and_never_linked(oauth_client, google):
    account = await register(oauth_client)
    claims = google.claims_for("g-" + uuid.uuid4().hex, account["email"], verified=False)
    response = await code_sign_in(oauth_client, google, claims)
    assert response.status_code == 403, response.text
    assert error_of(response)["code"] == "FORBIDDEN"
    assert "not verified" in error_of(response)["message"]

    fresh = google.claims_for("g-" + uuid.uuid4().hex, unique_email("new"), verified="false")
    assert (await code_sign_in(oauth_client, google, fresh)).status_code == 403
    async with unit_of_work(runtime.current().sessionmaker) as session:
        assert list(await session.scalars(select(ExternalIdentity))) == []
        assert await session.scalar(select(User).where(User.email == fresh["email"])) is None


async def test_disabled_account_is_refused(oauth_client, google):
    account = await register(oauth_client)
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await session.execute(update(User).where(User.email == account["email"]).values(status="disabled"))
    claims = google.claims_for("g-" + uuid.uuid4().hex, account["email"])
    response = await code_sign_in(oauth_client, google, claims)
    assert response.status_code == 403, response.text
    assert error_of(response)["message"] == "Account is disabled"


async def test_google_id_token_signs_in(oauth_client, google):
    claims = google.claims_for("g-" + uuid.uuid4().hex, unique_email("idt"))
    response = await oauth_client.post("/api/auth/oauth/google", json={"idToken": google.id_token(claims)})
    assert response.status_code == 201, response.text
    again = await oauth_client.post("/api/auth/oauth/google", json={"idToken": google.id_token(claims)})
    assert again.status_code == 200 and again.json()["userId"] == response.json()["userId"]


async def test_id_tokens_that_do_not_verify_are_refused(oauth_client, google):
    claims = google.claims_for("g-" + uuid.uuid4().hex, unique_email("bad"))
    forged_key = google.new_key()
    now = int(time.time())
    cases = {
        # Signed by another key under the published kid.
        "signature": google.id_token(claims, key=forged_key, kid=google.signing_key.kid),
        "audience": google.id_token({**claims, "aud": "someone-elses-client"}),
        "expired": google.id_token({**claims, "iat": now - 7200, "exp": now - 3600}),
        "issuer": google.id_token({**claims, "iss": "https://evil.example"}),
        "nonce": google.id_token({**claims, "nonce": "other"}),
    }
    for case, token in cases.items():
        body = {"idToken": token, **({"nonce": "expected"} if case == "nonce" else {})}
        response = await oauth_client.post("/api/auth/oauth/google", json=body)
        assert response.status_code == 401, (case, response.text)
        assert error_of(response)["code"] == "UNAUTHORIZED"
    garbage = await oauth_client.post("/api/auth/oauth/google", json={"idToken": "not.a.jwt"})
    assert garbage.status_code == 401, garbage.text
    async with unit_of_work(runtime.current().sessionmaker) as session:
        assert await session.scalar(select(User).where(User.email == claims["email"])) is None


async def test_key_rotation_refetches_the_key_set_once(oauth_client, google):
    first = google.claims_for("g-" + uuid.uuid4().hex, unique_email("rot"))
    assert (await oauth_client.post("/api/auth/oauth/google",
                                    json={"idToken": google.id_token(first)})).status_code == 201
    fetches = google.jwks_fetches
    assert fetches == 1
    # Cached: a second token with a known kid fetches nothing.
    assert (await oauth_client.post("/api/auth/oauth/google",
                                    json={"idToken": google.id_token(first)})).status_code == 200
    assert google.jwks_fetches == fetches

    google.rotate()
    second = google.claims_for("g-" + uuid.uuid4().hex, unique_email("rot"))
    response = await oauth_client.post("/api/auth/oauth/google", json={"idToken": google.id_token(second)})
    assert response.status_code == 201, response.text
    assert google.jwks_fetches == fetches + 1

    # A kid the provider never published: one refetch, then 401.
    stranger = google.new_key()
    response = await oauth_client.post("/api/auth/oauth/google",
                                       json={"idToken": google.id_token(second, key=stranger)})
    assert response.status_code == 401, response.text
    assert "unknown key" in error_of(response)["message"]
    assert google.jwks_fetches == fetches + 2


async def test_unknown_kids_do_not_refetch_within_the_minimum_interval(make_client, google):
    client = await make_client(oauth_google_client_id=google.client_id,
                               oauth_google_discovery_url=google.discovery_url,
                               oauth_jwks_min_refetch_interval=300)
    claims = google.claims_for("g-" + uuid.uuid4().hex, unique_email("flood"))
    assert (await client.post("/api/auth/oauth/google",
                              json={"idToken": google.id_token(claims)})).status_code == 201
    for _ in range(3):
        response = await client.post("/api/auth/oauth/google",
                                     json={"idToken": google.id_token(claims, key=google.new_key())})
        assert response.status_code == 401
    assert google.jwks_fetches == 1


async def test_provider_refusing_the_code_is_a_clear_401(oauth_client, google):
    claims = google.claims_for("g-" + uuid.uuid4().hex, unique_email("code"))
    response = await oauth_client.post(
        "/api/auth/oauth/google", json={"code": "never-issued", "redirectUri": REDIRECT})
    assert response.status_code == 401, response.text
    assert "google refused the authorization code (invalid_grant" in error_of(response)["message"]

    wrong_verifier, _ = pkce_pair()
    _right, challenge = pkce_pair()
    code = google.authorize(claims, redirect_uri=REDIRECT, code_challenge=challenge)
    response = await oauth_client.post(
        "/api/auth/oauth/google",
        json={"code": code, "redirectUri": REDIRECT, "codeVerifier": wrong_verifier})
    assert response.status_code == 401, response.text
    assert "PKCE verification failed" in error_of(response)["message"]

    missing = await oauth_client.post("/api/auth/oauth/google", json={"redirectUri": REDIRECT})
    assert missing.status_code == 400, missing.text


async def test_wrong_client_secret_is_refused(make_client, google):
    client = await make_client(oauth_google_client_id=google.client_id,
                               oauth_google_client_secret="not-the-secret",
                               oauth_google_discovery_url=google.discovery_url)
    claims = google.claims_for("g-" + uuid.uuid4().hex, unique_email("secret"))
    response = await code_sign_in(client, google, claims)
    assert response.status_code == 401, response.text
    assert "invalid_client" in error_of(response)["message"]


async def test_unconfigured_provider_is_a_400(client):
    for name in ("google", "linkedin"):
        response = await client.post(f"/api/auth/oauth/{name}",
                                     json={"code": "x", "redirectUri": REDIRECT})
        assert response.status_code == 400, response.text
        assert error_of(response)["code"] == "VALIDATION_ERROR"
        assert error_of(response)["message"] == f"OAuth provider {name} is not configured"
    assert (await client.post("/api/auth/oauth/github", json={})).status_code in (400, 404, 422)


async def test_linkedin_code_flow_fills_email_from_userinfo(oauth_client, linkedin):
    # An ID token without e-mail claims: userinfo supplies them (LinkedIn sends the string "true").
    sub = "li-" + uuid.uuid4().hex
    email = unique_email("li")
    claims = {**linkedin.claims_for(sub, email, verified="true", name="Grace Hopper")}
    code_claims = {k: v for k, v in claims.items() if k not in ("email", "email_verified")}
    linkedin.access_tokens.clear()
    verifier, challenge = pkce_pair()
    code = linkedin.authorize(code_claims, redirect_uri=REDIRECT, code_challenge=challenge)
    # userinfo answers for the access token the exchange hands out; it carries the e-mail.
    original = linkedin.handle_token

    def with_email(form):
        status, body = original(form)
        if status == 200:
            linkedin.access_tokens[body["access_token"]] = claims
        return status, body

    linkedin.handle_token = with_email
    response = await oauth_client.post(
        "/api/auth/oauth/linkedin", json={"code": code, "redirectUri": REDIRECT, "codeVerifier": verifier})
    assert response.status_code == 201, response.text
    profile = await oauth_client.get("/api/auth/profile",
                                     headers=bearer(response.json()["tokens"]["accessToken"]))
    assert profile.json()["email"] == email and profile.json()["provider"] == "linkedin"

    # LinkedIn sign-in takes a code, never a bare ID token.
    refused = await oauth_client.post("/api/auth/oauth/linkedin",
                                      json={"idToken": linkedin.id_token(claims)})
    assert refused.status_code == 400, refused.text


async def test_same_email_at_two_providers_is_one_account(oauth_client, google, linkedin):
    email = unique_email("both")
    g = await code_sign_in(oauth_client, google, google.claims_for("g-" + uuid.uuid4().hex, email))
    li = await code_sign_in(oauth_client, linkedin, linkedin.claims_for("li-" + uuid.uuid4().hex, email),
                            name="linkedin")
    assert (g.status_code, li.status_code) == (201, 200), (g.text, li.text)
    assert g.json()["userId"] == li.json()["userId"]


async def test_unreachable_provider_is_a_clear_401(make_client):
    from tests.adapters.servers import free_port

    client = await make_client(oauth_google_client_id="cid", oauth_google_discovery_url=(
        f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration"))
    response = await client.post("/api/auth/oauth/google", json={"code": "x", "redirectUri": REDIRECT})
    assert response.status_code == 401, response.text
    assert error_of(response)["message"].startswith("Sign-in with google could not be verified")
