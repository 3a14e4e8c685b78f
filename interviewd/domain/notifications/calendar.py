"""The iCalendar (RFC 5545/5546) part of the booking e-mails, built with the
`icalendar` library."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from icalendar import Calendar, Event, vCalAddress, vText

from interviewd.adapters.email.base import Attachment
from interviewd.kit.clock import as_utc, utcnow

PRODID = "-//interviewd//mentor bookings//EN"


@dataclass(frozen=True)
class CalendarPerson:
    email: str
    name: str


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    link: str | None
    organizer: CalendarPerson
    attendees: list[CalendarPerson]


def booking_uid(session_uid: str) -> str:
    """One UID for a booking's whole life: its invitation, updates and cancel
    all name the same calendar event."""
    return f"booking-{session_uid}@interviewd"


def organizer_from(sender: str) -> CalendarPerson:
    """The product sends the invitations, so it organizes the event."""
    name, address = parseaddr(sender)
    return CalendarPerson(email=address or sender, name=name or "interviewd")


def _address(person: CalendarPerson, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.name or person.email)
    for key, value in params.items():
        address.params[key] = value
    return address


def build_ics(event: CalendarEvent, *, method: str) -> bytes:
    """METHOD:REQUEST (a new or moved booking) or METHOD:CANCEL; times in UTC."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", utcnow().replace(microsecond=0))
    vevent.add("dtstart", as_utc(event.starts_at).replace(microsecond=0))
    vevent.add("dtend", as_utc(event.ends_at).replace(microsecond=0))
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.link:
        vevent.add("location", event.link)
        vevent.add("url", event.link)
    vevent.add("organizer", _address(event.organizer))
    for person in event.attendees:
        # RSVP=FALSE: replies would go to a no-reply organizer; the booking
        # itself is the answer.
        vevent.add("attendee", _address(person, role="REQ-PARTICIPANT", partstat="ACCEPTED",
                                        rsvp="FALSE"), encode=0)
    vevent.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    cal.add_component(vevent)
    return cal.to_ical()


def ics_attachment(event: CalendarEvent, *, method: str) -> Attachment:
    name = "cancel.ics" if method == "CANCEL" else "invite.ics"
    return Attachment(
        filename=name,
        content_type=f"text/calendar; method={method}; charset=utf-8",
        content_b64=base64.b64encode(build_ics(event, method=method)).decode("ascii"),
    )
