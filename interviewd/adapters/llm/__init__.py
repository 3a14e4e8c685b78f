"""The LLM port: nothing (the built-in evaluator answers) or any
OpenAI-compatible chat completions API."""

from __future__ import annotations

from interviewd.adapters.llm.base import (
    ChatClient,
    ChatResult,
    LLMError,
    LLMHTTPError,
    LLMInvalidResponse,
    LLMTimeout,
)
from interviewd.config import Settings

__all__ = ["ChatClient", "ChatResult", "LLMError", "LLMHTTPError", "LLMInvalidResponse", "LLMTimeout",
           "create_llm"]


def create_llm(settings: Settings) -> ChatClient | None:
    """The configured chat client, or None for the built-in backend."""
    if settings.llm_backend != "openai":
        return None
    from interviewd.adapters.llm.openai import OpenAIChatClient

    return OpenAIChatClient(
        base_url=settings.llm_base_url or "",
        api_key=settings.llm_api_key,
        model=settings.llm_model or "",
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        retry_backoff=settings.llm_retry_backoff,
        deadline=settings.llm_deadline,
    )
