"""`interviewd seed --demo`'s mentors: enough of them, varied, idempotent, with true ratings."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.models.mentor import AvailabilityRule, Mentor, Review
from interviewd.models.user import User
from interviewd.seed import seed_demo_accounts, seed_demo_data


async def _seed() -> dict[str, int]:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await seed_demo_accounts(session)
        return await seed_demo_data(session)


async def _snapshot() -> dict:
    async with runtime.current().sessionmaker() as session:
        counts = {}
        for model in (User, Mentor, AvailabilityRule, Review):
            counts[model.__tablename__] = await session.scalar(select(func.count()).select_from(model))
        mentors = {m.uid: (m.name, m.updated_at) for m in await session.scalars(select(Mentor))}
    return {"counts": counts, "mentors": mentors}


async def test_demo_mentors_are_many_varied_and_seeded_once(client):
    first = await _seed()
    assert first["demo mentors"] >= 200 and first["demo mentors created"] >= 199
    before = await _snapshot()
    second = await _seed()
    assert second["demo mentors created"] == 0 and second["demo reviews created"] == 0
    assert await _snapshot() == before

    body = (await client.get("/api/mentors", params={"limit": 100})).json()
    assert body["pagination"]["total"] >= 200 and body["pagination"]["totalPages"] >= 2
    facets = body["filters"]
    assert len(facets["availableSkills"]) >= 30 and len(facets["availableCompanies"]) >= 20
    assert len(facets["availableLanguages"]) >= 8
    assert facets["priceRange"]["max"] > facets["priceRange"]["min"] > 0

    async with runtime.current().sessionmaker() as session:
        mentors = list(await session.scalars(select(Mentor)))
        reviews = defaultdict(list)
        for r in await session.scalars(select(Review)):
            reviews[r.mentor_id].append(r.rating)
        owners = {u.id: u for u in await session.scalars(select(User).where(User.role == "mentor"))}
    zones = {m.timezone.split("/")[0] for m in mentors}
    assert {"America", "Europe", "Asia", "Africa", "Australia"} <= zones
    assert all(m.user_id in owners for m in mentors)  # every demo mentor has a mentor account
    assert sum(1 for m in mentors if m.review_count) >= 50
    for m in mentors:
        ratings = reviews.get(m.id, [])
        assert m.review_count == len(ratings)
        assert abs(m.rating - (sum(ratings) / len(ratings) if ratings else 0)) < 1e-9
    # The demo mentor account owns a profile it can manage.
    login = await client.post("/api/auth/login", json={"email": "mentor@demo.interviewd.dev",
                                                       "password": "demo-mentor-pass"})
    token = login.json()["tokens"]["accessToken"]
    me = await client.get("/api/mentors/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["name"] == "Morgan Mentor"
    # Pages carry free slots from the seeded weekly availability.
    assert any(m["availability"] for m in body["mentors"])
