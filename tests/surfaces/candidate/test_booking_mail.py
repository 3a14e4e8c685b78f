"""The e-mails of a booking's life, delivered through the real job executor
to the file backend: the invitation on booking and the cancellation notice,
to the candidate and to the mentor."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from interviewd import runtime
from tests.conftest import run_due_jobs
from tests.domain.booking.factories import booked, make_mentor, make_user, slot


def _mail_files() -> set[Path]:
    folder = Path(runtime.current().settings.data_dir) / "mail"
    return set(folder.glob("**/*.eml")) if folder.exists() else set()


async def _deliver(before: set[Path]) -> list[email.message.EmailMessage]:
    # The booking job queues one mail job per recipient; two rounds deliver them.
    for _ in range(2):
        await run_due_jobs()
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in _mail_files() - before]


async def test_invitation_and_cancellation_reach_both_sides(client):
    mentor = await make_mentor()
    user = await make_user()
    both = {user["email"], mentor["user"]["email"]}
    seen = _mail_files()
    held = await booked(client, user, mentor, slot(days=3), 60)
    invitations = await _deliver(seen)
    assert {m["To"].addresses[0].addr_spec for m in invitations} == both
    seen = _mail_files()
    response = await client.patch(f"/api/sessions/{held['id']}", headers=mentor["user"]["headers"],
                                  json={"status": "cancelled", "cancellationReason": "Travelling"})
    assert response.status_code == 200
    cancellations = await _deliver(seen)
    assert {m["To"].addresses[0].addr_spec for m in cancellations} == both
    assert all("Travelling" in m.get_body(preferencelist=("plain",)).get_content() for m in cancellations)
