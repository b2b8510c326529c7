"""Fault injection: seeded errcodes, bare HTTP errors, latency, dropped connections."""

import time

import httpx
import pytest

from sandbox.emulator import FaultConfig
from sandbox.emulator.faults import FaultInjector


def outcomes(api, n):
    codes = []
    for _ in range(n):
        response = api.http.get(
            "/cgi-bin/gettoken", params={"corpid": api.cfg.corp_id, "corpsecret": api.cfg.secret}
        )
        codes.append(
            response.json()["errcode"] if response.status_code == 200 else f"http:{response.status_code}"
        )
    return codes


def test_same_seed_same_faults_and_rate_close_to_configured(api):
    faults = {"error_rate": 0.3, "errors": [-1, 45009, 45033, "http:502"], "seed": 7}
    api.control("faults", faults)
    first = outcomes(api, 200)
    api.control("faults", faults)
    assert outcomes(api, 200) == first
    failures = [c for c in first if c != 0]
    assert 40 <= len(failures) <= 80  # 30% of 200, within a generous band
    assert set(failures) == {-1, 45009, 45033, "http:502"}
    counters = api.inspect("counters")["by_endpoint"]["gettoken"]
    assert counters["http:502"] == 2 * first.count("http:502")


def test_different_seed_different_sequence():
    a, b = (
        FaultInjector(FaultConfig(error_rate=0.5, seed=1)),
        FaultInjector(FaultConfig(error_rate=0.5, seed=2)),
    )
    assert [a.decide("x").outcome for _ in range(50)] != [b.decide("x").outcome for _ in range(50)]


def test_injected_errcode_has_the_real_errmsg_shape(api):
    token = api.token
    api.control("faults", {"script": [45009]})
    answer = api.send_text("zhangsan", "x", token=token)
    assert answer["errcode"] == 45009 and "from ip: 127.0.0.1" in answer["errmsg"]
    assert api.emu.state.received() == []  # the faulted call did nothing
    assert api.send_text("zhangsan", "x")["errcode"] == 0


def test_script_then_paths_filter(api):
    token = api.token
    api.emu.state.set_faults(FaultConfig(error_rate=1.0, errors=[-1], paths=["webhook/"]))
    assert api.send_text("zhangsan", "x", token=token)["errcode"] == 0
    hook = api.http.post(
        "/cgi-bin/webhook/send",
        params={"key": "robot-key-1"},
        json={"msgtype": "text", "text": {"content": "x"}},
    ).json()
    assert hook["errcode"] == -1


def test_control_api_is_never_faulted(api):
    api.control("faults", {"error_rate": 1.0, "drop_rate": 0.0, "errors": ["http:500"]})
    assert api.inspect("targets") == {"targets": {}}


def test_latency_is_added(api):
    token = api.token
    api.control("faults", {"latency_ms": 200})
    started = time.monotonic()
    assert api.send_text("zhangsan", "x", token=token)["errcode"] == 0
    assert time.monotonic() - started >= 0.2


def test_dropped_connection_is_a_connection_error_for_the_client(api):
    token = api.token
    api.control("faults", {"drop_rate": 1.0, "seed": 1})
    # Usually "Server disconnected without sending a response"; a reset is also a dropped connection.
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        httpx.post(
            api.emu.wecom_api_base + "message/send",
            params={"access_token": token},
            trust_env=False,
            json={"touser": "zhangsan", "msgtype": "text", "agentid": 1000002, "text": {"content": "x"}},
        )
    api.control("faults", {})
    assert api.emu.state.received() == []
    assert api.inspect("counters")["by_endpoint"]["message/send"] == {"dropped": 1}
    assert api.send_text("zhangsan", "back", token=token)["errcode"] == 0


def test_faults_from_config(make_emulator):
    from tests.sandbox.conftest import Api

    api = Api(make_emulator(faults=FaultConfig(script=["http:500", 0, -1])))
    assert outcomes(api, 4) == ["http:500", 0, -1, 0]


def _message(content: str) -> dict:
    return {"touser": "zhangsan", "msgtype": "text", "agentid": 1000002, "text": {"content": content}}


def test_accepted_then_5xx_delivers_but_answers_an_error(api):
    token = api.token
    api.control("faults", {"script": ["accepted:http:502"]})
    response = api.http.post("/cgi-bin/message/send", params={"access_token": token}, json=_message("x"))
    assert response.status_code == 502
    assert [e["content"] for e in api.emu.state.received("user:zhangsan")] == ["x"]  # yet it was delivered
    assert api.inspect("counters")["events"]["accepted:http:502"] == 1


def test_accepted_then_timeout_delivers_and_never_answers(api):
    token = api.token
    api.control("faults", {"script": ["accepted:timeout"], "hang_seconds": 1.0})
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(api.emu.wecom_api_base + "message/send", params={"access_token": token}, trust_env=False,
                   json=_message("y"), timeout=0.3)
    assert [e["content"] for e in api.emu.state.received("user:zhangsan")] == ["y"]
