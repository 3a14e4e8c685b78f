"""The SMTP backend delivers the outbox's mails to a real SMTP server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from interviewd import runtime
from interviewd.models import Job, JobStatus
from tests.adapters.servers import SmtpSink
from tests.conftest import register, run_due_jobs, unique_email

FROM = "interviewd <no-reply@interviewd.test>"


async def _smtp_client(make_client, sink: SmtpSink, **overrides):
    return await make_client(email_backend="smtp", smtp_host=sink.host, smtp_port=sink.port,
                             email_from=FROM, public_base_url="https://app.example.test", **overrides)


async def _jobs() -> list[Job]:
    async with runtime.current().sessionmaker() as session:
        return list(await session.scalars(select(Job).order_by(Job.created_at)))


async def test_welcome_mail_is_delivered_over_smtp_after_the_job_runs(make_client, smtp_sink):
    client = await _smtp_client(make_client, smtp_sink)
    email = unique_email("welcome")
    await register(client, email=email, name="Ada Lovelace")

    # Queued, not sent: delivery belongs to the job runner.
    assert smtp_sink.messages == []
    assert [(j.name, j.status) for j in await _jobs()] == [("send_email", JobStatus.PENDING.value)]

    assert await run_due_jobs() == ["done"]
    [mail] = smtp_sink.to(email)
    assert mail.rcpt_tos == [email]
    assert mail.mail_from == "no-reply@interviewd.test"
    message = mail.message
    assert message["From"] == FROM
    assert message["To"] == email
    assert message["Subject"] == "Welcome to interviewd, Ada Lovelace"
    assert message["Message-ID"] and message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    text, html = mail.part("text/plain"), mail.part("text/html")
    assert "Hello Ada Lovelace" in text and email in text
    assert "https://app.example.test" in text
    assert "<h1" in html and "Welcome, Ada Lovelace" in html and f"<strong>{email}</strong>" in html

    [job] = await _jobs()
    assert (job.status, job.attempts, job.last_error) == (JobStatus.DONE.value, 1, None)
    assert job.finished_at is not None and job.locked_until is None
    # A finished job is not delivered again.
    assert await run_due_jobs() == []
    assert len(smtp_sink.to(email)) == 1


async def test_password_reset_mail_carries_a_working_reset_link(make_client, smtp_sink):
    client = await _smtp_client(make_client, smtp_sink)
    account = await register(client, name="Grace")
    await run_due_jobs()

    response = await client.post("/api/auth/forgot-password", json={"email": account["email"]})
    assert response.status_code == 200, response.text
    assert await run_due_jobs() == ["done"]

    welcome, reset = smtp_sink.to(account["email"])
    assert welcome.message["Subject"].startswith("Welcome")
    assert reset.message["To"] == account["email"]
    assert "password" in reset.message["Subject"].lower()
    text, html = reset.part("text/plain"), reset.part("text/html")
    [link] = [line.strip() for line in text.splitlines() if "/reset-password?" in line]
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "app.example.test", "/reset-password")
    [token] = parse_qs(parts.query)["token"]
    assert link in html

    # The link's token is the one the API accepts, once.
    new_password = "Another-Horse-77"
    reset_response = await client.post("/api/auth/reset-password",
                                       json={"token": token, "password": new_password})
    assert reset_response.status_code == 200, reset_response.text
    login = await client.post("/api/auth/login",
                              json={"email": account["email"], "password": new_password})
    assert login.status_code == 200
    again = await client.post("/api/auth/reset-password",
                              json={"token": token, "password": "Third-Horse-88"})
    assert again.status_code >= 400


async def test_unknown_address_gets_no_reset_mail(make_client, smtp_sink):
    client = await _smtp_client(make_client, smtp_sink)
    response = await client.post("/api/auth/forgot-password", json={"email": unique_email("nobody")})
    assert response.status_code == 200
    assert await _jobs() == []
    assert await run_due_jobs() == []
    assert smtp_sink.messages == []


async def test_unreachable_smtp_server_means_retry_not_loss(make_client, smtp_sink):
    client = await _smtp_client(make_client, smtp_sink, smtp_timeout=2.0)
    smtp_sink.stop()  # the port is now closed: connection refused
    account = await register(client)

    assert await run_due_jobs() == ["retry"]
    [job] = await _jobs()
    assert job.status == JobStatus.PENDING.value and job.attempts == 1
    assert job.last_error.startswith("EmailDeliveryError: SMTP delivery to 127.0.0.1:")
    assert smtp_sink.to(account["email"]) == []
