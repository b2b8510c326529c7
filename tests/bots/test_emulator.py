"""The client against the project's emulator (sandbox.emulator) as a real server on loopback.

The emulator runs on a ManualClock; the client's test clock moves it forward whenever the client
sleeps, so back-off really waits out rate limits in emulated time while the test takes
milliseconds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from bots.client import (
    ButtonCard,
    CardButton,
    MemoryCallRecorder,
    MemoryTokenStore,
    MpClient,
    PermanentApiError,
    RobotClient,
    TransientApiError,
    WeComClient,
)
from bots.client.errcodes import CONNECTION_ERROR, HTTP_SERVER_ERROR
from sandbox import emulator

from .support import FastClock, chinese_text

USERS = ["zhangsan", "lisi", "wangwu"]
ROBOT_KEY = "robot-key-baisha"
OPENID = "o-resident-1"


class EmulatedTimeClock(FastClock):
    """Client-side sleeps also advance the emulator's clock."""

    def __init__(self, emulator_clock) -> None:
        super().__init__()
        self._emulator_clock = emulator_clock

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        self._emulator_clock.advance(seconds)


@pytest.fixture(scope="module")
def emu_server() -> Iterator:
    config = emulator.EmulatorConfig(
        users=USERS,
        robots={ROBOT_KEY: "白沙镇群机器人"},
        followers=[OPENID],
        clock=emulator.ManualClock(),
        text_overflow="error",  # an over-long part must fail loudly, not be truncated quietly
    )
    with emulator.EmulatorServer(config) as server:
        yield server


@pytest.fixture
def emu(emu_server):
    emu_server.state.reset()
    return emu_server


@pytest.fixture
def emu_clock(emu) -> EmulatedTimeClock:
    return EmulatedTimeClock(emu.config.clock)


@pytest.fixture
def workers(emu, emu_clock) -> Iterator:
    """A factory of WeCom clients sharing one store, like the workers of one deployment."""
    store, recorder, made = MemoryTokenStore(), MemoryCallRecorder(), []

    def make() -> WeComClient:
        cfg = emu.config
        client = WeComClient(
            corp_id=cfg.corp_id,
            agent_id=cfg.agent_id,
            secret=cfg.secret,
            api_base=emu.wecom_api_base,
            token_store=store,
            recorder=recorder,
            clock=emu_clock,
        )
        made.append(client)
        return client

    make.recorder = recorder
    yield make
    for client in made:
        client.close()


def outcomes(recorder, api):
    return [(call["errcode"], call["attempt"]) for call in recorder.calls if call["api"] == api]


def gettoken_calls(emu) -> int:
    return emu.state.counters_snapshot()["calls"].get("gettoken", 0)


def test_many_sends_by_two_workers_one_gettoken(emu, workers):
    worker_a, worker_b = workers(), workers()
    for n in range(10):
        (worker_a if n % 2 else worker_b).message.send_text(touser=["zhangsan", "lisi"], content=f"岗位 {n}")

    assert gettoken_calls(emu) == 1
    assert [e["content"] for e in emu.state.received("user:lisi")] == [f"岗位 {n}" for n in range(10)]


def test_concurrent_workers_share_one_refresh(emu, workers):
    emu.state.set_faults({"latency_ms": 300, "paths": ["gettoken"]})
    clients = [workers() for _ in range(6)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(clients))

    def run(client: WeComClient) -> None:
        barrier.wait()
        try:
            client.message.send_text(touser=["wangwu"], content="并发")
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == [] and gettoken_calls(emu) == 1
    assert len(emu.state.received("user:wangwu")) == 6


def test_token_invalidated_mid_batch(emu, workers):
    client = workers()
    for n in range(10):
        if n == 4:
            emu.state.invalidate_token("wecom")
        client.message.send_text(touser=["zhangsan"], content=f"第{n}条")

    assert gettoken_calls(emu) == 2
    assert len(emu.state.received("user:zhangsan")) == 10
    assert [code for code, _ in outcomes(workers.recorder, "message/send")].count(40014) == 1


def test_token_expires_mid_batch(emu, workers):
    """The emulator's clock passes the 7200 s lifetime; our store still believes in the token."""
    client = workers()
    for n in range(6):
        if n == 3:
            emu.config.clock.advance(7201)
        client.message.send_text(touser=["zhangsan"], content=f"第{n}条")

    assert gettoken_calls(emu) == 2
    assert len(emu.state.received("user:zhangsan")) == 6
    assert (42001, 1) in outcomes(workers.recorder, "message/send")


def test_injected_45009_and_minus1_are_retried_and_recorded(emu, workers, emu_clock):
    client = workers()
    client.message.send_text(touser=["zhangsan"], content="预热")
    emu.state.set_faults({"script": [45009, -1], "paths": ["message/send"]})

    client.message.send_text(touser=["zhangsan"], content="重试后送达")

    assert outcomes(workers.recorder, "message/send")[1:] == [(45009, 1), (-1, 2), (0, 3)]
    assert [e["content"] for e in emu.state.received("user:zhangsan")] == ["预热", "重试后送达"]
    assert len(emu_clock.sleeps) == 2


