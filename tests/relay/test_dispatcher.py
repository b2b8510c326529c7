"""The dispatcher against the emulator over real HTTP: appchat groups, robots, app users, cards."""

from __future__ import annotations

from sqlalchemy import select

from relay.models import Delivery, DeliveryAttempt, Hop
from relay.pacing import Pacer, Window
from tests.relay.dispatch_helpers import (
    MEMBERS,
    OFFICER,
    create_chats,
    errcodes,
    make_channels,
    make_dispatcher,
    make_org,
    queue,
    start_emulator,
    statuses,
    text,
)


def test_groups_robots_and_users_each_get_their_message_once(emu, session_factory, tmp_path) -> None:
    with session_factory() as session:
        groups = make_org(session, villages=30)
        chats = [c for c in groups if c.startswith("chat")]
        emu.state.register_robots({"robotkey1": "机器人一", "robotkey2": "机器人二"})
        channels = make_channels(emu, session_factory)
        create_chats(channels, chats)
        rows = [dict(channel="appchat", target=c, group_id=groups[c], item_id=groups["__item__"],
                     payload=text(f"J1 叉车工 → {c}")) for c in chats]
        rows += [dict(channel="robot", target=k, payload=text(f"J1 → {k}")) for k in ("robotkey1", "robotkey2")]
        rows += [dict(channel="app", target=u, purpose="notice", payload={"msgtype": "markdown", "content": "**J1**"})
                 for u in MEMBERS]
        queue(session, rows)
    stats = make_dispatcher(session_factory, channels, tmp_path).run(until_idle=True)
    channels.close()
    assert stats.sent == len(rows)
    for chat in chats:
        assert [e["content"] for e in emu.state.received(f"appchat:{chat}")] == [f"J1 叉车工 → {chat}"]
    for key in ("robotkey1", "robotkey2"):
        assert len(emu.state.received(f"robot:{key}")) == 1
    for user in MEMBERS:
        assert [e["msgtype"] for e in emu.state.received(f"user:{user}")] == ["markdown"]
    with session_factory() as session:
        assert statuses(session) == {"sent": len(rows)}
        assert set(errcodes(session)) == {0}
        assert all(d.msgid for d in session.scalars(select(Delivery).where(Delivery.channel == "app")))


def test_card_response_code_is_stored_on_the_hop_and_used_to_update(emu, session_factory, tmp_path) -> None:
    with session_factory() as session:
        groups = make_org(session, villages=1)
        hop = Hop(item_id=groups["__item__"], to_node_id=groups["__district__"], tier="township", text="J1")
        session.add(hop)
        session.commit()
        card = {"card_type": "button_interaction", "main_title": {"title": "J1 待审核"}, "task_id": "relay_1",
                "button_list": [{"text": "通过", "style": 1, "key": "approve:1"},
                                {"text": "驳回", "style": 2, "key": "reject:1"}]}
        queue(session, [dict(channel="app", target=MEMBERS[0], purpose="card", hop_id=hop.id,
                             payload={"msgtype": "template_card", "card": card})])
        hop_id = hop.id
    channels = make_channels(emu, session_factory)
    make_dispatcher(session_factory, channels, tmp_path).run(until_idle=True)
    with session_factory() as session:
        code = session.get(Hop, hop_id).card_response_code
        assert code
        queue(session, [dict(channel="app", target=MEMBERS[0], purpose="card_update", hop_id=hop_id,
                             payload={"msgtype": "update_card", "response_code": code, "replace_name": "已通过"})])
    make_dispatcher(session_factory, channels, tmp_path).run(until_idle=True)
    channels.close()
    assert emu.state.card("relay_1") is not None
    entry = emu.state.received(f"user:{MEMBERS[0]}")[0]
    assert entry["task_id"] == "relay_1"
    with session_factory() as session:
        assert statuses(session) == {"sent": 2}


