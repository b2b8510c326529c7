"""Helpers for relay tests: understood notes and a look at the outbox."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from relay.models import Delivery
from templates_msg.model import Understanding
from templates_msg.understand import understand

SEEKER = "本人王建国 男 45岁 会开叉车有证5年 想在中牟新区找仓库的活 电话13812345678"
JOB = "招聘叉车工2名 月薪6000-8000 地点雁鸣湖镇物流园 联系电话13800001111"
JOB_ANYWHERE = "招聘保洁员3名 月薪3000 地点县城各小区 联系电话13800002222"
POLICY = "通知：2026年灵活就业社保补贴开始申报，请到村委会登记。"


def understood(text: str, role: str = "seeker") -> Understanding:
    result = understand(text, author_role=role)
    assert result.complete, result.missing
    return result


def deliveries(session: Session, **where: object) -> list[Delivery]:
    query = select(Delivery).order_by(Delivery.id)
    for name, value in where.items():
        query = query.where(getattr(Delivery, name) == value)
    return list(session.scalars(query))


def targets(session: Session, purpose: str = "relay") -> list[str]:
    return sorted(d.target for d in deliveries(session, purpose=purpose))
