"""What the administration services take and return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from interviewd.models.session import InterviewSession
from interviewd.models.user import User

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    limit: int

    @property
    def total_pages(self) -> int:
        return (self.total + self.limit - 1) // self.limit if self.total else 0


@dataclass(frozen=True)
class UserFilter:
    search: str | None = None
    role: str | None = None
    status: str | None = None
    sort: str = "created_at"
    descending: bool = True


@dataclass(frozen=True)
class AdminUser:
    user: User
    session_count: int
    sessions_by_kind: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class UserChange:
    """None: unchanged."""

    status: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class SessionFilter:
    kind: str | None = None
    status: str | None = None
    user_uid: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class SessionRow:
    session: InterviewSession
    user: User | None


@dataclass(frozen=True)
class SessionOverview:
    page: Page[SessionRow]
    by_status: dict[str, int]
    by_kind: dict[str, int]


@dataclass(frozen=True)
class DayFigures:
    day: str  # YYYY-MM-DD, UTC
    active_users: int
    sessions: int
    new_users: int


@dataclass(frozen=True)
class CategoryScore:
    category: str
    average_score: float
    evaluations: int


@dataclass(frozen=True)
class PlatformAnalytics:
    since: datetime
    until: datetime
    days: int
    users_by_role: dict[str, int]
    users_by_status: dict[str, int]
    sessions_by_kind: dict[str, int]
    sessions_by_status: dict[str, int]
    questions_total: int
    questions_active: int
    evaluations_total: int
    daily: list[DayFigures]
    category_scores: list[CategoryScore]
