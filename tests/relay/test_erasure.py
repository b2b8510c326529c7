"""删除我的信息 erases the resident everywhere their words were copied (issue 11, item 12).

The whole database is scanned afterwards, every column of every table as the application reads
it (decrypted): no trace of the note, its masked copies, the report reason or the contact's name
and phone may remain. Before the fix the masked text stayed in items, hops, the approval card
and the relayed messages, and the report reason in post_reports and the audit log.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime

from sqlalchemy import select, update

from app.db import Base
from app.inbound.service import accept
from bots.inbound import CHANNEL_MP, CHANNEL_WECOM, Inbound
from relay import service as relay_service
from relay.intake import start_queued_items
from relay.models import Delivery, Item
from tests.relay.support import JOB_ANYWHERE, understood

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
NOTE = "本人王建国 男 45岁 会开叉车有证5年 想在中牟新区找仓库的活 电话13812345678"
TRACES = ("王建国", "13812345678", "叉车", "押金骗人", "王测试", "13912345678", "王先生")
_IDS = itertools.count(1)


def say(db, channel: str, sender: str, text: str) -> str:
    inbound = Inbound(channel=channel, sender=sender, receiver="x", create_time=0, msg_type="text",
                      dedupe_key=f"msg:erase{next(_IDS)}", content=text)
    return accept(session=db, inbound=inbound, now=NOW)


def traces_left(db, traces: tuple[str, ...] = TRACES) -> list[str]:
    db.expire_all()
    found = []
    for table in Base.metadata.sorted_tables:
        for row in db.execute(select(table)).mappings():
            text = json.dumps({k: v for k, v in row.items()}, ensure_ascii=False, default=str)
            found += [f"{table.name}#{row['id']}: {t}" for t in traces if t in text]
    return found


def test_delete_my_data_leaves_no_copy_of_what_the_resident_wrote(db, rorg, session_factory):
    job = relay_service.submit_item(session=db, kind="job", origin_node_id=rorg.district.id, author_ref="o_emp_01",
                                    author_kind="employer", understanding=understood(JOB_ANYWHERE, "employer"), now=NOW)
    db.commit()
    assert "S" in say(db, CHANNEL_MP, "o_res_a1", NOTE)
    start_queued_items(session_factory=session_factory, now=NOW)
    note = db.scalar(select(Item).where(Item.kind == "seeker"))
    assert "已通过" in say(db, CHANNEL_WECOM, "steward_a", f"通过 {note.code}")
    db.execute(update(Delivery).where(Delivery.item_id == note.id).values(status="sent"))  # as if posted
    say(db, CHANNEL_MP, "o_res_a1", f"举报 {job.code} 要交押金骗人")
    db.commit()
    assert traces_left(db), "the scenario must have copied the resident's words somewhere"

    reply = say(db, CHANNEL_MP, "o_res_a1", "删除我的信息")

    assert traces_left(db) == []
    # It says what was erased, what was kept, and why.
    assert "已删除" in reply and "保留" in reply and "1 条" in reply
    assert "群里" in reply  # messages already posted in WeChat groups cannot be recalled by us
    db.expire_all()
    assert db.get(Item, note.id).status in ("withdrawn", "done")  # counted, not shown anywhere


def test_an_employer_erasing_keeps_the_enterprise_records_and_says_so(db, rorg):
    say(db, CHANNEL_MP, "o_emp_01", "企业认证")
    say(db, CHANNEL_MP, "o_emp_01", "示例叉车物流有限公司")
    assert traces_left(db, ("示例叉车物流",))
    reply = say(db, CHANNEL_MP, "o_emp_01", "删除我的信息")
    assert "已删除" in reply and "企业认证时填写的内容" in reply and "企业的备案" in reply
    assert traces_left(db, ("示例叉车物流", "吴主管")) == []
