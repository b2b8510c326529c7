"""Through real HTTP: signed callbacks become items, card clicks and text commands decide hops."""

from __future__ import annotations

import secrets
import time

import httpx
from sqlalchemy import func, select

from app.org.models import Contact
from bots.wire.crypto import sign
from bots.wire.envelope import cdata, parse_xml
from relay.intake import start_queued_items
from relay.models import Delivery, Hop, Item
from tests.support import callbacks as cb
from tests.support.factories import certify_employer


def mp_send(base: str, openid: str, content: str, msg_id: int) -> str:
    ts, nonce = str(int(time.time())), str(secrets.randbelow(10**9))
    plain = (f"<xml><ToUserName>{cdata('gh_test')}</ToUserName><FromUserName>{cdata(openid)}</FromUserName>"
             f"<CreateTime>{ts}</CreateTime><MsgType>{cdata('text')}</MsgType><Content>{cdata(content)}</Content>"
             f"<MsgId>{msg_id}</MsgId></xml>")
    sealed = cb.mp.encrypt(plain, timestamp=ts, nonce=nonce)
    params = {"signature": sign(cb.MP_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "openid": openid,
              "encrypt_type": "aes", "msg_signature": sealed.signature}
    body = f"<xml><ToUserName>{cdata('gh_test')}</ToUserName><Encrypt>{cdata(sealed.encrypt)}</Encrypt></xml>"
    r = httpx.post(f"{base}/mp/callback", params=params, content=body)
    assert r.status_code == 200
    env = parse_xml(r.text)
    return parse_xml(cb.mp.decrypt(encrypt=env["Encrypt"], msg_signature=env["MsgSignature"],
                                   timestamp=env["TimeStamp"], nonce=env["Nonce"]))["Content"]


def wecom_post(base: str, plaintext: str) -> str:
    params, body = cb.sealed_wecom(plaintext)
    r = httpx.post(f"{base}/wecom/callback", params=params, content=body)
    assert r.status_code == 200
    return cb.open_xml_reply(r.text)["Content"] if r.text else ""


def click_xml(userid: str, key: str, task_id: str, code: str, create_time: int) -> str:
    fields = {"ToUserName": cb.CORP_ID, "FromUserName": userid, "CreateTime": create_time, "MsgType": "event",
              "Event": "template_card_event", "EventKey": key, "TaskId": task_id, "CardType": "button_interaction",
              "ResponseCode": code, "AgentID": cb.AGENT_ID}
    return "<xml>" + "".join(f"<{k}>{cdata(str(v))}</{k}>" for k, v in fields.items()) + "</xml>"


def settle(session_factory) -> int:
    """What the relay worker does after the webhook answered: route the queued items."""
    from datetime import UTC, datetime

    return start_queued_items(session_factory=session_factory, now=datetime.now(UTC))


NOTE = "本人王建国 男 45岁 会开叉车有证5年 想在中牟新区找仓库的活 电话13812345678"


def test_resident_note_becomes_an_item_with_a_card_for_the_steward(server, rorg, db, session_factory):
    reply = mp_send(server, "o_res_a1", NOTE, 9001)
    item = db.scalar(select(Item))
    assert f"编号{item.code}" in reply and "13812345678" not in reply
    assert item.status == "queued"  # the webhook only wrote the item; the worker routes it
    assert settle(session_factory) == 1
    db.expire_all()
    item = db.scalar(select(Item))
    assert (item.kind, item.status, item.origin_node_id, item.author_kind) == ("seeker", "relaying", rorg.villages["a1"].id, "resident")
    card = db.scalar(select(Delivery).where(Delivery.purpose == "card"))
    assert (card.channel, card.target) == ("app", "steward_a")
    assert "13812345678" not in str(card.payload)
    # WeCom's retry of the same message creates nothing new
    assert mp_send(server, "o_res_a1", NOTE, 9001) == reply
    assert db.scalar(select(func.count()).select_from(Item)) == 1


def test_card_click_over_http_applies_once(server, rorg, db, session_factory):
    mp_send(server, "o_res_a1", NOTE, 9002)
    settle(session_factory)
    hop = db.scalar(select(Hop))
    now = int(time.time())
    click = click_xml("steward_a", f"approve:{hop.id}", hop.card_task_id, "rc-1", now)
    assert "已通过" in wecom_post(server, click)
    assert "已通过" in wecom_post(server, click)  # a retry gets the first reply again
    assert "没有改动" in wecom_post(server, click_xml("steward_a", f"approve:{hop.id}", hop.card_task_id, "rc-2", now + 1))
    db.expire_all()
    updates = list(db.scalars(select(Delivery).where(Delivery.purpose == "card_update")))
    assert [u.payload["response_code"] for u in updates] == ["rc-1"]
    assert db.scalar(select(func.count()).select_from(Delivery).where(Delivery.target == "chatdistrict")) == 1


def test_text_commands_over_http(server, rorg, db, session_factory):
    mp_send(server, "o_res_a1", NOTE, 9003)
    settle(session_factory)
    code = db.scalar(select(Item)).code
    refusal = wecom_post(server, cb.text_xml("steward_b", f"通过 {code}", 1))
    assert "无权" in refusal
    assert "已修改" in wecom_post(server, cb.text_xml("steward_a", f"修改 {code} 叉车工 有证5年 找仓库活", 2))
    assert "已通过" in wecom_post(server, cb.text_xml("steward_a", f"通过 {code}", 3))
    db.expire_all()
    post = db.scalar(select(Delivery).where(Delivery.target == "chatdistrict"))
    assert post.payload["content"].startswith("叉车工 有证5年 找仓库活")


def test_job_from_the_officer_and_policy_are_submitted(server, rorg, db):
    job = wecom_post(server, cb.text_xml("officer01", "招聘叉车工2名 月薪6000-8000 地点雁鸣湖镇物流园 联系电话13800001111", 4))
    assert "编号J" in job
    policy = wecom_post(server, cb.text_xml("officer01", "通知：2026年灵活就业社保补贴开始申报，请到村委会登记。", 5))
    assert "编号P" in policy
    assert sorted(db.scalars(select(Item.kind))) == ["job", "policy"]


def test_certified_employer_job_is_submitted_but_a_resident_job_is_not(server, rorg, db):
    uncertified = mp_send(server, "o_emp_01", "招聘保洁员3名 月薪3000 地点县城各小区 联系电话13800002222", 9003)
    assert "编号" not in uncertified and "企业认证" in uncertified
    contact = db.scalar(select(Contact).where(Contact.openid == "o_emp_01"))
    certify_employer(db, contact, name="测试保洁公司", phone="13800002222")
    assert "编号J" in mp_send(server, "o_emp_01", "招聘保洁员3名 月薪3000 地点县城各小区 联系电话13800002222", 9004)
    assert "编号" not in mp_send(server, "o_res_a1", "招聘保洁员3名 月薪3000 地点县城各小区 联系电话13800002222", 9005)
    assert db.scalar(select(func.count()).select_from(Item)) == 1


def test_held_note_waits_for_village_staff_who_release_it(server, rorg, db, session_factory):
    reply = mp_send(server, "o_res_a1", "会电焊 想在县城干活 联系123456789", 9006)
    settle(session_factory)
    item = db.scalar(select(Item))
    assert item.status == "held" and f"编号{item.code}" in reply
    notices = sorted(db.scalars(select(Delivery.target).where(Delivery.purpose == "notice")))
    assert notices == ["head_a1", "hr_a1"]
    assert db.scalar(select(func.count()).select_from(Hop)) == 0
    assert "无权" in wecom_post(server, cb.text_xml("steward_a", f"通过 {item.code}", 6))
    assert "已核对" in wecom_post(server, cb.text_xml("hr_a1", f"修改 {item.code} 会电焊 想在县城干活 电话13912345678", 7))
    db.expire_all()
    hop = db.scalar(select(Hop))
    assert hop.status == "pending" and "13912345678" not in hop.text
    assert db.scalar(select(Delivery.target).where(Delivery.purpose == "card")) == "steward_a"


def test_a_stewards_click_follows_the_deployments_time_zone(make_server, rorg, db):
    """02:00 UTC is 10:00 in Shanghai (villages open) but 21:00 in New York (closed): with
    JOBMATRIX_TIMEZONE=America/New_York the village posts wait for the morning."""
    from datetime import UTC, datetime

    from relay import service
    from tests.relay.support import JOB_ANYWHERE, understood

    at = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    item = service.submit_item(session=db, kind="job", origin_node_id=rorg.district.id, author_ref="officer01",
                               author_kind="staff", understanding=understood(JOB_ANYWHERE), now=at)
    db.commit()
    hop = db.scalar(select(Hop).where(Hop.item_id == item.id, Hop.tier == "township", Hop.to_node_id == rorg.town_a.id))
    with make_server(clock=lambda: at, JOBMATRIX_TIMEZONE="America/New_York", JOBMATRIX_CALLBACK_MAX_SKEW=0) as base:
        assert "已通过" in wecom_post(base, click_xml("steward_a", f"approve:{hop.id}", hop.card_task_id, "rc-tz", 1))
    db.expire_all()
    village_posts = db.scalars(select(Delivery).join(Hop, Hop.id == Delivery.hop_id)
                               .where(Delivery.item_id == item.id, Hop.tier == "village")).all()
    assert village_posts and all(d.not_before > at for d in village_posts)


def test_a_span_masked_on_suspicion_is_shown_to_the_steward_and_never_relayed(server, rorg, db, session_factory):
    note = "本人男 45岁 会开叉车 想在中牟新区找仓库的活 住在后街第三排第二家 电话13812345678"
    reply = mp_send(server, "o_res_a1", note, 9201)
    assert "第三排第二家" not in reply  # the resident's own ack shows what will be relayed
    settle(session_factory)
    db.expire_all()
    item = db.scalar(select(Item))
    assert "第三排第二家" not in item.masked_text
    card = db.scalar(select(Delivery).where(Delivery.purpose == "card")).payload["card"]
    assert card["sub_title_text"].startswith("【疑似隐私：第三排第二家】")
    assert "13812345678" not in str(card)
    hop = db.scalar(select(Hop).where(Hop.item_id == item.id))
    wecom_post(server, click_xml("steward_a", f"approve:{hop.id}", hop.card_task_id, "rc-s", int(time.time())))
    db.expire_all()
    relayed = [d.payload["content"] for d in db.scalars(select(Delivery).where(Delivery.purpose == "relay"))]
    assert relayed and all("第三排第二家" not in text and "疑似隐私" not in text for text in relayed)


def test_a_note_that_could_be_either_kind_is_asked_about_and_the_answer_completes_it(server, rorg, db):
    # A resident's "trade + place + phone" may be their own note or an ad they pass on.
    ambiguous = "电焊工 县城 13800003333"
    question = mp_send(server, "o_res_a1", ambiguous, 9101)
    assert question.startswith("您是在找工作，还是在招人？")
    assert db.scalar(select(func.count()).select_from(Item)) == 0  # nothing relayed on a guess
    reply = mp_send(server, "o_res_a1", "1", 9102)
    item = db.scalar(select(Item))
    assert item is not None and item.kind == "seeker" and f"编号{item.code}" in reply
    assert "13800003333" not in item.masked_text and "13800003333" not in reply
    # The question is answered once: a later "2" is a message of its own, not a second answer.
    assert not mp_send(server, "o_res_a1", "2", 9103).startswith("您是在找工作")
    assert db.scalar(select(func.count()).select_from(Item)) == 1


def test_a_reply_that_does_not_answer_the_kind_question_is_a_new_message(server, rorg, db):
    assert mp_send(server, "o_res_a1", "电焊工 县城 13800003333", 9111).startswith("您是在找工作")
    reply = mp_send(server, "o_res_a1", "本人男45岁会开叉车有证5年 想在中牟新区找仓库的活 电话13812345678", 9112)
    item = db.scalar(select(Item))
    assert item.kind == "seeker" and "叉车" in item.masked_text and "电焊" not in item.masked_text
    assert f"编号{item.code}" in reply


def test_an_employer_is_asked_too_and_the_answer_makes_it_a_job_ad(server, rorg, db):
    contact = db.scalar(select(Contact).where(Contact.openid == "o_emp_01"))
    certify_employer(db, contact, name="测试焊接厂", phone="13800007777")
    # Trade, 日结, place, phone: the employer may be passing on someone's note, so we ask.
    assert mp_send(server, "o_emp_01", "焊工 日结 官渡 13800007777", 9122).startswith("您是在找工作")
    assert db.scalar(select(func.count()).select_from(Item)) == 0
    # As a job ad it lacks the pay: the usual precise question, and the next message completes it.
    assert "还差：工资待遇" in mp_send(server, "o_emp_01", "2", 9123)
    reply = mp_send(server, "o_emp_01", "一天300", 9124)
    item = db.scalar(select(Item))
    assert item is not None and item.kind == "job" and "编号J" in reply and "焊工" in item.masked_text


def test_chat_neither_answers_the_kind_question_nor_joins_a_half_note(server, rorg, db):
    assert mp_send(server, "o_res_a1", "保姆 郑州 13800003333", 9131).startswith("您是在找工作")
    assert mp_send(server, "o_res_a1", "嗯", 9132).startswith("您是在找工作")  # asked again, nothing lost
    assert "编号" in mp_send(server, "o_res_a1", "找工作", 9133)
    # A half note waits through a 谢谢, which does not become part of it.
    assert "还差" in mp_send(server, "o_res_a1", "电话13912345670 想找个活", 9134)
    assert "编号" not in mp_send(server, "o_res_a1", "谢谢", 9135)
    reply = mp_send(server, "o_res_a1", "会电焊 想在县城干", 9136)
    items = list(db.scalars(select(Item).order_by(Item.id)))
    assert len(items) == 2 and "编号" in reply and "谢谢" not in items[1].masked_text
