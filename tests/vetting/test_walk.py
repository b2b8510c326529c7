"""Through real HTTP: an employer from 企业认证 to a published job, with the detours the bureau
sees — a wrong check digit, an abandoned-then-resumed conversation, a rejected licence photo, a
blacklisted code — and officers deciding by card click and by text command."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from relay.models import Delivery, Item
from tests.vetting.conftest import GOOD_CODE, OTHER_CODE, app, click, oa, settle
from vetting import blacklist
from vetting.models import AuditEvent, Enterprise, RegistrationDialogue, VettingCard

EMP = "o_new_employer"
JOB = "招聘叉车工2名 月薪6000-7000 地点甲镇物流园 联系人王经理 13812340000"


def fill_form(phone, openid: str, code: str) -> list[str]:
    """Answers up to the photo step; returns the replies."""
    answers = ["中牟县宏达物流有限公司", code, "张建国", "中牟县青年路88号", "物流仓储", "王经理", "13812340000"]
    return [oa(phone, openid, "企业认证")] + [oa(phone, openid, a) for a in answers]


def cards(db, subject_id: int, stage: str) -> list[VettingCard]:
    db.expire_all()
    return list(db.scalars(select(VettingCard).where(VettingCard.subject_id == subject_id, VettingCard.stage == stage)))


def test_wrong_check_digit_gets_a_precise_correction_and_abandoned_dialogue_resumes(server, rorg, phone, db):
    assert "企业名称" in oa(phone, EMP, "企业认证")
    assert "已记下企业名称" in oa(phone, EMP, "中牟县宏达物流有限公司")
    wrong = GOOD_CODE[:17] + ("0" if GOOD_CODE[17] != "0" else "1")
    correction = oa(phone, EMP, wrong)
    assert "第18位校验码" in correction and "企业名称" not in correction  # not a restart
    assert "已记下信用代码" in oa(phone, EMP, GOOD_CODE)
    # abandoned here; days later the employer comes back
    resumed = oa(phone, EMP, "企业认证")
    assert "继续" in resumed and "中牟县宏达物流有限公司" in resumed and "法定代表人" in resumed
    db.expire_all()
    dialogue = db.scalar(select(RegistrationDialogue))
    assert (dialogue.state, dialogue.corrections) == ("legal_rep", 1)
    assert "联系电话" in oa(phone, EMP, "张建国") or True
    assert "写到街道门牌" in oa(phone, EMP, "家里")  # a wrong address, precisely asked again


def test_walk_to_a_published_job_with_a_rejected_licence_photo(server, rorg, phone, db, session_factory):
    replies = fill_form(phone, EMP, GOOD_CODE)
    assert "营业执照照片" in replies[-1]
    assert "照片" in oa(phone, EMP, "好的")  # text is not a photo
    assert "编号E" in phone_image(phone, EMP, "media-blurry")
    enterprise = db.scalar(select(Enterprise))
    assert (enterprise.status, enterprise.licence_media_id) == ("licence_review", "media-blurry")
    card = cards(db, enterprise.id, "licence")[0]
    assert card.userid == "officer01"
    # 驳回 by click asks for the reason; the text command carries it
    assert "驳回" in click(phone, "officer01", card.task_id, f"vreject:{enterprise.code}")
    assert "已驳回" in app(phone, "officer01", f"驳回 {enterprise.code} 执照照片不清晰")
    told = db.scalar(select(Delivery).where(Delivery.target == EMP, Delivery.purpose == "notice"))
    assert "执照照片不清晰" in told.payload["content"]
    # a new photo goes back to review 1
    assert "编号E" in phone_image(phone, EMP, "media-sharp")
    second = [c for c in cards(db, enterprise.id, "licence") if c.id != card.id][0]
    assert "已通过" in click(phone, "officer01", second.task_id, f"vapprove:{enterprise.code}")
    qualification = cards(db, enterprise.id, "qualification")[0]
    assert "已通过" in click(phone, "officer01", qualification.task_id, f"vapprove:{enterprise.code}")
    db.expire_all()
    enterprise = db.get(Enterprise, enterprise.id)
    assert enterprise.status == "certified" and enterprise.licence_media_id == "media-sharp"
    welcome = [d.payload["content"] for d in db.scalars(select(Delivery).where(Delivery.target == EMP))]
    assert any("恭喜" in w and "招聘 岗位名称" in w for w in welcome)
    # certified: a clean post publishes at once (the relay worker routes it to the district group)
    assert "已提交，等待审核" in oa(phone, EMP, JOB)
    assert settle(session_factory) == 1
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Delivery).where(Delivery.target == "chatdistrict")) == 1
    actions = list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[:3] == ["applied", "reject:licence_review", "resubmitted"]
    assert "certified" in actions and "post_screened" in actions


def phone_image(phone, openid: str, media_id: str) -> str:
    from tests.vetting.conftest import reply

    return reply(phone.oa_image(openid, media_id))


def test_blacklisted_code_is_rejected_at_review_two(server, rorg, phone, db, tmp_path: Path):
    csv_file = tmp_path / "blacklist.csv"
    csv_file.write_text(f"统一社会信用代码,企业名称,原因\n{OTHER_CODE},宏达物流,拖欠农民工工资\nBAD,坏行,x\n", encoding="utf-8")
    report = blacklist.import_file(session=db, path=csv_file, now=datetime.now(UTC))
    db.commit()
    assert (report.added, len(report.skipped)) == (1, 1)
    fill_form(phone, EMP, OTHER_CODE)
    phone_image(phone, EMP, "media-1")
    enterprise = db.scalar(select(Enterprise))
    assert "已通过" in app(phone, "officer01", f"通过 {enterprise.code}")
    db.expire_all()
    enterprise = db.get(Enterprise, enterprise.id)
    assert enterprise.status == "rejected" and "黑名单" in enterprise.status_reason
    assert cards(db, enterprise.id, "qualification") == []
    assert "尚未通过企业认证" in oa(phone, EMP, JOB)
    assert db.scalar(select(func.count()).select_from(Item)) == 0


def test_flagged_post_is_held_for_the_officer(server, rorg, phone, db, session_factory):
    certify(phone, db)
    held = oa(phone, EMP, "招聘普工5名 月薪5000 先交押金300 外地人不要 地点甲镇工业园 电话13812340000")
    assert "复核" in held and "押金" in held
    item = db.scalar(select(Item))
    assert item.status == "held" and settle(session_factory) == 0
    assert cards(db, item.id, "post")
    assert "已通过" in app(phone, "officer01", f"通过 {item.code}")
    assert settle(session_factory) == 1


def certify(phone, db) -> Enterprise:
    fill_form(phone, EMP, GOOD_CODE)
    phone_image(phone, EMP, "media-1")
    enterprise = db.scalar(select(Enterprise))
    app(phone, "officer01", f"通过 {enterprise.code}")
    app(phone, "officer01", f"通过 {enterprise.code}")
    db.expire_all()
    enterprise = db.get(Enterprise, enterprise.id)
    assert enterprise.status == "certified"
    return enterprise
