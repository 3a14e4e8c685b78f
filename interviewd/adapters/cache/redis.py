from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import RedisError

from interviewd.adapters.cache.base import Cache

PREFIX = "interviewd:"


class RedisCache(Cache):
    name = "redis"

    def __init__(self, url: str) -> None:
        self.url = url
        self._client = Redis.from_url(url, decode_responses=True)

    async def set(self, key: str, value: str, *, ttl: int) -> None:
        await self._client.set(PREFIX + key, value, ex=max(ttl, 1))

    async def get(self, key: str) -> str | None:
        return await self._client.get(PREFIX + key)

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except (RedisError, OSError):
            return False

    def rate_limit_storage_uri(self) -> str:
        return "async+" + self.url

    async def close(self) -> None:
        await self._client.aclose()
