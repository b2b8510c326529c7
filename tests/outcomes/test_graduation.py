"""结业即推岗 over real HTTP and the emulator: a class opened through the admin API (a trainee
without consent refuses the whole list), attendance, graduation; within a minute the employers'
group has the batch of masked profiles and each graduate the open jobs that fit."""

from __future__ import annotations

import re
import time

from sqlalchemy import func, select

from app.org.models import Staff
from app.training.models import Trainee, TrainingClass
from relay import outcome_jobs
from relay.models import Item
from tests.outcomes.conftest import World

JOB = "招聘叉车工2名 月薪6000-8000 地点雁鸣湖镇物流园 联系电话13800001111"
TRAINEES = [
    {"person_ref": "o_res_a1", "name": "王测试", "gender": "男", "village_code": "t-a-01", "skills": ["叉车工"],
     "certificate": "叉车证", "consent": True},
    {"person_ref": "o_trainee_2", "name": "刘测试", "gender": "女", "village_code": "t-b-01", "skills": ["叉车工"],
     "certificate": "", "consent": True},
]


def _class_body(trainees: list[dict]) -> dict:
    return {"occupation": "叉车工", "starts_on": "2026-11-01", "ends_on": "2026-11-20", "district_code": "t",
            "trainees": trainees}


def test_a_trainee_without_consent_refuses_the_list(world: World, db):
    body = _class_body([TRAINEES[0], {**TRAINEES[1], "consent": False}])
    answer = world.admin("POST", "/api/training/classes", body)
    assert answer.status_code == 409 and "刘测试 没有同意" in answer.json()["detail"]
    assert db.scalar(select(func.count()).select_from(TrainingClass)) == 0
    assert db.scalar(select(func.count()).select_from(Trainee)) == 0
    unknown = world.admin("POST", "/api/training/classes", _class_body([{**TRAINEES[0], "village_code": "nope"}]))
    assert unknown.status_code == 404 and db.scalar(select(func.count()).select_from(TrainingClass)) == 0
    assert world.admin("POST", "/api/training/classes/T99/graduate").status_code == 404


def test_graduation_pushes_the_batch_and_the_jobs_within_a_minute(world: World, db, session_factory):
    job_code = re.search(r"编号([SJ]\d+)", world.app("officer01", JOB)).group(1)
    world.settle()
    world.oa("o_res_a1", "帮助")  # this graduate wrote to us today; o_trainee_2 never did
    opened = world.admin("POST", "/api/training/classes", _class_body(TRAINEES))
    assert opened.status_code == 201, opened.text
    code = opened.json()["code"]
    for day, present in (("2026-11-02", ["王测试", "刘测试"]), ("2026-11-03", ["o_res_a1", "刘测试", "张某"])):
        recorded = world.admin("POST", f"/api/training/classes/{code}/attendance", {"day": day, "present": present})
        assert recorded.json()["present"] == 2
    assert recorded.json()["unknown"] == ["张某"]

    started, emulated_start = time.monotonic(), world.clock()
    graduated = world.admin("POST", f"/api/training/classes/{code}/graduate")
    assert graduated.status_code == 200 and graduated.json()["graduates"] == 2
    world.dispatch()
    assert time.monotonic() - started < 60
    [batch] = [e for e in world.emulator.state.received("appchat:chatdistrict") if "【结业学员】" in (e["content"] or "")]
    assert batch["time"] - emulated_start < 60
    text = batch["content"]
    assert "王先生 · 甲一村 · 叉车工 · 叉车证" in text and "刘女士 · 前庄村" in text
    assert "王测试" not in text and "刘测试" not in text and "1391234" not in text
    jobs = world.texts_to("openid", "o_res_a1")
    assert len(jobs) == 1 and jobs[0].startswith("恭喜结业") and job_code in jobs[0]
    # The other graduate's window is closed: the jobs wait for their first message, then go out.
    assert world.texts_to("openid", "o_trainee_2") == []
    world.oa("o_trainee_2", "你好")
    outcome_jobs.ask_questions(session_factory=session_factory, now=world.now())
    world.dispatch()
    assert job_code in world.texts_to("openid", "o_trainee_2")[0]
    # A second graduation is refused and sends nothing more.
    again = world.admin("POST", f"/api/training/classes/{code}/graduate")
    assert again.status_code == 409 and "已经结业" in again.json()["detail"]
    assert db.scalar(select(func.count()).select_from(Item).where(Item.kind == "graduates")) == 1


def test_a_trainer_runs_the_class_from_the_wecom_app(world: World, db):
    db.add(Staff(userid="trainer01", name="培训老师", role="trainer", node_id=world.org.district.id))
    db.commit()
    assert "只有培训机构" in world.app("steward_a", "开班 叉车工 2026-11-01 至 2026-11-20")
    assert "开班日期不对" in world.app("trainer01", "开班 叉车工 2026-11-20 至 2026-11-01")
    opened = world.app("trainer01", "开班 叉车工 2026-11-01 至 2026-11-20")
    assert opened.startswith("已开班 T")
    code = opened.split("：")[0].removeprefix("已开班 ")
    assert world.admin("POST", f"/api/training/classes/{code}/attendance",
                       {"day": "2026-11-02", "present": ["x"]}).json()["present"] == 0
    assert "没有同意推荐" in world.app("trainer01", f"结业 {code}")  # no trainees yet: nothing pushed
    assert "没有找到这个培训班" in world.app("trainer01", "结业 T999")
