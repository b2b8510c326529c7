"""Bring up everything the demo needs in one process: emulator, database, org, server, phone.

The same environment backs the end-to-end tests, so what a newcomer sees in `make demo` is what
the tests check.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_engine, make_session_factory
from app.main import create_app
from app.migrate import upgrade
from app.org.importer import import_org
from app.org.models import ChatGroup, Contact, Node, Staff
from app.outbound.clients import wecom_client
from app.privacy import cipher_from_settings, generate_key, install_cipher
from app.settings import Settings, load_settings
from app.simulate.calendar import SimClock
from bots.client.wecom import WeComClient
from relay.models import Delivery
from sandbox.emulator.config import EmulatorConfig
from sandbox.emulator.server import EmulatorServer
from sandbox.phone import Phone, Receiver

EXAMPLE_ORG = Path(__file__).resolve().parents[2] / "examples" / "zhongmu.yaml"
_KEY_ALPHABET = string.ascii_letters + string.digits


def random_aes_key() -> str:
    return "".join(secrets.choice(_KEY_ALPHABET) for _ in range(43))


@dataclass
class DemoEnvironment:
    database_url: str
    host: str = "127.0.0.1"
    port: int = 0
    emulator_port: int = 0
    org_file: Path = EXAMPLE_ORG
    data_key: str = ""  # empty: a fresh key for this run
    # Village groups open all day, so the demo shows deliveries whatever the hour it is run.
    always_open: bool = True
    relay: bool = True  # run the intake, dispatcher and scheduler threads
    # The dispatcher's send journal lives here; it belongs to this database only (a stale journal
    # names delivery ids of another run). None: a fresh temporary folder.
    workdir: Path | None = None
    # The simulation's clock (app/simulate/calendar.py): the webhook, the emulator and the phone
    # all read it. None: the wall clock.
    clock: SimClock | None = None
    org_text: str = ""  # an org file's text to load instead of `org_file` (e.g. an invented district)
    emulator: EmulatorServer | None = None
    settings: Settings | None = None
    session_factory: sessionmaker[Session] | None = None
    base_url: str = ""
    phone: Phone | None = None
    _stoppers: list = field(default_factory=list)

    def start(self, *, log=print) -> DemoEnvironment:
        config = EmulatorConfig(port=self.emulator_port)
        if self.clock is not None:
            config.clock = self.clock.timestamp
        self.emulator = EmulatorServer(config).start()
        self._stoppers.append(self.emulator.stop)
        self.settings = self._settings()
        log(f"emulator of WeCom and the Official Account at {self.emulator.base_url}")
        upgrade(self.database_url)
        install_cipher(cipher_from_settings(self.settings.data_key))
        self.session_factory = make_session_factory(make_engine(self.database_url))
        self._import_org(log)
        self._introduce_org_to_emulator(log)
        self._start_server()
        self.phone = self._make_phone()
        if self.relay:
            self._start_relay()
        log(f"JobMatrix server at {self.base_url}")
        return self

    def start_relay(self) -> None:
        """The relay's threads, for an environment started with relay=False (after a simulation)."""
        self._start_relay()

    def _start_relay(self) -> None:
        from relay.dispatcher import DispatcherConfig
        from relay.worker import RelayRuntime

        if self.workdir is None:
            import tempfile

            self.workdir = Path(tempfile.mkdtemp(prefix="jobmatrix-demo-"))
        from relay.customer_groups import PollConfig

        config = DispatcherConfig(journal_dir=str(self.workdir / "dispatch-journal"), idle_sleep=0.1, backoff_base=0.5)
        runtime = RelayRuntime(settings=self.settings, engine=self.session_factory.kw["bind"],
                               session_factory=self.session_factory, dispatcher_config=config,
                               group_poll=PollConfig(first_poll_seconds=1, poll_cap_seconds=2),
                               group_round_seconds=1.0).start()
        self._stoppers.append(runtime.stop)

    def stop(self) -> None:
        if self.phone is not None:
            self.phone.close()
        for stop in reversed(self._stoppers):
            stop()
        self._stoppers.clear()

    def __enter__(self) -> DemoEnvironment:
        return self.start(log=lambda *_: None)

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _settings(self) -> Settings:
        emu, cfg = self.emulator, self.emulator.config
        return load_settings(
            JOBMATRIX_DATABASE_URL=self.database_url,
            JOBMATRIX_DATA_KEY=self.data_key or generate_key(),
            WECOM_CORP_ID=cfg.corp_id, WECOM_AGENT_ID=cfg.agent_id, WECOM_SECRET=cfg.secret,
            WECOM_TOKEN=secrets.token_hex(8), WECOM_ENCODING_AES_KEY=random_aes_key(),
            WECOM_API_BASE=emu.wecom_api_base,
            MP_APP_ID=cfg.mp_app_id, MP_APP_SECRET=cfg.mp_app_secret,
            MP_TOKEN=secrets.token_hex(8), MP_ENCODING_AES_KEY=random_aes_key(), MP_API_BASE=emu.mp_api_base,
            AIBOT_TOKEN=secrets.token_hex(8), AIBOT_ENCODING_AES_KEY=random_aes_key(),
            JOBMATRIX_ADMIN_TOKEN=secrets.token_urlsafe(16),  # the dashboard's; printed by `jobmatrix demo`
        )

    def _import_org(self, log) -> None:
        with self.session_factory() as session:
            text = self.org_text or self.org_file.read_text(encoding="utf-8")
            report = import_org(session=session, source_text=text, filename=str(self.org_file))
            session.commit()
            if self.always_open:
                _open_all_day(session)
                session.commit()
            certified = _certify_demo_employers(session) if not self.org_text else 0
            session.commit()
        created = {table: c.created for table, c in report.counts.items()}
        source = "the given org text" if self.org_text else self.org_file.name
        log(f"org loaded from {source}: {created}; employers certified for the demo: {certified}")

    def wecom_client(self) -> WeComClient:
        return wecom_client(self.settings, self.session_factory)

    def _introduce_org_to_emulator(self, log) -> None:
        """The emulator plays WeCom: it must know the members, robots and followers of the org,
        and our app must own its appchat groups (WeCom answers 86008 otherwise, §2.4)."""
        state = self.emulator.state
        with self.session_factory() as session:
            staff = session.scalars(select(Staff)).all()
            contacts = session.scalars(select(Contact)).all()
            state.register_users([s.userid for s in staff] + [c.wecom_userid for c in contacts if c.wecom_userid])
            state.register_followers([c.openid for c in contacts if c.openid])
            groups = session.scalars(select(ChatGroup)).all()
            state.register_robots({g.address: g.name for g in groups if g.channel == "robot"})
            appchats = [(g, _members_of(session, g)) for g in groups if g.channel == "appchat"]
            # Customer groups exist on the owners' phones already: the emulator gets them as seeded.
            for group in groups:
                if group.kind == "customer" and group.owner_userid:
                    own = [s.userid for s in staff if s.node_id == group.node_id]
                    state.seed_customer_group(name=group.name, owner=group.owner_userid, chat_id=group.address,
                                              staff=own)
        with self.wecom_client() as client:
            for group, members in appchats:
                client.appchat.create(name=group.name[:50], userlist=members, owner=members[0], chatid=group.address)
        log(f"emulator knows {len(staff)} staff, {len(contacts)} contacts, {len(groups)} groups")

    def _start_server(self) -> None:
        import socket
        import threading
        import time

        import uvicorn

        from app.demo.web import router as demo_router

        clock = {} if self.clock is None else {"clock": self.clock.now}
        app = create_app(self.settings, session_factory=self.session_factory, **clock)
        app.include_router(demo_router)
        app.state.demo = self
        self.app = app
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        self.base_url = f"http://{self.host}:{sock.getsockname()[1]}"

        def stop() -> None:
            server.should_exit = True
            thread.join(timeout=5)
            sock.close()

        self._stoppers.append(stop)

    def _make_phone(self) -> Phone:
        s = self.settings
        clock = {} if self.clock is None else {"clock": self.clock.timestamp}
        return Phone.for_emulator(
            self.emulator, **clock,
            wecom=Receiver(self.base_url + "/wecom/callback", s.wecom_token, s.wecom_encoding_aes_key, s.wecom_corp_id),
            mp=Receiver(self.base_url + "/mp/callback", s.mp_token, s.mp_encoding_aes_key, s.mp_app_id),
            aibot=Receiver(self.base_url + "/aibot/callback", s.aibot_token, s.aibot_encoding_aes_key, ""),
        )


