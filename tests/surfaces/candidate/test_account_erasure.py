"""DELETE /api/users/account: erasure of everything an account holds."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.models import (
    AvailabilityRule,
    BookingDetails,
    BookingHold,
    InterviewSession,
    Job,
    Mentor,
    Review,
    User,
)
from tests.conftest import STRONG_PASSWORD, bearer, register, run_due_jobs
from tests.surfaces.candidate.account_factories import (
    booking,
    image_bytes,
    jobs_about,
    new_mentor,
    passwordless_user,
    rows_of,
    seed_account,
    user_row,
)

pytestmark = pytest.mark.asyncio


async def _user(client) -> dict:
    user = await register(client)
    user["headers"] = bearer(user["tokens"]["accessToken"])
    return user


async def _avatar(client, user) -> str:
    response = await client.post("/api/users/avatar", headers=user["headers"],
                                 files={"avatar": ("a.png", image_bytes("PNG"), "image/png")})
    assert response.status_code == 200, response.text
    return response.json()["avatar"]


def _avatar_file(data_dir: str, url: str) -> Path:
    uid, name = urlsplit(url).path.split("/")[-2:]
    return Path(data_dir) / "files" / "avatars" / uid / name


async def _delete(client, headers, body: dict | None = None):
    return await client.request("DELETE", "/api/users/account", headers=headers, json=body)


async def test_erasure_removes_rows_and_files_and_leaves_the_other_user_alone(client, data_dir):
    user, other = await _user(client), await _user(client)
    mine = await seed_account(user["userId"], tag="mine")
    theirs = await seed_account(other["userId"], tag="theirs")
    my_avatar, their_avatar = await _avatar(client, user), await _avatar(client, other)
    await run_due_jobs()
    their_rows = await rows_of(theirs.user_id, theirs.session_ids)
    their_jobs = len(await jobs_about(other["email"]))
    assert their_jobs > 0 and await jobs_about(user["email"])
    files = [Path(data_dir) / "files" / key for key in mine.files] + [_avatar_file(data_dir, my_avatar)]
    assert all(f.is_file() for f in files)

    response = await _delete(client, user["headers"], {"password": user["password"]})
    assert response.status_code == 204, response.text
    assert await user_row(user["userId"]) is None

    counts = await rows_of(mine.user_id, mine.session_ids)
    # The reviewed booking stays without its candidate: its details, the review,
    # and the mentor's side of its calendar holds (the candidate's side is gone).
    kept = {"booking_details.session_id": 1, "reviews.session_id": 1, "booking_holds.session_id": 2}
    assert counts == {name: kept.get(name, 0) for name in counts}, counts
    async with runtime.current().sessionmaker() as session:
        review = await session.scalar(select(Review).where(Review.session_id == mine.booking_id))
        assert review.user_id is None and review.rating == 5 and review.comment == "Great mentor mine"
        kept_session = await session.get(InterviewSession, mine.booking_id)
        assert kept_session.user_id is None and kept_session.title is None
        details = await session.get(BookingDetails, mine.booking_id)
        assert details.participant_email is None and details.special_requests is None
        mentor = await session.get(Mentor, mine.mentor_id)
        assert mentor.review_count == 1 and mentor.rating == 5.0 and mentor.is_active
    assert await jobs_about(user["email"]) == []

    # Files go with the deletion job; the avatar URL is 404 at once.
    assert (await client.get(urlsplit(my_avatar).path)).status_code == 404
    outcomes = await run_due_jobs()
    assert "done" in outcomes
    assert not any(f.exists() for f in files)

    # Every token is dead, the password no longer signs in.
    assert (await client.get("/api/users/me", headers=user["headers"])).status_code == 401
    refresh = await client.post("/api/auth/refresh", json={"refreshToken": user["tokens"]["refreshToken"]})
    assert refresh.status_code == 401
    login = await client.post("/api/auth/login", json={"email": user["email"], "password": user["password"]})
    assert login.status_code == 401

    # The other user's data is untouched.
    assert await rows_of(theirs.user_id, theirs.session_ids) == their_rows
    assert len(await jobs_about(other["email"])) == their_jobs
    assert all((Path(data_dir) / "files" / key).is_file() for key in theirs.files)
    assert _avatar_file(data_dir, their_avatar).is_file()
    assert (await client.get(urlsplit(their_avatar).path)).status_code == 200
    # The mentor's page still shows the anonymous review.
    async with runtime.current().sessionmaker() as session:
        mentor_uid = (await session.get(Mentor, mine.mentor_id)).uid
    page = await client.get(f"/api/mentors/{mentor_uid}", headers=other["headers"])
    assert page.status_code == 200, page.text
    assert "Great mentor mine" in page.text
    me = await client.get("/api/users/me", headers=other["headers"])
    assert me.status_code == 200 and me.json()["user"]["stats"]["totalSessions"] == 4


async def test_repeating_the_delete_with_the_same_token_succeeds(client):
    user, other = await _user(client), await _user(client)
    assert (await _delete(client, user["headers"], {"password": user["password"]})).status_code == 204
    again = await _delete(client, user["headers"], {"password": user["password"]})
    assert again.status_code == 204, again.text
    without_body = await _delete(client, user["headers"])
    assert without_body.status_code == 204
    assert await user_row(other["userId"]) is not None
    assert (await client.get("/api/users/me", headers=other["headers"])).status_code == 200


async def test_wrong_or_missing_password_deletes_nothing(client, data_dir):
    user = await _user(client)
    seeded = await seed_account(user["userId"], tag="keep")
    before = await rows_of(seeded.user_id, seeded.session_ids)

    wrong = await _delete(client, user["headers"], {"password": "Not-The-Password-1"})
    assert wrong.status_code == 403, wrong.text
    body = wrong.json()
    assert body["success"] is False and body["error"]["code"] == "FORBIDDEN"
    assert "Not-The-Password-1" not in wrong.text
    missing = await _delete(client, user["headers"])
    assert missing.status_code == 400 and missing.json()["error"]["details"]["field"] == "password"
    too_long = await _delete(client, user["headers"], {"password": "x" * 200})
    assert too_long.status_code == 400

    assert await rows_of(seeded.user_id, seeded.session_ids) == before
    async with runtime.current().sessionmaker() as session:
        deletions = await session.scalar(select(func.count()).select_from(Job)
                                         .where(Job.name == "storage.delete_files"))
    assert deletions == 0
    assert all((Path(data_dir) / "files" / key).is_file() for key in seeded.files)
    assert (await client.get("/api/users/me", headers=user["headers"])).status_code == 200


async def test_current_password_name_is_accepted(client):
    user = await _user(client)
    response = await _delete(client, user["headers"], {"currentPassword": STRONG_PASSWORD})
    assert response.status_code == 204, response.text


async def test_a_bad_token_is_401(client):
    user = await _user(client)
    body = {"password": user["password"]}
    response = await _delete(client, bearer(user["tokens"]["accessToken"] + "x"), body)
    assert response.status_code == 401
    assert (await _delete(client, {}, {"password": user["password"]})).status_code == 401
    # A refresh token is not an access token.
    response = await _delete(client, bearer(user["tokens"]["refreshToken"]), {"password": user["password"]})
    assert response.status_code == 401
    assert await user_row(user["userId"]) is not None


async def test_passwordless_account_needs_a_fresh_sign_in(client):
    fresh = await passwordless_user(client)
    stale = await passwordless_user(client, signed_in_ago=timedelta(minutes=10))

    refused = await _delete(client, stale["headers"])
    assert refused.status_code == 403, refused.text
    details = refused.json()["error"]["details"]
    assert details["reason"] == "reauthentication_required" and details["maxAgeSeconds"] == 300
    # A refresh keeps the sign-in time: rotated tokens are just as stale.
    rotated = await client.post("/api/auth/refresh", json={"refreshToken": stale["tokens"].refresh_token})
    assert rotated.status_code == 200, rotated.text
    again = await _delete(client, bearer(rotated.json()["accessToken"]), {"password": "anything"})
    assert again.status_code == 403
    assert await user_row(stale["userId"]) is not None

    accepted = await _delete(client, fresh["headers"])
    assert accepted.status_code == 204, accepted.text
    assert await user_row(fresh["userId"]) is None
    assert (await rows_of(fresh["id"], []))["external_identities.user_id"] == 0


async def test_the_reauth_window_is_a_setting(make_client):
    client = await make_client(account_delete_reauth_window=3600)
    user = await passwordless_user(client, signed_in_ago=timedelta(minutes=10))
    assert (await _delete(client, user["headers"])).status_code == 204


async def test_erasing_a_mentor_keeps_other_candidates_bookings_readable(client):
    mentor_user = await _user(client)
    candidate = await _user(client)
    async with unit_of_work(runtime.current().sessionmaker) as session:
        me = await session.scalar(select(User).where(User.uid == mentor_user["userId"]))
        me.role = "mentor"
        them = await session.scalar(select(User).where(User.uid == candidate["userId"]))
        mentor = await new_mentor(session, user_id=me.id, name="Jordan Mentor")
        past = await booking(session, user_id=them.id, mentor=mentor, status="completed",
                             starts_in=-timedelta(days=2))
        session.add(Review(session_id=past.id, mentor_id=mentor.id, user_id=them.id, rating=4,
                           comment="Helpful"))
        upcoming = await booking(session, user_id=them.id, mentor=mentor, status="confirmed",
                                 starts_in=timedelta(days=3))
        mentor_id, past_id, upcoming_id, candidate_id = mentor.id, past.id, upcoming.id, them.id

    response = await _delete(client, mentor_user["headers"], {"password": mentor_user["password"]})
    assert response.status_code == 204, response.text

    async with runtime.current().sessionmaker() as session:
        mentor = await session.get(Mentor, mentor_id)
        assert mentor is not None and mentor.user_id is None and mentor.is_active is False
        assert mentor.name == "Former mentor" and mentor.bio is None and mentor.skills == []
        assert await session.scalar(select(func.count()).select_from(AvailabilityRule)
                                    .where(AvailabilityRule.mentor_id == mentor_id)) == 0
        assert (await session.get(InterviewSession, past_id)).status == "completed"
        cancelled = await session.get(InterviewSession, upcoming_id)
        assert cancelled.status == "cancelled" and cancelled.user_id == candidate_id
        details = await session.get(BookingDetails, upcoming_id)
        assert details.cancelled_by == "mentor" and "deleted" in details.cancellation_reason
        assert await session.scalar(select(func.count()).select_from(BookingHold)
                                    .where(BookingHold.session_id == upcoming_id)) == 0
        assert await session.scalar(select(func.count()).select_from(Review)
                                    .where(Review.session_id == past_id)) == 1
        queued = list(await session.scalars(select(Job).where(Job.name == "mail.booking_cancellation")))
        assert [j.payload["session_id"] for j in queued] == [upcoming_id]

    listed = await client.get("/api/users/me/sessions", headers=candidate["headers"])
    assert listed.status_code == 200
    assert sorted(s["status"] for s in listed.json()["sessions"]) == ["cancelled", "completed"]
    assert (await client.get("/api/users/me", headers=candidate["headers"])).status_code == 200
    # 000's views of the same bookings still read.
    assert (await client.get("/api/sessions", headers=candidate["headers"])).status_code == 200
    async with runtime.current().sessionmaker() as session:
        mentor_uid = (await session.get(Mentor, mentor_id)).uid
    retired = await client.get(f"/api/mentors/{mentor_uid}", headers=candidate["headers"])
    assert retired.status_code in (200, 404), retired.text  # never a 500
    assert "Jordan" not in retired.text


async def test_external_idp_account_erasure_is_fresh_only_and_idempotent(make_client):
    from tests.domain.auth.test_external_jwt import ISSUER, claims, provider_keys, sign
    from tests.support.jwks import JwksServer

    jwks = JwksServer(provider_keys())
    try:
        client = await make_client(external_jwt_issuer=ISSUER, external_jwt_jwks_url=jwks.url)
        now = int(time.time())
        stale = claims(iat=now - 3600, nbf=now - 3600)
        assert (await client.get("/api/users/me", headers=bearer(sign(stale)))).status_code == 200
        refused = await _delete(client, bearer(sign(stale)))
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["details"]["reason"] == "reauthentication_required"
        # auth_time, when the provider sends it, is the sign-in time.
        fresh_token_old_sign_in = sign({**stale, "iat": now, "auth_time": now - 3600})
        assert (await _delete(client, bearer(fresh_token_old_sign_in))).status_code == 403

        fresh = claims(email=None)
        token = sign(fresh)
        user_id = (await client.get("/api/users/me", headers=bearer(token))).json()["user"]["userId"]
        assert (await _delete(client, bearer(token))).status_code == 204
        assert await user_row(user_id) is None
        # The same token again: success, and the account is not created anew.
        assert (await _delete(client, bearer(token))).status_code == 204
        async with runtime.current().sessionmaker() as session:
            assert await session.scalar(select(func.count()).select_from(User)
                                        .where(User.provider == "external")) == 1  # the stale one
    finally:
        jwks.close()
