"""PATCH /api/sessions/{id} on a booking (000): the state machine and who
may move it, cancelling frees the time, ratings write reviews and keep the
mentor's rating exact; PUT and DELETE on a booking."""

from __future__ import annotations

import asyncio

import pytest

from interviewd.domain.notifications.booking import CANCELLATION_JOB, FEEDBACK_REQUEST_JOB
from tests.domain.booking.factories import (
    book,
    booked,
    holds_of,
    jobs_named,
    make_mentor,
    make_user,
    mentor_row,
    move_to_past,
    slot,
)

pytestmark = pytest.mark.asyncio

STATUSES = ("pending", "confirmed", "completed", "cancelled")
LEGAL = {("pending", "confirmed"), ("confirmed", "completed"), ("pending", "cancelled"),
         ("confirmed", "cancelled")}


async def patch(client, who: dict, sid: str, **body):
    return await client.patch(f"/api/sessions/{sid}", headers=who["headers"], json=body)


async def booking_in(client, status: str, *, mentor=None, user=None,
                     days: int = 3) -> tuple[dict, dict, dict]:
    """A booking brought to `status` through the API; a confirmed or completed
    one is moved into the past (so that completing it is allowed)."""
    mentor = mentor or await make_mentor()
    user = user or await make_user()
    held = await booked(client, user, mentor, slot(days=days), 60)
    if status == "pending":
        return held, mentor, user
    if status == "cancelled":
        assert (await patch(client, user, held["id"], status="cancelled")).status_code == 200
        return held, mentor, user
    assert (await patch(client, mentor["user"], held["id"], status="confirmed")).status_code == 200
    await move_to_past(held["id"], hours=24 * days + 2)
    if status == "completed":
        response = await patch(client, mentor["user"], held["id"], status="completed")
        assert response.status_code == 200, response.text
    return held, mentor, user


@pytest.mark.parametrize(("from_", "to"), [(f, t) for f in STATUSES for t in STATUSES if (f, t) not in LEGAL])
async def test_every_illegal_move_is_409_naming_from_and_to(client, from_, to):
    held, mentor, user = await booking_in(client, from_)
    response = await patch(client, mentor["user"], held["id"], status=to)
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "CONFLICT"
    assert error["message"] == f"Cannot change a booking from {from_} to {to}"
    assert (error["details"]["from"], error["details"]["to"]) == (from_, to)
    after = await client.get(f"/api/sessions/{held['id']}", headers=user["headers"])
    assert after.json()["session"]["status"] == from_


async def test_unknown_status_is_400(client):
    held, mentor, _ = await booking_in(client, "pending")
    response = await patch(client, mentor["user"], held["id"], status="postponed")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "status"


async def test_legal_path_with_roles(client):
    held, mentor, user = await booking_in(client, "pending")
    # The candidate cannot confirm or complete.
    for status in ("confirmed", "completed"):
        response = await patch(client, user, held["id"], status=status)
        assert response.status_code == 403, response.text
    confirmed = await patch(client, mentor["user"], held["id"], status="confirmed")
    assert confirmed.status_code == 200 and confirmed.json()["session"]["status"] == "confirmed"
    # Not before the start time.
    early = await patch(client, mentor["user"], held["id"], status="completed")
    assert early.status_code == 409
    assert early.json()["error"]["message"] == "A booking can be completed only after it starts"
    await move_to_past(held["id"], hours=24 * 3 + 2)
    done = await patch(client, mentor["user"], held["id"], status="completed")
    assert done.status_code == 200, done.text
    session = done.json()["session"]
    assert session["status"] == "completed" and session["completedAt"].endswith("Z")
    assert [job["payload"] for job in await jobs_named(FEEDBACK_REQUEST_JOB)] == [
        {"session_id": (await _session_pk(held["id"]))}]


async def _session_pk(uid: str) -> int:
    from sqlalchemy import select

    from interviewd import runtime
    from interviewd.models import InterviewSession

    async with runtime.current().sessionmaker() as session:
        return await session.scalar(select(InterviewSession.id).where(InterviewSession.uid == uid))


async def test_admin_may_confirm_and_complete(client):
    admin = await make_user(role="admin")
    held, _, _ = await booking_in(client, "pending")
    assert (await patch(client, admin, held["id"], status="confirmed")).status_code == 200
    await move_to_past(held["id"], hours=24 * 3 + 2)
    assert (await patch(client, admin, held["id"], status="completed")).status_code == 200


@pytest.mark.parametrize("who", ["candidate", "mentor"])
@pytest.mark.parametrize("start", ["pending", "confirmed"])
async def test_cancel_frees_the_slot_and_queues_the_notice(client, who, start):
    mentor = await make_mentor(buffer=10)
    user = await make_user()
    held = await booked(client, user, mentor, slot(days=4, hour=10), 60)
    if start == "confirmed":
        assert (await patch(client, mentor["user"], held["id"], status="confirmed")).status_code == 200
    other = await make_user()
    assert (await book(client, other, mentor, slot(days=4, hour=10), 60)).status_code == 409
    actor = user if who == "candidate" else mentor["user"]
    response = await patch(client, actor, held["id"], status="cancelled", cancellationReason="Sick")
    assert response.status_code == 200, response.text
    session = response.json()["session"]
    assert (session["status"], session["cancellationReason"], session["cancelledBy"]) == (
        "cancelled", "Sick", who)
    assert await holds_of(held["id"]) == {}
    assert len(await jobs_named(CANCELLATION_JOB)) == 1
    assert (await book(client, other, mentor, slot(days=4, hour=10), 60)).status_code == 201


