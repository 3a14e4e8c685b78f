from __future__ import annotations

import base64
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate


class EmailDeliveryError(Exception):
    """The backend could not hand the message over; the job will retry."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    content_b64: str

    @property
    def content(self) -> bytes:
        return base64.b64decode(self.content_b64)


@dataclass
class OutgoingEmail:
    message_id: str
    sender: str
    to: list[str]
    subject: str
    text: str
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)

    @classmethod
    def from_payload(cls, payload: dict) -> OutgoingEmail:
        data = dict(payload)
        data["attachments"] = [Attachment(**a) for a in data.get("attachments", [])]
        return cls(**data)

    def to_payload(self) -> dict:
        return {
            "message_id": self.message_id,
            "sender": self.sender,
            "to": self.to,
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "attachments": [a.__dict__ for a in self.attachments],
        }

    def to_mime(self) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.to)
        msg["Subject"] = self.subject
        msg["Date"] = formatdate(localtime=False, usegmt=True)
        msg["Message-ID"] = self.message_id
        msg.set_content(self.text)
        if self.html:
            msg.add_alternative(self.html, subtype="html")
        for att in self.attachments:
            # "text/calendar; method=REQUEST": calendar clients read the method
            # from the part's parameters as well as from the file.
            mime_type, *raw_params = (p.strip() for p in att.content_type.split(";"))
            params = dict(p.partition("=")[::2] for p in raw_params if "=" in p)
            maintype, _, subtype = mime_type.partition("/")
            msg.add_attachment(
                att.content, maintype=maintype, subtype=subtype or "octet-stream",
                filename=att.filename, params={k.strip(): v.strip().strip('"') for k, v in params.items()},
            )
        return msg


class EmailBackend(ABC):
    name: str

    @abstractmethod
    async def send(self, email: OutgoingEmail) -> str:
        """Deliver `email`; return the provider's id for it (or its Message-ID)."""
