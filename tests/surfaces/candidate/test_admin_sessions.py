"""/api/admin/sessions (004): every kind of session, filters, pagination, totals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.domain.admin.factories import account, admin_account, insert_session

pytestmark = pytest.mark.asyncio


async def _sessions(client, admin, **params) -> dict:
    response = await client.get("/api/admin/sessions", headers=admin["headers"], params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_overview_filters_pagination_and_totals(client):
    admin = await admin_account(client)
    ann, ben = await account(client, name="Ann"), await account(client, name="Ben")
    base = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    made = {
        "a1": await insert_session(ann["id"], kind="ai", status="completed", created_at=base),
        "a2": await insert_session(ann["id"], kind="practice", status="scheduled",
                                   created_at=base + timedelta(days=1)),
        "a3": await insert_session(ann["id"], kind="booking", status="cancelled",
                                   created_at=base + timedelta(days=2), title="Mock with a mentor"),
        "b1": await insert_session(ben["id"], kind="ai", status="in_progress",
                                   created_at=base + timedelta(days=3)),
        "o1": await insert_session(None, kind="oneway", status="pending",
                                   created_at=base + timedelta(days=4)),
    }

    everything = await _sessions(client, admin)
    assert [s["id"] for s in everything["sessions"]] == [made[k] for k in ("o1", "b1", "a3", "a2", "a1")]
    assert everything["totals"] == {
        "total": 5,
        "byStatus": {"completed": 1, "scheduled": 1, "cancelled": 1, "in_progress": 1, "pending": 1},
        "byKind": {"ai": 2, "practice": 1, "booking": 1, "oneway": 1},
    }
    booking = next(s for s in everything["sessions"] if s["id"] == made["a3"])
    assert booking["kind"] == "booking" and booking["status"] == "cancelled"
    assert booking["title"] == "Mock with a mentor" and booking["createdAt"] == "2026-03-12T12:00:00Z"
    assert booking["user"] == {"id": ann["uid"], "email": ann["email"], "name": "Ann"}
    assert booking["userId"] == ann["uid"]
    assert next(s for s in everything["sessions"] if s["id"] == made["o1"])["user"] is None

    ai = await _sessions(client, admin, kind="ai")
    assert {s["id"] for s in ai["sessions"]} == {made["a1"], made["b1"]}
    assert ai["totals"]["byKind"] == {"ai": 2} and ai["totals"]["total"] == 2
    anns = await _sessions(client, admin, userId=ann["uid"])
    assert {s["id"] for s in anns["sessions"]} == {made["a1"], made["a2"], made["a3"]}
    assert (await _sessions(client, admin, userId=ann["uid"], status="cancelled"))["totals"]["total"] == 1
    assert (await _sessions(client, admin, userId="nobody"))["sessions"] == []

    # `to` as a date includes that whole day; date-times are exact bounds.
    window = await _sessions(client, admin, **{"from": "2026-03-11", "to": "2026-03-12"})
    assert {s["id"] for s in window["sessions"]} == {made["a2"], made["a3"]}
    exact = await _sessions(client, admin,
                            **{"from": "2026-03-11T12:00:00Z", "to": "2026-03-13T11:59:59+00:00"})
    assert {s["id"] for s in exact["sessions"]} == {made["a2"], made["a3"]}

    first = await _sessions(client, admin, limit=2, page=1)
    last = await _sessions(client, admin, limit=2, page=3)
    assert first["pagination"] == {"page": 1, "limit": 2, "total": 5, "totalPages": 3, "hasMore": True}
    assert last["pagination"]["hasMore"] is False and [s["id"] for s in last["sessions"]] == [made["a1"]]
    # Totals count everything the filters match, not only the page.
    assert first["totals"]["total"] == 5


@pytest.mark.parametrize("params", [
    {"kind": "video"}, {"page": 0}, {"limit": 500}, {"from": "yesterday"}, {"to": "2026-13-01"},
    {"from": "2026-03-10", "to": "2026-03-01"}, {"status": "x" * 21},
])
async def test_bad_filters_are_400(client, params):
    admin = await admin_account(client)
    response = await client.get("/api/admin/sessions", headers=admin["headers"], params=params)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
