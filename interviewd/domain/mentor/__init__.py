"""Mentors (000): profiles, weekly availability, search and free slots."""
