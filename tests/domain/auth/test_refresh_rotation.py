"""Refresh tokens rotate, work once, and a replay revokes the whole family."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from interviewd import runtime
from interviewd.kit.ids import sha256_hex
from interviewd.models.auth import RefreshToken
from tests.conftest import STRONG_PASSWORD, bearer, register
from tests.domain.auth.factories import unverified_claims


async def _refresh(client, token: str, *, via: str = "body"):
    if via == "body":
        return await client.post("/api/auth/refresh", json={"refreshToken": token})
    return await client.post("/api/auth/refresh", headers=bearer(token))


async def _family_rows(family: str) -> list[RefreshToken]:
    # A session of its own: what it sees is what was committed.
    async with runtime.current().sessionmaker() as session:
        return list(await session.scalars(
            select(RefreshToken).where(RefreshToken.family == family).order_by(RefreshToken.id)
        ))


async def test_each_refresh_rotates_and_works_by_body_and_by_bearer(client):
    account = await register(client)
    first = account["tokens"]["refreshToken"]

    by_body = await _refresh(client, first, via="body")
    assert by_body.status_code == 200, by_body.text
    second = by_body.json()["refreshToken"]
    by_bearer = await _refresh(client, second, via="bearer")
    assert by_bearer.status_code == 200, by_bearer.text
    third = by_bearer.json()["refreshToken"]

    assert len({first, second, third}) == 3
    # One sign-in, one family, carried through every rotation.
    family = unverified_claims(first)["fam"]
    assert {unverified_claims(t)["fam"] for t in (second, third)} == {family}
    assert unverified_claims(by_bearer.json()["accessToken"])["fam"] == family
    # Each new access token works.
    for response in (by_body, by_bearer):
        profile = await client.get("/api/auth/profile", headers=bearer(response.json()["accessToken"]))
        assert profile.status_code == 200
    # Stored as hashes only.
    rows = await _family_rows(family)
    assert [r.token_hash for r in rows] == [sha256_hex(t) for t in (first, second, third)]
    assert [r.used_at is not None for r in rows] == [True, True, False]


async def test_replayed_refresh_token_revokes_the_family(client):
    account = await register(client)
    first = account["tokens"]["refreshToken"]
    second = (await _refresh(client, first)).json()["refreshToken"]
    newest = (await _refresh(client, second)).json()["refreshToken"]
    family = unverified_claims(first)["fam"]

    # A second sign-in of the same user is another family, not touched below.
    other = await client.post("/api/auth/login",
                              json={"email": account["email"], "password": STRONG_PASSWORD})
    other_refresh = other.json()["tokens"]["refreshToken"]

    replay = await _refresh(client, first)
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "UNAUTHORIZED"

    # The revocation was committed despite the 401: a fresh session sees it...
    rows = await _family_rows(family)
    assert len(rows) == 3 and all(r.revoked_at is not None for r in rows)
    # ...and a new request with the family's newest token is refused.
    refused = await _refresh(client, newest)
    assert refused.status_code == 401
    assert (await _refresh(client, newest, via="bearer")).status_code == 401
    # The thief replaying again gets nothing either.
    assert (await _refresh(client, second)).status_code == 401

    still = await _refresh(client, other_refresh)
    assert still.status_code == 200, still.text
    other_rows = await _family_rows(unverified_claims(other_refresh)["fam"])
    assert len(other_rows) == 2 and all(r.revoked_at is None for r in other_rows)


async def test_replay_through_api_v1_revokes_the_family_too(client):
    account = await register(client)
    first = account["tokens"]["refreshToken"]
    rotated = await client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200, rotated.text
    newest = rotated.json()["refresh_token"]

    replay = await client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert replay.status_code == 401
    assert set(replay.json()) == {"detail"}
    assert (await _refresh(client, newest)).status_code == 401


async def test_expired_refresh_token_is_refused(make_client):
    client = await make_client(refresh_token_ttl=60)
    account = await register(client)
    token = account["tokens"]["refreshToken"]
    claims = unverified_claims(token)
    assert claims["exp"] - claims["iat"] == 60
    # Time travel on the stored row: the database's expiry is checked as well as the JWT's.
    async with runtime.current().sessionmaker() as session:
        row = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == sha256_hex(token)))
        row.expires_at = row.created_at.replace(year=row.created_at.year - 1)
        await session.commit()
    assert (await _refresh(client, token)).status_code == 401


async def test_concurrent_presentations_of_one_token_rotate_it_once(client):
    """Racing copies of one refresh token: one rotation, and the race counts as
    a replay, so the token it produced is refused too."""
    account = await register(client)
    token = account["tokens"]["refreshToken"]
    responses = await asyncio.gather(*[_refresh(client, token) for _ in range(3)])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 401, 401], [r.text for r in responses]
    [winner] = [r.json() for r in responses if r.status_code == 200]
    assert (await _refresh(client, winner["refreshToken"])).status_code == 401
    rows = await _family_rows(unverified_claims(token)["fam"])
    assert len(rows) == 2 and all(r.revoked_at is not None for r in rows)
