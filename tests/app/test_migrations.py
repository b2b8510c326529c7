"""Every schema change is a migration: the migrated database matches the models exactly (on
SQLite and on PostgreSQL, whichever the run uses)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.db import Base


def test_migrated_schema_equals_the_models(engine):
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