# Invented credit codes (first 17 characters; the check digit is computed).
_DEMO_CODES = ("91410122MA4A8B7C1", "91410122MA47K2N31", "91410122MA4X9D6E2", "91410122MA4B3C5D7")


def _certify_demo_employers(session: Session) -> int:
    """The example org's employers, taken through reviews 1 and 2 as an officer would, so the
    demo's employer can post at once (三即: 认证后即可发布)."""
    from datetime import UTC, datetime

    from vetting import service
    from vetting.codes import with_check_digit
    from vetting.review import Application

    now = datetime.now(UTC)
    employers = session.scalars(select(Contact).where(Contact.kind == "employer").order_by(Contact.id)).all()
    for contact, code in zip(employers, _DEMO_CODES, strict=False):
        company, _, person = (contact.name or "示例企业").partition(" ")
        application = Application(
            name=company, credit_code=with_check_digit(code), legal_rep=person or "示例法人",
            address="中牟县示例路1号", industry="制造业", contact_name=person or company,
            contact_phone=contact.phone or "", licence_media_id="demo-licence",
        )
        enterprise = service.apply(session=session, application=application, actor=service.ADMIN, via="demo",
                                   now=now, contact=contact)
        for _ in range(2):  # review 1 (licence), review 2 (qualification)
            service.decide(session=session, enterprise_id=enterprise.id, action="approve", actor=service.ADMIN, now=now)
    # The reviews were decided here, not from the officers' cards, and these employers have not
    # written to the Official Account yet (its 48 h window is closed): nothing of it is sent.
    session.execute(update(Delivery).where(Delivery.status == "queued").values(status="cancelled"))
    return min(len(employers), len(_DEMO_CODES))


def _open_all_day(session: Session) -> None:
    """Service hours of the whole tree set to the full day (only in the demo)."""
    for node in session.scalars(select(Node)):
        overrides = {k: v for k, v in (node.overrides or {}).items() if k not in ("service_hours", "quiet_hours", "cutoff")}
        if node.kind == "district":
            overrides["service_hours"] = "00:00-24:00"
            # A customer group's one send a day is created at once rather than kept for the evening
            # batch, so the demo shows the owner's confirmation without waiting for 19:00.
            overrides["confirm_allowance_minutes"] = 24 * 60
        node.overrides = overrides


def _members_of(session: Session, group: ChatGroup) -> list[str]:
    """Staff of the group's node, plus the district officers so every chat has at least two."""
    own = [s.userid for s in session.scalars(select(Staff).where(Staff.node_id == group.node_id))]
    officers = session.scalars(
        select(Staff.userid).join(Node, Node.id == Staff.node_id).where(Staff.role == "district_officer")
    ).all()
    return list(dict.fromkeys(own + list(officers)))[:500]
