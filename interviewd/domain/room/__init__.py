"""Video rooms of mentor bookings (000): created through the video port,
followed through the providers' webhooks."""
