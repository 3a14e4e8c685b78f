"""The data export (004's POST /api/analytics/export; GDPR access and
portability): everything the caller owns, as one JSON document, as a zip of
CSV files (one per record type), or as a readable PDF report.

Rows are read in batches and written straight to a spooled temporary file
(in memory up to ANALYTICS_EXPORT_SPOOL_BYTES, then on disk), so a user with
thousands of sessions costs bounded memory; the surface streams the file."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from json.encoder import encode_basestring  # the C encoder json itself uses for ensure_ascii=False
from typing import IO, Any

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.analytics.export_repository import (
    BOOL,
    RAW_JSON,
    RECORD_TYPES,
    TIME,
)
from interviewd.domain.analytics.repository import analytics_repository
from interviewd.errors import ValidationFailed
from interviewd.kit.clock import isoformat_z, utcnow
from interviewd.kit.principal import Principal
from interviewd.models.user import User

FORMATS = ("json", "csv", "pdf")
FORMAT_NAME = "interviewd-export"
FORMAT_VERSION = 1
MEDIA_TYPES = {"json": "application/json", "csv": "application/zip", "pdf": "application/pdf"}
EXTENSIONS = {"json": "json", "csv": "zip", "pdf": "pdf"}

README = """interviewd data export
=====================

One CSV file per record type, UTF-8 with a byte order mark, comma-separated,
first row the column names. Values that are lists or objects are written as
JSON text. Times are UTC in ISO 8601 with a Z. sessionId, questionId,
answerId... link the files to each other.

account.csv            the account, profile and preferences (one row)
externalIdentities.csv accounts at sign-in providers linked to yours
sessions.csv           every session of every kind (AI, practice, booking, one-way)
aiSessions.csv         what an AI interview session adds to its session
questions.csv          the questions presented in your AI sessions
answers.csv            your answers
evaluations.csv        the evaluation of each answer
feedbackReports.csv    the report of each completed AI session
practiceSessions.csv   what a self-practice session adds, with its metrics
achievements.csv       unlocked achievements
recordings.csv         recordings (metadata and transcripts; the media files are not included)
bookings.csv           sessions booked with mentors
reviews.csv            reviews you wrote
favoriteMentors.csv    mentors you marked as favourite
mentorProfile.csv      your mentor profile, if you are a mentor
"""


@dataclass
class ExportFile:
    filename: str
    media_type: str
    file: IO[bytes]  # positioned at its start; the caller closes it
    size: int


# One encoder for every value: json.dumps builds a new one per call when given options.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _time(value: datetime) -> str:
    # UTCDateTime hands back aware UTC datetimes already.
    return value.isoformat().replace("+00:00", "Z")


def _json_value(kind: str, value: Any) -> str:
    """A value as JSON text; a JSON column's stored text is already that."""
    if value is None:
        return "null"
    if kind == RAW_JSON:
        return value
    if kind == TIME:
        return '"' + _time(value) + '"'
    if type(value) is str:
        return encode_basestring(value)
    return _encode(value)


def _cell(kind: str, value: Any) -> Any:
    """A value as a CSV cell: lists and objects as JSON text, with Hangul
    and other letters as themselves rather than \\u escapes."""
    if value is None:
        return ""
    if kind == RAW_JSON:
        return json.dumps(json.loads(value), ensure_ascii=False) if "\\u" in value else value
    if kind == TIME:
        return _time(value)
    if kind == BOOL:
        return "true" if value else "false"
    return value


