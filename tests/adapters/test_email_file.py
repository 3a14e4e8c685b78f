"""The file backend (the embedded default) writes each mail as an .eml file."""

from __future__ import annotations

import base64
import email
import email.policy
from pathlib import Path

from interviewd.adapters.email import FileEmailBackend, OutgoingEmail
from interviewd.adapters.email.base import Attachment
from tests.conftest import register, run_due_jobs


def _mail_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.eml")) if directory.exists() else []


async def test_registration_writes_a_parseable_eml_under_data_dir(make_client, tmp_path):
    client = await make_client(email_backend="file", data_dir=tmp_path)
    account = await register(client, name="Edsger")
    mail_dir = tmp_path / "mail"
    assert _mail_files(mail_dir) == []

    assert await run_due_jobs() == ["done"]
    [path] = _mail_files(mail_dir)
    # Written under a temporary name and renamed, so no partial file remains.
    assert [p.name for p in mail_dir.iterdir()] == [path.name]

    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == account["email"]
    assert message["Subject"] == "Welcome to interviewd, Edsger"
    assert message["From"] and message["Date"]
    assert path.stem in message["Message-ID"].replace("<", "").replace(">", "").replace("@", "")
    assert "Hello Edsger" in message.get_body(preferencelist=("plain",)).get_content()
    assert "Welcome, Edsger" in message.get_body(preferencelist=("html",)).get_content()


async def test_file_backend_keeps_attachments_and_each_message_separately(tmp_path):
    backend = FileEmailBackend(tmp_path / "mail")
    pdf = b"%PDF-1.4 tiny"
    for n in range(2):
        await backend.send(OutgoingEmail(
            message_id=f"<m{n}.1@interviewd>", sender="a@example.com",
            to=["b@example.com", "c@example.com"], subject=f"report {n}", text="see attached",
            attachments=[Attachment("report.pdf", "application/pdf", base64.b64encode(pdf).decode())],
        ))
    paths = _mail_files(tmp_path / "mail")
    assert len(paths) == 2
    messages = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in paths]
    assert sorted(m["Subject"] for m in messages) == ["report 0", "report 1"]
    for message in messages:
        assert message["To"] == "b@example.com, c@example.com"
        [attachment] = list(message.iter_attachments())
        assert attachment.get_filename() == "report.pdf"
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_content() == pdf
