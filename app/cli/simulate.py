"""`jobmatrix simulate`: fill a database with an invented district's past days, played through the
real webhook, relay and emulator on an accelerated clock (app/simulate/, docs/simulate.md)."""

from __future__ import annotations

import random
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import typer

from app.cli import cli

SEED = 1  # the default seed: the same district and the same period every time


def build_org(org_file: Path | None, villages: int | None, employers: int, seed: int) -> dict:
    from app.demo.environment import EXAMPLE_ORG
    from app.simulate import population

    rng = random.Random(seed)
    if villages:
        return population.invented_district(villages, rng)
    return population.example_org_with_employers(org_file or EXAMPLE_ORG, employers, rng)


def simulate_into(env, org: dict, *, days: int, seed: int, step_minutes: int = 15, echo=typer.echo):
    """Play `days` simulated days into the started environment `env`, with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from app.simulate.driver import Simulation

    simulation = Simulation(env, org, days=days, seed=seed, step_minutes=step_minutes)
    started = time.monotonic()
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[status]}"), TimeElapsedColumn()) as progress:
        task = progress.add_task("simulating days", total=days, status="")

        def on_day(day, tally) -> None:
            progress.update(task, advance=1, status=(
                f"{day}  scans {tally.scans} notes {tally.notes} jobs {tally.jobs} "
                f"decisions {tally.decisions} (late {tally.late_decisions}) confirmed {tally.confirmed_tasks} "
                f"forgotten {tally.forgotten_tasks}"))

        tally = simulation.run(on_day=on_day)
    echo(f"simulated {days} days of {len(simulation.villages)} villages and {len(simulation.employers)} employers "
         f"in {time.monotonic() - started:.0f} s: {tally.scans} residents scanned, {tally.notes} notes, {tally.jobs} jobs, "
         f"{tally.decisions} card decisions ({tally.late_decisions} late, {tally.cards_left} left to the timeout rule), "
         f"{tally.confirmed_tasks} group sends confirmed, {tally.forgotten_tasks} forgotten by their owners, "
         f"{tally.relayed_by_hand} relayed by hand, {tally.callbacks_failed} callbacks failed")
    return tally


def simulated_environment(database_url: str, workdir: Path, org: dict, days: int, **kwargs):
    """A DemoEnvironment whose clock starts `days` ago, with the relay driven by the simulation."""
    from datetime import timedelta

    from app.demo.environment import DemoEnvironment
    from app.simulate.calendar import SimClock
    from app.simulate.population import org_text

    clock = SimClock(datetime.now(UTC) - timedelta(days=days + 1))
    return DemoEnvironment(database_url=database_url, clock=clock, org_text=org_text(org), relay=False,
                           workdir=workdir, **kwargs)


def _data_key(workdir: Path) -> str:
    """JOBMATRIX_DATA_KEY if set, else a new key kept in workdir/data.key (0600): the residents'
    text in the filled database is encrypted with it, so serving that database needs it."""
    import os

    from app.privacy import generate_key

    key = os.environ.get("JOBMATRIX_DATA_KEY", "")
    if not key:
        key = generate_key()
        path = workdir / "data.key"
        path.write_text(key + "\n", encoding="utf-8")
        path.chmod(0o600)
        typer.echo(f"data key of the filled database: {path} (set JOBMATRIX_DATA_KEY to it to serve it)")
    return key


@cli.command("simulate")
def simulate_command(
    days: int = typer.Option(30, min=1, max=400, help="How many days before today to simulate."),
    villages: int | None = typer.Option(None, min=1, max=2000, help=(
        "Invent a district of this many villages (20 per township, 2.5 employers and 125 residents per "
        "village; 400 is the full-size district). Without it: the example org.")),
    org_file: Path | None = typer.Option(None, "--org", help="Org file to simulate (default: examples/zhongmu.yaml)."),
    employers: int = typer.Option(40, min=0, help="Employers added to the example org."),
    seed: int = typer.Option(SEED, help="Seed of every random choice: the same seed plays the same period."),
    step_minutes: int = typer.Option(15, min=5, max=60, help=(
        "Simulated minutes between two rounds of the relay's jobs; 30 halves the run time but judges "
        "the stewards' 30-minute promise more coarsely.")),
    database_url: str | None = typer.Option(None, help="Database to fill (default: SQLite in --workdir, wiped)."),
    workdir: Path = typer.Option(Path("var/simulate"), help="Where the SQLite database and dispatch journal live."),
) -> None:
    """Fill a database with an invented district's past days, through the webhook, relay and emulator."""
    if villages and org_file:
        raise typer.BadParameter("give either --villages (an invented district) or --org, not both")
    workdir.mkdir(parents=True, exist_ok=True)
    if database_url is None:
        for stale in workdir.glob("jobmatrix.db*"):
            stale.unlink()
        database_url = f"sqlite:///{workdir / 'jobmatrix.db'}"
    shutil.rmtree(workdir / "dispatch-journal", ignore_errors=True)  # it names rows of an older database
    org = build_org(org_file, villages, employers, seed)
    env = simulated_environment(database_url, workdir, org, days, always_open=False, data_key=_data_key(workdir))
    env.start(log=typer.echo)
    try:
        simulate_into(env, org, days=days, seed=seed, step_minutes=step_minutes)
    finally:
        env.stop()
    typer.echo(f"database filled: {database_url}")
