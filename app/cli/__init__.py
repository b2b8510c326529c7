"""The `jobmatrix` command line. Each submodule registers its own commands on `cli`."""

import typer

cli = typer.Typer(
    name="jobmatrix",
    help="JobMatrix: the bot backend of a district public-employment relay on WeCom.",
    no_args_is_help=True,
    add_completion=False,
)


def main() -> None:
    """Entry point of the console script."""
    cli()


# Command modules register themselves on import.
from app.cli import (  # noqa: E402,F401
    demo,
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
