"""The public user profile of contract 000: the profile a signed-in user (often
through an external identity provider) creates or updates, favourite mentors,
and the dashboard analytics over every kind of session."""
