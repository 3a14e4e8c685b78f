from __future__ import annotations

import aiosmtplib

from interviewd.adapters.email.base import EmailBackend, EmailDeliveryError, OutgoingEmail


class SmtpEmailBackend(EmailBackend):
    name = "smtp"

    def __init__(
        self, *, host: str, port: int, username: str | None, password: str | None,
        starttls: bool, timeout: float,
    ) -> None:
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.starttls, self.timeout = starttls, timeout

    async def send(self, email: OutgoingEmail) -> str:
        try:
            await aiosmtplib.send(
                email.to_mime(),
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                start_tls=self.starttls,
                timeout=self.timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise EmailDeliveryError(f"SMTP delivery to {self.host}:{self.port} failed: {exc}") from exc
        return email.message_id
