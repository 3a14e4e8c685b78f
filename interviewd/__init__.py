"""interviewd: one backend for interview platforms."""

__version__ = "0.1.0"
