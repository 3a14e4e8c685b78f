"""000's favourite mentors: POST/DELETE/GET /api/users/{userId}/favorites,
with a Clerk-like identity provider's tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from interviewd import runtime
from interviewd.models import FavoriteMentor
from tests.conftest import bearer
from tests.domain.auth.factories import create_admin
from tests.domain.profile.factories import ISSUER, ClerkUser, login_token, make_mentor


@pytest.fixture
async def idp_client(make_client, jwks):
    return await make_client(external_jwt_issuer=ISSUER, external_jwt_jwks_url=jwks.url,
                             users_max_favorites=2)


async def favorite_rows(user_uid: str) -> int:
    from interviewd.models import User

    async with runtime.current().sessionmaker() as session:
        return await session.scalar(
            select(func.count()).select_from(FavoriteMentor).join(User, User.id == FavoriteMentor.user_id)
            .where(User.uid == user_uid))


async def test_adding_and_removing_favourites_is_idempotent(idp_client):
    ada = ClerkUser()
    await ada.create_profile(idp_client)
    linus = await make_mentor("Linus", company="Kernel Inc")
    barbara = await make_mentor("Barbara", company="MIT")
    path = f"/api/users/{ada.sub}/favorites"

    for _ in range(2):
        added = await idp_client.post(path, headers=ada.headers, json={"mentorId": linus.uid})
        assert added.status_code == 201, added.text
        assert added.json()["favorites"] == [linus.uid]
    assert await favorite_rows(ada.uid) == 1
    added = await idp_client.post(f"/api/users/{ada.uid}/favorites", headers=ada.headers,
                                  json={"mentorId": barbara.uid})
    assert added.json()["favorites"] == [linus.uid, barbara.uid]

    listed = await idp_client.get(path, headers=ada.headers)
    assert listed.status_code == 200
    card = listed.json()["mentors"][0]
    assert card["mentorId"] == linus.uid and card["name"] == "Linus" and card["company"] == "Kernel Inc"
    assert card["rating"] == 4.5 and card["addedAt"].endswith("Z")
    profile = (await idp_client.get(f"/api/users/{ada.sub}", headers=ada.headers)).json()
    assert profile["favorites"] == [linus.uid, barbara.uid]

    for _ in range(2):
        removed = await idp_client.delete(f"{path}/{linus.uid}", headers=ada.headers)
        assert removed.status_code == 204 and removed.content == b""
    assert (await idp_client.get(path, headers=ada.headers)).json()["favorites"] == [barbara.uid]
    mine = await idp_client.get("/api/users/me/favorites", headers=ada.headers)
    assert mine.json()["favorites"] == [barbara.uid]
    assert await favorite_rows(ada.uid) == 1


async def test_unknown_or_inactive_mentors_are_not_found(idp_client):
    ada = ClerkUser()
    await ada.create_profile(idp_client)
    retired = await make_mentor("Retired", active=False)
    path = f"/api/users/{ada.sub}/favorites"
    for mentor_id in ("no-such-mentor", retired.uid):
        missing = await idp_client.post(path, headers=ada.headers, json={"mentorId": mentor_id})
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"
    gone = await idp_client.delete(f"{path}/no-such-mentor", headers=ada.headers)
    assert gone.status_code == 404
    # An inactive mentor can still be removed (204), so nothing is stuck.
    assert (await idp_client.delete(f"{path}/{retired.uid}", headers=ada.headers)).status_code == 204
    empty = await idp_client.post(path, headers=ada.headers, json={})
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_favourites_are_limited(idp_client):
    ada = ClerkUser()
    await ada.create_profile(idp_client)
    mentors = [await make_mentor(f"Mentor {i}") for i in range(3)]
    path = f"/api/users/{ada.sub}/favorites"
    async def add(mentor):
        return await idp_client.post(path, headers=ada.headers, json={"mentorId": mentor.uid})

    for mentor in mentors[:2]:
        assert (await add(mentor)).status_code == 201
    over = await add(mentors[2])
    assert over.status_code == 409 and over.json()["error"]["code"] == "CONFLICT"
    # Adding one already there is still fine at the limit.
    assert (await add(mentors[0])).status_code == 201


async def test_only_the_user_or_an_admin_touches_favourites(idp_client):
    ada, eve = ClerkUser(), ClerkUser()
    await ada.create_profile(idp_client)
    await eve.create_profile(idp_client)
    linus = await make_mentor("Linus")
    path = f"/api/users/{ada.sub}/favorites"
    for response in (
        await idp_client.get(path, headers=eve.headers),
        await idp_client.post(path, headers=eve.headers, json={"mentorId": linus.uid}),
        await idp_client.delete(f"{path}/{linus.uid}", headers=eve.headers),
    ):
        assert response.status_code == 403 and response.json()["error"]["code"] == "FORBIDDEN"
    assert await favorite_rows(ada.uid) == 0

    admin = await create_admin()
    headers = bearer(await login_token(idp_client, admin["email"]))
    added = await idp_client.post(path, headers=headers, json={"mentorId": linus.uid})
    assert added.status_code == 201 and added.json()["favorites"] == [linus.uid]
    assert await favorite_rows(ada.uid) == 1
