"""The LLM port: a chat model that answers with one JSON object."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass


class LLMError(Exception):
    """The model gave no usable answer; `reason` is a short machine word."""

    reason = "error"


class LLMTimeout(LLMError):
    reason = "timeout"


class LLMHTTPError(LLMError):
    reason = "http_error"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class LLMInvalidResponse(LLMError):
    """The answer arrived but is not a JSON object where one was asked for."""

    reason = "invalid_json"


@dataclass(frozen=True)
class ChatResult:
    data: dict
    model: str  # the model that answered, as the server names it
    attempts: int
    response_format: str  # "json_schema" or "json_object"


class ChatClient(ABC):
    model: str

    @abstractmethod
    async def complete_json(self, messages: list[dict], *, schema_name: str, schema: dict) -> ChatResult:
        """Ask for one JSON object matching `schema`; raise LLMError when none comes."""
