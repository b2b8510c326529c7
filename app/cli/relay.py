"""`jobmatrix dispatch` (the outbox dispatcher) and `jobmatrix scheduler` (deadline jobs, leader only)."""

from __future__ import annotations

import logging
import signal
import threading

import typer

from app.cli import cli
from app.cli.server import settings_or_exit


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
    from app.db import make_engine, make_session_factory, utcnow
    from app.outbound.store import SqlTokenStore
    from relay.channels import ChannelConfig, Channels
    from relay.dispatcher import Dispatcher, DispatcherConfig
    from relay.intake import start_queued_items
    from relay.rules import DeadlinePolicy
    from relay.worker import route_queued_forever

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = settings_or_exit(**({"JOBMATRIX_DATABASE_URL": database_url} if database_url else {}))
    factory = make_session_factory(make_engine(settings.database_url))
    channels = Channels(
        ChannelConfig(corp_id=settings.wecom_corp_id, agent_id=settings.wecom_agent_id,
                      secret=settings.wecom_secret, wecom_api_base=settings.wecom_api_base,
                      mp_app_id=settings.mp_app_id, mp_app_secret=settings.mp_app_secret,
                      mp_api_base=settings.mp_api_base, max_connections=max(16, concurrency * 2)),
        token_store=SqlTokenStore(factory),
    )
    config = DispatcherConfig(concurrency=concurrency, batch_size=batch_size, lease_seconds=lease_seconds,
                              backoff_base=backoff_base, backoff_cap=backoff_cap, journal_dir=journal_dir)
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
    try:
        stats = Dispatcher(session_factory=factory, channels=channels, config=config).run(
            until_idle=until_idle, stop=stop)
    finally:
        stop.set()
        channels.close()
    typer.echo(f"sent {stats.sent}, retried {stats.retried}, failed {stats.failed}, "
               f"deferred {stats.deferred} in {stats.seconds:.1f} s")


@cli.command("scheduler")
def scheduler_command(
    database_url: str = typer.Option("", help="Overrides JOBMATRIX_DATABASE_URL."),
    poll_seconds: float = typer.Option(10.0, help="How often a follower tries to become the leader."),
) -> None:
    """Run the deadline jobs (reminders, escalations, timeouts, cutoff sweep, digest) in the leader only."""
    from app.db import make_engine, make_session_factory
    from relay.scheduler import run_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = settings_or_exit(**({"JOBMATRIX_DATABASE_URL": database_url} if database_url else {}))
    engine = make_engine(settings.database_url)
    run_scheduler(engine=engine, session_factory=make_session_factory(engine), timezone=settings.timezone,
                  stop=_stop_on_signals(), poll_seconds=poll_seconds)
