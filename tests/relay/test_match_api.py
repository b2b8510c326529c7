"""The matching API other modules call (relay.matching), on items made through the real webhook:
a job published by the district officer, seeker notes approved by their steward."""

from __future__ import annotations

from sqlalchemy import select

from relay.matching import best_jobs_for_fields, best_jobs_for_seeker, best_seekers_for_job
from relay.models import Delivery, Item
from tests.relay.test_inbound_relay import mp_send, settle, wecom_post
from tests.support import callbacks as cb

WELDER_NOTE = "本人男 38岁 会电焊 有焊工证 干了6年 想在甲镇找焊工的活 电话13912340001"
FORKLIFT_NOTE = "本人男 45岁 会开叉车有证5年 想找叉车的活 电话13912345678"
WELD_JOB = "招电焊工2名 月薪7000-9000 年龄25-50岁 有焊工证优先 地点甲镇钢构厂 联系电话13800002222"


def approve(server: str, db, code: str, msg_id: int) -> str:
    return wecom_post(server, cb.text_xml("steward_a", f"通过 {code}", msg_id))


def post_note(server, db, session_factory, openid: str, text: str, msg_id: int) -> Item:
    mp_send(server, openid, text, msg_id)
    settle(session_factory)
    db.expire_all()
    return db.scalar(select(Item).where(Item.kind == "seeker").order_by(Item.id.desc()))


def test_a_published_job_gets_the_approved_seekers_that_fit_with_reasons(server, rorg, db, session_factory):
    welder = post_note(server, db, session_factory, "o_res_a1", WELDER_NOTE, 8101)
    assert best_seekers_for_job(db, 999999) == []  # unknown job: nothing, no error
    assert "通过" in approve(server, db, welder.code, 8102)
    assert "编号J" in wecom_post(server, cb.text_xml("officer01", WELD_JOB, 8103))
    settle(session_factory)
    db.expire_all()
    job = db.scalar(select(Item).where(Item.kind == "job"))
    [suggestion] = best_seekers_for_job(db, job.id)
    assert suggestion.code == welder.code
    # 甲一村 and the 甲镇 works share the township; the 焊工证, the age in 25-50, 电焊 itself
    assert suggestion.reasons[:4] == ("同镇", "有焊工证", "年龄符合", "想干电焊工")
    assert suggestion.reason_line.startswith("同镇 · 有焊工证 · 年龄符合")
    assert "13912340001" not in suggestion.text and "0001" not in suggestion.text
    # the employer (here the officer who posted) was sent the same suggestion, without phone digits
    sent = db.scalar(select(Delivery).where(Delivery.purpose == "match", Delivery.item_id == job.id))
    assert sent.target == "officer01" and welder.code in sent.payload["content"]
    assert "0001" not in sent.payload["content"] and "年龄符合" in sent.payload["content"]
    # and the seeker's side: the job fits them
    assert [s.code for s in best_jobs_for_seeker(db, welder.id)] == [job.code]


def test_a_seeker_note_is_matched_only_once_approved_and_gets_the_open_jobs(server, rorg, db, session_factory):
    wecom_post(server, cb.text_xml("officer01", WELD_JOB, 8201))
    settle(session_factory)
    welder = post_note(server, db, session_factory, "o_res_a1", WELDER_NOTE, 8202)
    db.expire_all()
    job = db.scalar(select(Item).where(Item.kind == "job"))
    assert best_seekers_for_job(db, job.id) == []  # not approved yet: not offered to employers
    approve(server, db, welder.code, 8203)
    db.expire_all()
    assert [s.code for s in best_seekers_for_job(db, job.id)] == [welder.code]
    to_seeker = db.scalar(select(Delivery).where(Delivery.purpose == "match", Delivery.item_id == welder.id))
    assert to_seeker.channel == "mp" and to_seeker.target == "o_res_a1"
    assert job.code in to_seeker.payload["content"] and "已审核通过" in to_seeker.payload["content"]


def test_jobs_for_a_person_not_stored_as_a_note(server, rorg, db, session_factory):
    wecom_post(server, cb.text_xml("officer01", WELD_JOB, 8301))
    settle(session_factory)
    db.expire_all()
    fields = {"skills": ["焊工"], "intent_jobs": [], "age": 30, "certs": ["焊工证"]}
    [fit] = best_jobs_for_fields(db, fields=fields, text="电焊培训结业 持焊工证", node_id=rorg.villages["a2"].id)
    assert fit.reasons[:3] == ("同镇", "有焊工证", "年龄符合")  # 甲二村 is in 甲镇
    # the job's age range is a hard limit: 60 is outside 25-50
    assert best_jobs_for_fields(db, fields={**fields, "age": 60}, text="电焊 持焊工证", node_id=None) == []
    # 有焊工证优先 prefers the certificate without requiring it: shown, lower, without that reason
    [without] = best_jobs_for_fields(db, fields={**fields, "certs": []}, text="会电焊", node_id=None)
    assert "有焊工证" not in without.reasons and without.score < fit.score


def test_a_job_that_requires_a_certificate_is_not_offered_to_a_seeker_without_one(server, rorg, db, session_factory):
    wecom_post(server, cb.text_xml("officer01", WELD_JOB.replace("有焊工证优先", "须持焊工证"), 8401))
    settle(session_factory)
    db.expire_all()
    fields = {"skills": ["焊工"], "intent_jobs": [], "age": 30}
    assert best_jobs_for_fields(db, fields=fields, text="会电焊", node_id=None) == []
    [fit] = best_jobs_for_fields(db, fields={**fields, "certs": ["焊工证"]}, text="会电焊 有焊工证", node_id=None)
    assert "有焊工证" in fit.reasons


def test_a_matching_failure_does_not_stop_the_relay(server, rorg, db, session_factory, monkeypatch):
    from relay.match import hooks

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in matching")

    monkeypatch.setattr(hooks, "rank", broken)
    wecom_post(server, cb.text_xml("officer01", WELD_JOB, 8501))
    settle(session_factory)
    db.expire_all()
    job = db.scalar(select(Item).where(Item.kind == "job"))
    assert job.status == "relaying"
    assert db.scalar(select(Delivery).where(Delivery.item_id == job.id, Delivery.purpose == "relay")) is not None
    assert db.scalar(select(Delivery).where(Delivery.purpose == "match")) is None