def account_record(user: User) -> dict:
    """The account as exported: never the password hash or token version."""
    return {
        "userId": user.uid, "email": user.email, "username": user.username, "name": user.name,
        "firstName": user.first_name, "lastName": user.last_name, "company": user.company,
        "avatarUrl": user.avatar_url, "role": user.role, "status": user.status, "provider": user.provider,
        "profile": user.profile or {}, "preferences": user.preferences or {},
        "subscriptionStatus": user.subscription_status, "subscriptionPlan": user.subscription_plan,
        "subscriptionEndDate": isoformat_z(user.subscription_end_date),
        "createdAt": isoformat_z(user.created_at), "updatedAt": isoformat_z(user.updated_at),
        "lastLoginAt": isoformat_z(user.last_login_at),
    }


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class ExportService:
    async def export(self, session: AsyncSession, principal: Principal, *, format: str | None = "json",
                     timezone: str | None = None, now: datetime | None = None) -> ExportFile:
        """Everything the caller owns in `format` (json, csv or pdf). The
        account comes from the caller's own row; every other record type is
        selected by the caller's user id alone."""
        fmt = (format or "json").strip().lower()
        if fmt not in FORMATS:
            raise ValidationFailed("format must be one of json, csv, pdf", field="format",
                                   details={"value": format})
        settings = runtime.current().settings
        now = now or utcnow()
        user = principal.user
        # Not a context manager: the file outlives this call; the surface closes it.
        spool = tempfile.SpooledTemporaryFile(max_size=settings.analytics_export_spool_bytes)  # noqa: SIM115
        try:
            if fmt == "json":
                await self._json(session, user, spool, now)
            elif fmt == "csv":
                await self._csv(session, user, spool)
            else:
                await self._pdf(session, principal, spool, now, timezone)
            size = spool.tell()
            spool.seek(0)
        except BaseException:
            spool.close()
            raise
        name = f"interviewd-export-{user.uid}-{now.strftime('%Y%m%d')}.{EXTENSIONS[fmt]}"
        return ExportFile(name, MEDIA_TYPES[fmt], spool, size)

    async def _json(self, session: AsyncSession, user: User, out: IO[bytes], now: datetime) -> None:
        head = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "exportedAt": isoformat_z(now),
                "account": account_record(user)}
        # The document is written piece by piece: the head object left open, then one list per type.
        out.write(dump_json(head)[:-1].encode("utf-8"))
        for record in RECORD_TYPES:
            query, names, kinds = record.statement(user.id)
            keys = [dump_json(name) + ":" for name in names]
            columns = list(zip(keys, kinds, strict=True))
            out.write(("," + dump_json(record.name) + ":[").encode("utf-8"))
            first = True
            async for batch in analytics_repository.stream_rows(session, query):
                text = ",".join(
                    "{" + ",".join(key + _json_value(kind, value)
                                   for (key, kind), value in zip(columns, row, strict=True)) + "}"
                    for row in batch)
                out.write((text if first else "," + text).encode("utf-8"))
                first = False
                await asyncio.sleep(0)
            out.write(b"]")
        out.write(b"}")

    async def _csv(self, session: AsyncSession, user: User, out: IO[bytes]) -> None:
        # Level 1: most of the size gain at a fraction of the default level's time.
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr("README.txt", README)
            account = account_record(user)
            with self._member(archive, "account.csv") as writer:
                writer.writerow(list(account))
                writer.writerow([dump_json(v) if isinstance(v, dict) else ("" if v is None else v)
                                 for v in account.values()])
            for record in RECORD_TYPES:
                query, names, kinds = record.statement(user.id)
                with self._member(archive, f"{record.name}.csv") as writer:
                    writer.writerow(names)
                    async for batch in analytics_repository.stream_rows(session, query):
                        writer.writerows([[_cell(kind, value) for kind, value in zip(kinds, row, strict=True)]
                                          for row in batch])
                        await asyncio.sleep(0)

    @staticmethod
    @contextmanager
    def _member(archive: zipfile.ZipFile, name: str):
        """A csv.writer onto a new member of the zip, UTF-8 with a byte order mark."""
        with archive.open(name, "w") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            yield csv.writer(text)
            text.flush()
            text.detach()

    async def _pdf(self, session: AsyncSession, principal: Principal, out: IO[bytes], now: datetime,
                   timezone: str | None) -> None:
        from interviewd.domain.analytics.export_pdf import note, render, report_blocks, session_rows
        from interviewd.domain.analytics.service import analytics_service

        overview = await analytics_service.overview(session, principal, timezone=timezone, now=now)
        sessions_query = next(r for r in RECORD_TYPES if r.name == "sessions").query(principal.user_id)
        sessions: list[dict] = []
        async for batch in analytics_repository.stream(session, sessions_query):
            sessions.extend(batch)
        account = account_record(principal.user)
        blocks = report_blocks(account, overview, sessions, now)
        font = runtime.current().settings.report_font_path
        title = f"interviewd data export {principal.user.uid}"
        rows = session_rows(sessions, overview.timezone)
        data = await asyncio.to_thread(render, blocks, rows, note(account), title=title, font_path=font)
        out.write(data)


export_service = ExportService()
