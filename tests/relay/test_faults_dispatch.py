"""With injected faults — 20% 5xx / -1 / dropped connections, a 45009 burst, the token revoked
mid-run — every delivery still lands exactly once and in order (issue 4, "How we will know")."""

from __future__ import annotations

import threading

from relay.pacing import Pacer
from sandbox.emulator import FaultConfig
from tests.relay.dispatch_helpers import (
    MEMBERS,
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


def test_every_delivery_lands_once_through_faults(session_factory, tmp_path) -> None:
    emu = start_emulator()
    try:
        emu.state.register_robots({"robotkey1": "一"})
        with session_factory() as session:
            groups = make_org(session, villages=120)
            chats = [c for c in groups if c.startswith("chat")]
            channels = make_channels(emu, session_factory)
            create_chats(channels, chats)
            rows = [dict(channel="appchat", target=c, group_id=groups[c], payload=text(f"J1 → {c}")) for c in chats]
            rows += [dict(channel="app", target=u, purpose="notice", payload=text(f"{u} {i}"))
                     for i in range(5) for u in MEMBERS]
            rows += [dict(channel="robot", target="robotkey1", payload=text(f"robot {i}")) for i in range(8)]
            queue(session, rows)
        emu.state.set_faults(FaultConfig(error_rate=0.2, errors=[-1, "http:502", "http:503", 45033],
                                         drop_rate=0.03, seed=7, script=[45009] * 6))
        sent_before_revoke = threading.Event()

        def revoke_when_busy() -> None:
            while len(emu.state.received()) < 40 and not sent_before_revoke.wait(0.01):
                pass
            emu.state.invalidate_token()  # the next call with the old token gets 40014

        revoker = threading.Thread(target=revoke_when_busy)
        revoker.start()
        stats = make_dispatcher(session_factory, channels, tmp_path, pacer=Pacer({})).run(until_idle=True)
        sent_before_revoke.set()
        revoker.join()
        channels.close()
        for chat in chats:
            assert [e["content"] for e in emu.state.received(f"appchat:{chat}")] == [f"J1 → {chat}"]
        for user in MEMBERS:
            assert [e["content"] for e in emu.state.received(f"user:{user}")] == [f"{user} {i}" for i in range(5)]
        assert [e["content"] for e in emu.state.received("robot:robotkey1")] == [f"robot {i}" for i in range(8)]
        with session_factory() as session:
            assert statuses(session) == {"sent": len(rows)}
            codes = errcodes(session)
        assert stats.sent == len(rows)
        assert {-1, -3, 45009, 40014} <= set(codes)  # every fault was met, and recorded per attempt
        assert emu.state.counters_snapshot()["errcodes"].get("dropped", 0) > 0
    finally:
        emu.stop()
