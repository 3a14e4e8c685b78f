from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.adapters.email import OutgoingEmail, create_email_backend
from interviewd.domain.notifications.service import SEND_EMAIL_JOB
from interviewd.kit.jobs import job_handler


@job_handler(SEND_EMAIL_JOB)
async def deliver_email(session: AsyncSession, payload: dict) -> None:
    rt = runtime.current()
    backend = rt.extras.get("email_backend")
    if backend is None:
        backend = rt.extras["email_backend"] = create_email_backend(rt.settings)
    await backend.send(OutgoingEmail.from_payload(payload))
