"""Content written for interviewd and loaded by `interviewd seed`: the
question bank (questions/*.json) and coding challenges (challenges/*.json)."""
