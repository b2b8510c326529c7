"""Alembic migrations; every schema change is one revision that runs on SQLite and PostgreSQL."""
