"""A trainer's WeCom app commands: 开班 叉车工 2026-12-01 至 2026-12-20, 签到 T3 张三 李四, 结业 T3.
Trainees (with their consent) come through the admin API (docs/outcomes.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.org.models import Staff
from app.training import service
from relay import outcome_messaging as say
from relay.errors import RelayError
from relay.org_view import load_org
from relay.rules import DeadlinePolicy, local

TRAINER_ROLES = ("trainer", "district_officer")


def run(*, session: Session, staff: Staff, command: dict, now: datetime, policy: DeadlinePolicy | None) -> str:
    """The reply to a trainer's command; refusals are replies too and change nothing."""
    if staff.role not in TRAINER_ROLES:
        return say.NOT_A_TRAINER
    try:
        return _run(session, staff, command, now, policy or DeadlinePolicy())
    except RelayError as refusal:
        return refusal.reply


def _run(session: Session, staff: Staff, command: dict, now: datetime, policy: DeadlinePolicy) -> str:
    if command["command"] == "open_class":
        district = load_org(session=session).up_to(staff.node_id, "district")
        assert district is not None, "every staff node lies under a district"
        opened = service.open_class(session=session, occupation=command["occupation"], starts_on=command["starts_on"],
                                    ends_on=command["ends_on"], district_id=district.id, trainer_ref=staff.userid,
                                    trainees=[], now=now)
        return say.class_opened(opened.code, opened.occupation, f"{opened.starts_on:%m月%d日}", f"{opened.ends_on:%m月%d日}")
    training_class = service.get_class(session=session, code=command["code"])
    if staff.role == "trainer" and training_class.trainer_ref != staff.userid:
        return say.CLASS_NOT_YOURS
    if command["command"] == "attend":
        present, unknown = service.record_attendance(session=session, training_class=training_class,
                                                     day=local(now, policy).date(), present=command["names"])
        return say.attendance_recorded(training_class.code, present, unknown)
    done = service.graduate(session=session, training_class=training_class, actor=staff.userid, now=now)
    return say.class_graduated(training_class.code, len(done.graduates), done.jobs_sent)