async def test_cancellation_reason_without_cancelling_is_400(client):
    held, _, user = await booking_in(client, "pending")
    response = await patch(client, user, held["id"], cancellationReason="why not")
    assert response.status_code == 400
    response = await patch(client, user, held["id"])
    assert response.status_code == 400


async def test_delete_cancels_and_put_is_patch(client):
    held, mentor, user = await booking_in(client, "pending")
    put = await client.put(f"/api/sessions/{held['id']}", headers=mentor["user"]["headers"],
                           json={"status": "confirmed"})
    assert put.status_code == 200 and put.json()["session"]["status"] == "confirmed"
    bad_put = await client.put(f"/api/sessions/{held['id']}", headers=user["headers"], json={"rating": 9})
    assert bad_put.status_code in (400, 403, 409)
    deleted = await client.delete(f"/api/sessions/{held['id']}", headers=user["headers"])
    assert deleted.status_code == 204
    again = await client.delete(f"/api/sessions/{held['id']}", headers=user["headers"])
    assert again.status_code == 204
    kept = await client.get(f"/api/sessions/{held['id']}", headers=user["headers"])
    assert kept.json()["session"]["status"] == "cancelled"
    assert kept.json()["session"]["cancelledBy"] == "candidate"
    assert len(await jobs_named(CANCELLATION_JOB)) == 1
    completed, _, owner = await booking_in(client, "completed")
    refused = await client.delete(f"/api/sessions/{completed['id']}", headers=owner["headers"])
    assert refused.status_code == 409


async def test_rating_writes_a_review_and_the_mentor_average(client):
    from sqlalchemy import select

    from interviewd import runtime
    from interviewd.models.mentor import Review

    mentor = await make_mentor()
    first, _, user1 = await booking_in(client, "completed", mentor=mentor)
    second, _, user2 = await booking_in(client, "completed", mentor=mentor, days=5)
    pending, _, user3 = await booking_in(client, "pending", mentor=mentor, days=7)

    # Only the candidate, only once, only completed bookings, 1-5.
    assert (await patch(client, mentor["user"], first["id"], rating=5)).status_code == 403
    assert (await patch(client, user1, first["id"], rating=0)).status_code == 400
    assert (await patch(client, user1, first["id"], rating=6)).status_code == 400
    assert (await patch(client, user1, first["id"], feedback="no number")).status_code == 400
    rated = await patch(client, user1, first["id"], rating=5, feedback="Sharp questions")
    assert rated.status_code == 200, rated.text
    assert (rated.json()["session"]["rating"], rated.json()["session"]["feedback"]) == (5, "Sharp questions")
    again = await patch(client, user1, first["id"], rating=1)
    assert again.status_code == 409
    assert (await patch(client, user2, second["id"], rating=2)).status_code == 200
    not_done = await patch(client, user3, pending["id"], rating=4)
    assert not_done.status_code == 409
    assert not_done.json()["error"]["message"] == "A pending booking cannot be rated; only completed ones"

    row = await mentor_row(mentor["id"])
    assert (row.rating, row.review_count) == (3.5, 2)
    async with runtime.current().sessionmaker() as session:
        reviews = sorted((r.rating, r.comment) for r in await session.scalars(
            select(Review).where(Review.mentor_id == mentor["id"])))
    assert reviews == [(2, None), (5, "Sharp questions")]


async def test_concurrent_ratings_keep_the_mentor_rating_exact(client):
    mentor = await make_mentor()
    ratings = [5, 4, 1, 3, 5, 2, 4, 4]
    bookings = []
    for i, _ in enumerate(ratings):
        held, _, user = await booking_in(client, "completed", mentor=mentor, days=3 + i)
        bookings.append((held, user))
    responses = await asyncio.gather(*[patch(client, user, held["id"], rating=rating)
                                       for (held, user), rating in zip(bookings, ratings, strict=True)])
    assert [r.status_code for r in responses] == [200] * len(ratings), [r.text for r in responses]
    row = await mentor_row(mentor["id"])
    assert row.review_count == len(ratings)
    assert row.rating == pytest.approx(sum(ratings) / len(ratings))


async def test_concurrent_double_rating_of_one_booking_counts_once(client):
    mentor = await make_mentor()
    held, _, user = await booking_in(client, "completed", mentor=mentor)
    responses = await asyncio.gather(*[patch(client, user, held["id"], rating=r) for r in (1, 5, 3, 4)])
    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409]
    row = await mentor_row(mentor["id"])
    assert row.review_count == 1
    winner = next(r for r in responses if r.status_code == 200).json()["session"]["rating"]
    assert row.rating == winner
