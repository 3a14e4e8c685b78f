"""What happens in an AI session, for whoever listens (a WebSocket hub, say).

Events leave only on commit, like jobs and e-mails: a rolled-back answer is
never announced. With no listener subscribed, emitting costs nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.db import on_commit

log = structlog.get_logger(__name__)

AI_INTERVIEWER = "ai_interviewer"

# (event type, session uid, data) in 003's WebSocket vocabulary:
# question_presented, answer_evaluated, session_completed (on commit) and
# typing_indicator (transient: publish_now, publish_on_commit).
Listener = Callable[[str, str, dict], Awaitable[None]]

_listeners: list[Listener] = []
# Listeners that also take transient events (typing_indicator); the others
# hear only what was committed.
_transient: list[Listener] = []


def subscribe(listener: Listener, *, transient: bool = False) -> None:
    if listener not in _listeners:
        _listeners.append(listener)
    if transient and listener not in _transient:
        _transient.append(listener)


def unsubscribe(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)
    if listener in _transient:
        _transient.remove(listener)


def emit(session: AsyncSession, event_type: str, session_uid: str, data: dict) -> None:
    if not _listeners:
        return

    async def deliver() -> None:
        for listener in list(_listeners):
            try:
                await listener(event_type, session_uid, data)
            except Exception:  # one failing listener must not starve the others
                log.exception("interview_event_listener_failed", event_type=event_type)

    on_commit(session, deliver)


async def publish_now(event_type: str, session_uid: str, data: dict) -> None:
    """A transient event, delivered at once rather than on commit: it announces
    work in progress (typing_indicator), not a result."""
    for listener in list(_transient):
        try:
            await listener(event_type, session_uid, data)
        except Exception:
            log.exception("interview_event_listener_failed", event_type=event_type)


def publish_on_commit(session: AsyncSession, event_type: str, session_uid: str, data: dict) -> None:
    """A transient event that must follow the events of this transaction."""
    if not _transient:
        return

    async def deliver() -> None:
        await publish_now(event_type, session_uid, data)

    on_commit(session, deliver)
