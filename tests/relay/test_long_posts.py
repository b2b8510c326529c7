"""A post longer than the channel's byte limit (issue 11, item 16) reaches the group as
numbered parts — （1/2）, （2/2） — with the item code in the first part, never a part holding
only the code and nothing silently cut. A retry after a part failed resumes the numbering."""

from __future__ import annotations

from sqlalchemy import select

from bots.client.limits import BYTE_LIMITS, utf8_len
from relay import messaging
from relay.models import Delivery
from sandbox.emulator import FaultConfig
from tests.relay.dispatch_helpers import create_chats, make_channels, make_dispatcher, make_org, queue, text

LIMIT = BYTE_LIMITS["appchat_text"]


def _long_job(lines: int, width: int = 40) -> str:
    return "\n".join(f"{i:02d} 招聘仓库理货员，" + "负责货物分拣和装卸" * (width // 9) for i in range(lines))


def _posted(emu, session_factory, tmp_path, content: str, script=()) -> list[str]:
    with session_factory() as session:
        groups = make_org(session, villages=1)
        channels = make_channels(emu, session_factory)
        create_chats(channels, ["chat0001"])
        queue(session, [dict(channel="appchat", target="chat0001", group_id=groups["chat0001"],
                             item_id=groups["__item__"], payload=text(content))])
    if script:
        emu.state.set_faults(FaultConfig(paths=["appchat/send"], script=list(script)))
    make_dispatcher(session_factory, channels, tmp_path).run(until_idle=True)
    channels.close()
    return [e["content"] for e in emu.state.received("appchat:chat0001")]


def _body(part: str) -> str:
    return part.split("）", 1)[1]  # what follows the （i/n） mark


def test_a_long_post_arrives_as_numbered_parts_with_the_code_first(emu, session_factory, tmp_path):
    content = messaging.relay_content("J12", _long_job(40))
    assert utf8_len(content) > LIMIT
    parts = _posted(emu, session_factory, tmp_path, content)
    n = len(parts)
    assert n >= 2
    assert [p[: len(f"（{i}/{n}）")] for i, p in enumerate(parts, 1)] == [f"（{i}/{n}）" for i in range(1, n + 1)]
    assert "J12" in parts[0]
    assert all(utf8_len(p) <= LIMIT for p in parts)
    assert all(_body(p).replace("（编号J12）", "").strip() for p in parts)  # no part is only the code
    assert "".join(_body(p) for p in parts) == content  # nothing cut


def test_the_code_never_ends_up_alone_in_a_part(emu, session_factory, tmp_path):
    # The text alone fills a message to the byte: on main the code spilled into a part of its own.
    job = "招" * (LIMIT // 3 - 1)
    content = messaging.relay_content("J7", job)
    parts = _posted(emu, session_factory, tmp_path, content)
    assert len(parts) == 2 and "J7" in parts[0]
    assert all(_body(p).replace("（编号J7）", "").strip() for p in parts)


def test_a_retry_resumes_the_numbering(emu, session_factory, tmp_path):
    content = messaging.relay_content("J3", _long_job(80))
    parts = _posted(emu, session_factory, tmp_path, content, script=[0, -1, -1, -1, -1])
    n = len(parts)
    assert n >= 3 and [p[: len(f"（{i}/{n}）")] for i, p in enumerate(parts, 1)] == [f"（{i}/{n}）" for i in range(1, n + 1)]
    with session_factory() as session:
        assert session.scalar(select(Delivery.status)) == "sent"
