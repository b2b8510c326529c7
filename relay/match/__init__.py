"""Matching jobs and seekers with reasons (docs/matching.md); the public API is relay.matching."""
