"""POST /api/send-email (000)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Header, Request
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.notifications.direct import EmailCaller, direct_email_service
from interviewd.errors import DomainError, ErrorCode, Unauthorized
from interviewd.surfaces.candidate.shapes import CamelModel
from interviewd.web.deps import bearer_token, current_principal, db_session

router = APIRouter(tags=["email api"])

# Room for the other fields and JSON escaping around the largest accepted html.
_BODY_SLACK = 64 * 1024


class PayloadTooLarge(DomainError):
    code = ErrorCode.PAYLOAD_TOO_LARGE


class SendEmailRequest(CamelModel):
    to: str = Field(description="Recipient e-mail address", max_length=320)
    to_name: str | None = Field(default=None, description="Recipient name")
    subject: str = Field(description="Subject line (one line, at most 255 characters)")
    html: str = Field(description="Rendered HTML content; the text part is derived from it")


class SendEmailResponse(CamelModel):
    success: bool = True
    message: str = "Email sent successfully"
    message_id: str = Field(description="The queued message's Message-ID")


async def email_caller(
    request: Request,
    session: AsyncSession = Depends(db_session),
    x_internal_key: str | None = Header(default=None, description="INTERVIEWD_INTERNAL_API_KEY"),
) -> EmailCaller:
    # Resolved before the body is read: an unauthenticated caller learns
    # nothing about what a valid request looks like.
    if direct_email_service.internal_key_matches(x_internal_key):
        return EmailCaller(internal=True)
    if bearer_token(request) is not None:
        return EmailCaller(principal=await current_principal(request, session))
    if x_internal_key is not None:
        raise Unauthorized("Invalid internal API key")
    raise Unauthorized("Authentication required")


def _body_size_guard(request: Request) -> None:
    limit = runtime.current().settings.send_email_max_html_bytes * 2 + _BODY_SLACK
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"Request body is larger than the limit of {limit} bytes",
                              details={"limit": limit})


@router.post("/send-email", response_model=SendEmailResponse, response_model_by_alias=True,
             summary="Send an e-mail through interviewd's outbox",
             dependencies=[Depends(_body_size_guard)],
             responses={401: {"description": "No credentials, or a wrong internal key"},
                        403: {"description": "Signed in, but not an administrator"},
                        413: {"description": "Body far larger than the html limit"},
                        429: {"description": "More than RATE_LIMIT_API_EMAIL calls"}})
async def send_email(
    body: SendEmailRequest,
    caller: EmailCaller = Depends(email_caller),
    session: AsyncSession = Depends(db_session),
) -> SendEmailResponse:
    """For administrators (bearer token) and internal services presenting
    `X-Internal-Key` (INTERVIEWD_INTERNAL_API_KEY; while unset, administrators
    only). The mail is written to the outbox and delivered by the job runner
    with retries, through the configured backend (file, SMTP or Resend); a
    plain-text part is derived from `html`. `messageId` is the queued
    message's Message-ID. Bad address, empty subject or html, or html larger
    than INTERVIEWD_SEND_EMAIL_MAX_HTML_BYTES: 400 VALIDATION_ERROR."""
    message_id = await direct_email_service.send(
        session, caller, to=body.to, to_name=body.to_name, subject=body.subject, html=body.html,
    )
    return SendEmailResponse(message_id=message_id)
