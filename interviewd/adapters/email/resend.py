from __future__ import annotations

import httpx

from interviewd.adapters.email.base import EmailBackend, EmailDeliveryError, OutgoingEmail


class ResendEmailBackend(EmailBackend):
    """Resend's HTTP API (POST /emails)."""

    name = "resend"

    def __init__(self, *, api_key: str, base_url: str, timeout: float = 15.0) -> None:
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    async def send(self, email: OutgoingEmail) -> str:
        body = {
            "from": email.sender,
            "to": email.to,
            "subject": email.subject,
            "text": email.text,
            "headers": {"Message-ID": email.message_id},
        }
        if email.html:
            body["html"] = email.html
        if email.attachments:
            body["attachments"] = [
                {"filename": a.filename, "content": a.content_b64, "content_type": a.content_type}
                for a in email.attachments
            ]
        headers = {
            "Authorization": f"Bearer {self.api_key}",
            # Retries of one outbox message reuse its id, so Resend sends it once.
            "Idempotency-Key": email.message_id,
        }
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(f"{self.base_url}/emails", json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise EmailDeliveryError(f"Resend unreachable: {exc}") from exc
        if response.status_code >= 400:
            raise EmailDeliveryError(f"Resend answered {response.status_code}: {response.text[:200]}")
        return response.json().get("id", email.message_id)
