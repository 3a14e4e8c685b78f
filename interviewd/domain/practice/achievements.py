"""The achievement catalogue and its unlock rules (docs/practice.md).

Rules are evaluated over all of a user's completed practice sessions, so an
achievement missed once (or earned before a rule existed) is unlocked at the
next evaluation. Each unlock is one row guarded by the unique constraint on
(user_id, code): however many requests race, it is inserted exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.practice import progress as progress_rules
from interviewd.domain.practice.repository import achievement_repository, practice_session_repository
from interviewd.domain.practice.scoring import PACE_MAX, PACE_MIN


@dataclass
class Progress:
    """What the rules look at."""

    sessions_completed: int = 0
    best_streak: int = 0
    best_score: float | None = None
    domains: set[str] = field(default_factory=set)
    metrics: list[dict] = field(default_factory=list)

    def any_metric(self, test: Callable[[dict], bool]) -> bool:
        return any(test(m) for m in self.metrics)


@dataclass(frozen=True)
class AchievementRule:
    code: str
    title: str
    description: str
    xp: int
    unlocked: Callable[[Progress], bool]


def _at_least(key: str, value: float) -> Callable[[dict], bool]:
    return lambda m: m.get(key) is not None and m[key] >= value


CATALOGUE: tuple[AchievementRule, ...] = (
    AchievementRule("FIRST_SESSION", "First Steps", "Complete your first practice session", 50,
                    lambda p: p.sessions_completed >= 1),
    AchievementRule("FIVE_SESSIONS", "Warming Up", "Complete 5 practice sessions", 100,
                    lambda p: p.sessions_completed >= 5),
    AchievementRule("TEN_SESSIONS", "Dedicated", "Complete 10 practice sessions", 200,
                    lambda p: p.sessions_completed >= 10),
    AchievementRule("TWENTY_FIVE_SESSIONS", "Practice Makes Perfect", "Complete 25 practice sessions", 500,
                    lambda p: p.sessions_completed >= 25),
    AchievementRule("STREAK_3", "On a Roll", "Practise 3 days in a row", 75,
                    lambda p: p.best_streak >= 3),
    AchievementRule("STREAK_7", "Week Warrior", "Practise 7 days in a row", 200,
                    lambda p: p.best_streak >= 7),
    AchievementRule("STREAK_30", "Unstoppable", "Practise 30 days in a row", 1000,
                    lambda p: p.best_streak >= 30),
    AchievementRule("HIGH_SCORE", "High Achiever", "Score 90 or more in a session", 150,
                    lambda p: p.best_score is not None and p.best_score >= 90),
    AchievementRule("PERFECT_SCORE", "Flawless", "Score 100 in a session", 300,
                    lambda p: p.best_score is not None and p.best_score >= 100),
    AchievementRule("EYE_CONTACT_PRO", "Eye Contact Pro", "Reach an eye contact score of 90 or more", 100,
                    lambda p: p.any_metric(_at_least("eyeContactScore", 90))),
    AchievementRule("POSTURE_PRO", "Straight Up", "Reach a posture score of 90 or more", 100,
                    lambda p: p.any_metric(_at_least("postureScore", 90))),
    AchievementRule("SMOOTH_TALKER", "Smooth Talker", "Keep filler words at or below 2% in a session", 100,
                    lambda p: p.any_metric(lambda m: m.get("fillerWordFrequency") is not None
                                           and m["fillerWordFrequency"] <= 0.02)),
    AchievementRule("PERFECT_PACE", "Perfect Pace",
                    f"Speak at {PACE_MIN}-{PACE_MAX} words per minute in a session", 75,
                    lambda p: p.any_metric(lambda m: m.get("speechPaceWpm") is not None
                                           and PACE_MIN <= m["speechPaceWpm"] <= PACE_MAX)),
    AchievementRule("EXPLORER", "Explorer", "Complete sessions in 3 different domains", 150,
                    lambda p: len(p.domains) >= 3),
)
BY_CODE = {rule.code: rule for rule in CATALOGUE}


def earned(progress: Progress) -> list[AchievementRule]:
    return [rule for rule in CATALOGUE if rule.unlocked(progress)]


async def unlock(session: AsyncSession, *, user_id: int, progress: Progress, now: datetime) -> list[str]:
    """Insert the achievements `progress` earns that the user lacks, in
    catalogue order (a fixed order, so that racing transactions wait on each
    other's rows instead of deadlocking). Returns the codes this call unlocked."""
    have = {a.code for a in await achievement_repository.for_user(session, user_id)}
    new = []
    for rule in earned(progress):
        if rule.code not in have and await achievement_repository.insert_once(
                session, user_id=user_id, code=rule.code, at=now):
            new.append(rule.code)
    return new


def progress_of(rows: list, *, best_streak: int) -> Progress:
    """Progress over completed rows (session, details, domain, user uid)."""
    scores = [s.overall_score for s, *_ in rows if s.overall_score is not None]
    return Progress(
        sessions_completed=len(rows), best_streak=best_streak, best_score=max(scores, default=None),
        domains={domain.slug for _s, _d, domain, _u in rows},
        metrics=[details.metrics or {} for _s, details, *_ in rows],
    )


async def unlock_for(session: AsyncSession, *, user_id: int, now: datetime) -> list[str]:
    """Evaluate the catalogue for a user, streaks counted in the user's own
    time zone (a dashboard's `timezone` override changes the view, not what
    was earned)."""
    rows = await practice_session_repository.completed_for_user(session, user_id)
    if not rows:
        return []
    user = await practice_session_repository.user(session, user_id)
    tz = progress_rules.zone((user.preferences or {}).get("timezone"))
    _current, best = progress_rules.streaks([s.completed_at for s, *_ in rows], tz, now=now)
    return await unlock(session, user_id=user_id, progress=progress_of(rows, best_streak=best), now=now)
