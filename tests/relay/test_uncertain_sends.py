"""appchat and robot sends are not repeated after WeCom may have accepted them (issue 11, item 4).

The emulator delivers the message and then fails the answer ("accepted, then failed (5xx)" and
"accepted, then timed out"). Those APIs have no duplicate check, so the dispatcher must not
resend: the group holds the message exactly once, the row says "unknown", and the group's staff
are asked to look (with the text to forward if it is missing). A later message to the same
group still goes out. message/send, which has enable_duplicate_check, is resent and WeCom drops
the copy: the person gets it once and the row is sent.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from relay.models import Delivery
from sandbox.emulator import FaultConfig
from tests.relay.dispatch_helpers import (
    MEMBERS,
    OFFICER,
    create_chats,
    make_channels,
    make_dispatcher,
    make_org,
    queue,
    text,
)

FAULTS = {"5xx": "accepted:http:502", "timeout": "accepted:timeout"}


def _run(emu, session_factory, tmp_path, channel: str, target: str, fault: str) -> None:
    with session_factory() as session:
        groups = make_org(session, villages=1)
        channels = make_channels(emu, session_factory, timeout=1.0)
        if channel == "appchat":
            create_chats(channels, [target])
        else:
            emu.state.register_robots({target: "村群机器人"})
        group_id = groups["chat0001"] if channel == "appchat" else None
        queue(session, [dict(channel=channel, target=target, group_id=group_id, item_id=groups["__item__"],
                             payload=text(f"J{n} 叉车工2名 月薪6000")) for n in (1, 2)])
    emu.state.set_faults(FaultConfig(paths=["appchat/send", "webhook/send"], script=[FAULTS[fault]],
                                     hang_seconds=2.0))
    make_dispatcher(session_factory, channels, tmp_path).run(until_idle=True)
    channels.close()


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("channel, target", [("appchat", "chat0001"), ("robot", "robotkey1")])
def test_an_accepted_send_whose_answer_failed_is_not_repeated(emu, session_factory, tmp_path, channel, target, fault):
    _run(emu, session_factory, tmp_path, channel, target, fault)
    posted = [e["content"] for e in emu.state.received(f"{channel}:{target}")]
    assert posted == ["J1 叉车工2名 月薪6000", "J2 叉车工2名 月薪6000"]  # J1 once, J2 after it
    with session_factory() as session:
        first, second = session.scalars(select(Delivery).where(Delivery.purpose == "relay").order_by(Delivery.id))
        assert (first.status, second.status) == ("unknown", "sent")
        assert first.last_error.startswith("unknown")
    # The group's staff (here the district officer: the village has none) are asked to look.
    [question] = [e["content"] for e in emu.state.received(f"user:{OFFICER}")]
    assert "请核对" in question and "J1 叉车工2名 月薪6000" in question and "不会自动重发" in question


def test_message_send_is_resent_and_deduplicated_by_wecom(emu, session_factory, tmp_path):
    with session_factory() as session:
        make_org(session, villages=1)
        channels = make_channels(emu, session_factory, timeout=1.0)
        queue(session, [dict(channel="app", target=MEMBERS[0], purpose="notice", payload=text("J1 已通过"))])
    emu.state.set_faults(FaultConfig(paths=["message/send"], script=["accepted:http:502"]))
    make_dispatcher(session_factory, channels, tmp_path).run(until_idle=True)
    channels.close()
    assert [e["content"] for e in emu.state.received(f"user:{MEMBERS[0]}")] == ["J1 已通过"]
    assert emu.state.counters_snapshot()["events"].get("duplicate_suppressed") == 1
    with session_factory() as session:
        assert session.scalar(select(Delivery.status)) == "sent"
