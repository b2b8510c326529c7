"""A resident who asks for work, or posts a note, is shown the open jobs that fit."""

from __future__ import annotations

from tests.relay.test_inbound_relay import mp_send, settle, wecom_post
from tests.support import callbacks as cb

JOB = "招聘叉车工2名 月薪6000-8000 地点雁鸣湖镇物流园 联系电话13800001111"


def test_a_question_is_answered_with_the_open_jobs_that_fit(server, rorg, session_factory):
    assert "暂时没有" in mp_send(server, "o_res_a1", "有没有开叉车的活", 7101)
    assert "编号J" in wecom_post(server, cb.text_xml("officer01", JOB, 7102))
    settle(session_factory)
    answer = mp_send(server, "o_res_a1", "附近有开叉车的活吗", 7103)
    assert "J" in answer and "13800001111" in answer  # the employer's contact is public
    assert "没有正在招的保洁员" in mp_send(server, "o_res_a1", "有没有招保洁的", 7104)


def test_a_seeker_note_gets_matching_jobs_after_its_ack(server, rorg, session_factory):
    wecom_post(server, cb.text_xml("officer01", JOB, 7110))
    settle(session_factory)
    reply = mp_send(server, "o_res_a1", "本人男 45岁 会开叉车 想在县城找活 电话13912345678", 7111)
    assert "编号S" in reply and "正在招的相关岗位" in reply and "叉车" in reply.split("正在招的相关岗位")[1]
    assert "13912345678" not in reply
