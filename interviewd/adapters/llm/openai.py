"""Any OpenAI-compatible `/chat/completions` endpoint (OpenAI, Azure's
compatible endpoint, vLLM, Ollama, LiteLLM, llama.cpp server, ...)."""

from __future__ import annotations

import asyncio
import json
import re
import time

import httpx
import structlog

from interviewd.adapters.llm.base import (
    ChatClient,
    ChatResult,
    LLMError,
    LLMHTTPError,
    LLMInvalidResponse,
    LLMTimeout,
)

log = structlog.get_logger(__name__)

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class OpenAIChatClient(ChatClient):
    def __init__(self, *, base_url: str, api_key: str | None, model: str, timeout: float = 20.0,
                 max_retries: int = 2, retry_backoff: float = 0.5, deadline: float = 60.0) -> None:
        if not base_url or not model:
            raise ValueError("an OpenAI-compatible LLM needs a base URL and a model")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.api_key = api_key
        self.model = model
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.retry_backoff = retry_backoff
        self.deadline = deadline
        # Servers that refuse json_schema once are asked for json_object from then on.
        self.json_schema_supported = True

    def _body(self, messages: list[dict], schema_name: str, schema: dict, use_schema: bool) -> dict:
        if use_schema:
            response_format = {"type": "json_schema",
                               "json_schema": {"name": schema_name, "schema": schema, "strict": True}}
        else:
            response_format = {"type": "json_object"}
        return {"model": self.model, "messages": messages, "temperature": 0,
                "response_format": response_format}

    async def complete_json(self, messages: list[dict], *, schema_name: str, schema: dict) -> ChatResult:
        """POST the chat, retrying 429, 5xx, timeouts and connection errors with
        exponential backoff (or the server's Retry-After), all within `deadline`
        seconds. A 400 to json_schema is retried once as json_object."""
        give_up_at = time.monotonic() + self.deadline
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        attempt = 0
        use_schema = self.json_schema_supported
        downgraded = False
        async with httpx.AsyncClient() as client:
            while True:
                remaining = give_up_at - time.monotonic()
                if remaining <= 0:
                    raise LLMTimeout(f"no answer within {self.deadline} s")
                error: LLMError
                retry_after: float | None = None
                try:
                    response = await client.post(self.url, headers=headers,
                                                 json=self._body(messages, schema_name, schema, use_schema),
                                                 timeout=min(self.timeout, remaining))
                except httpx.TimeoutException:
                    error = LLMTimeout(f"no answer within {min(self.timeout, remaining):.1f} s")
                except httpx.HTTPError as exc:
                    error = LLMHTTPError(f"{type(exc).__name__}: {exc}")
                else:
                    status = response.status_code
                    if status == 400 and use_schema and not downgraded:
                        log.info("llm.json_schema_refused", model=self.model, body=response.text[:200])
                        use_schema, downgraded = False, True
                        self.json_schema_supported = False
                        continue
                    if status < 400:
                        return self._parse(response, attempt + 1, use_schema)
                    error = LLMHTTPError(f"HTTP {status}: {response.text[:200]}", status=status)
                    if status != 429 and status < 500:
                        raise error
                    retry_after = _retry_after(response.headers.get("Retry-After"))
                if attempt >= self.max_retries:
                    raise error
                delay = retry_after if retry_after is not None else self.retry_backoff * (2 ** attempt)
                if delay >= give_up_at - time.monotonic():
                    raise error
                log.info("llm.retry", model=self.model, attempt=attempt + 1, reason=error.reason,
                         delay=round(delay, 3))
                await asyncio.sleep(delay)
                attempt += 1

    def _parse(self, response: httpx.Response, attempts: int, use_schema: bool) -> ChatResult:
        try:
            body = response.json()
            content = body["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMInvalidResponse(f"not a chat completion: {response.text[:200]}") from exc
        if not isinstance(content, str):
            raise LLMInvalidResponse("the completion has no text content")
        fenced = _FENCE.match(content)
        if fenced:
            content = fenced.group(1)
        try:
            data = json.loads(content)
        except ValueError as exc:
            raise LLMInvalidResponse(f"the completion is not JSON: {content[:200]!r}") from exc
        if not isinstance(data, dict):
            raise LLMInvalidResponse("the completion is JSON but not an object")
        model = body.get("model") if isinstance(body.get("model"), str) and body.get("model") else self.model
        return ChatResult(data=data, model=model, attempts=attempts,
                          response_format="json_schema" if use_schema else "json_object")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff
