"""The client with the database token store and call recorder of app/outbound (the production
wiring): workers share the token through the access_tokens row, and every attempt lands in
api_calls. Runs on SQLite, and on PostgreSQL when JOBMATRIX_TEST_DATABASE_URL is set."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from app.outbound import models
from app.outbound import store as store_module
from bots.client import WeComClient

from .fake_wecom import AGENT_ID, CORP_ID, SECRET


@pytest.fixture
def make_worker(fake, session_factory, clock):
    made: list[WeComClient] = []

    def make() -> WeComClient:
        client = WeComClient(
            corp_id=CORP_ID,
            agent_id=AGENT_ID,
            secret=SECRET,
            api_base=fake.wecom_api_base,
            token_store=store_module.SqlTokenStore(session_factory),
            recorder=store_module.SqlCallRecorder(session_factory),
            clock=clock,
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def test_workers_share_the_token_row(fake, make_worker, db):
    worker_a, worker_b = make_worker(), make_worker()
    worker_a.message.send_text(touser=["zhangsan"], content="甲")
    worker_b.message.send_text(touser=["zhangsan"], content="乙")

    assert fake.state.token_fetches["wecom"] == 1
    row = db.get(models.AccessTokenRow, f"wecom:{CORP_ID}:{AGENT_ID}")
    assert row.token and row.expires_at.tzinfo is not None and row.lease_holder == ""


def test_concurrent_workers_fetch_once_through_the_database(fake, make_worker):
    fake.state.token_delay = 0.3
    clients = [make_worker() for _ in range(6)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(clients))

    def run(client: WeComClient) -> None:
        barrier.wait()
        try:
            client.message.send_text(touser=["lisi"], content="并发")
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert fake.state.token_fetches["wecom"] == 1
    assert len(fake.state.received["message/send"]) == 6


def test_invalidated_token_refetched_once_and_attempts_recorded(fake, make_worker, db):
    client = make_worker()
    for n in range(4):
        if n == 2:
            fake.state.invalidate_tokens()
        client.message.send_text(touser=["zhangsan"], content=f"{n}")

    assert fake.state.token_fetches["wecom"] == 2
    rows = db.scalars(
        select(models.ApiCall).where(models.ApiCall.api == "message/send").order_by(models.ApiCall.id)
    )
    assert [(r.errcode, r.attempt) for r in rows] == [(0, 1), (0, 1), (40014, 1), (0, 2), (0, 1)]