def test_dropped_connection_and_bad_gateway_are_retried(emu, workers):
    client = workers()
    client.message.send_text(touser=["zhangsan"], content="预热")
    emu.state.set_faults({"script": ["drop", "http:502"], "paths": ["message/send"]})

    client.message.send_text(touser=["zhangsan"], content="送达")

    recorded = [
        (c["errcode"], c["http_status"]) for c in workers.recorder.calls if c["api"] == "message/send"
    ]
    assert recorded[1:] == [(CONNECTION_ERROR, 0), (HTTP_SERVER_ERROR, 502), (0, 200)]


def test_all_recipients_invalid_is_permanent(emu, workers):
    with pytest.raises(PermanentApiError) as raised:
        workers().message.send_text(touser=["nobody"], content="x")
    assert raised.value.errcode == 81013
    assert outcomes(workers.recorder, "message/send") == [(81013, 1)]


def test_foreign_appchat_is_permanent(emu, workers):
    emu.state.add_foreign_chat("otherapp01", ["zhangsan", "lisi"])
    with pytest.raises(PermanentApiError) as raised:
        workers().appchat.send_text(chatid="otherapp01", content="x")
    assert raised.value.errcode == 86008


def test_long_text_arrives_in_order_within_limits(emu, workers):
    client = workers()
    chat = client.appchat.create(name="白沙镇充分就业社区建设群", userlist=USERS, owner="zhangsan")
    text = chinese_text(5000)

    assert client.appchat.send_text(chatid=chat.chatid, content=text).parts == 3
    assert len(client.message.send_markdown(touser=["lisi"], content=text)) == 3

    for target in (f"appchat:{chat.chatid}", "user:lisi"):
        entries = emu.state.received(target)
        assert "".join(e["content"] for e in entries) == text
        assert not any(e.get("truncated") for e in entries)


def test_card_sent_then_updated(emu, workers):
    client = workers()
    card = ButtonCard(
        task_id="relay_42",
        title="岗位转发审批",
        buttons=(CardButton("通过", "approve:42"), CardButton("驳回", "reject:42", style=2)),
    )

    sent = client.message.send_template_card(touser=["zhangsan"], card=card)
    client.message.update_card_button(
        response_code=sent.response_code, replace_name="已通过", userids=["zhangsan"]
    )

    state = emu.state.card("relay_42")["recipients"]["zhangsan"]["card_state"]
    assert state["replace_name"] == "已通过"
    with pytest.raises(PermanentApiError):  # response codes are single-use
        client.message.update_card_button(response_code=sent.response_code, replace_name="x", atall=True)


def test_duplicate_check_makes_a_resend_harmless(emu, workers):
    client = workers()
    for _ in range(2):
        client.message.send_text(touser=["zhangsan"], content="同一条", enable_duplicate_check=True)

    assert len(emu.state.received("user:zhangsan")) == 1


def test_robot_rate_limit_backs_off_then_hands_back(emu, emu_clock):
    recorder = MemoryCallRecorder()
    with RobotClient(
        webhook_key=ROBOT_KEY, api_base=emu.wecom_api_base, recorder=recorder, clock=emu_clock
    ) as robot:
        for n in range(20):
            robot.send_text(content=f"{n}", mentioned_list=["zhangsan"])
        with pytest.raises(TransientApiError) as raised:
            robot.send_text(content="第21条")
        assert raised.value.retry_after == 60
        emu.config.clock.advance(60)
        robot.send_markdown(content="**一分钟后**")

    assert len(emu.state.received(f"robot:{ROBOT_KEY}")) == 21
    assert [code for code, _ in outcomes(recorder, "webhook/send")][20:] == [45009] * 5 + [0]


def test_official_account_custom_message(emu, emu_clock):
    recorder = MemoryCallRecorder()
    cfg = emu.config
    with MpClient(
        app_id=cfg.mp_app_id,
        app_secret=cfg.mp_app_secret,
        api_base=emu.mp_api_base,
        token_store=MemoryTokenStore(),
        recorder=recorder,
        clock=emu_clock,
    ) as mp:
        with pytest.raises(PermanentApiError) as raised:
            mp.custom.send_text(openid=OPENID, content="窗口未开")
        assert raised.value.errcode == 45015  # no user interaction yet (§4.3)

        emu.state.mp_interaction(OPENID, "message")
        mp.custom.send_text(openid=OPENID, content="已收到")
        emu.state.invalidate_token("mp")
        mp.custom.send_text(openid=OPENID, content="再次回复")

    assert [e["content"] for e in emu.state.received(f"openid:{OPENID}")] == ["已收到", "再次回复"]
    assert (40001, 1) in outcomes(recorder, "message/custom/send")
