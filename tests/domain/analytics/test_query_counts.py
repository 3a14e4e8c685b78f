"""Analytics are aggregated by the database: the number of SQL statements a
route runs does not grow with the number of sessions (no N+1). A count,
not a timing: docs/performance.md has the timings."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import event

from interviewd import runtime
from tests.domain.analytics.factories import FAST, ai_session, candidate, insert_bank

pytestmark = pytest.mark.asyncio

ROUTES = [("GET", "/api/users/me/analytics", None), ("GET", "/api/analytics/user-stats", None),
          ("GET", "/api/analytics/progress?period=week", None), ("GET", "/api/analytics/skills", None),
          ("GET", "/api/analytics/benchmarks", None), ("POST", "/api/analytics/export", {"format": "json"}),
          ("POST", "/api/analytics/export", {"format": "csv"}),
          ("POST", "/api/analytics/export", {"format": "pdf"})]


@contextlib.contextmanager
def counting():
    engine = runtime.current().engine.sync_engine
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def _counts(client, user) -> dict[str, int]:
    out = {}
    for method, path, body in ROUTES:
        with counting() as statements:
            response = await client.request(method, path, headers=user["headers"],
                                            **({"json": body} if body else {}))
            assert response.status_code == 200, response.text
        out[f"{method} {path} {body}"] = len(statements)
    return out


async def test_statement_counts_do_not_depend_on_the_number_of_sessions(make_client):
    client = await make_client(**FAST)
    await insert_bank(technical=3, behavioral=0, coding=False)
    few = await candidate(client)
    await ai_session(client, few, questions=1)
    many = await candidate(client)
    for _ in range(4):
        await ai_session(client, many, questions=2)

    counts = await _counts(client, few)
    assert all(count > 2 for count in counts.values())  # the listener does see the statements
    assert counts == await _counts(client, many)
