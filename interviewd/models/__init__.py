"""Every ORM model, imported here so that one metadata knows them all."""

from interviewd.models.ai import (
    AiAnswer,
    AiSessionDetails,
    AiSessionQuestion,
    AnalysisResult,
    FeedbackReport,
)
from interviewd.models.audit import AuditEntry
from interviewd.models.auth import PasswordResetToken, RefreshToken
from interviewd.models.base import Base
from interviewd.models.identity import ExternalIdentity
from interviewd.models.job import Job, JobStatus
from interviewd.models.mentor import (
    AvailabilityException,
    AvailabilityRule,
    BookingDetails,
    BookingHold,
    FavoriteMentor,
    Mentor,
    Review,
    VideoRoom,
)
from interviewd.models.practice import Achievement, PracticeDetails, PracticeDomain, Recording
from interviewd.models.question import CodingChallenge, Question
from interviewd.models.session import InterviewSession, SessionKind
from interviewd.models.user import Role, User, UserStatus

__all__ = [
    "AiAnswer", "AiSessionDetails", "AiSessionQuestion", "AnalysisResult", "FeedbackReport",
    "Achievement", "Base", "ExternalIdentity", "CodingChallenge", "InterviewSession", "Job", "JobStatus",
    "PasswordResetToken", "PracticeDetails", "PracticeDomain", "Question", "Recording",
    "RefreshToken", "Role", "SessionKind", "User", "UserStatus",
    "AuditEntry", "AvailabilityException", "AvailabilityRule", "BookingDetails", "BookingHold",
    "FavoriteMentor", "Mentor", "Review", "VideoRoom",
]
