"""Transactional e-mail: rendered now, written to the outbox in the caller's
transaction, delivered by the job runner after commit."""

from __future__ import annotations

from email.utils import make_msgid

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.adapters.email import OutgoingEmail
from interviewd.adapters.email.base import Attachment
from interviewd.kit.jobs import enqueue

SEND_EMAIL_JOB = "send_email"

_templates = Environment(
    loader=PackageLoader("interviewd", "templates/email"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a missing variable is a bug, not a blank in a mail
)


def render(template: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of an e-mail template."""
    settings = runtime.current().settings
    ctx = {"product": "interviewd", "base_url": settings.public_base_url, **context}
    subject = _templates.get_template(f"{template}.subject.txt").render(ctx).strip()
    text = _templates.get_template(f"{template}.txt").render(ctx)
    html = _templates.get_template(f"{template}.html").render(ctx)
    return subject, text, html


class NotificationService:
    async def send_email(
        self,
        session: AsyncSession,
        *,
        to: str | list[str],
        template: str,
        context: dict,
        attachments: list[Attachment] | None = None,
    ) -> str:
        """Queue one templated e-mail; returns its Message-ID."""
        settings = runtime.current().settings
        subject, text, html = render(template, context)
        email = OutgoingEmail(
            message_id=make_msgid(domain="interviewd"),
            sender=settings.email_from,
            to=[to] if isinstance(to, str) else list(to),
            subject=subject,
            text=text,
            html=html,
            attachments=attachments or [],
        )
        await enqueue(session, SEND_EMAIL_JOB, email.to_payload())
        return email.message_id

    async def send_prepared(
        self, session: AsyncSession, *, to: list[str], subject: str, text: str, html: str | None,
    ) -> str:
        """Queue one e-mail whose content the caller made; returns its Message-ID."""
        settings = runtime.current().settings
        email = OutgoingEmail(
            message_id=make_msgid(domain="interviewd"),
            sender=settings.email_from,
            to=list(to),
            subject=subject,
            text=text,
            html=html,
        )
        await enqueue(session, SEND_EMAIL_JOB, email.to_payload())
        return email.message_id


notification_service = NotificationService()
