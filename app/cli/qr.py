"""`jobmatrix qr export`: printable join posters, one per village (docs/join.md)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from app.cli import cli
from app.cli.org import _progress_bar

qr_app = typer.Typer(help="Village join posters with the Official Account's QR code.", no_args_is_help=True)
cli.add_typer(qr_app, name="qr")


@qr_app.command("export")
def export_command(
    township: str | None = typer.Option(None, "--township", help="Only this township's villages (its code)."),
    out: Path = typer.Option(Path("posters"), "--out", help="Folder for the PNGs and the PDF."),
    database_url: str | None = typer.Option(None, "--database-url", help="Default: JOBMATRIX_DATABASE_URL."),
) -> None:
    """Write one poster PNG per village and one PDF of the batch."""
    from app.cli.database import open_database
    from app.db import make_session_factory
    from app.joins.export import ExportError, export_posters
    from app.outbound.clients import mp_client

    settings, engine = open_database(database_url)
    if not (settings.mp_app_id and settings.mp_app_secret):
        typer.echo("MP_APP_ID and MP_APP_SECRET are needed: the posters carry the Official Account's QR code", err=True)
        raise typer.Exit(2)
    console = Console()
    factory = make_session_factory(engine)
    try:
        with factory() as session, mp_client(settings, factory) as mp, _progress_bar(console) as bar:
            task = bar.add_task("posters", total=None)
            report = export_posters(
                session=session, mp=mp, out_dir=out, township_code=township,
                progress=lambda done, total, code: bar.update(task, completed=done, total=total, description=code),
            )
    except ExportError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    for code, why in report.failures:
        console.print(f"not exported: {code}: {why}", style="red", markup=False)
    console.print(f"{len(report.pngs)} posters in {out}/ ({report.pdf.name if report.pdf else 'no PDF'}) "
                  f"in {report.seconds:.1f} s", markup=False)
    if report.failures:
        raise typer.Exit(1)

