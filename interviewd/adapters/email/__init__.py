"""The e-mail port. Each backend is picked by name (INTERVIEWD_EMAIL_BACKEND)."""

from __future__ import annotations

from interviewd.adapters.email.base import EmailBackend, EmailDeliveryError, OutgoingEmail
from interviewd.adapters.email.file import FileEmailBackend
from interviewd.adapters.email.resend import ResendEmailBackend
from interviewd.adapters.email.smtp import SmtpEmailBackend
from interviewd.config import Settings


def create_email_backend(settings: Settings) -> EmailBackend:
    if settings.email_backend == "smtp":
        return SmtpEmailBackend(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout,
        )
    if settings.email_backend == "resend":
        if not settings.resend_api_key:
            raise ValueError("INTERVIEWD_RESEND_API_KEY is required for the resend backend")
        return ResendEmailBackend(api_key=settings.resend_api_key, base_url=settings.resend_base_url)
    return FileEmailBackend(settings.data_dir / "mail")


__all__ = [
    "EmailBackend", "EmailDeliveryError", "FileEmailBackend", "OutgoingEmail",
    "ResendEmailBackend", "SmtpEmailBackend", "create_email_backend",
]
