"""The audit log: one row per administrative write, written in the writer's transaction."""
