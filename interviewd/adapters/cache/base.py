from __future__ import annotations

from abc import ABC, abstractmethod


class Cache(ABC):
    name: str

    @abstractmethod
    async def set(self, key: str, value: str, *, ttl: int) -> None:
        """Store `value` under `key` for `ttl` seconds."""

    @abstractmethod
    async def get(self, key: str) -> str | None:
        """The value, or None when absent or expired."""

    @abstractmethod
    async def ping(self) -> bool:
        """True when the backing store answers."""

    @abstractmethod
    def rate_limit_storage_uri(self) -> str:
        """The `limits` storage URI that shares counters the same way."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        return None
