"""Contract 000: POST /api/send-email, for administrators and internal
services, delivered through the outbox to a real SMTP server on loopback."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from interviewd import runtime
from interviewd.models import Job
from tests.conftest import run_due_jobs, unique_email
from tests.domain.practice.factories import admin, candidate

KEY = "internal-key-0123456789abcdef"
HTML = """<html><head><style>p { color: red }</style><script>alert('x')</script></head>
<body><h1>Interview Invitation</h1><p>Hello <b>John</b> &amp; team,</p>
<ul><li>Senior Developer</li><li>60 minutes</li></ul>
<p><a href="https://meet.example.test/room-1">Join the meeting</a></p></body></html>"""


@pytest.fixture
async def mail_client(make_client, smtp_sink):
    return await make_client(email_backend="smtp", smtp_host=smtp_sink.host, smtp_port=smtp_sink.port,
                             internal_api_key=KEY)


def _body(**changes) -> dict:
    return {"to": unique_email("candidate"), "toName": "John Doe",
            "subject": "Interview Invitation: Senior Developer Position", "html": HTML, **changes}


async def _queued() -> list[Job]:
    async with runtime.current().sessionmaker() as session:
        return list(await session.scalars(select(Job)))


async def test_admin_sends_and_the_mail_arrives_with_html_and_a_text_part(mail_client, smtp_sink):
    boss = await admin(mail_client)
    body = _body()
    response = await mail_client.post("/api/send-email", json=body, headers=boss["headers"])
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["success"] is True and answer["message"] == "Email sent successfully"
    assert answer["messageId"].startswith("<") and answer["messageId"].endswith(">")

    # Queued in the outbox, delivered by the job runner.
    assert smtp_sink.messages == []
    assert await run_due_jobs() == ["done"]
    [mail] = smtp_sink.to(body["to"])
    message = mail.message
    assert message["Message-ID"] == answer["messageId"]
    assert message["Subject"] == body["subject"]
    assert message["To"].addresses[0].display_name == "John Doe"
    assert message["To"].addresses[0].addr_spec == body["to"]
    assert mail.part("text/html").replace("\r\n", "\n").strip() == HTML.strip()
    text = mail.part("text/plain")
    assert "Interview Invitation" in text and "Hello John & team," in text
    assert "* Senior Developer" in text and "[Join the meeting](https://meet.example.test/room-1)" in text
    assert "alert" not in text and "color: red" not in text and "<" not in text


async def test_internal_key_is_enough(mail_client, smtp_sink):
    body = _body(toName=None)
    response = await mail_client.post("/api/send-email", json=body, headers={"X-Internal-Key": KEY})
    assert response.status_code == 200, response.text
    assert await run_due_jobs() == ["done"]
    [mail] = smtp_sink.to(body["to"])
    assert mail.message["To"] == body["to"]


async def test_who_may_not_send(mail_client):
    assert (await mail_client.post("/api/send-email", json=_body())).status_code == 401
    wrong = await mail_client.post("/api/send-email", json=_body(), headers={"X-Internal-Key": KEY + "x"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "UNAUTHORIZED"
    user = await candidate(mail_client)
    forbidden = await mail_client.post("/api/send-email", json=_body(), headers=user["headers"])
    assert forbidden.status_code == 403
    assert forbidden.json()["success"] is False and forbidden.json()["error"]["code"] == "FORBIDDEN"
    # A candidate holding the key gets in as the internal service, not as themself.
    both = await mail_client.post("/api/send-email", json=_body(),
                                  headers={**user["headers"], "X-Internal-Key": KEY})
    assert both.status_code == 200
    # Without credentials a malformed body is still 401: nothing is said about its shape.
    assert (await mail_client.post("/api/send-email", json={"to": 1})).status_code == 401
    sent = [job for job in await _queued() if job.payload["subject"] == _body()["subject"]]
    assert len(sent) == 1  # (the other job is the candidate's welcome mail)


async def test_without_a_configured_key_only_admins_may_send(make_client):
    client = await make_client()  # internal_api_key unset
    for key in ("", "anything", KEY):
        response = await client.post("/api/send-email", json=_body(), headers={"X-Internal-Key": key})
        assert response.status_code == 401, key
    boss = await admin(client)
    assert (await client.post("/api/send-email", json=_body(), headers=boss["headers"])).status_code == 200


@pytest.mark.parametrize(("changes", "field"), [
    ({"to": "not-an-address"}, "to"),
    ({"to": "john@"}, "to"),
    ({"to": ""}, "to"),
    ({"subject": "   "}, "subject"),
    ({"subject": "Hello\r\nBcc: victim@example.com"}, "subject"),
    ({"subject": "x" * 256}, "subject"),
    ({"toName": "Eve\nBcc: victim@example.com"}, "toName"),
    ({"html": " \n "}, "html"),
    ({"html": "<p>" + "a" * 3000 + "</p>"}, "html"),
    ({"subject": None}, "subject"),
    ({"html": 42}, "html"),
])
async def test_bad_requests_are_400_and_queue_nothing(make_client, changes, field):
    client = await make_client(internal_api_key=KEY, send_email_max_html_bytes=2000)
    response = await client.post("/api/send-email", json=_body(**changes), headers={"X-Internal-Key": KEY})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and error["details"]["field"] == field
    assert await _queued() == []


async def test_a_body_far_over_the_limit_is_refused_before_it_is_read(make_client):
    client = await make_client(internal_api_key=KEY, send_email_max_html_bytes=1000)
    response = await client.post("/api/send-email", json=_body(html="<p>" + "a" * 80_000 + "</p>"),
                                 headers={"X-Internal-Key": KEY})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert await _queued() == []


async def test_the_eleventh_call_in_a_minute_is_rate_limited(make_client):
    client = await make_client(internal_api_key=KEY, rate_limit_enabled=True)
    statuses = []
    for _ in range(11):
        response = await client.post("/api/send-email", json=_body(), headers={"X-Internal-Key": KEY})
        statuses.append(response.status_code)
    assert statuses == [200] * 10 + [429]
    assert response.json()["error"]["code"] == "RATE_LIMITED"
    assert int(response.headers["Retry-After"]) > 0
    assert len(await _queued()) == 10
