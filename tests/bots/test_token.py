"""Access tokens: fetched once, shared by workers through the store, refreshed by one at a time,
refetched once when WeCom rejects them (wecom-platform.md §3.4)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from bots.client import PermanentApiError, TransientApiError

from .fake_wecom import AGENT_ID, CORP_ID


def test_token_fetched_once_for_many_calls(fake, wecom, store):
    for n in range(20):
        wecom.message.send_text(touser=["zhangsan"], content=f"通知 {n}")

    assert fake.state.token_fetches["wecom"] == 1
    assert len(fake.state.received["message/send"]) == 20
    assert store.load(f"wecom:{CORP_ID}:{AGENT_ID}") is not None


def test_token_in_store_is_shared_by_two_workers(fake, make_wecom):
    worker_a, worker_b = make_wecom(), make_wecom()

    worker_a.message.send_text(touser=["zhangsan"], content="甲")
    worker_b.message.send_text(touser=["lisi"], content="乙")

    assert fake.state.token_fetches["wecom"] == 1


def test_single_refresh_under_concurrency(fake, make_wecom):
    fake.state.token_delay = 0.3  # everyone arrives while the first gettoken is in flight
    workers = [make_wecom() for _ in range(8)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(workers))

    def run(client):
        start.wait()
        try:
            client.message.send_text(touser=["zhangsan"], content="并发")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(client,)) for client in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert fake.state.token_fetches["wecom"] == 1
    assert len(fake.state.received["message/send"]) == 8


def test_token_invalidated_mid_batch_is_refetched_once(fake, make_wecom, recorder):
    worker_a, worker_b = make_wecom(), make_wecom()
    for n in range(10):
        if n == 5:
            fake.state.invalidate_tokens()  # WeCom drops the token early (§2.1)
        (worker_a if n % 2 else worker_b).message.send_text(touser=["zhangsan"], content=f"批次 {n}")

    assert len(fake.state.received["message/send"]) == 10
    assert fake.state.token_fetches["wecom"] == 2
    sends = [call["errcode"] for call in recorder.calls if call["api"] == "message/send"]
    # Each worker keeps a copy of the token (no store read per call), so each learns of the
    # rejection once; only the first refetches, the second picks the new token up from the store.
    assert sends.count(40014) == 2 and sends.count(0) == 10


def test_rejected_fresh_token_is_retried_only_once(fake, wecom, recorder):
    fake.state.fail_next("message/send", 40014, 40014, 40014)

    with pytest.raises(TransientApiError) as raised:
        wecom.message.send_text(touser=["zhangsan"], content="x")

    assert raised.value.errcode == 40014
    sends = [call for call in recorder.calls if call["api"] == "message/send"]
    assert [call["attempt"] for call in sends] == [1, 2]
    assert fake.state.token_fetches["wecom"] == 2


def test_token_refreshed_ahead_of_expiry(fake, make_wecom, store):
    worker_a, worker_b = make_wecom(), make_wecom()
    worker_a.message.send_text(touser=["zhangsan"], content="一")
    old = store.load(worker_a.app_key)
    # Pretend two hours went by, bar four minutes: inside REFRESH_AHEAD (5 min), still valid.
    store.save(worker_a.app_key, old.token, datetime.now(UTC) + timedelta(minutes=4))

    worker_b.message.send_text(touser=["zhangsan"], content="二")
    worker_a.message.send_text(touser=["zhangsan"], content="三")

    assert fake.state.token_fetches["wecom"] == 2
    assert store.load(worker_a.app_key).token != old.token


def test_early_refresh_not_repeated_on_every_call(fake, wecom, store):
    """WeCom may answer an early gettoken with the same token (§2.1): don't ask again per call."""
    wecom.message.send_text(touser=["zhangsan"], content="一")
    token = store.load(wecom.app_key).token
    store.save(wecom.app_key, token, datetime.now(UTC) + timedelta(minutes=4))

    for n in range(5):
        wecom.message.send_text(touser=["zhangsan"], content=f"{n}")

    assert fake.state.token_fetches["wecom"] == 1


def test_valid_token_used_while_another_worker_holds_the_lease(fake, wecom, store):
    wecom.message.send_text(touser=["zhangsan"], content="一")
    token = store.load(wecom.app_key).token
    soon = datetime.now(UTC) + timedelta(minutes=4)
    store.save(wecom.app_key, token, soon)
    now = datetime.now(UTC)
    assert store.try_lease(wecom.app_key, "other-worker", now + timedelta(seconds=30), now)

    wecom.message.send_text(touser=["zhangsan"], content="二")

    assert fake.state.token_fetches["wecom"] == 1  # no waiting, no second fetch


def test_waiting_for_a_stuck_refresh_is_bounded(fake, make_wecom, store, clock):
    client = make_wecom()
    client.tokens._wait_seconds = 0.3
    now = datetime.now(UTC)
    assert store.try_lease(client.app_key, "stuck-worker", now + timedelta(minutes=1), now)

    with pytest.raises(TransientApiError):
        client.message.send_text(touser=["zhangsan"], content="x")
    assert fake.state.token_fetches["wecom"] == 0


def test_wrong_secret_is_permanent_and_releases_the_lease(fake, make_wecom, store):
    with pytest.raises(PermanentApiError) as raised:
        make_wecom(secret="wrong").message.send_text(touser=["zhangsan"], content="x")
    assert raised.value.errcode == 40001 and raised.value.api == "gettoken"

    make_wecom().message.send_text(touser=["zhangsan"], content="x")  # the lease was given back


def test_mp_token_rejected_with_40001_is_refetched(fake, mp, recorder):
    mp.custom.send_text(openid="o-resident-1", content="您好")
    fake.state.invalidate_tokens()

    mp.custom.send_text(openid="o-resident-1", content="再次您好")

    assert fake.state.token_fetches["mp"] == 2
    assert [c["errcode"] for c in recorder.calls if c["api"] == "message/custom/send"] == [0, 40001, 0]


def test_store_not_read_on_every_call(fake, make_wecom, store):
    loads = []
    original = store.load
    store.load = lambda app_key: loads.append(app_key) or original(app_key)
    client = make_wecom()

    for n in range(20):
        client.message.send_text(touser=["zhangsan"], content=f"{n}")

    assert len(loads) <= 2  # the first lookup, and the re-read under the lease
