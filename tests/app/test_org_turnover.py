"""Staff turnover (issue 11, item 2): whoever leaves the org file, or is marked `left: true`,
loses every right at the next import; their pending approval cards go to the backup, and the
import prints who was deactivated.

Before the fix an import left absent staff untouched: a departed steward kept approving.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

import app.cli.org  # noqa: F401  (registers `org` on the cli)
from app.cli import cli
from app.inbound.service import accept
from app.org.models import Staff
from bots.inbound import CHANNEL_WECOM, Inbound
from relay import service as relay_service
from relay.models import Delivery, Hop
from tests.app.test_org_import import cli_env  # noqa: F401  (shared fixture)
from tests.relay.support import SEEKER, understood

pytestmark = pytest.mark.usefixtures("cli_env")
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
_IDS = itertools.count(1)

ORG = """\
district:
  code: t
  name: 测试区
  groups:
    - {purpose: employers, channel: appchat, address: chatdistrict, internal_pilot: true}
  staff:
    - {userid: officer01, name: 区信息员, role: district_officer}
  townships:
    - code: t-a
      name: 甲镇
      groups:
        - {purpose: stewards, channel: appchat, address: chattowna}
      staff:
        - {userid: steward_a, name: 张三, role: township_steward}
        - {userid: backup_a, name: 李四, role: backup_steward}
      villages:
        - code: t-a-01
          name: 甲一村
          groups:
            - {purpose: residents, channel: robot, address: robot-a1-0001, internal_pilot: true}
          staff:
            - {userid: head_a1, name: 赵村长, role: village_head}
          residents:
            - {openid: o_res_a1, name: 王测试}
"""
OTHER_DISTRICT = """\
district:
  code: u
  name: 另一区
  staff:
    - {userid: officer_u, name: 外区信息员, role: district_officer}
"""


def import_file(tmp_path, database_url, text: str, *extra: str):
    path = tmp_path / f"org{next(_IDS)}.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["org", "import", str(path), "--database-url", database_url, *extra])
    assert result.exit_code == 0, result.output
    return result.output


def say(db, sender: str, text: str) -> str:
    inbound = Inbound(channel=CHANNEL_WECOM, sender=sender, receiver="x", create_time=0, msg_type="text",
                      dedupe_key=f"msg:turnover{next(_IDS)}", content=text)
    return accept(session=db, inbound=inbound, now=NOW)


def pending_seeker_hop(db) -> Hop:
    village = db.scalar(select(Staff).where(Staff.userid == "head_a1")).node_id
    item = relay_service.submit_item(session=db, kind="seeker", origin_node_id=village, author_ref="o_res_a1",
                                     author_kind="resident", understanding=understood(SEEKER), now=NOW)
    db.commit()
    hop = db.scalar(select(Hop).where(Hop.item_id == item.id))
    assert hop.status == "pending"
    return hop


def cards(db, hop: Hop) -> list[Delivery]:
    db.expire_all()
    return list(db.scalars(select(Delivery).where(Delivery.hop_id == hop.id, Delivery.purpose == "card")
                           .order_by(Delivery.id)))


def test_a_steward_left_out_of_the_file_loses_every_right_and_the_backup_gets_the_card(
        tmp_path, database_url, db, session_factory):
    import_file(tmp_path, database_url, ORG)
    hop = pending_seeker_hop(db)
    assert [c.target for c in cards(db, hop)] == ["steward_a"]

    output = import_file(tmp_path, database_url, ORG.replace("        - {userid: steward_a, name: 张三, role: township_steward}\n", ""))

    assert "deactivated" in output and "steward_a" in output
    assert "backup_a" in output  # the card that moved, and to whom
    steward = db.scalar(select(Staff).where(Staff.userid == "steward_a"))
    db.refresh(steward)
    assert steward.active is False and steward.left_at is not None
    old, new = cards(db, hop)
    assert new.target == "backup_a" and new.payload["card"]["task_id"] != old.payload["card"]["task_id"]
    db.refresh(hop)
    assert new.payload["card"]["task_id"] == hop.card_task_id

    assert "不在" in say(db, "steward_a", f"通过 {hop.id}")
    db.refresh(hop)
    assert hop.status == "pending"
    assert "已通过" in say(db, "backup_a", f"通过 {hop.id}")


def test_left_true_deactivates_and_coming_back_reactivates(tmp_path, database_url, db, session_factory):
    import_file(tmp_path, database_url, ORG)
    left = ORG.replace("{userid: head_a1, name: 赵村长, role: village_head}",
                       "{userid: head_a1, name: 赵村长, role: village_head, left: true}")
    assert "head_a1" in import_file(tmp_path, database_url, left)
    head = db.scalar(select(Staff).where(Staff.userid == "head_a1"))
    assert head.active is False
    import_file(tmp_path, database_url, ORG)
    db.refresh(head)
    assert head.active is True and head.left_at is None


def test_staff_of_another_district_are_not_touched(tmp_path, database_url, db, session_factory):
    import_file(tmp_path, database_url, OTHER_DISTRICT)
    import_file(tmp_path, database_url, ORG)
    import_file(tmp_path, database_url, ORG)
    assert db.scalar(select(Staff.active).where(Staff.userid == "officer_u")) is True


def test_a_dry_run_shows_who_would_be_deactivated_and_changes_nothing(
        tmp_path, database_url, db, session_factory):
    import_file(tmp_path, database_url, ORG)
    output = import_file(tmp_path, database_url, ORG.replace("{userid: backup_a, name: 李四, role: backup_steward}",
                                                             "{userid: backup_a, name: 李四, role: backup_steward, left: true}"),
                         "--dry-run")
    assert "backup_a" in output
    assert db.scalar(select(Staff.active).where(Staff.userid == "backup_a")) is True


def test_an_officer_replaced_in_the_same_import_hands_the_review_cards_to_the_successor(
        tmp_path, database_url, db, session_factory):
    from vetting import service as vetting_service
    from vetting.codes import with_check_digit
    from vetting.models import Enterprise, VettingCard
    from vetting.review import Application

    import_file(tmp_path, database_url, ORG)
    district = db.scalar(select(Staff).where(Staff.userid == "officer01")).node_id
    application = Application("示例物流有限公司", with_check_digit("91410122MA44ABCD1"), "吴法人", "测试区物流园1号",
                              "物流", "吴主管", "13800003333", "media-1")
    enterprise = vetting_service.apply(session=db, application=application, actor=vetting_service.ADMIN,
                                       via="test", now=NOW, district_id=district)
    db.commit()
    replaced = ORG.replace("{userid: officer01, name: 区信息员, role: district_officer}",
                           "{userid: officer02, name: 新信息员, role: district_officer}")
    output = import_file(tmp_path, database_url, replaced)
    assert "officer01 -> officer02" in output
    db.expire_all()
    [card] = db.scalars(select(VettingCard).where(VettingCard.userid == "officer02")).all()
    assert card.subject_id == enterprise.id
    sent = db.scalar(select(Delivery).where(Delivery.target == "officer02", Delivery.purpose == "card"))
    assert sent.payload["card"]["task_id"] == card.task_id
    assert "不在" in say(db, "officer01", f"通过 {enterprise.code}")
    assert db.get(Enterprise, enterprise.id).status == "licence_review"
    assert "已通过" in say(db, "officer02", f"通过 {enterprise.code}")
    assert db.get(Enterprise, enterprise.id).status == "qualification_review"
