"""The storage port: the local store on disk and the S3 adapter against a
real S3-compatible HTTP server on loopback (moto's server mode)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import httpx
import pytest

from interviewd.adapters.storage import InvalidKey, LocalStorage, ObjectNotFound, create_storage
from interviewd.adapters.storage.s3 import S3Storage

BUCKET = "interviewd-test"


@pytest.fixture
def s3(s3_endpoint: str) -> S3Storage:
    store = S3Storage(bucket=BUCKET, endpoint_url=s3_endpoint, region="us-east-1",
                      access_key_id="test-key", secret_access_key="test-secret", key_prefix="media")
    with contextlib.suppress(store.client.exceptions.BucketAlreadyOwnedByYou):
        store.client.create_bucket(Bucket=BUCKET)
    return store


@pytest.fixture
def local(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "files")


@pytest.fixture(params=["local", "s3"])
def store(request, local, s3_endpoint):
    return local if request.param == "local" else request.getfixturevalue("s3")


async def test_round_trip_of_bytes_and_streams(store) -> None:
    stored = await store.put("recordings/s1/a.wav", b"RIFF-bytes", "audio/wav")
    assert (stored.key, stored.size) == ("recordings/s1/a.wav", 10)
    assert await store.get("recordings/s1/a.wav") == b"RIFF-bytes"
    assert await store.exists("recordings/s1/a.wav")

    big = bytes(range(256)) * 40_000  # ~10 MB: the S3 adapter uploads it in parts
    stream = io.BytesIO(b"skip" + big)
    stream.seek(4)  # written from the stream's current position
    stored = await store.put("recordings/s1/b.webm", stream, "video/webm")
    assert stored.size == len(big)
    handle = await store.open("recordings/s1/b.webm")
    try:
        assert handle.read() == big
    finally:
        handle.close()

    await store.delete("recordings/s1/a.wav")
    await store.delete("recordings/s1/a.wav")  # twice is fine
    assert not await store.exists("recordings/s1/a.wav")
    with pytest.raises(ObjectNotFound):
        await store.get("recordings/s1/a.wav")


@pytest.mark.parametrize("key", ["../outside", "a/../../b", "/etc/passwd", "a//b", ".hidden", "a/.b",
                                 "a\\b", "", "a/b/", "x" * 600, "new\nline"])
async def test_keys_that_could_escape_are_refused(local: LocalStorage, key: str) -> None:
    with pytest.raises(InvalidKey):
        await local.put(key, b"x", "text/plain")
    with pytest.raises(InvalidKey):
        await local.get(key)


async def test_local_writes_are_atomic_files_under_the_root(local: LocalStorage) -> None:
    await local.put("a/b/c.ogg", b"OggS-1", "audio/ogg")
    await local.put("a/b/c.ogg", b"OggS-2", "audio/ogg")  # replaced whole
    path = local.local_path("a/b/c.ogg")
    assert path == local.root / "a" / "b" / "c.ogg" and path.read_bytes() == b"OggS-2"
    # No temporary files are left beside it.
    assert sorted(p.name for p in path.parent.iterdir()) == ["c.ogg"]
    assert local.local_path("a/b/missing.ogg") is None


async def test_failed_local_write_leaves_nothing(local: LocalStorage) -> None:
    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            raise OSError("disk gone")

    with pytest.raises(OSError):
        await local.put("a/broken.wav", Broken(), "audio/wav")
    assert not await local.exists("a/broken.wav")
    assert list((local.root / "a").iterdir()) == []


async def test_s3_keeps_content_type_and_prefix_and_presigns(s3: S3Storage) -> None:
    await s3.put("recordings/s2/v.mp4", b"\x00\x00\x00\x18ftypisom-data", "video/mp4")
    head = s3.client.head_object(Bucket=BUCKET, Key="media/recordings/s2/v.mp4")
    assert head["ContentType"] == "video/mp4"
    assert s3.local_path("recordings/s2/v.mp4") is None

    url = await s3.presigned_url("recordings/s2/v.mp4", expires_in=60, content_type="video/mp4")
    async with httpx.AsyncClient() as client:
        answer = await client.get(url)
        assert answer.status_code == 200
        assert answer.content == b"\x00\x00\x00\x18ftypisom-data"
        assert answer.headers["content-type"] == "video/mp4"
    assert "X-Amz-Expires=60" in url and "X-Amz-Signature=" in url


def test_backend_is_chosen_by_setting(make_settings, s3_endpoint: str, tmp_path: Path) -> None:
    local = create_storage(make_settings(data_dir=tmp_path))
    assert isinstance(local, LocalStorage) and local.root == (tmp_path / "files").resolve()
    remote = create_storage(make_settings(storage_backend="s3", s3_bucket=BUCKET,
                                          s3_endpoint_url=s3_endpoint, s3_region="eu-west-1"))
    assert isinstance(remote, S3Storage) and remote.bucket == BUCKET
    with pytest.raises(ValueError, match="S3_BUCKET"):
        create_storage(make_settings(storage_backend="s3"))
