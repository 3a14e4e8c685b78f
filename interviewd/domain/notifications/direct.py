"""Mail whose content another service made (000's POST /api/send-email): checked,
given a plain-text part, and written to the same outbox as interviewd's own
mails. Only administrators and holders of the internal API key may send: an
open endpoint that mails any HTML to any address is a spam relay."""

from __future__ import annotations

import hmac
import unicodedata
from dataclasses import dataclass
from email.headerregistry import Address

from email_validator import EmailNotValidError, validate_email
from inscriptis import get_text
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.audit.service import audit_service
from interviewd.domain.notifications.service import notification_service
from interviewd.errors import Forbidden, Unauthorized, ValidationFailed
from interviewd.kit.principal import Principal

# One header line holds 998 characters (RFC 5322); a readable subject far fewer.
MAX_SUBJECT_CHARS = 255
MAX_NAME_CHARS = 200

_TEXT_CONFIG = ParserConfig(css=CSS_PROFILES["strict"], display_links=True)


@dataclass(frozen=True)
class EmailCaller:
    """Who asks to send: a signed-in user, or a service holding the internal key."""

    principal: Principal | None = None
    internal: bool = False


def html_to_text(html: str) -> str:
    """The text/plain alternative of an HTML mail: layout-aware (paragraphs,
    lists, tables), scripts and styles dropped, links kept as [text](url)."""
    return get_text(html, _TEXT_CONFIG).strip() + "\n"


def _has_control_chars(value: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in value)


class DirectEmailService:
    def internal_key_matches(self, presented: str | None) -> bool:
        """Constant-time comparison with INTERVIEWD_INTERNAL_API_KEY; always
        False while the setting is unset."""
        expected = runtime.current().settings.internal_api_key
        if not expected or not presented:
            return False
        return hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))

    async def send(
        self, session: AsyncSession, caller: EmailCaller, *, to: str, to_name: str | None,
        subject: str, html: str,
    ) -> str:
        """Queue `html` (with a derived text part) to one recipient; returns the
        Message-ID. Administrators and internal callers only."""
        if not caller.internal:
            if caller.principal is None:
                raise Unauthorized("Authentication required")
            if not caller.principal.is_admin:
                raise Forbidden("Only administrators and internal services may send e-mail")
        settings = runtime.current().settings
        try:
            address = validate_email(to.strip(), check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise ValidationFailed(f"Invalid recipient address: {exc}", field="to") from None
        name = (to_name or "").strip()
        if len(name) > MAX_NAME_CHARS or _has_control_chars(name):
            raise ValidationFailed(f"toName must be at most {MAX_NAME_CHARS} characters on one line",
                                   field="toName")
        subject = subject.strip()
        if not subject:
            raise ValidationFailed("subject must not be empty", field="subject")
        if len(subject) > MAX_SUBJECT_CHARS or _has_control_chars(subject):
            raise ValidationFailed(f"subject must be at most {MAX_SUBJECT_CHARS} characters on one line",
                                   field="subject")
        if not html.strip():
            raise ValidationFailed("html must not be empty", field="html")
        size = len(html.encode("utf-8"))
        if size > settings.send_email_max_html_bytes:
            raise ValidationFailed(
                f"html is larger than the limit of {settings.send_email_max_html_bytes} bytes",
                field="html", details={"limit": settings.send_email_max_html_bytes, "size": size},
            )
        recipient = str(Address(display_name=name, addr_spec=address)) if name else address
        message_id = await notification_service.send_prepared(
            session, to=[recipient], subject=subject, text=html_to_text(html), html=html,
        )
        # Who sent what to whom through the open mail route: admins and internal services alike.
        await audit_service.record(session, caller.principal, action="email.send", target_type="email",
                                   target_id=message_id,
                                   details={"to": address, "subject": subject, "internal": caller.internal})
        return message_id


direct_email_service = DirectEmailService()
