"""`jobmatrix dispatch` (the outbox dispatcher) and `jobmatrix scheduler` (deadline jobs, leader only)."""

from __future__ import annotations

import logging
import signal
import threading

import typer

from app.cli import cli


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


@cli.command("dispatch")
def dispatch_command(
    database_url: str = typer.Option("", help="Overrides JOBMATRIX_DATABASE_URL."),
    until_idle: bool = typer.Option(False, help="Exit when no delivery is due or waiting for a retry."),
    concurrency: int = typer.Option(16, help="HTTP calls in flight."),
    batch_size: int = typer.Option(100, help="Rows per claim."),
    lease_seconds: float = typer.Option(60.0, help="Claim lease; a dead dispatcher's rows return after it."),
    backoff_base: float = typer.Option(5.0, help="Seconds before the first retry; doubled per try."),
    backoff_cap: float = typer.Option(900.0, help="Longest pause between tries."),
    journal_dir: str = typer.Option("var/dispatch-journal", help="This host's send journal (see docs)."),
) -> None:
    """Send queued deliveries (any number of dispatchers may share one PostgreSQL)."""
    from app.cli.database import open_database
    from app.db import make_session_factory, utcnow
    from app.ops.heartbeat import Heartbeat
    from relay.dispatcher import Dispatcher, DispatcherConfig
    from relay.intake import start_queued_items
    from relay.rules import DeadlinePolicy
    from relay.worker import channels_for, route_queued_forever

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # open_database also installs the data cipher: routing a queued item reads its encrypted fields.
    settings, engine = open_database(database_url or None)
    factory = make_session_factory(engine)
    channels = channels_for(settings, factory, max_connections=max(16, concurrency * 2))
    config = DispatcherConfig(concurrency=concurrency, batch_size=batch_size, lease_seconds=lease_seconds,
                              backoff_base=backoff_base, backoff_cap=backoff_cap, journal_dir=journal_dir,
                              timezone=settings.timezone)
    stop = _stop_on_signals()
    # Items the webhook queued are routed here too (and certified employers join their group):
    # the webhook only writes the item, so some process must write its hops and deliveries.
    if not until_idle:
        intake = threading.Thread(target=route_queued_forever, name="relay-intake", daemon=True, kwargs={
            "session_factory": factory, "stop": stop, "settings": settings,
            "base": DeadlinePolicy(timezone=settings.timezone)})
        intake.start()
    else:
        start_queued_items(session_factory=factory, now=utcnow(), base=DeadlinePolicy(timezone=settings.timezone))
    heartbeat = Heartbeat(factory, "dispatcher")
    try:
        stats = Dispatcher(session_factory=factory, channels=channels, config=config, heartbeat=heartbeat.beat).run(
            until_idle=until_idle, stop=stop)
    finally:
        stop.set()
        channels.close()
        heartbeat.stop()
    typer.echo(f"sent {stats.sent}, retried {stats.retried}, failed {stats.failed}, "
               f"deferred {stats.deferred} in {stats.seconds:.1f} s")


@cli.command("scheduler")
def scheduler_command(
    database_url: str = typer.Option("", help="Overrides JOBMATRIX_DATABASE_URL."),
    poll_seconds: float = typer.Option(10.0, help="How often a follower tries to become the leader."),
) -> None:
    """Run the deadline jobs (reminders, escalations, timeouts, cutoff sweep, digest) in the leader only."""
    from app.cli.database import open_database
    from app.db import make_session_factory
    from app.ops.heartbeat import Heartbeat
    from app.retention import housekeeping_jobs
    from relay.scheduler import run_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings, engine = open_database(database_url or None)  # the jobs read encrypted fields too
    factory = make_session_factory(engine)
    heartbeat = Heartbeat(factory, "scheduler")
    try:
        run_scheduler(engine=engine, session_factory=factory, timezone=settings.timezone,
                      stop=_stop_on_signals(), poll_seconds=poll_seconds, on_poll=heartbeat.beat,
                      housekeeping=housekeeping_jobs(settings))
    finally:
        heartbeat.stop()
