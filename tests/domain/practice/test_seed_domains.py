"""`interviewd seed` creates the practice domains once and keeps them in step."""

from __future__ import annotations

from sqlalchemy import select

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.models import PracticeDomain
from interviewd.seed import PRACTICE_DOMAINS, seed_reference_data


async def test_seeding_twice_changes_nothing(client):
    async with unit_of_work(runtime.current().sessionmaker) as session:
        counts = await seed_reference_data(session)
    assert counts["practice domains"] == len(PRACTICE_DOMAINS) >= 6
    async with runtime.current().sessionmaker() as session:
        first = {d.slug: (d.uid, d.name) for d in await session.scalars(select(PracticeDomain))}
        sales = await session.scalar(select(PracticeDomain).where(PracticeDomain.slug == "sales"))
    assert {"software-dev", "data-science", "product-management", "design", "sales", "finance"} <= set(first)

    async with unit_of_work(runtime.current().sessionmaker) as session:
        row = await session.get(PracticeDomain, sales.id)
        row.name = "Renamed"
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await seed_reference_data(session)
    async with runtime.current().sessionmaker() as session:
        again = {d.slug: (d.uid, d.name) for d in await session.scalars(select(PracticeDomain))}
    assert again == first
