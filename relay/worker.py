"""The relay's background work in one process: route queued items, dispatch the outbox, and
(in the leader only) run the deadline jobs.

`jobmatrix serve` on SQLite and `jobmatrix demo` run everything in one process with this; on
PostgreSQL the same parts run as `jobmatrix dispatch` and `jobmatrix scheduler` processes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.outbound.clients import wecom_client
from app.outbound.store import SqlTokenStore
from app.settings import Settings
from relay.channels import ChannelConfig, Channels
from relay.customer_groups import PollConfig, run_round
from relay.dispatcher import Dispatcher, DispatcherConfig
from relay.intake import start_queued_items
from relay.rules import DeadlinePolicy
from relay.scheduler import HousekeepingJob, run_scheduler

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


def route_queued_forever(
    *, session_factory: sessionmaker[Session], stop: threading.Event, now: Callable[[], datetime] = utc_now,
    interval: float = 0.2, base: DeadlinePolicy | None = None, settings: Settings | None = None,
    group_poll: PollConfig | None = None, group_round_seconds: float = 5.0,
) -> None:
    """Route items the webhook queued, a batch at a time, until `stop`; every few seconds also add
    newly certified employers to their district's group (a WeCom API call, so never in the webhook)."""
    joins_due = groups_due = 0.0
    while not stop.is_set():
        try:
            busy = start_queued_items(session_factory=session_factory, now=now(), base=base)
        except Exception:  # a bad item must not stop the relay; it stays queued and is logged
            log.exception("routing queued items failed")
            busy = 0
        if settings is not None and time.monotonic() >= joins_due:
            joins_due = time.monotonic() + 5.0
            _join_groups(settings, session_factory, now())
        if settings is not None and time.monotonic() >= groups_due:
            groups_due = time.monotonic() + group_round_seconds
            _group_tasks(settings, session_factory, now(), base, group_poll)
        if not busy:
            stop.wait(interval)


def _join_groups(settings: Settings, session_factory: sessionmaker[Session], now: datetime) -> None:
    from vetting.membership import apply_group_joins

    try:
        with wecom_client(settings, session_factory) as client:
            apply_group_joins(session_factory=session_factory, client=client, now=now)
    except Exception:  # WeCom refused or is unreachable: the members stay pending for the next round
        log.exception("adding certified employers to their groups failed")


def _group_tasks(settings: Settings, session_factory: sessionmaker[Session], now: datetime,
                 base: DeadlinePolicy | None, poll: PollConfig | None) -> None:
    """Customer and manual groups: batch due posts, create and poll add_msg_template tasks, chase
    unconfirmed ones (relay/customer_groups.py). Safe in several processes: every step re-checks."""
    try:
        with wecom_client(settings, session_factory) as client:
            run_round(session_factory=session_factory, client=client, now=now, base=base, config=poll)
    except Exception:  # state is in the database: the next round continues where this one stopped
        log.exception("group task round failed")


def channels_for(settings: Settings, session_factory: sessionmaker[Session], *, max_connections: int = 64) -> Channels:
    return Channels(
        ChannelConfig(
            corp_id=settings.wecom_corp_id, agent_id=settings.wecom_agent_id, secret=settings.wecom_secret,
            wecom_api_base=settings.wecom_api_base, mp_app_id=settings.mp_app_id,
            mp_app_secret=settings.mp_app_secret, mp_api_base=settings.mp_api_base,
            max_connections=max_connections,
        ),
        token_store=SqlTokenStore(session_factory),
    )


@dataclass
class RelayRuntime:
    """Intake, dispatcher and scheduler threads; `stop()` ends them all."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    dispatcher_config: DispatcherConfig = field(default_factory=DispatcherConfig)
    with_scheduler: bool = True
    housekeeping: list[HousekeepingJob] = field(default_factory=list)  # e.g. the retention purge
    stop_event: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)
    channels: Channels | None = None
    group_poll: PollConfig | None = None  # customer-group task polling (relay/customer_groups.py)
    group_round_seconds: float = 5.0
    heartbeats: list = field(default_factory=list)  # app/ops/heartbeat.py, for /readyz

    def start(self) -> RelayRuntime:
        base = DeadlinePolicy(timezone=self.settings.timezone)
        from app.ops.heartbeat import Heartbeat

        self.channels = channels_for(self.settings, self.session_factory)
        self.heartbeats = [Heartbeat(self.session_factory, role) for role in ("dispatcher", "scheduler")]
        config = replace(self.dispatcher_config, timezone=self.settings.timezone)  # quiet hours at send time
        dispatcher = Dispatcher(session_factory=self.session_factory, channels=self.channels, config=config,
                                heartbeat=self.heartbeats[0].beat)
        self._spawn("relay-intake", route_queued_forever, session_factory=self.session_factory, stop=self.stop_event,
                    base=base, settings=self.settings, group_poll=self.group_poll,
                    group_round_seconds=self.group_round_seconds)
        self._spawn("relay-dispatch", dispatcher.run, stop=self.stop_event)
        if self.with_scheduler:
            self._spawn("relay-scheduler", run_scheduler, engine=self.engine, session_factory=self.session_factory,
                        timezone=self.settings.timezone, stop=self.stop_event, poll_seconds=5.0,
                        housekeeping=self.housekeeping, on_poll=self.heartbeats[1].beat)
        return self

    def _spawn(self, name: str, target: Callable, **kwargs) -> None:
        thread = threading.Thread(target=target, kwargs=kwargs, name=name, daemon=True)
        thread.start()
        self.threads.append(thread)

    def stop(self) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=10)
        if self.channels is not None:
            self.channels.close()
        for heartbeat in self.heartbeats:
            heartbeat.stop()
