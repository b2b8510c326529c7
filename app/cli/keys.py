"""`jobmatrix rotate-keys`: re-encrypt every stored value under the newest data key."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from app.cli import cli


@cli.command("rotate-keys")
def rotate_keys_command(
    database_url: str = typer.Option("", "--database-url", help="Default: JOBMATRIX_DATABASE_URL."),
    batch: int = typer.Option(500, min=1, help="Rows per committed batch."),
) -> None:
    """Re-encrypt every row with the first key of JOBMATRIX_DATA_KEY; safe to stop and run again.

    Put the new key first and keep the old ones after it; once this finishes, the old keys can be
    removed from JOBMATRIX_DATA_KEY (see docs/operations.md).
    """
    from app.cli.database import open_database
    from app.privacy import parse_keys
    from app.rotation import count_rows, rotate_all

    settings, engine = open_database(database_url or None)
    keys = parse_keys(settings.data_key)
    if not keys:
        typer.echo("JOBMATRIX_DATA_KEY is empty: put the new key first and the old ones after it", err=True)
        raise typer.Exit(2)
    console = Console()
    total = count_rows(engine)
    columns = (TextColumn("re-encrypting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("rows", total=total)
            report = rotate_all(engine=engine, keys=keys, batch=batch, progress=lambda rows: bar.advance(task, rows))
    finally:
        engine.dispose()
    for table, n in sorted(report.per_table.items()):
        console.print(f"  {table}: {n} value(s) re-encrypted", markup=False)
    console.print(f"{report.rotated} value(s) re-encrypted, {report.current} already under the newest key; "
                  f"{len(keys) - 1} older key(s) can now be removed from JOBMATRIX_DATA_KEY", markup=False)
