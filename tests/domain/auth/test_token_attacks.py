"""Forged, altered, expired and misused tokens are refused on both surfaces.

Every forgery starts from the claims of a real access token, and the same
claims re-signed with the real secret are accepted: so each refusal is caused
by the one thing the attack changed.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from interviewd import runtime
from tests.conftest import STRONG_PASSWORD, bearer, unique_email
from tests.domain.auth.factories import (
    admin_token,
    b64url,
    sign,
    unverified_claims,
    with_segment,
)


def sign_free(claims: dict) -> dict:
    """Claims as an unsigned token would carry them, with a live expiry."""
    return {**claims, "exp": int(time.time()) + 600}


def _alg_none(token: str, claims: dict) -> str:
    return f"{b64url({'alg': 'none', 'typ': 'JWT'})}.{b64url(sign_free(claims))}."


def _alg_none_keeping_signature(token: str, claims: dict) -> str:
    return with_segment(token, 0, b64url({"alg": "none", "typ": "JWT"}))


def _alg_none_capitalised(token: str, claims: dict) -> str:
    return f"{b64url({'alg': 'None', 'typ': 'JWT'})}.{b64url(sign_free(claims))}."


def _payload_swapped(token: str, claims: dict) -> str:
    # A payload the signature was not made for (a later expiry), signature kept.
    return with_segment(token, 1, b64url({**claims, "exp": claims["exp"] + 86400}))


def _signature_flipped(token: str, claims: dict) -> str:
    signature = token.split(".")[2]
    middle = len(signature) // 2
    flipped = "A" if signature[middle] != "A" else "B"
    return with_segment(token, 2, signature[:middle] + flipped + signature[middle + 1:])


def _signature_dropped(token: str, claims: dict) -> str:
    return with_segment(token, 2, "")


def _expired(token: str, claims: dict) -> str:
    now = datetime.now(UTC)
    return sign(claims, iat=now - timedelta(hours=2), exp=now - timedelta(seconds=30))


def _other_secret(token: str, claims: dict) -> str:
    return sign(claims, secret="another-installation-secret-of-a-decent-length")


def _refresh_typed(token: str, claims: dict) -> str:
    return sign(claims, typ="refresh")


def _other_issuer(token: str, claims: dict) -> str:
    return sign(claims, iss="someone-else")


def _no_expiry(token: str, claims: dict) -> str:
    payload = {k: v for k, v in claims.items() if k != "exp"}
    return jwt.encode(payload, runtime.current().settings.secret_key, algorithm="HS256")


def _garbage(token: str, claims: dict) -> str:
    return "this-is-not-a-token"


def _three_garbage_segments(token: str, claims: dict) -> str:
    return "abc.def.ghi"


ATTACKS = {
    "alg-none": _alg_none,
    "alg-none-keeping-signature": _alg_none_keeping_signature,
    "alg-None-capitalised": _alg_none_capitalised,
    "payload-swapped": _payload_swapped,
    "signature-flipped": _signature_flipped,
    "signature-dropped": _signature_dropped,
    "expired": _expired,
    "other-secret": _other_secret,
    "refresh-typed": _refresh_typed,
    "other-issuer": _other_issuer,
    "no-expiry": _no_expiry,
    "garbage": _garbage,
    "three-garbage-segments": _three_garbage_segments,
}


@pytest.fixture
async def subject(client, admin) -> dict:
    """A real access token of an administrator, so one token is valid on both surfaces."""
    token = await admin_token(client, admin)
    return {"token": token, "claims": unverified_claims(token)}


def _api_problem(response) -> str | None:
    """Why `response` is not a 401 in the /api envelope, or None."""
    body = response.json()
    if response.status_code != 401:
        return f"/api answered {response.status_code}: {response.text}"
    if not (body.get("success") is False and body["error"]["code"] == "UNAUTHORIZED"
            and body["error"]["type"] == "auth_error"
            and body["requestId"] == response.headers["x-request-id"]):
        return f"/api envelope wrong: {body}"
    return None


def _v1_problem(response) -> str | None:
    """Why `response` is not a 401 `{"detail": "..."}` of /api/v1, or None."""
    body = response.json()
    if response.status_code != 401:
        return f"/api/v1 answered {response.status_code}: {response.text}"
    if set(body) != {"detail"} or not isinstance(body["detail"], str):
        return f"/api/v1 body wrong: {body}"
    if response.headers.get("www-authenticate") != "Bearer":
        return "/api/v1 401 without WWW-Authenticate: Bearer"
    return None


async def _assert_api_401(client, token: str) -> None:
    problem = _api_problem(await client.get("/api/auth/profile", headers=bearer(token)))
    assert problem is None, problem


async def _assert_v1_401(client, token: str) -> None:
    problem = _v1_problem(await client.get("/api/v1/admin/users", headers=bearer(token)))
    assert problem is None, problem


async def test_resigned_claims_are_accepted(client, subject):
    """The control: the forging helpers themselves make tokens the server accepts."""
    for token in (subject["token"], sign(subject["claims"])):
        assert (await client.get("/api/auth/profile", headers=bearer(token))).status_code == 200
        assert (await client.get("/api/v1/admin/users", headers=bearer(token))).status_code == 200


async def test_every_attack_is_401_on_both_surfaces(client, subject):
    # One account for all attacks (password hashing is slow); every attack is
    # tried, and the failures are reported together by name.
    problems = {}
    for name, attack in ATTACKS.items():
        forged = attack(subject["token"], subject["claims"])
        assert forged != subject["token"], name
        found = [
            _api_problem(await client.get("/api/auth/profile", headers=bearer(forged))),
            _v1_problem(await client.get("/api/v1/admin/users", headers=bearer(forged))),
        ]
        if any(found):
            problems[name] = [p for p in found if p]
    assert problems == {}
    # Still signed in: the attacks did not disturb the real token.
    assert (await client.get("/api/auth/profile", headers=bearer(subject["token"]))).status_code == 200


async def test_refresh_token_is_not_an_access_token(client, admin):
    login = await client.post("/api/auth/login",
                              json={"email": admin["email"], "password": admin["password"]})
    refresh = login.json()["tokens"]["refreshToken"]
    await _assert_api_401(client, refresh)
    await _assert_v1_401(client, refresh)
    # /api/v1/auth/refresh takes a bearer *access* token; a refresh token there is refused too.
    v1 = await client.post("/api/v1/auth/refresh", headers=bearer(refresh))
    assert v1.status_code == 401 and "detail" in v1.json()
    # The refresh token is still good for what it is for.
    assert (await client.post("/api/auth/refresh", json={"refreshToken": refresh})).status_code == 200


async def test_access_token_is_not_a_refresh_token(client, admin):
    login = await client.post("/api/auth/login",
                              json={"email": admin["email"], "password": admin["password"]})
    access = login.json()["tokens"]["accessToken"]
    for request in ({"json": {"refreshToken": access}}, {"headers": bearer(access)}):
        response = await client.post("/api/auth/refresh", **request)
        assert response.status_code == 401, response.text
        assert response.json()["error"]["code"] == "UNAUTHORIZED"
    v1 = await client.post("/api/v1/auth/refresh", json={"refresh_token": access})
    assert v1.status_code == 401
    assert set(v1.json()) == {"detail"}
    # Presenting it as a refresh token did not spend it.
    assert (await client.get("/api/auth/profile", headers=bearer(access))).status_code == 200


async def test_forged_refresh_tokens_are_refused(client, admin):
    login = await client.post("/api/auth/login",
                              json={"email": admin["email"], "password": admin["password"]})
    refresh = login.json()["tokens"]["refreshToken"]
    claims = unverified_claims(refresh)
    forged = [
        sign(claims),  # well signed, but never issued: no stored row
        sign(claims, secret="another-installation-secret-of-a-decent-length"),
        _signature_flipped(refresh, claims),
        f"{b64url({'alg': 'none'})}.{b64url(sign_free(claims))}.",
        "garbage",
    ]
    for token in forged:
        response = await client.post("/api/auth/refresh", json={"refreshToken": token})
        assert response.status_code == 401, (token, response.text)
        v1 = await client.post("/api/v1/auth/refresh", json={"refresh_token": token})
        assert v1.status_code == 401 and set(v1.json()) == {"detail"}
    # None of the refusals touched the real token's family.
    assert (await client.post("/api/auth/refresh", json={"refreshToken": refresh})).status_code == 200


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", ""])
async def test_missing_or_foreign_authorization_is_401(client, header):
    headers = {"Authorization": header} if header else {}
    api = await client.get("/api/auth/profile", headers=headers)
    assert api.status_code == 401 and api.json()["error"]["code"] == "UNAUTHORIZED"
    v1 = await client.get("/api/v1/admin/users", headers=headers)
    assert v1.status_code == 401 and set(v1.json()) == {"detail"}


async def test_issued_access_token_lives_for_the_configured_ttl(make_client):
    client = await make_client(access_token_ttl=90)
    login = await client.post("/api/auth/register", json={"email": unique_email(),
                                                           "password": STRONG_PASSWORD})
    claims = unverified_claims(login.json()["tokens"]["accessToken"])
    assert claims["exp"] - claims["iat"] == 90
    assert login.json()["tokens"]["expiresIn"] == 90
    # Past its expiry (same claims, clock moved on) the server refuses it.
    await _assert_api_401(client, _expired("", claims))
