"""POST /api/analytics/export: the caller's data as JSON, a zip of CSVs or a
PDF, as an attachment; never another user's rows, a password hash or a
token value."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from interviewd import runtime
from interviewd.domain.feedback import pdf as pdf_module
from interviewd.models import FeedbackReport, InterviewSession, User
from tests.domain.analytics.factories import FAST, ai_session, candidate, insert_bank, set_preferences
from tests.domain.interview.factories import GOOD_ANSWER

pytestmark = pytest.mark.asyncio

OTHER_ANSWER = ("Someone else's private answer about consistent hashing rings, virtual nodes and "
                "rebalancing when a cache node leaves the ring at 3am.")


async def _two_users(client) -> tuple[dict, str, dict, str]:
    await insert_bank(technical=3, behavioral=0, coding=False)
    me = await candidate(client, name="Export Me")
    mine = await ai_session(client, me, questions=2)
    other = await candidate(client, name="Someone Else")
    theirs = await ai_session(client, other, questions=2, answer=OTHER_ANSWER)
    return me, mine, other, theirs


async def _secrets(user: dict) -> list[str]:
    """The password hash, the tokens and the share tokens of the user's reports."""
    async with runtime.current().sessionmaker() as session:
        row = await session.scalar(select(User).where(User.uid == user["userId"]))
        shares = list(await session.scalars(
            select(FeedbackReport.share_token).join(InterviewSession,
                                                    InterviewSession.id == FeedbackReport.session_id)
            .where(InterviewSession.user_id == row.id)))
    assert shares and all(shares)
    return [row.password_hash, user["tokens"]["accessToken"], user["tokens"]["refreshToken"], "$argon2",
            *shares]


async def _export(client, user, body: dict | None) -> object:
    response = await client.post("/api/analytics/export", headers=user["headers"],
                                 **({"json": body} if body is not None else {}))
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment; filename=\"interviewd-export-")
    assert int(response.headers["content-length"]) == len(response.content)
    return response


async def test_json_export_holds_everything_the_user_owns_and_nothing_else(make_client):
    client = await make_client(**FAST)
    me, mine, other, theirs = await _two_users(client)
    await set_preferences(me["userId"], timezone="Asia/Seoul", language="en")

    response = await _export(client, me, None)  # no body: JSON
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].endswith('.json"')
    data = json.loads(response.content)
    assert data["format"] == "interviewd-export" and data["version"] == 1
    assert data["exportedAt"].endswith("Z")
    account = data["account"]
    assert account["email"] == me["email"] and account["userId"] == me["userId"]
    assert account["preferences"] == {"timezone": "Asia/Seoul", "language": "en"}
    assert "passwordHash" not in account and "tokenVersion" not in account

    assert [s["sessionId"] for s in data["sessions"]] == [mine]
    assert data["aiSessions"][0]["jobType"] == "Backend Engineer"
    assert len(data["questions"]) == 2 and all(q["sessionId"] == mine for q in data["questions"])
    assert len(data["answers"]) == 2 and data["answers"][0]["answerText"] == GOOD_ANSWER
    assert len(data["evaluations"]) == 2
    assert set(data["evaluations"][0]["scores"]) == {"understanding", "logic", "specificity", "jobFit"}
    [report] = data["feedbackReports"]
    assert report["sessionId"] == mine and report["shareLinkActive"] is True
    for key in ("practiceSessions", "achievements", "recordings", "bookings", "reviews", "favoriteMentors",
                "mentorProfile", "externalIdentities"):
        assert data[key] == []

    text = response.content.decode()
    for secret in await _secrets(me):
        assert secret not in text
    for item in (other["email"], other["userId"], theirs, OTHER_ANSWER):
        assert item not in text


async def test_csv_export_is_a_zip_of_one_csv_per_record_type(make_client):
    client = await make_client(**FAST)
    me, mine, other, theirs = await _two_users(client)
    response = await _export(client, me, {"format": "csv"})
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].endswith('.zip"')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"README.txt", "account.csv", "sessions.csv", "questions.csv", "answers.csv", "evaluations.csv",
            "feedbackReports.csv", "practiceSessions.csv", "recordings.csv", "bookings.csv"} <= names

    def rows(name: str) -> list[dict]:
        return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))

    assert rows("account.csv")[0]["email"] == me["email"]
    assert [r["sessionId"] for r in rows("sessions.csv")] == [mine]
    answers = rows("answers.csv")
    assert len(answers) == 2 and answers[0]["answerText"] == GOOD_ANSWER
    evaluation = rows("evaluations.csv")[0]
    assert set(json.loads(evaluation["scores"])) == {"understanding", "logic", "specificity", "jobFit"}
    assert float(evaluation["totalScore"]) >= 0
    assert rows("bookings.csv") == [] and "sessionId" in archive.read("bookings.csv").decode("utf-8-sig")

    everything = " ".join(archive.read(name).decode("utf-8-sig") for name in names)
    for item in (other["email"], other["userId"], theirs, OTHER_ANSWER, *await _secrets(me)):
        assert item not in everything


async def test_pdf_export_is_a_readable_report(make_client):
    client = await make_client(**FAST)
    me, mine, other, _theirs = await _two_users(client)
    response = await _export(client, me, {"format": "pdf"})
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
                    .split())
    assert "Your interviewd data" in text and me["email"] in text
    assert "Sessions (1)" in text and "completed" in text
    assert other["email"] not in text


async def test_pdf_export_speaks_korean_with_a_hangul_font(make_client):
    client = await make_client(**FAST)
    me, _mine, _other, _theirs = await _two_users(client)
    await set_preferences(me["userId"], language="ko")
    response = await _export(client, me, {"format": "pdf"})
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    font = pdf_module.find_font(None)
    if font and "nanum" in font.lower():
        assert "내 데이터" in text
    else:
        assert "interviewd" in text


async def test_an_unknown_format_is_400(client):
    user = await candidate(client)
    response = await client.post("/api/analytics/export", json={"format": "xlsx"}, headers=user["headers"])
    assert response.status_code == 400 and response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_exports_are_rate_limited_per_user(make_client):
    client = await make_client(rate_limit_enabled=True, rate_limit_api_export="2/hour")
    user, other = await candidate(client), await candidate(client)
    for _ in range(2):
        assert (await client.post("/api/analytics/export", headers=user["headers"])).status_code == 200
    third = await client.post("/api/analytics/export", headers=user["headers"])
    assert third.status_code == 429 and third.json()["error"]["code"] == "RATE_LIMITED"
    assert "retry-after" in third.headers
    assert (await client.post("/api/analytics/export", headers=other["headers"])).status_code == 200
    # Reading analytics is not in the export's budget.
    assert (await client.get("/api/analytics/skills", headers=user["headers"])).status_code == 200


async def test_the_format_may_come_in_the_query_and_the_body_wins(client):
    user = await candidate(client)
    response = await client.post("/api/analytics/export?format=csv", headers=user["headers"])
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert "account.csv" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    response = await client.post("/api/analytics/export?format=csv", json={"format": "pdf"},
                                 headers=user["headers"])
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    response = await client.post("/api/analytics/export?format=doc", headers=user["headers"])
    assert response.status_code == 400
