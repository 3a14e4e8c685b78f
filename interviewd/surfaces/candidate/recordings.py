"""Recordings of practice sessions (001) and the signed links that serve files."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from interviewd import runtime
from interviewd.domain.recordings.service import PayloadTooLarge, recording_service
from interviewd.errors import ValidationFailed
from interviewd.kit.principal import Principal
from interviewd.web.deps import current_principal, db_session

router = APIRouter(tags=["recordings"])

# Room for the multipart boundaries and the small fields beside the file.
_MULTIPART_SLACK = 64 * 1024

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {
                "file": {"type": "string", "format": "binary",
                         "description": "WebM, Matroska, MP4, MOV, M4A, Ogg, WAV or MP3; "
                                        "the type is read from the content, not the name"},
                "kind": {"type": "string", "enum": ["video", "audio"]},
            },
        }}},
    }
}


@router.post("/interviews/sessions/{session_id}/recording", status_code=201,
             summary="Upload a practice session's recording", openapi_extra=_UPLOAD_BODY)
async def upload_recording(
    session_id: str,
    request: Request,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Multipart field `file` (and optional `kind` = video|audio). Only the
    session's owner may upload; larger than INTERVIEWD_RECORDING_MAX_BYTES is
    413, an unrecognised type 415. Answers the recording with a signed `url`."""
    limit = runtime.current().settings.recording_max_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + _MULTIPART_SLACK:
        # Refused before reading a byte of the body.
        raise PayloadTooLarge(f"Recording is larger than the limit of {limit} bytes", field="file",
                              details={"limit": limit})
    # Starlette spools file parts to a temporary file past 1 MB, never all in memory.
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("file")
        kind = form.get("kind")
        if not isinstance(upload, UploadFile):
            raise ValidationFailed("A file is required in the multipart field 'file'", field="file")
        if kind is not None and not isinstance(kind, str):
            raise ValidationFailed("kind must be video or audio", field="kind")
        recording = await recording_service.upload(
            session, principal, session_uid=session_id, file=upload.file, kind=kind or None,
        )
        return {**recording_service.describe(recording), "sessionId": session_id}


@router.get("/files/{token}", summary="A stored file, through a signed and expiring link",
            response_class=Response, responses={200: {"content": {"application/octet-stream": {}}},
                                                307: {"description": "Redirect to the object store"}})
async def signed_file(token: str, session: AsyncSession = Depends(db_session)) -> Response:
    """No bearer token: the link itself is the permission, until it expires
    (403). A forged or altered link is 404. Local files honour HTTP Range."""
    answer = await recording_service.resolve_file(session, token=token)
    if answer.redirect_url:
        return RedirectResponse(answer.redirect_url, status_code=307)
    if answer.path is not None:
        return FileResponse(answer.path, media_type=answer.content_type, filename=answer.filename,
                            content_disposition_type="inline",
                            headers={"Cache-Control": "private, max-age=60"})
    return Response(answer.content or b"", media_type=answer.content_type,
                    headers={"Cache-Control": "private, max-age=60"})
