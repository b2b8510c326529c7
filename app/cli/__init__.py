"""The `jobmatrix` command line. Each submodule registers its own commands on `cli`."""

import typer

cli = typer.Typer(
    name="jobmatrix",
    help="JobMatrix: the bot backend of a district public-employment relay on WeCom.",
    no_args_is_help=True,
    add_completion=False,
)


def version() -> str:
    """The installed package's version (pyproject.toml), the same the web app reports."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("jobmatrix")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"jobmatrix {version()}")
        raise typer.Exit()


@cli.callback()
def _root(show_version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                            help="Print the version and exit.")) -> None:
    """JobMatrix: the bot backend of a district public-employment relay on WeCom."""


def main() -> None:
    """Entry point of the console script."""
    cli()


# Command modules register themselves on import.
from app.cli import (  # noqa: E402,F401
    backup,
    demo,
    doctor,
    emulator,
    keys,
    org,
    parse,
    qr,
    relay,
    server,
    simulate,
    vetting,
)
