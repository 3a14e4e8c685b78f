"""The storage port: put, read and delete opaque objects by key."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


class InvalidKey(ValueError):
    pass


class ObjectNotFound(LookupError):
    pass


def clean_key(key: str) -> str:
    """A key is slash-separated segments of letters, digits, '.', '_' and '-',
    none starting with a dot: nothing in it can climb out of the store's root."""
    segments = key.split("/")
    if not key or len(key) > 500 or not all(_SEGMENT.match(s) for s in segments):
        raise InvalidKey(f"invalid storage key: {key!r}")
    return key


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    content_type: str


class Storage(ABC):
    """Objects are written once and read many times. Methods are async; the
    adapters move blocking I/O to threads."""

    name: str

    @abstractmethod
    async def put(self, key: str, data: bytes | BinaryIO, content_type: str) -> StoredObject:
        """Store `data` (bytes, or a binary file read in chunks from its current position)."""

    @abstractmethod
    async def get(self, key: str) -> bytes:
        """The whole object; raises ObjectNotFound."""

    @abstractmethod
    async def open(self, key: str) -> BinaryIO:
        """A readable binary stream of the object; the caller closes it."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""

    @abstractmethod
    async def exists(self, key: str) -> bool: ...

    def local_path(self, key: str) -> Path | None:
        """A file on this machine holding the object, when there is one."""
        return None

    async def presigned_url(self, key: str, *, expires_in: int, content_type: str | None = None,
                            filename: str | None = None) -> str | None:
        """A URL the store itself serves for a while, when it can make one."""
        return None
