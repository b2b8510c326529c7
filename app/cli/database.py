"""What every command that touches the database does first: settings, migrations, data cipher."""

from __future__ import annotations

from sqlalchemy import Engine

from app.settings import Settings


def open_database(database_url: str | None = None) -> tuple[Settings, Engine]:
    """Read the settings (one clear line and exit 2 on a bad value), bring the database to the
    latest migration, install the data cipher, and return an engine on it."""
    from app import migrate, privacy
    from app.cli.server import settings_or_exit
    from app.db import make_engine

    settings = settings_or_exit(**({"JOBMATRIX_DATABASE_URL": database_url} if database_url else {}))
    migrate.upgrade(settings.database_url)
    privacy.install_cipher(privacy.cipher_from_settings(settings.data_key))
    return settings, make_engine(settings.database_url)
