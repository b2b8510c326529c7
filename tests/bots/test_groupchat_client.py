"""Client methods for customer groups, join ways, OA parametric codes and media, against the emulator
over real HTTP (each method answers the decoded JSON; errcodes raise through the policy table)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
import zxingcpp
from PIL import Image

from bots.client import MemoryCallRecorder, MemoryTokenStore, MpClient, PermanentApiError, WeComClient
from sandbox.emulator import EmulatorConfig, EmulatorServer, ManualClock

from .support import FastClock

OPENID = "o-resident-1"


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    config = EmulatorConfig(users=["zhangsan", "lisi"], followers=[OPENID], clock=ManualClock())
    with EmulatorServer(config) as emu:
        yield emu


@pytest.fixture
def emu(server):
    server.state.reset()
    return server


@pytest.fixture
def wecom(emu) -> Iterator[WeComClient]:
    cfg = emu.config
    with WeComClient(
        corp_id=cfg.corp_id,
        agent_id=cfg.agent_id,
        secret=cfg.secret,
        api_base=emu.wecom_api_base,
        token_store=MemoryTokenStore(),
        recorder=MemoryCallRecorder(),
        clock=FastClock(),
    ) as client:
        yield client


@pytest.fixture
def mp(emu) -> Iterator[MpClient]:
    cfg = emu.config
    with MpClient(
        app_id=cfg.mp_app_id,
        app_secret=cfg.mp_app_secret,
        api_base=emu.mp_api_base,
        token_store=MemoryTokenStore(),
        recorder=MemoryCallRecorder(),
        clock=FastClock(),
    ) as client:
        yield client


def test_group_and_join_way_round_trip(emu, wecom):
    chat_id = emu.state.seed_customer_group(name="白沙村群众求职群", owner="zhangsan", staff=["lisi"])[
        "chat_id"
    ]
    assert wecom.groupchat.get(chat_id=chat_id, need_name=True)["group_chat"]["owner"] == "zhangsan"
    assert wecom.groupchat.list(limit=10)["group_chat_list"] == [{"chat_id": chat_id, "status": 0}]
    assert wecom.groupchat.list(owners=["lisi"])["group_chat_list"] == []

    config_id = wecom.groupchat.add_join_way(chat_id_list=[chat_id], state="V410102001")["config_id"]
    way = wecom.groupchat.get_join_way(config_id=config_id)["join_way"]
    assert way["state"] == "V410102001" and way["auto_create_room"] == 0
    image = httpx.get(way["qr_code"], trust_env=False)
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.content)))
    emu.state.join_customer_group(join_link=code.text, external={"external_userid": "wmA"})
    members = wecom.groupchat.get(chat_id=chat_id)["group_chat"]["member_list"]
    assert members[-1]["userid"] == "wmA" and members[-1]["state"] == "V410102001"

    wecom.groupchat.update_join_way(config_id=config_id, chat_id_list=[chat_id], state="V2")
    assert wecom.groupchat.get_join_way(config_id=config_id)["join_way"]["state"] == "V2"
    wecom.groupchat.del_join_way(config_id=config_id)
    with pytest.raises(PermanentApiError) as raised:
        wecom.groupchat.get_join_way(config_id=config_id)
    assert raised.value.errcode == 40058


def test_unknown_group_is_a_permanent_40050(wecom):
    with pytest.raises(PermanentApiError) as raised:
        wecom.groupchat.get(chat_id="wrMissing")
    assert raised.value.errcode == 40050
    with pytest.raises(PermanentApiError) as raised:
        wecom.groupchat.add_join_way(chat_id_list=["wrMissing"], state="V1")
    assert raised.value.errcode == 40050


def test_qrcode_upload_and_image_message(emu, mp):
    code = mp.qrcode.create(scene="V410102001")
    assert code["url"].startswith("http://weixin.qq.com/q/") and "expire_seconds" not in code
    temporary = mp.qrcode.create(scene=42, permanent=False, expire_seconds=600)
    assert temporary["expire_seconds"] == 600
    with pytest.raises(PermanentApiError) as raised:
        mp.qrcode.create(scene=0)
    assert raised.value.errcode == 40053

    png = httpx.get(emu.base_url + "/mp/cgi-bin/showqrcode", params={"ticket": code["ticket"]}).content
    media = mp.media.upload_image(content=png)
    assert media["type"] == "image"
    emu.state.mp_interaction(OPENID, "scan")
    mp.custom.send_image(openid=OPENID, media_id=media["media_id"])
    [entry] = emu.state.received(f"openid:{OPENID}")
    assert entry["message"]["image"] == {"media_id": media["media_id"]}
    with pytest.raises(PermanentApiError) as raised:
        mp.custom.send_image(openid=OPENID, media_id="gone")
    assert raised.value.errcode == 40007
