"""Job handlers of the booking e-mails queued by `notifications.booking`."""

from __future__ import annotations
