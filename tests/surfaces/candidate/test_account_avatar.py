"""POST /api/users/avatar and GET /api/avatars/{userId}/{name}."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from PIL import Image

from tests.conftest import bearer, register, run_due_jobs
from tests.surfaces.candidate.account_factories import image_bytes, user_row

pytestmark = pytest.mark.asyncio


async def _user(client) -> dict:
    user = await register(client)
    user["headers"] = bearer(user["tokens"]["accessToken"])
    return user


def _path(url: str) -> str:
    return urlsplit(url).path


def _file_of(data_dir: str, url: str) -> Path:
    uid, name = _path(url).split("/")[-2:]
    return Path(data_dir) / "files" / "avatars" / uid / name


async def _upload(client, user, data: bytes, *, field: str = "avatar", filename: str = "me.png",
                  content_type: str = "image/png"):
    return await client.post("/api/users/avatar", headers=user["headers"],
                             files={field: (filename, data, content_type)})


@pytest.mark.parametrize("fmt, content_type, field", [
    ("PNG", "image/png", "avatar"), ("JPEG", "image/jpeg", "file"), ("WEBP", "image/webp", "image"),
])
async def test_upload_stores_and_serves_the_image(client, data_dir, fmt, content_type, field):
    user = await _user(client)
    # The name and declared type say nothing true: the content decides.
    response = await _upload(client, user, image_bytes(fmt), field=field, filename="photo.gif",
                             content_type="application/octet-stream")
    assert response.status_code == 200, response.text
    body = response.json()
    url = body["avatar"]
    assert body["success"] is True and body["avatarUrl"] == url and body["user"]["avatar"] == url
    assert _path(url).startswith(f"/api/avatars/{user['userId']}/")
    assert (await user_row(user["userId"])).avatar_url == url
    served = await client.get(_path(url))
    assert served.status_code == 200
    assert served.headers["content-type"] == content_type
    assert served.headers["x-content-type-options"] == "nosniff"
    assert Image.open(io.BytesIO(served.content)).format == fmt
    assert _file_of(data_dir, url).is_file()
    profile = (await client.get("/api/users/profile", headers=user["headers"])).json()
    assert profile["avatar"] == url


async def test_metadata_is_dropped_and_large_images_are_scaled_down(make_client):
    client = await make_client(avatar_max_dimension=100)
    user = await _user(client)
    original = image_bytes("JPEG", (400, 200), exif=True)
    assert Image.open(io.BytesIO(original)).getexif()
    response = await _upload(client, user, original, content_type="image/jpeg")
    assert response.status_code == 200, response.text
    image = Image.open(io.BytesIO((await client.get(_path(response.json()["avatar"]))).content))
    assert image.size == (100, 50)
    assert not image.getexif()


async def test_replacing_the_avatar_deletes_the_previous_file(client, data_dir):
    user = await _user(client)
    first = (await _upload(client, user, image_bytes("PNG"))).json()["avatar"]
    second = (await _upload(client, user, image_bytes("WEBP"))).json()["avatar"]
    assert first != second
    # The old URL stops serving at once; its file goes when the job runs.
    assert (await client.get(_path(first))).status_code == 404
    assert _file_of(data_dir, first).is_file()
    assert "done" in await run_due_jobs()
    assert not _file_of(data_dir, first).exists()
    assert _file_of(data_dir, second).is_file()
    assert (await client.get(_path(second))).status_code == 200
    # Pointing the profile elsewhere drops the uploaded file too.
    await client.put("/api/users/profile", headers=user["headers"],
                     json={"avatar": "https://cdn.example.com/a.png"})
    await run_due_jobs()
    assert not _file_of(data_dir, second).exists()


async def test_another_users_avatar_url_is_never_deleted(client, data_dir):
    owner, other = await _user(client), await _user(client)
    url = (await _upload(client, owner, image_bytes("PNG"))).json()["avatar"]
    # `other` copies the URL into their profile, then replaces it.
    await client.put("/api/users/profile", headers=other["headers"], json={"avatar": url})
    await _upload(client, other, image_bytes("PNG"))
    await run_due_jobs()
    assert _file_of(data_dir, url).is_file()
    assert (await client.get(_path(url))).status_code == 200


async def test_oversized_upload_is_413(make_client):
    client = await make_client(avatar_max_bytes=2048)
    user = await _user(client)
    big = image_bytes("PNG", (4, 4)) + b"\0" * 4096
    response = await _upload(client, user, big)
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    # Over the limit by more than the multipart slack: refused from Content-Length alone.
    response = await _upload(client, user, b"\0" * 64 * 1024)
    assert response.status_code == 413
    assert (await user_row(user["userId"])).avatar_url is None


async def test_too_many_pixels_is_413(make_client):
    client = await make_client(avatar_max_pixels=100)
    user = await _user(client)
    response = await _upload(client, user, image_bytes("PNG", (20, 20)))
    assert response.status_code == 413, response.text
    assert response.json()["error"]["details"]["width"] == 20


@pytest.mark.parametrize("data", [
    b"GIF89a" + b"\0" * 64,  # a GIF: not accepted
    b"%PDF-1.7\n" + b"\0" * 64,
    b"just some text that claims to be a png",
    b"\x89PNG\r\n\x1a\n" + b"\0" * 64,  # a PNG signature followed by garbage
    b"RIFF\x10\0\0\0WEBPVP8 " + b"\0" * 16,  # a broken WebP
])
async def test_anything_but_a_decodable_png_jpeg_or_webp_is_415(client, data):
    user = await _user(client)
    response = await _upload(client, user, data, filename="avatar.png", content_type="image/png")
    assert response.status_code == 415, response.text
    assert response.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert (await user_row(user["userId"])).avatar_url is None


async def test_a_gif_made_by_pillow_is_415(client):
    user = await _user(client)
    response = await _upload(client, user, image_bytes("GIF"), content_type="image/png")
    assert response.status_code == 415


async def test_missing_or_empty_file_is_400(client):
    user = await _user(client)
    response = await client.post("/api/users/avatar", headers=user["headers"],
                                 files={"picture": ("a.png", image_bytes("PNG"), "image/png")})
    assert response.status_code == 400 and response.json()["error"]["details"]["field"] == "avatar"
    response = await _upload(client, user, b"")
    assert response.status_code == 400


async def test_unknown_avatar_paths_are_404(client):
    user = await _user(client)
    url = (await _upload(client, user, image_bytes("PNG"))).json()["avatar"]
    uid, name = _path(url).split("/")[-2:]
    for path in (f"/api/avatars/{uid}/other.png", f"/api/avatars/someone/{name}",
                 f"/api/avatars/{uid}/..%2F..%2Fsecret.png", f"/api/avatars/{uid}/{name[:-3]}gif"):
        assert (await client.get(path)).status_code == 404, path


async def test_avatars_in_s3_redirect_to_a_presigned_link_and_are_erased(make_client, s3_endpoint):
    import boto3

    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="k",
                      aws_secret_access_key="s")
    s3.create_bucket(Bucket="avatars-test")
    client = await make_client(storage_backend="s3", s3_bucket="avatars-test", s3_endpoint_url=s3_endpoint,
                               s3_region="us-east-1", s3_access_key_id="k", s3_secret_access_key="s")
    user = await _user(client)
    url = (await _upload(client, user, image_bytes("WEBP"))).json()["avatar"]
    key = "avatars/" + "/".join(_path(url).split("/")[-2:])
    assert s3.head_object(Bucket="avatars-test", Key=key)["ContentType"] == "image/webp"
    served = await client.get(_path(url))
    assert served.status_code == 307
    location = served.headers["location"]
    assert location.startswith(s3_endpoint) and "X-Amz-Signature" in location
    async with httpx.AsyncClient() as plain:
        fetched = await plain.get(location)
    assert fetched.status_code == 200 and fetched.headers["content-type"] == "image/webp"
    assert Image.open(io.BytesIO(fetched.content)).format == "WEBP"

    deleted = await client.request("DELETE", "/api/users/account", headers=user["headers"],
                                   json={"password": user["password"]})
    assert deleted.status_code == 204
    await run_due_jobs()
    assert s3.list_objects_v2(Bucket="avatars-test").get("KeyCount") == 0
