"""`jobmatrix demo`: the matrix working on one machine, with nothing but SQLite."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import typer

from app.cli import cli


@cli.command("demo")
def demo_command(
    port: int = typer.Option(8000, help="Port of the JobMatrix server (and the demo page)."),
    emulator_port: int = typer.Option(8001, help="Port of the WeCom/OA emulator."),
    host: str = typer.Option("127.0.0.1", help="Address both listen on."),
    workdir: Path = typer.Option(Path("var/demo"), help="Where the demo's SQLite database lives (wiped at start)."),
    scenario: bool = typer.Option(True, help="Play the scripted scenario after start-up."),
    exit_after_scenario: bool = typer.Option(False, help="Stop after the scenario instead of serving until Ctrl-C."),
    simulated_month: bool = typer.Option(False, "--simulated-month", help=(
        "Start on a simulated past month of the example org (`jobmatrix simulate --days 30`), so the "
        "dashboard has figures at first sight; adds a few minutes to the start.")),
    simulated_days: int = typer.Option(0, min=0, max=400, help="Like --simulated-month, for this many days."),
) -> None:
    """Start the emulator, the server and the example org on SQLite, play a scenario, serve the live page."""
    from app.demo.environment import DemoEnvironment
    from app.demo.scenario import play

    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "jobmatrix.db"
    for stale in workdir.glob("jobmatrix.db*"):
        stale.unlink()
    shutil.rmtree(workdir / "dispatch-journal", ignore_errors=True)  # it names rows of the old database
    days = simulated_days or (30 if simulated_month else 0)
    places = {"host": host, "port": port, "emulator_port": emulator_port}
    if days:
        from app.cli.simulate import SEED, build_org, simulate_into, simulated_environment

        org = build_org(None, None, employers=40, seed=SEED)
        env = simulated_environment(f"sqlite:///{database}", workdir, org, days, **places)
        env.start()
    else:
        env = DemoEnvironment(database_url=f"sqlite:///{database}", workdir=workdir, **places)
        env.start()
    try:
        if days:
            simulate_into(env, org, days=days, seed=SEED)
            env.clock.go_live()  # the simulated past has reached the present: from here on, live
            env.start_relay()
        if scenario and days:
            # The scripted scenario expects quiet groups; after a simulated month some owners have
            # sends they never confirmed, which hold their groups' next sends (as WeCom would).
            typer.echo("The simulated month replaces the scripted scenario; type on the demo page to go on live.")
        elif scenario:
            play(env)
        typer.echo(f"\nOpen {env.base_url}/demo to watch the three tiers and type as anyone.")
        typer.echo(f"Dashboard: {env.base_url}/dashboard#token={env.settings.admin_token}")
        typer.echo(f"Emulator inspection: {env.emulator.base_url}/_emulator/targets")
        if exit_after_scenario:
            return
        typer.echo("Press Ctrl-C to stop.")
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        typer.echo("\nstopping")
    finally:
        env.stop()