def test_permanent_failures_fail_and_alert_the_officer_once(emu, session_factory, tmp_path) -> None:
    emu.state.add_foreign_chat("foreignchat", MEMBERS)  # created by another app → 86008 (§2.4)
    with session_factory() as session:
        groups = make_org(session, villages=1)
        queue(session, [dict(channel="appchat", target="foreignchat", group_id=groups["chat0001"],
                             payload=text("J1")),
                        dict(channel="app", target="nobody", purpose="notice", payload=text("hi"))])  # 81013
    channels = make_channels(emu, session_factory)
    make_dispatcher(session_factory, channels, tmp_path).run(until_idle=True)
    make_dispatcher(session_factory, channels, tmp_path).run(until_idle=True)  # a second pass adds nothing
    channels.close()
    with session_factory() as session:
        failed = list(session.scalars(select(Delivery).where(Delivery.status == "failed").order_by(Delivery.id)))
        assert [d.last_errcode for d in failed] == [86008, 81013]
        alerts = list(session.scalars(select(Delivery).where(Delivery.purpose == "alert")))
        assert len(alerts) == 2 and {a.status for a in alerts} == {"sent"}
        assert {a.target for a in alerts} == {OFFICER}
        attempts = session.scalars(select(DeliveryAttempt.errcode).where(DeliveryAttempt.delivery_id == failed[0].id))
        assert list(attempts) == [86008]
    received = emu.state.received(f"user:{OFFICER}")
    assert len(received) == 2 and all("投递失败" in e["content"] for e in received)
    assert any("村1群众求职群" in e["content"] for e in received)


def test_retries_never_reorder_a_group(emu, session_factory, tmp_path) -> None:
    with session_factory() as session:
        make_org(session, villages=1)
        channels = make_channels(emu, session_factory)
        create_chats(channels, ["chat0001"])
        # The first message fails beyond the client's own retries (-1 four times): the dispatcher
        # retries it later, and the two after it must wait.
        emu.state.set_faults({"script": [-1, -1, -1, -1], "paths": ["appchat/send"]})
        queue(session, [dict(channel="appchat", target="chat0001", payload=text(f"m{i}")) for i in range(3)])
    stats = make_dispatcher(session_factory, channels, tmp_path).run(until_idle=True)
    channels.close()
    assert stats.retried == 1
    assert [e["content"] for e in emu.state.received("appchat:chat0001")] == ["m0", "m1", "m2"]
    with session_factory() as session:
        assert errcodes(session).count(-1) == 4


def test_long_text_is_split_and_a_partial_failure_does_not_repeat_parts(emu, session_factory, tmp_path) -> None:
    long = "\n".join(f"第{i}行：招聘叉车工，月薪六千到八千，地点雁鸣湖镇物流园。" for i in range(60))
    with session_factory() as session:
        make_org(session, villages=1)
        channels = make_channels(emu, session_factory)
        create_chats(channels, ["chat0001"])
        # Part 1 goes out, part 2 fails past the client's retries, the dispatcher resumes at part 2.
        emu.state.set_faults({"script": [0, -1, -1, -1, -1], "paths": ["appchat/send"]})
        queue(session, [dict(channel="appchat", target="chat0001", payload=text(long))])
    make_dispatcher(session_factory, channels, tmp_path).run(until_idle=True)
    channels.close()
    parts = [e["content"] for e in emu.state.received("appchat:chat0001")]
    marks = [f"（{i}/{len(parts)}）" for i in range(1, len(parts) + 1)]  # numbered parts (issue 11, item 16)
    assert len(parts) >= 2 and [p[: len(m)] for p, m in zip(parts, marks, strict=True)] == marks
    assert "".join(p[len(m):] for p, m in zip(parts, marks, strict=True)) == long


def test_robot_pacing_keeps_45009_away(session_factory, tmp_path) -> None:
    """Emulated time runs 20× faster, so the robot's minute (§2.5) lasts 3 s; the pacer's too."""
    import time

    start = time.time()
    emu = start_emulator(clock=lambda: start + (time.time() - start) * 20)
    try:
        emu.state.register_robots({"robotkey1": "一", "robotkey2": "二"})
        with session_factory() as session:
            make_org(session, villages=1)
            queue(session, [dict(channel="robot", target=k, payload=text(f"{k} {i}"))
                            for i in range(30) for k in ("robotkey1", "robotkey2")])
        channels = make_channels(emu, session_factory)
        pacer = Pacer({"robot": (Window(19, 60 / 20),)})
        stats = make_dispatcher(session_factory, channels, tmp_path, pacer=pacer,
                                robot_window_seconds=3.0).run(until_idle=True)
        channels.close()
        for key in ("robotkey1", "robotkey2"):
            assert [e["content"] for e in emu.state.received(f"robot:{key}")] == [f"{key} {i}" for i in range(30)]
        with session_factory() as session:
            assert errcodes(session).count(45009) <= 1
        assert stats.deferred >= 2
    finally:
        emu.stop()
