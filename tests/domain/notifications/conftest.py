from __future__ import annotations

import pytest


@pytest.fixture
async def mail_client(make_client, smtp_sink):
    """An app that delivers its outbox to the loopback SMTP server."""
    return await make_client(email_backend="smtp", smtp_host=smtp_sink.host, smtp_port=smtp_sink.port,
                             email_from="interviewd <no-reply@interviewd.test>",
                             public_base_url="https://app.example.test")
