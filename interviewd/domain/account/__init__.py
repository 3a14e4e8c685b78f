"""The candidate's own account (003, 004): profile, preferences, figures over
their sessions, avatar, and erasure of everything the account holds."""
