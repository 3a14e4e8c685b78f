"""Every ORM model, imported here so that one metadata knows them all."""

from interviewd.models.auth import PasswordResetToken, RefreshToken
from interviewd.models.base import Base
from interviewd.models.job import Job, JobStatus
from interviewd.models.user import Role, User, UserStatus

__all__ = [
    "Base", "Job", "JobStatus", "PasswordResetToken", "RefreshToken", "Role", "User",
    "UserStatus",
]
