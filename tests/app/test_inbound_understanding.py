"""What residents see back: masked acks, a friendly request for what is missing, completion."""

from __future__ import annotations

import httpx
from sqlalchemy import select, text

from app.inbound.models import PartialNote
from tests.support import callbacks as cb


def send(base: str, sender: str, content: str, msg_id: int) -> str:
    params, body = cb.sealed_wecom(cb.text_xml(sender, content, msg_id))
    r = httpx.post(f"{base}/wecom/callback", params=params, content=body)
    assert r.status_code == 200
    return cb.open_xml_reply(r.text)["Content"]


def test_complete_seeker_note_is_acknowledged_masked(server, org):
    reply = send(server, "head01", "本人王建国 男 45岁 会开叉车有证5年 想在中牟新区找仓库的活 电话13812345678", 1)
    assert "求职信息" in reply
    assert "13812345678" not in reply and "王建国" not in reply
    assert "叉车" in reply


def test_incomplete_note_asks_for_what_is_missing_and_the_next_message_completes_it(server, org, db):
    first = send(server, "head01", "电话13912345670 想找个活", 2)
    assert "还差" in first and "参考" in first
    assert db.scalar(select(PartialNote.sender)) == "head01"
    raw = db.execute(text("SELECT state FROM partial_notes")).scalar()
    assert "13912345670" not in raw  # the kept note is encrypted like message text
    second = send(server, "head01", "会电焊 想在县城干", 3)
    assert "求职信息" in second and "还差" not in second
    assert db.scalar(select(PartialNote.sender)) is None


def test_chat_gets_a_short_thanks(server, org):
    assert "谢谢" in send(server, "head01", "收到 谢谢", 4)


def test_the_name_model_is_loaded_when_the_app_starts(make_server, monkeypatch):
    from templates_msg import ner

    monkeypatch.setattr(ner, "_model", None)
    with make_server():
        assert ner._model is not None  # loaded at start-up, not inside the first callback
