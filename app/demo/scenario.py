"""The scripted part of the demo: a few people of the example org talk to the bot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bots.wire.envelope import parse_xml
from sandbox.phone import CallbackResult, Phone

VILLAGE = "zm-qnl-01"  # 建设路社区 of 青年路街道 in examples/zhongmu.yaml
RESIDENT = "o_demo_scenario_resident"
EMPLOYER = "o_demo_employer_0001"
STEWARD = "zm_qnl_steward"


@dataclass(frozen=True)
class Step:
    who: str
    says: str
    send: Callable[[Phone], CallbackResult]


STEPS = [
    Step("新群众扫村里的二维码", f"(扫码 {VILLAGE})", lambda p: p.oa_subscribe(RESIDENT, scene=VILLAGE)),
    Step("群众发求职信息", "本人张卫东 男 46岁 会开叉车有证5年 想在中牟新区找仓库的活 电话138 1234 5678",
         lambda p: p.oa_text(RESIDENT, "本人张卫东 男 46岁 会开叉车有证5年 想在中牟新区找仓库的活 电话138 1234 5678")),
    Step("企业发招聘", "招叉车工3名 月薪5000-6500 包吃住 年龄25-50 地点中牟汽车产业园 联系电话13900001111 周经理",
         lambda p: p.oa_text(EMPLOYER, "招叉车工3名 月薪5000-6500 包吃住 年龄25-50 地点中牟汽车产业园 联系电话13900001111 周经理")),
    Step("信息管家", "收到", lambda p: p.app_text(STEWARD, "收到")),
]


def reply_text(result: CallbackResult) -> str:
    if result.reply is None:
        return "(无回复)" if result.ok else f"(失败: HTTP {result.status}, {result.errors})"
    try:
        return parse_xml(result.reply).get("Content", result.reply)
    except Exception:
        return result.reply


def play(phone: Phone, *, log=print) -> list[CallbackResult]:
    results = []
    for step in STEPS:
        result = step.send(phone)
        results.append(result)
        log(f"\n▶ {step.who}: {step.says}\n  ◀ 机器人: {reply_text(result)}")
    return results
