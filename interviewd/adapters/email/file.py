from __future__ import annotations

import asyncio
from pathlib import Path

from interviewd.adapters.email.base import EmailBackend, OutgoingEmail


class FileEmailBackend(EmailBackend):
    """Writes each message as an .eml file: the embedded default, so that a
    laptop install can read its password-reset mails without a mail server."""

    name = "file"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, email: OutgoingEmail) -> str:
        await asyncio.to_thread(self._write, email)
        return email.message_id

    def _write(self, email: OutgoingEmail) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        safe_id = "".join(c for c in email.message_id if c.isalnum() or c in "-_.")
        tmp = self.directory / f".{safe_id}.tmp"
        tmp.write_bytes(bytes(email.to_mime()))
        tmp.replace(self.directory / f"{safe_id}.eml")  # readers never see half a file
