"""`jobmatrix backup FILE` and `jobmatrix restore FILE` (docs/operations.md, Backup and restore)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.cli import cli


@contextmanager
def _progress(label: str):
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), transient=False) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _keys(data_key: str, key_file: str) -> list[str]:
    from app.privacy import parse_keys

    keys = parse_keys(data_key)
    if not keys and Path(key_file).exists():
        keys = parse_keys(Path(key_file).read_text())
    return keys


@cli.command("backup")
def backup_command(
    out: Path = typer.Argument(..., help="The backup file to write (its manifest goes beside it)."),
    key_file: str = typer.Option("var/data.key", help="The embedded setup's key file, when JOBMATRIX_DATA_KEY is empty."),
) -> None:
    """Back up the database (SQLite online copy or pg_dump). The data key is NOT written: keep it apart."""
    from app.cli.server import settings_or_exit
    from app.ops.backup import BackupError, backup

    settings = settings_or_exit()
    try:
        with _progress("backing up") as progress:
            manifest = backup(database_url=settings.database_url, keys=_keys(settings.data_key, key_file), out=out,
                              progress=progress)
    except (BackupError, OSError) as error:
        typer.echo(f"backup failed: {error}", err=True)
        raise typer.Exit(1) from None
    size = out.stat().st_size / 1e6
    typer.echo(f"backup written: {out} ({size:.1f} MB, {manifest.format}, migration {manifest.migration}) and "
               f"{out.name}.manifest.json")
    typer.echo("the data key is NOT in the backup: keep JOBMATRIX_DATA_KEY (or var/data.key) in a separate safe place; "
               "without it the residents' data in this backup cannot be read")


@cli.command("restore")
def restore_command(
    backup_file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A file written by `jobmatrix backup`."),
    data_key: str = typer.Option("", envvar="JOBMATRIX_DATA_KEY", help="The key(s) the backup was made with."),
    key_file: str = typer.Option("var/data.key", help="Read the key from this file when --data-key is empty."),
    force: bool = typer.Option(False, help="Replace a database that is not empty (stop the services first)."),
) -> None:
    """Restore a backup into JOBMATRIX_DATABASE_URL, after checking that the given key decrypts it."""
    from app.cli.server import settings_or_exit
    from app.db import make_engine
    from app.ops.backup import BackupError, restore, unreadable_values

    keys = _keys(data_key, key_file)
    # The key restoring checks is the deployment's key too (PostgreSQL refuses to start without one).
    settings = settings_or_exit(**({"JOBMATRIX_DATA_KEY": ",".join(keys)} if keys else {}))
    try:
        with _progress("restoring") as progress:
            manifest = restore(backup_file=backup_file, database_url=settings.database_url, keys=keys, force=force,
                               progress=progress)
    except (BackupError, OSError) as error:
        typer.echo(f"restore failed: {error}", err=True)
        raise typer.Exit(1) from None
    bad, sampled = unreadable_values(make_engine(settings.database_url), keys)
    if bad:
        typer.echo(f"restored, but {bad} of {sampled} sampled values do not decrypt with the given key(s): add the "
                   "older keys after the newest in JOBMATRIX_DATA_KEY", err=True)
        raise typer.Exit(1)
    typer.echo(f"restored {backup_file} (migration {manifest.migration}); {sampled} sampled encrypted values decrypt. "
               "Run `jobmatrix migrate` if this code is newer, then start the services.")
