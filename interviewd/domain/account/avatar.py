"""Avatars: uploaded images checked by their content, re-encoded without
their metadata, kept through the storage port and served at a public URL.

The type is read from the file's first bytes (PNG, JPEG or WebP), never from
its name or Content-Type, and Pillow must then decode it as that type.
Re-encoding drops EXIF and other metadata (a phone photo carries where it was
taken), applies the EXIF orientation and scales the image down to
AVATAR_MAX_DIMENSION. Each upload gets a new object name, so its URL can be
cached for good; the previous file is deleted once the new one is committed.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.account.files import queue_deletion
from interviewd.domain.recordings.service import FileAnswer, PayloadTooLarge, UnsupportedMediaType, storage
from interviewd.domain.users.service import user_service
from interviewd.errors import NotFound, ValidationFailed
from interviewd.kit.ids import new_uid
from interviewd.kit.principal import Principal
from interviewd.models.user import User

log = structlog.get_logger(__name__)

URL_PATH = "/api/avatars"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\.(png|jpg|webp)$")
_OWNER = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_PATH = re.compile(r"/api/avatars/([A-Za-z0-9_-]{1,32})/([A-Za-z0-9][A-Za-z0-9_-]{0,63}\.(?:png|jpg|webp))$")
HEAD_BYTES = 16


@dataclass(frozen=True)
class ImageType:
    pillow: str  # Pillow's format name
    content_type: str
    extension: str


PNG = ImageType("PNG", "image/png", "png")
JPEG = ImageType("JPEG", "image/jpeg", "jpg")
WEBP = ImageType("WEBP", "image/webp", "webp")
_BY_EXTENSION = {t.extension: t for t in (PNG, JPEG, WEBP)}


def sniff_image(head: bytes) -> ImageType | None:
    """PNG, JPEG or WebP by their signatures; None for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if len(head) >= 12 and head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    return None


class _TooManyPixels(Exception):
    def __init__(self, width: int, height: int) -> None:
        super().__init__(f"{width}x{height}")
        self.width, self.height = width, height


class _Undecodable(Exception):
    pass


def _reencode(data: bytes, kind: ImageType, *, max_pixels: int, max_dimension: int) -> bytes:
    """Decode as `kind` only, then write a clean copy of the same type."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=[kind.pillow]) as img:
            width, height = img.size
            if width * height > max_pixels:
                raise _TooManyPixels(width, height)
            img.load()
            image = ImageOps.exif_transpose(img)
            icc = img.info.get("icc_profile")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise _Undecodable(str(exc)) from exc
    image.thumbnail((max_dimension, max_dimension), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if kind is JPEG:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True, **extra)
    elif kind is PNG:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True, **extra)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "WEBP", quality=90, **extra)
    return out.getvalue()


def _file_size(file: BinaryIO) -> int:
    position = file.tell()
    size = file.seek(0, os.SEEK_END)
    file.seek(position)
    return size - position


def avatar_url(user_uid: str, name: str) -> str:
    base = runtime.current().settings.public_base_url.rstrip("/")
    return f"{base}{URL_PATH}/{user_uid}/{name}"


def owned_key(user: User, url: str | None) -> str | None:
    """The storage key behind `url` when it is an avatar this user uploaded.
    A URL naming another user's avatar is never theirs to delete."""
    if not url:
        return None
    match = _PATH.search(urlsplit(url).path)
    if match is None or match.group(1) != user.uid:
        return None
    return f"avatars/{match.group(1)}/{match.group(2)}"


class AvatarService:
    async def upload(self, session: AsyncSession, principal: Principal, *, file: BinaryIO) -> User:
        """Store a new avatar for the caller and point `avatar_url` at it.

        Larger than AVATAR_MAX_BYTES (or declaring more than AVATAR_MAX_PIXELS)
        is 413; not a PNG, JPEG or WebP that decodes is 415."""
        settings = runtime.current().settings
        size = _file_size(file)
        if size > settings.avatar_max_bytes:
            raise PayloadTooLarge(f"Avatar is larger than the limit of {settings.avatar_max_bytes} bytes",
                                  field="avatar", details={"limit": settings.avatar_max_bytes, "size": size})
        if size == 0:
            raise ValidationFailed("The uploaded file is empty", field="avatar")
        data = file.read(settings.avatar_max_bytes + 1)
        kind = sniff_image(data[:HEAD_BYTES])
        if kind is None:
            raise UnsupportedMediaType("Unsupported image type: expected PNG, JPEG or WebP", field="avatar")
        try:
            clean = await asyncio.to_thread(_reencode, data, kind, max_pixels=settings.avatar_max_pixels,
                                            max_dimension=settings.avatar_max_dimension)
        except _TooManyPixels as exc:
            raise PayloadTooLarge(
                f"Image is {exc.width}x{exc.height}; "
                f"at most {settings.avatar_max_pixels} pixels are accepted",
                field="avatar", details={"width": exc.width, "height": exc.height,
                                         "limit": settings.avatar_max_pixels},
            ) from None
        except _Undecodable:
            raise UnsupportedMediaType(f"The file is not a valid {kind.pillow} image",
                                       field="avatar") from None
        user = principal.user
        name = f"{new_uid()}.{kind.extension}"
        key = f"avatars/{user.uid}/{name}"
        await storage().put(key, clean, kind.content_type)
        previous = owned_key(user, user.avatar_url)
        try:
            user.avatar_url = avatar_url(user.uid, name)
            await session.flush()
            if previous and previous != key:
                await queue_deletion(session, [previous])
        except BaseException:
            await storage().delete(key)
            raise
        log.info("avatar_stored", user=user.uid, size=len(clean), content_type=kind.content_type)
        return user

    async def replaced(self, session: AsyncSession, user: User, *, old_url: str | None) -> None:
        """The avatar URL changed from `old_url`: delete that file if it was an upload."""
        old = owned_key(user, old_url)
        if old and old != owned_key(user, user.avatar_url):
            await queue_deletion(session, [old])

    async def resolve(self, session: AsyncSession, *, user_uid: str, name: str) -> FileAnswer:
        """What GET /api/avatars/{userId}/{name} serves: the user's current
        avatar only; a replaced or erased one is 404 at once."""
        if not _OWNER.match(user_uid) or not _NAME.match(name):
            raise NotFound("File not found")
        key = f"avatars/{user_uid}/{name}"
        user = await user_service.find_by_uid(session, uid=user_uid)
        if user is None or owned_key(user, user.avatar_url) != key:
            raise NotFound("File not found")
        kind = _BY_EXTENSION[name.rsplit(".", 1)[1]]
        store = storage()
        path = store.local_path(key)
        if path is not None:
            return FileAnswer(content_type=kind.content_type, filename=name, path=path)
        url = await store.presigned_url(key, expires_in=runtime.current().settings.signed_url_ttl,
                                        content_type=kind.content_type, filename=name)
        if url is None:
            raise NotFound("File not found")
        return FileAnswer(content_type=kind.content_type, filename=name, redirect_url=url)


avatar_service = AvatarService()
