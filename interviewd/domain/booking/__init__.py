"""Mentor bookings (000): booking a mentor's time without overlaps, the
booking's state machine, ratings, and the caller's list of sessions."""
