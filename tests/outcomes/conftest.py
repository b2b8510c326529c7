"""One emulated world for the outcome flows: the WeCom/OA emulator and our server share one manual
clock (emulated time), a phone sends signed callbacks, and the real dispatcher sends the outbox
to the emulator, whose inbox is what each person actually received."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from app.outbound.models import AccessTokenRow
from bots.wire.envelope import parse_xml
from relay.dispatcher import Dispatcher, DispatcherConfig
from relay.intake import start_queued_items
from relay.models import Delivery
from sandbox.emulator import EmulatorConfig, EmulatorServer
from sandbox.emulator.config import ManualClock
from sandbox.phone import Phone, Receiver
from tests.app.conftest import make_server  # noqa: F401  (shared fixture)
from tests.relay.conftest import RelayOrg, make_relay_org
from tests.relay.dispatch_helpers import MEMBERS, create_chats, make_channels
from tests.support import callbacks as cb

ADMIN_TOKEN = "outcomes-admin-token"
STAFF = [*MEMBERS, "officer01", "steward_a", "backup_a", "steward_b", "head_a1", "hr_a1", "head_b1", "trainer01"]


@dataclass
class World:
    emulator: EmulatorServer
    clock: ManualClock
    phone: Phone
    org: RelayOrg
    dispatcher: Dispatcher
    factory: sessionmaker[Session]
    base: str

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def oa(self, openid: str, text: str) -> str:
        return _reply(self.phone.oa_text(openid, text))

    def app(self, userid: str, text: str) -> str:
        return _reply(self.phone.app_text(userid, text))

    def settle(self) -> None:
        """What the relay worker does after the webhook answered, then the dispatcher's sends."""
        start_queued_items(session_factory=self.factory, now=self.now())
        self.dispatch()

    def dispatch(self) -> None:
        stop = threading.Event()
        timer = threading.Timer(20, stop.set)  # a hung send must fail the test, not hang it
        timer.start()
        try:
            self.dispatcher.run(until_idle=True, stop=stop)
        finally:
            timer.cancel()
        assert not stop.is_set(), f"the dispatcher did not become idle: {self._open_rows()}"

    def _open_rows(self) -> list[tuple]:
        with self.factory() as session:
            return [(d.id, d.purpose, d.channel, d.target, d.status, d.not_before, d.next_attempt_at, d.last_errcode,
                     d.last_error) for d in session.scalars(select(Delivery).where(Delivery.status != "sent"))]

    def texts_to(self, kind: str, ident: str) -> list[str]:
        return [e["content"] for e in self.emulator.state.received(f"{kind}:{ident}") if e["content"]]

    def admin(self, method: str, path: str, body: dict | None = None) -> httpx.Response:
        return httpx.request(method, self.base + path, json=body, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        # The server runs on this clock but the dispatcher's API clients keep token expiry and the
        # refresh lease on the wall clock; in a real deployment both move together. After a jump
        # the stored token and any lease are stale for everyone, as they would be.
        with self.factory() as session:
            session.execute(delete(AccessTokenRow))
            session.commit()


def _reply(result) -> str:
    assert result.ok, result.errors
    return parse_xml(result.reply).get("Content", "") if result.reply else ""


@pytest.fixture
def world(make_server, db, session_factory, tmp_path: Path) -> Iterator[World]:  # noqa: F811
    # An hour ahead of the wall clock: rows that helpers write at real time (certify_employer) are
    # already due in emulated time.
    clock = ManualClock(start=datetime.now(UTC).timestamp() + 3600)
    org = make_relay_org(db)
    config = EmulatorConfig(corp_id=cb.CORP_ID, mp_app_id=cb.MP_APP_ID, users=STAFF, clock=clock)
    with EmulatorServer(config) as emulator, \
            make_server(clock=lambda: datetime.fromtimestamp(clock(), UTC), JOBMATRIX_ADMIN_TOKEN=ADMIN_TOKEN) as base:
        channels = make_channels(emulator, session_factory)
        create_chats(channels, ["chatdistrict", "chattowna", "chattownb"])
        dispatcher = Dispatcher(session_factory=session_factory, channels=channels,
                                now=lambda: datetime.fromtimestamp(clock(), UTC),
                                config=DispatcherConfig(backoff_base=0.05, backoff_cap=0.5, idle_sleep=0.05,
                                                        journal_dir=str(tmp_path / "journal")))
        phone = Phone.for_emulator(
            emulator, clock=clock,
            wecom=Receiver(base + "/wecom/callback", cb.WECOM_TOKEN, cb.WECOM_AES, cb.CORP_ID),
            mp=Receiver(base + "/mp/callback", cb.MP_TOKEN, cb.MP_AES, cb.MP_APP_ID),
        )
        yield World(emulator, clock, phone, org, dispatcher, session_factory, base)
        phone.close()
