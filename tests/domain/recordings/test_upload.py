"""Uploading a practice recording and fetching it through its signed link."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select

from interviewd import runtime
from interviewd.domain.recordings.service import TRANSCRIBE_JOB, recording_service
from interviewd.models import Job
from interviewd.models.practice import Recording
from interviewd.models.session import InterviewSession
from tests.domain.recordings.conftest import create_session
from tests.domain.recordings.media import MP4, PNG, WEBM, silent_wav


def path_of(url: str) -> str:
    return urlsplit(url).path


async def recordings() -> list[Recording]:
    async with runtime.current().sessionmaker() as session:
        return list(await session.scalars(select(Recording).order_by(Recording.id)))


async def jobs() -> list[Job]:
    async with runtime.current().sessionmaker() as session:
        return list(await session.scalars(select(Job).where(Job.name == TRANSCRIBE_JOB)))


async def test_upload_answers_the_recording_and_serves_it(make_client, account) -> None:
    client = await make_client(stt_backend="none")
    owner = await account(client)
    session_uid = await create_session(owner.uid)

    answer = await owner.upload(session_uid, WEBM, filename="clip.bin")

    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert set(body) >= {"_id", "sessionId", "kind", "contentType", "size", "url", "createdAt"}
    assert (body["sessionId"], body["kind"], body["contentType"], body["size"]) == (
        session_uid, "video", "video/webm", len(WEBM))
    assert body["createdAt"].endswith("Z")
    assert body["url"].startswith("http://127.0.0.1:8000/api/files/")

    # The link needs no bearer token, serves the bytes with their type, and honours Range.
    fetched = await client.get(path_of(body["url"]))
    assert fetched.status_code == 200
    assert fetched.headers["content-type"] == "video/webm"
    assert fetched.content == WEBM
    ranged = await client.get(path_of(body["url"]), headers={"Range": "bytes=0-3"})
    assert ranged.status_code == 206 and ranged.content == WEBM[:4]

    [stored] = await recordings()
    assert stored.uid == body["_id"] and stored.transcript_status == "none"
    assert (runtime.current().settings.data_dir / "files" / stored.storage_key).read_bytes() == WEBM
    assert await jobs() == []


async def test_links_for_session(make_client, account) -> None:
    client = await make_client(stt_backend="none")
    owner = await account(client)
    session_uid = await create_session(owner.uid)
    async with runtime.current().sessionmaker() as session:
        row = await session.scalar(select(InterviewSession).where(InterviewSession.uid == session_uid))
        assert await recording_service.links_for_session(session, session_id=row.id) is None

    assert (await owner.upload(session_uid, MP4)).status_code == 201
    assert (await owner.upload(session_uid, WEBM, kind="audio")).status_code == 201

    async with runtime.current().sessionmaker() as session:
        links = await recording_service.links_for_session(session, session_id=row.id)
    assert set(links) == {"videoUrl", "audioUrl", "transcriptUrl"}
    assert links["transcriptUrl"] is None
    video = await client.get(path_of(links["videoUrl"]))
    audio = await client.get(path_of(links["audioUrl"]))
    assert (video.headers["content-type"], video.content) == ("video/mp4", MP4)
    assert (audio.headers["content-type"], audio.content) == ("audio/webm", WEBM)


async def test_type_is_sniffed_not_taken_from_the_name(make_client, account) -> None:
    client = await make_client(stt_backend="none")
    owner = await account(client)
    session_uid = await create_session(owner.uid)

    refused = await owner.upload(session_uid, PNG, filename="clip.webm", content_type="video/webm")
    assert refused.status_code == 415
    assert refused.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert "WebM" in refused.json()["message"]

    accepted = await owner.upload(session_uid, silent_wav(), filename="notes.txt", content_type="text/plain")
    assert accepted.status_code == 201, accepted.text
    assert (accepted.json()["contentType"], accepted.json()["kind"]) == ("audio/wav", "audio")

    bad_kind = await owner.upload(session_uid, WEBM, kind="hologram")
    assert bad_kind.status_code == 400 and bad_kind.json()["error"]["code"] == "VALIDATION_ERROR"
    empty = await owner.upload(session_uid, b"")
    assert empty.status_code == 400
    missing = await client.post(f"/api/interviews/sessions/{session_uid}/recording",
                                data={"kind": "audio"}, headers=owner.headers)
    assert missing.status_code == 400 and missing.json()["error"]["details"]["field"] == "file"
    assert len(await recordings()) == 1


async def test_size_limit(make_client, account) -> None:
    client = await make_client(stt_backend="pocketsphinx", recording_max_bytes=1000)
    owner = await account(client)
    session_uid = await create_session(owner.uid)

    assert (await owner.upload(session_uid, WEBM[:1000])).status_code == 201
    too_big = await owner.upload(session_uid, WEBM[:64] + b"\0" * 1000)
    assert too_big.status_code == 413
    body = too_big.json()
    assert body["success"] is False and body["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert body["error"]["details"]["limit"] == 1000
    # Refused from the declared length alone, before the body is read.
    huge = await client.post(f"/api/interviews/sessions/{session_uid}/recording", headers={
        **owner.headers, "Content-Type": "multipart/form-data; boundary=x",
        "Content-Length": str(10_000_000)}, content=b"--x--\r\n" + b"\0" * 100)
    assert huge.status_code == 413
    # The refused uploads stored nothing and queued nothing.
    assert len(await recordings()) == 1
    assert len(await jobs()) == 1
    files = list((runtime.current().settings.data_dir / "files" / "recordings" / session_uid).iterdir())
    assert len(files) == 1


async def test_only_the_owner_of_a_practice_session(make_client, account) -> None:
    client = await make_client(stt_backend="none")
    owner, other = await account(client), await account(client)
    session_uid = await create_session(owner.uid)

    assert (await other.upload(session_uid, WEBM)).status_code == 404
    assert (await owner.upload("no-such-session", WEBM)).status_code == 404
    anonymous = await client.post(f"/api/interviews/sessions/{session_uid}/recording",
                                  files={"file": ("a.webm", WEBM)})
    assert anonymous.status_code == 401
    ai_session = await create_session(owner.uid, kind="ai")
    wrong_kind = await owner.upload(ai_session, WEBM)
    assert wrong_kind.status_code == 400 and "practice" in wrong_kind.json()["message"]
    assert await recordings() == []


async def test_signed_links_expire_and_cannot_be_forged(make_client, account) -> None:
    client = await make_client(stt_backend="none", signed_url_ttl=1)
    owner = await account(client)
    session_uid = await create_session(owner.uid)
    url = path_of((await owner.upload(session_uid, WEBM)).json()["url"])
    assert (await client.get(url)).status_code == 200

    token = url.rsplit("/", 1)[1]
    payload, _, signature = token.partition(".")
    tampered = url[: -len(token)] + payload + "." + signature[::-1]
    forged = await client.get(tampered)
    assert forged.status_code == 404 and forged.json()["error"]["code"] == "NOT_FOUND"
    assert (await client.get("/api/files/not-a-token")).status_code == 404

    await asyncio.sleep(2.1)  # the token's timestamp has whole-second resolution
    expired = await client.get(url)
    assert expired.status_code == 403
    assert expired.json()["error"]["code"] == "FORBIDDEN" and "expired" in expired.json()["message"]


async def test_upload_to_s3_and_redirect_to_a_presigned_link(make_client, account, s3_endpoint) -> None:
    import boto3

    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="k",
                 aws_secret_access_key="s").create_bucket(Bucket="recordings")
    client = await make_client(stt_backend="none", storage_backend="s3", s3_bucket="recordings",
                               s3_endpoint_url=s3_endpoint, s3_region="us-east-1",
                               s3_access_key_id="k", s3_secret_access_key="s")
    owner = await account(client)
    session_uid = await create_session(owner.uid)
    answer = await owner.upload(session_uid, MP4, filename="a.mp4")
    assert answer.status_code == 201, answer.text

    redirect = await client.get(path_of(answer.json()["url"]))
    assert redirect.status_code == 307
    location = redirect.headers["location"]
    assert location.startswith(s3_endpoint + "/recordings/recordings/") and "X-Amz-Signature" in location
    async with httpx.AsyncClient() as outside:
        fetched = await outside.get(location)
    assert fetched.status_code == 200 and fetched.content == MP4
    assert fetched.headers["content-type"] == "video/mp4"
