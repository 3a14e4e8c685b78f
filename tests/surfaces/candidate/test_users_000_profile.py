"""000's POST /api/users and GET /api/users/{userId}, signed in through an
identity provider for real: a JWKS endpoint on loopback and RS256 tokens whose
`sub` is a Clerk-like user id."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import bearer, register, run_due_jobs, unique_email
from tests.domain.auth.factories import create_admin, mails_to
from tests.domain.profile.factories import (
    ISSUER,
    ClerkUser,
    clerk_token,
    login_token,
    user_by_uid,
    welcome_jobs,
)

PROFILE = {
    "email": None, "firstName": "Grace", "lastName": "Hopper",
    "profileImage": "https://img.example.test/grace.png", "role": "mentor", "experience": "senior",
    "skills": ["COBOL", "compilers", "COBOL"],
    "preferences": {"recentSearches": ["system design"], "favoriteTopics": ["compilers"],
                    "timezone": "America/New_York"},
}


@pytest.fixture
async def idp_client(make_client, jwks):
    return await make_client(external_jwt_issuer=ISSUER, external_jwt_jwks_url=jwks.url)


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["error"]["code"] == code
    return body


async def test_profile_is_created_then_updated_and_read_by_the_provider_id(idp_client):
    grace = ClerkUser()
    created = await idp_client.post("/api/users", headers=grace.headers,
                                    json={**PROFILE, "userId": grace.sub, "email": grace.claims.get("email")})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["success"] is True
    user = body["user"]
    assert user["userId"] == grace.sub and user["id"] != grace.sub
    assert (user["firstName"], user["lastName"], user["role"]) == ("Grace", "Hopper", "mentor")
    assert user["createdAt"].endswith("Z") and user["updatedAt"].endswith("Z")
    stored = await user_by_uid(user["id"])
    assert stored.role == "mentor" and stored.avatar_url == PROFILE["profileImage"]
    assert stored.profile["skills"] == ["COBOL", "compilers"]  # duplicates dropped
    assert stored.preferences["timezone"] == "America/New_York"

    for key in (grace.sub, user["id"]):
        read = await idp_client.get(f"/api/users/{key}", headers=grace.headers)
        assert read.status_code == 200, read.text
        read = read.json()
        assert read["profile"] == {
            "id": user["id"], "userId": grace.sub, "email": stored.email, "firstName": "Grace",
            "lastName": "Hopper", "role": "mentor", "experience": "senior",
            "profileImage": PROFILE["profileImage"], "skills": ["COBOL", "compilers"],
        }
        assert read["preferences"] == PROFILE["preferences"]
        assert read["sessionHistory"] == [] and read["skillAssessments"] == [] and read["favorites"] == []

    updated = await idp_client.post("/api/users", headers=grace.headers,
                                    json={"userId": grace.sub, "lastName": "Murray", "role": "candidate",
                                          "preferences": {"timezone": "Europe/Berlin"}})
    assert updated.status_code == 200, updated.text
    again = updated.json()["user"]
    assert again["id"] == user["id"] and again["createdAt"] == user["createdAt"]
    assert (again["firstName"], again["lastName"], again["role"]) == ("Grace", "Murray", "candidate")
    stored = await user_by_uid(user["id"])
    # Omitted fields keep their value; given preference keys replace theirs only.
    assert stored.profile["experience"] == "senior"
    assert stored.preferences["favoriteTopics"] == ["compilers"]
    assert stored.preferences["timezone"] == "Europe/Berlin"
    assert stored.name == "Grace Murray"


async def test_welcome_mail_is_queued_on_the_first_creation_only(idp_client, data_dir):
    ada = ClerkUser()
    # The account exists from the first token on; the profile does not yet.
    assert (await idp_client.get("/api/auth/profile", headers=ada.headers)).status_code == 200
    first, second = await asyncio.gather(
        idp_client.post("/api/users", headers=ada.headers, json={"userId": ada.sub}),
        idp_client.post("/api/users", headers=ada.headers, json={"userId": ada.sub, "experience": "mid"}),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 201], (first.text, second.text)
    uid = first.json()["user"]["id"]
    assert second.json()["user"]["id"] == uid
    user = await user_by_uid(uid)
    [job] = await welcome_jobs(user.id)
    assert job.payload == {"user_id": user.id}
    third = await idp_client.post("/api/users", headers=ada.headers, json={"firstName": "Ada"})
    assert third.status_code == 200  # userId may be left out: the token says who
    await run_due_jobs()  # the welcome job queues the mail ...
    await run_due_jobs()  # ... which this delivers
    [job] = await welcome_jobs(user.id)
    assert job.status == "done", job.last_error
    mails = mails_to(data_dir, ada.claims["email"])
    assert len(mails) == 1 and "Welcome" in mails[0]["Subject"]


async def test_welcome_mail_once_for_simultaneous_first_posts_with_own_tokens(idp_client):
    # interviewd's own tokens write nothing while authenticating, so only the
    # profile's own row lock keeps the two first POSTs from both creating.
    own = await register(idp_client)
    headers = bearer(own["tokens"]["accessToken"])
    answers = await asyncio.gather(*[
        idp_client.post("/api/users", headers=headers, json={"userId": own["userId"], "experience": str(i)})
        for i in range(3)
    ])
    assert sorted(a.status_code for a in answers) == [200, 200, 201], [a.text for a in answers]
    user = await user_by_uid(own["userId"])
    assert len(await welcome_jobs(user.id)) == 1


async def test_a_user_id_other_than_the_tokens_subject_is_forbidden(idp_client):
    ada, eve = ClerkUser(), ClerkUser()
    await eve.create_profile(idp_client, firstName="Eve")
    for other in (eve.sub, eve.uid, "user_somebody_else"):
        refused = await idp_client.post("/api/users", headers=ada.headers,
                                        json={"userId": other, "firstName": "Mallory"})
        assert_error(refused, 403, "FORBIDDEN")
    assert (await user_by_uid(eve.uid)).first_name == "Eve"
    # Nothing was written for ada either: her first real POST still creates.
    created = await idp_client.post("/api/users", headers=ada.headers, json={"userId": ada.sub})
    assert created.status_code == 201

    # interviewd's own tokens: the subject is the uid.
    own = await register(idp_client)
    headers = bearer(own["tokens"]["accessToken"])
    ok = await idp_client.post("/api/users", headers=headers, json={"userId": own["userId"], "lastName": "O"})
    assert ok.status_code == 201 and ok.json()["user"]["userId"] == own["userId"]
    refused = await idp_client.post("/api/users", headers=headers, json={"userId": ada.sub})
    assert_error(refused, 403, "FORBIDDEN")


async def test_roles_beyond_candidate_and_mentor_need_an_admin(idp_client):
    ada = ClerkUser()
    for role in ("admin", "interviewer"):
        refused = await idp_client.post("/api/users", headers=ada.headers,
                                        json={"userId": ada.sub, "role": role})
        body = assert_error(refused, 403, "FORBIDDEN")
        assert body["error"]["details"]["field"] == "role"
    assert_error(await idp_client.post("/api/users", headers=ada.headers,
                                       json={"userId": ada.sub, "role": "wizard"}), 400, "VALIDATION_ERROR")
    made = await ada.create_profile(idp_client, role="mentor")
    assert made["user"]["role"] == "mentor"
    assert (await user_by_uid(ada.uid)).role == "mentor"

    admin = await create_admin()
    token = await login_token(idp_client, admin["email"])
    me = (await idp_client.get("/api/auth/profile", headers=bearer(token))).json()
    kept = await idp_client.post("/api/users", headers=bearer(token),
                                 json={"userId": me["id"], "role": "admin", "firstName": "Root"})
    assert kept.status_code == 201, kept.text
    assert kept.json()["user"]["role"] == "admin"


async def test_bad_input_is_a_validation_error_and_writes_nothing(idp_client):
    ada = ClerkUser()
    for body, field in (
        ({"preferences": {"timezone": "Mars/Olympus_Mons"}}, "preferences.timezone"),
        ({"profileImage": "javascript:alert(1)"}, "profileImage"),
        ({"skills": "python"}, "skills"),
        ({"email": "not an address"}, "email"),
    ):
        refused = await idp_client.post("/api/users", headers=ada.headers, json={"userId": ada.sub, **body})
        problem = assert_error(refused, 400, "VALIDATION_ERROR")
        assert problem["error"]["details"]["field"] == field, problem
    created = await idp_client.post("/api/users", headers=ada.headers, json={"userId": ada.sub})
    assert created.status_code == 201


async def test_email_changes_only_to_an_address_the_provider_verified(idp_client):
    ada = ClerkUser()
    made = await ada.create_profile(idp_client, email="someone.else@example.com")
    assert made["user"]["email"] == ada.claims["email"]

    # Ada changed her address at the provider: unverified it is not taken, verified it is.
    moved = unique_email("moved")
    unverified = bearer(clerk_token(ada.sub, email=moved, email_verified=False))
    kept = await idp_client.post("/api/users", headers=unverified, json={"email": moved})
    assert kept.status_code == 200 and kept.json()["user"]["email"] == ada.claims["email"]
    verified = bearer(clerk_token(ada.sub, email=moved, email_verified=True))
    changed = await idp_client.post("/api/users", headers=verified, json={"email": moved.upper()})
    assert changed.status_code == 200 and changed.json()["user"]["email"] == moved

    # No e-mail claim: the account starts with a placeholder and keeps it, since
    # an address typed into the body is not proof of owning it.
    anonymous = ClerkUser(email=None, email_verified=None)
    made = await anonymous.create_profile(idp_client, email="victim@example.com")
    assert made["user"]["email"].endswith("@external.invalid")


async def test_only_the_user_or_an_admin_may_read_a_profile(idp_client):
    ada, eve = ClerkUser(), ClerkUser()
    await ada.create_profile(idp_client)
    await eve.create_profile(idp_client)
    for key in (ada.sub, ada.uid, "user_does_not_exist"):
        assert_error(await idp_client.get(f"/api/users/{key}", headers=eve.headers), 403, "FORBIDDEN")
    assert_error(await idp_client.get(f"/api/users/{ada.sub}"), 401, "UNAUTHORIZED")

    admin = await create_admin()
    headers = bearer(await login_token(idp_client, admin["email"]))
    seen = await idp_client.get(f"/api/users/{ada.sub}", headers=headers)
    assert seen.status_code == 200 and seen.json()["profile"]["id"] == ada.uid
    assert_error(await idp_client.get("/api/users/user_does_not_exist", headers=headers), 404, "NOT_FOUND")
