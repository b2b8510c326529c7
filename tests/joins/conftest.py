"""The join flow end to end: the emulator, our server on the test database, and a phone, all over real HTTP."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy.orm import Session

from app.demo.scenario import wait_for
from app.main import create_app
from app.org.models import ChatGroup, Node, Staff
from app.settings import load_settings
from sandbox.emulator import EmulatorConfig, EmulatorServer
from sandbox.phone import Phone, Receiver
from tests.conftest import TEST_DATA_KEY
from tests.support import callbacks as cb
from tests.support.factories import SmallOrg, make_small_org
from tests.support.http import serve

ADMIN_TOKEN = "admin-token-for-join-tests"
VILLAGE_OWNER = "head01"


@dataclass
class JoinWorld:
    emulator: EmulatorServer
    app: object
    base_url: str
    phone: Phone
    org: SmallOrg
    chat_id: str

    def wait_for(self, check: Callable[[], object], timeout: float = 10.0) -> object:
        """Poll until the background worker has done its part (it runs after the webhook answered)."""
        return wait_for(check, timeout=timeout, what="the join worker")

    def image_sent_to(self, openid: str) -> bytes | None:
        images = [e for e in self.emulator.state.received(f"openid:{openid}") if e["msgtype"] == "image"]
        if not images:
            return None
        media_id = images[-1]["message"]["image"]["media_id"]
        return httpx.get(f"{self.emulator.control_base}mp/media/{media_id}", trust_env=False).content


def decode_qr(png: bytes) -> str:
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return code.text


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorServer]:
    config = EmulatorConfig(corp_id=cb.CORP_ID, mp_app_id=cb.MP_APP_ID)
    with EmulatorServer(config) as server:
        yield server


def _org_with_customer_group(db: Session, emulator: EmulatorServer) -> tuple[SmallOrg, str]:
    org = make_small_org(db)
    emulator.state.register_users([s.userid for s in db.query(Staff)])
    chat = emulator.state.seed_customer_group(name="甲一村群众求职群", owner=VILLAGE_OWNER)
    group = db.query(ChatGroup).filter_by(node_id=org.village.id, purpose="residents").one()
    group.kind, group.channel, group.address = "customer", "customer_group", chat["chat_id"]
    group.owner_userid = VILLAGE_OWNER
    db.commit()
    return org, chat["chat_id"]


@pytest.fixture
def world(emulator, database_url, session_factory, db) -> Iterator[JoinWorld]:
    emulator.state.reset()
    org, chat_id = _org_with_customer_group(db, emulator)
    settings = load_settings(
        **cb.SETTINGS,
        JOBMATRIX_DATABASE_URL=database_url,
        JOBMATRIX_DATA_KEY=TEST_DATA_KEY,
        JOBMATRIX_ADMIN_TOKEN=ADMIN_TOKEN,
        WECOM_SECRET=emulator.config.secret,
        WECOM_API_BASE=emulator.wecom_api_base,
        MP_APP_SECRET=emulator.config.mp_app_secret,
        MP_API_BASE=emulator.mp_api_base,
    )
    app = create_app(settings, session_factory=session_factory)
    with serve(app) as base:
        phone = Phone.for_emulator(
            emulator,
            wecom=Receiver(base + "/wecom/callback", cb.WECOM_TOKEN, cb.WECOM_AES, cb.CORP_ID),
            mp=Receiver(base + "/mp/callback", cb.MP_TOKEN, cb.MP_AES, cb.MP_APP_ID),
        )
        yield JoinWorld(emulator, app, base, phone, org, chat_id)
        phone.close()
        app.state.join_worker.stop()


def village(db: Session, org: SmallOrg) -> Node:
    return db.get(Node, org.village.id)
