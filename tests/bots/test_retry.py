"""The errcode policy end to end: what is retried, how often, and what is recorded (§3.3)."""

from __future__ import annotations

import random

import pytest

from bots.client import PermanentApiError, RobotClient, TransientApiError
from bots.client.errcodes import CONNECTION_ERROR, HTTP_SERVER_ERROR, Action, pause_before_retry, rule_for


def calls(recorder, api):
    return [(call["errcode"], call["attempt"]) for call in recorder.calls if call["api"] == api]


def test_busy_and_rate_limited_calls_are_retried_and_recorded(fake, wecom, recorder, clock):
    fake.state.fail_next("message/send", 45009, -1, 45033)

    [result] = wecom.message.send_text(touser=["zhangsan"], content="招聘信息")

    assert result.msgid
    assert calls(recorder, "message/send") == [(45009, 1), (-1, 2), (45033, 3), (0, 4)]
    assert len(clock.sleeps) == 3 and all(0 < pause <= 8 for pause in clock.sleeps)
    assert {"app_key", "api", "errcode", "http_status", "attempt", "duration_ms"} <= set(recorder.calls[-1])
    assert recorder.calls[-1]["http_status"] == 200


def test_rate_limit_exhaustion_raises_transient_with_a_hint(fake, robot, recorder, clock):
    fake.state.fail_next("webhook/send", *[45009] * 10)

    with pytest.raises(TransientApiError) as raised:
        robot.send_text(content="太快了")

    assert raised.value.errcode == 45009
    assert raised.value.retry_after == 60  # a minute-level block lasts the minute (§3.2)
    assert len(calls(recorder, "webhook/send")) == 5  # first try + 4 backed-off retries
    # Doubling from 1 s, capped at 8 s, each jittered to between half and all of its step.
    steps = [1, 2, 4, 8]
    assert len(clock.sleeps) == 4
    assert all(step / 2 <= pause <= step for pause, step in zip(clock.sleeps, steps, strict=True))


def test_system_busy_retried_at_most_three_times(fake, wecom, recorder):
    fake.state.fail_next("message/send", -1, -1, -1, -1)

    with pytest.raises(TransientApiError) as raised:
        wecom.message.send_text(touser=["zhangsan"], content="x")

    assert raised.value.errcode == -1
    assert [attempt for _, attempt in calls(recorder, "message/send")] == [1, 2, 3, 4]


def test_all_recipients_invalid_is_permanent_without_retry(fake, wecom, recorder):
    with pytest.raises(PermanentApiError) as raised:
        wecom.message.send_text(touser=["nobody"], content="x")

    assert (raised.value.errcode, raised.value.api) == (81013, "message/send")
    assert calls(recorder, "message/send") == [(81013, 1)]


@pytest.mark.parametrize("errcode", [81013, 86008, 93000, 93004, 93008, 60011, 40003, 48002, 45002, 44004])
def test_permanent_codes_raise_at_once(fake, robot, recorder, errcode):
    fake.state.fail_next("webhook/send", errcode)

    with pytest.raises(PermanentApiError):
        robot.send_markdown(content="**通知**")
    assert calls(recorder, "webhook/send") == [(errcode, 1)]


def test_unknown_robot_key_is_permanent(fake, recorder, clock):
    with RobotClient(
        webhook_key="removed", api_base=fake.wecom_api_base, recorder=recorder, clock=clock
    ) as robot:
        with pytest.raises(PermanentApiError) as raised:
            robot.send_text(content="x")
    assert raised.value.errcode == 93000
    assert "removed" not in recorder.calls[0]["app_key"]  # the key is a credential


def test_http_5xx_is_transient_and_retried(fake, wecom, recorder):
    wecom.message.send_text(touser=["zhangsan"], content="预热")  # fetch the token first
    fake.state.fail_http_next("message/send", 502, 503)

    wecom.message.send_text(touser=["zhangsan"], content="x")

    assert [(c["errcode"], c["http_status"]) for c in recorder.calls if c["api"] == "message/send"][1:] == [
        (HTTP_SERVER_ERROR, 502),
        (HTTP_SERVER_ERROR, 503),
        (0, 200),
    ]


def test_connection_refused_is_recorded_as_minus_2(recorder, clock):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}/cgi-bin/"
    with RobotClient(webhook_key="k", api_base=base, recorder=recorder, clock=clock) as robot:
        with pytest.raises(TransientApiError) as raised:
            robot.send_text(content="x")

    assert raised.value.errcode == CONNECTION_ERROR
    assert [(c["errcode"], c["http_status"]) for c in recorder.calls] == [(CONNECTION_ERROR, 0)] * 4


def test_policy_table():
    assert rule_for(40001, token_kind="wecom").action is Action.PERMANENT  # bad secret
    assert rule_for(40001, token_kind="mp").action is Action.REFRESH_TOKEN  # token not latest (§4.2)
    assert rule_for(40014, token_kind="none").action is Action.PERMANENT  # webhook: nothing to refresh
    assert rule_for(123456, token_kind="wecom").action is Action.PERMANENT  # unknown: don't hammer
    rule = rule_for(45009, token_kind="wecom")
    pauses = [pause_before_retry(rule, n, random.Random(1)) for n in range(1, 8)]
    assert all(p <= rule.max_delay for p in pauses) and pauses[0] >= rule.base_delay / 2
