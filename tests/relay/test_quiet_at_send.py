"""Quiet hours are checked when a row is sent, not only when it is queued (issue 11, item 7).

A post queued for a village at 10:00 that kept failing, or that the cutoff sweep pushed, must
not reach the resident group at 21:10 or 03:00: it waits for the next opening (07:30). Staff
messages are not held. The dispatcher runs against the emulator over real HTTP with its clock
set to the night.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from relay.dispatcher import Dispatcher
from relay.models import Delivery
from tests.relay.dispatch_helpers import (
    OFFICER,
    create_chats,
    make_channels,
    make_dispatcher,
    make_org,
    queue,
    text,
)
from tests.relay.test_rules import at


def _at_night(dispatcher: Dispatcher, moment) -> Dispatcher:
    dispatcher._now = lambda: moment  # the dispatcher's injectable clock (constructor `now`)
    return dispatcher


@pytest.mark.parametrize("night", [at(25, 21, 10), at(26, 3, 0)], ids=["21:10", "03:00"])
def test_a_retry_due_at_night_waits_for_the_next_opening(emu, session_factory, tmp_path, night) -> None:
    with session_factory() as session:
        groups = make_org(session, villages=1, always_open=False)  # 07:30-21:00
        channels = make_channels(emu, session_factory)
        create_chats(channels, ["chat0001"])
        queue(session, [dict(channel="appchat", target="chat0001", group_id=groups["chat0001"],
                             item_id=groups["__item__"], payload=text("J1 叉车工")),
                        dict(channel="app", target=OFFICER, purpose="escalation", payload=text("J1 未送达"))])
        # Queued at 10:00, failed, its retry (or the cutoff sweep) makes it due at night.
        session.execute(update(Delivery).values(not_before=at(25, 10, 0), next_attempt_at=night - timedelta(minutes=1)))
        session.commit()
    dispatcher = _at_night(make_dispatcher(session_factory, channels, tmp_path), night)
    dispatcher.run(until_idle=True)
    channels.close()
    assert emu.state.received("appchat:chat0001") == []  # nothing posted into the residents' group
    assert len(emu.state.received(f"user:{OFFICER}")) == 1  # a staff message is not held
    with session_factory() as session:
        row = session.scalar(select(Delivery).where(Delivery.channel == "appchat"))
        assert row.status == "queued" and row.next_attempt_at == at(26, 7, 30)
