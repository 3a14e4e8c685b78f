"""An external identity provider's JWTs, verified against its JWKS endpoint.

The provider is a real HTTP server on loopback serving RSA and EC public keys
generated here; each refusal changes one thing in a token that is otherwise
accepted (see test_rsa_token_creates_the_user_once).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from sqlalchemy import func, select

from interviewd import runtime
from interviewd.models.identity import ExternalIdentity
from interviewd.models.user import User
from tests.conftest import bearer, register, unique_email
from tests.support.jwks import JwksServer, jwk

ISSUER = "https://clerk.example.test"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_KEY_2 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def provider_keys() -> list[dict]:
    return [jwk(RSA_KEY, "rsa-1", "RS256"), jwk(EC_KEY, "ec-1", "ES256")]


@pytest.fixture
def jwks():
    server = JwksServer(provider_keys())
    yield server
    server.close()


@pytest.fixture
def external_client(make_client, jwks):
    async def make(**overrides):
        settings = dict(external_jwt_issuer=ISSUER, external_jwt_jwks_url=jwks.url)
        settings.update(overrides)
        return await make_client(**settings)

    return make


def claims(**overrides) -> dict:
    now = int(time.time())
    values = {
        "iss": ISSUER, "sub": "user_" + uuid.uuid4().hex[:16], "iat": now, "nbf": now - 5,
        "exp": now + 600, "email": unique_email("ext"), "email_verified": True,
        "first_name": "Ada", "last_name": "Lovelace", "image_url": "https://img.example.test/ada.png",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def sign(payload: dict, *, key=RSA_KEY, kid: str = "rsa-1", alg: str = "RS256") -> str:
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid})


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_token(header: dict, payload: dict, signature: bytes = b"") -> tuple[str, bytes]:
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"
    return signing_input, signature


async def profile(client, token: str):
    return await client.get("/api/auth/profile", headers=bearer(token))


def assert_refused(response) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "UNAUTHORIZED"


async def identity_count(subject: str) -> int:
    async with runtime.current().sessionmaker() as session:
        return await session.scalar(
            select(func.count()).select_from(ExternalIdentity).where(ExternalIdentity.subject == subject)
        )


async def test_rsa_token_creates_the_user_once(external_client):
    client = await external_client()
    payload = claims()
    first = await profile(client, sign(payload))
    assert first.status_code == 200, first.text
    user = first.json()
    assert user["email"] == payload["email"]
    assert (user["firstName"], user["lastName"], user["name"]) == ("Ada", "Lovelace", "Ada Lovelace")
    assert user["avatar"] == payload["image_url"]
    assert (user["role"], user["status"], user["provider"]) == ("candidate", "active", "external")

    again = await profile(client, sign(claims(sub=payload["sub"], email=payload["email"])))
    assert again.status_code == 200
    assert again.json()["userId"] == user["userId"]
    assert await identity_count(payload["sub"]) == 1
    async with runtime.current().sessionmaker() as session:
        stored = await session.scalar(select(User).where(User.uid == user["userId"]))
        assert stored.password_hash is None


async def test_simultaneous_first_requests_create_one_account(external_client):
    client = await external_client()
    payload = claims()
    token = sign(payload)
    answers = await asyncio.gather(*(profile(client, token) for _ in range(8)))
    assert [a.status_code for a in answers] == [200] * 8, [a.text for a in answers if a.status_code != 200]
    assert len({a.json()["userId"] for a in answers}) == 1
    assert await identity_count(payload["sub"]) == 1


async def test_es256_token_is_accepted(external_client):
    client = await external_client()
    response = await profile(client, sign(claims(), key=EC_KEY, kid="ec-1", alg="ES256"))
    assert response.status_code == 200, response.text


async def test_token_without_email_gets_a_placeholder_address(external_client):
    client = await external_client()
    payload = claims(email=None, email_verified=None, first_name=None, last_name=None, name="Grace")
    response = await profile(client, sign(payload))
    assert response.status_code == 200, response.text
    assert response.json()["email"].endswith("@external.invalid")
    assert response.json()["name"] == "Grace"


async def test_expiry_within_the_leeway_is_accepted(external_client):
    client = await external_client(external_jwt_leeway=30)
    now = int(time.time())
    assert (await profile(client, sign(claims(exp=now - 10, iat=now - 600)))).status_code == 200


async def test_configured_audience_is_required(external_client):
    client = await external_client(external_jwt_audience="interviewd-api")
    assert (await profile(client, sign(claims(aud="interviewd-api")))).status_code == 200
    assert_refused(await profile(client, sign(claims(aud="someone-else"))))
    assert_refused(await profile(client, sign(claims())))


def _alg_none() -> str:
    signing_input, _ = raw_token({"alg": "none", "typ": "JWT", "kid": "rsa-1"}, claims())
    return signing_input + "."


def _hs256_with_public_key() -> str:
    # Key confusion: the public key (which anyone can fetch) used as an HMAC secret.
    pem = RSA_KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input, _ = raw_token({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}, claims())
    mac = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def _tampered() -> str:
    header, payload, signature = sign(claims()).split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["sub"] = "user_someone_else"
    return f"{header}.{b64url(json.dumps(data).encode())}.{signature}"


def _es256_header_on_rsa_key() -> str:
    return sign(claims(), key=EC_KEY, kid="rsa-1", alg="ES256")


REFUSED = {
    "wrong issuer": lambda: sign(claims(iss="https://evil.example.test")),
    "issuer prefix only": lambda: sign(claims(iss=ISSUER + ".evil.test")),
    "expired": lambda: sign(claims(exp=int(time.time()) - 120, iat=int(time.time()) - 900)),
    "not yet valid": lambda: sign(claims(nbf=int(time.time()) + 300)),
    "issued in the future": lambda: sign(claims(iat=int(time.time()) + 300)),
    "no sub": lambda: sign(claims(sub=None)),
    "empty sub": lambda: sign(claims(sub=" ")),
    "no exp": lambda: sign({k: v for k, v in claims().items() if k != "exp"}),
    "alg none": _alg_none,
    "HS256 signed with the public key": _hs256_with_public_key,
    "unknown kid": lambda: sign(claims(), key=RSA_KEY_2, kid="rsa-unknown"),
    "known kid, other key": lambda: sign(claims(), key=RSA_KEY_2, kid="rsa-1"),
    "algorithm not the key's": _es256_header_on_rsa_key,
    "tampered payload": _tampered,
    "garbage": lambda: "not.a.jwt",
}


@pytest.mark.parametrize("make_token", REFUSED.values(), ids=REFUSED.keys())
async def test_bad_tokens_are_refused(external_client, make_token):
    client = await external_client(external_jwt_leeway=30)
    assert_refused(await profile(client, make_token()))


async def test_key_rotation_and_rate_limited_refetch(external_client, jwks):
    client = await external_client(external_jwks_min_refetch_interval=1.0, external_jwks_cache_ttl=600)
    assert (await profile(client, sign(claims()))).status_code == 200
    assert jwks.requests == 1

    jwks.keys = [*jwks.keys, jwk(RSA_KEY_2, "rsa-2", "RS256")]
    rotated = sign(claims(), key=RSA_KEY_2, kid="rsa-2")
    # Right after a fetch, unknown kids do not reach the provider.
    assert_refused(await profile(client, rotated))
    for _ in range(10):
        assert_refused(await profile(client, sign(claims(), key=RSA_KEY_2, kid=uuid.uuid4().hex)))
    assert jwks.requests == 1

    await asyncio.sleep(1.1)
    assert (await profile(client, rotated)).status_code == 200
    assert jwks.requests == 2
    assert (await profile(client, sign(claims()))).status_code == 200
    for _ in range(5):
        assert_refused(await profile(client, sign(claims(), key=RSA_KEY_2, kid=uuid.uuid4().hex)))
    assert jwks.requests == 2


async def test_removed_key_stops_working_after_refetch(external_client, jwks):
    client = await external_client(external_jwks_min_refetch_interval=0.2, external_jwks_cache_ttl=0.3)
    assert (await profile(client, sign(claims()))).status_code == 200
    jwks.keys = [jwk(RSA_KEY_2, "rsa-2", "RS256")]
    await asyncio.sleep(0.4)
    assert_refused(await profile(client, sign(claims())))


async def test_provider_down_keeps_cached_keys(external_client, jwks):
    client = await external_client(external_jwks_min_refetch_interval=0.2, external_jwks_cache_ttl=0.3)
    assert (await profile(client, sign(claims()))).status_code == 200
    jwks.down = True
    await asyncio.sleep(0.4)
    before = jwks.requests
    assert (await profile(client, sign(claims()))).status_code == 200
    assert jwks.requests == before + 1  # the stale cache was refreshed, and that failed
    assert_refused(await profile(client, sign(claims(), key=RSA_KEY_2, kid="rsa-2")))


async def test_provider_unreachable_is_401_not_500(external_client, jwks):
    jwks.close()
    client = await external_client(external_jwks_timeout=2.0)
    assert_refused(await profile(client, sign(claims())))


async def test_own_tokens_still_work(external_client):
    client = await external_client()
    account = await register(client)
    response = await profile(client, account["tokens"]["accessToken"])
    assert response.status_code == 200, response.text
    assert response.json()["email"] == account["email"]


async def test_external_tokens_refused_when_not_configured(make_client, jwks):
    client = await make_client()
    assert_refused(await profile(client, sign(claims())))
    assert jwks.requests == 0


async def test_existing_email_links_only_when_verified(external_client):
    client = await external_client()
    account = await register(client)
    own = await profile(client, account["tokens"]["accessToken"])
    unverified = claims(email=account["email"].upper(), email_verified=False)
    response = await profile(client, sign(unverified))
    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "CONFLICT"
    assert await identity_count(unverified["sub"]) == 0

    verified = claims(email=account["email"], email_verified=True)
    linked = await profile(client, sign(verified))
    assert linked.status_code == 200, linked.text
    assert linked.json()["userId"] == own.json()["userId"]
    assert linked.json()["provider"] == "email"
    assert await identity_count(verified["sub"]) == 1


async def test_disabled_user_is_refused(external_client):
    client = await external_client()
    payload = claims()
    first = await profile(client, sign(payload))
    assert first.status_code == 200
    async with runtime.current().sessionmaker() as session:
        user = await session.scalar(select(User).where(User.uid == first.json()["userId"]))
        user.status = "disabled"
        await session.commit()
    assert_refused(await profile(client, sign(claims(sub=payload["sub"]))))


async def test_rate_limit_counts_external_users_separately(external_client):
    client = await external_client(rate_limit_enabled=True, rate_limit_api_default="2/minute")
    alice, bob = claims(), claims()
    # The first request fetches the keys; until then the caller counts by address.
    assert (await profile(client, sign(alice))).status_code == 200
    assert (await profile(client, sign(alice))).status_code == 200
    assert (await profile(client, sign(alice))).status_code == 200
    assert (await profile(client, sign(alice))).status_code == 429
    assert (await profile(client, sign(bob))).status_code == 200
