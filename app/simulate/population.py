"""Who lives in the simulated district: an org file (invented, or the example org with more
employers), the residents who may scan their village's poster, and what each of them writes.

Everything is invented: names are drawn from common characters, phone numbers are 138000xxxxx,
openids start with o_sim_.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml
from sqlalchemy import select, update
from sqlalchemy.orm import Session

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英玉兰建华志强国庆红梅德胜桂芳春燕海燕金凤长青"
SKILLS = ["开叉车", "电焊", "做保洁", "做饭", "开货车", "砌墙", "看孩子", "缝纫", "装卸", "种菜大棚", "修车", "当保安"]
INTENTS = ["仓库", "工地", "饭店", "保洁", "物流园", "工厂", "小区物业", "家政"]
JOBS = [("叉车工", 4500, 6500), ("保洁员", 2400, 3200), ("普工", 3800, 5200), ("电焊工", 6000, 8500),
        ("厨师", 4500, 7000), ("装卸工", 4000, 6000), ("保安", 2800, 3600), ("缝纫工", 3500, 5500),
        ("货车司机", 6000, 9000), ("育婴员", 4000, 6000)]
COMPANY_KINDS = ["食品", "物流", "汽配", "纺织", "建材", "物业", "家政服务", "农业科技", "电子", "包装"]
TOWN_SUFFIX = ["镇", "乡", "街道"]
VILLAGE_SUFFIX = ["村", "村", "村", "社区"]
PLACE_CHARS = "东西南北大小新老河岗庄集寨店桥湾坡楼营屯堡王李张刘白黄青红安和平兴隆丰富"
RESIDENTS_PER_VILLAGE = 125  # 50,000 residents in 400 villages
EMPLOYERS_PER_VILLAGE = 2.5  # 1,000 employers in 400 villages
MANUAL_SHARE = 0.1  # villages whose residents' group is an ordinary WeChat group relayed by hand


def _phone(rng: random.Random) -> str:
    return f"138000{rng.randrange(100000):05d}"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _place(rng: random.Random, used: set[str], suffixes: list[str]) -> str:
    while True:
        name = "".join(rng.choice(PLACE_CHARS) for _ in range(2)) + rng.choice(suffixes)
        if name not in used:
            used.add(name)
            return name


def employer_entries(count: int, rng: random.Random, *, start: int = 1) -> list[dict]:
    return [{"openid": f"o_sim_emp_{n:05d}", "name": f"{_place(rng, set(), ['']) }{rng.choice(COMPANY_KINDS)}有限公司 "
             f"{rng.choice(SURNAMES)}经理", "phone": _phone(rng)} for n in range(start, start + count)]


def invented_district(villages: int, rng: random.Random, *, code: str = "sim") -> dict:
    """An org file (docs/org-file.md) of one district with `villages` villages in townships of 20."""
    townships = max(1, -(-villages // 20))
    names: set[str] = set()
    district = {
        "code": code, "name": "模拟县",
        "overrides": {"service_hours": "08:00-20:00", "quiet_hours": "21:30-07:30"},
        "groups": [{"purpose": "employers", "kind": "customer", "chat_id": f"wr{code}employers",
                    "owner": f"{code}_officer01", "name": "模拟县企业招聘群"}],
        "staff": [{"userid": f"{code}_officer01", "name": _person(rng), "role": "district_officer"},
                  {"userid": f"{code}_officer02", "name": _person(rng), "role": "district_officer"}],
        "employers": employer_entries(round(villages * EMPLOYERS_PER_VILLAGE), rng),
        "townships": [],
    }
    for t in range(1, townships + 1):
        tcode = f"{code}-t{t:02d}"
        uid = tcode.replace("-", "_")
        township = {
            "code": tcode, "name": _place(rng, names, TOWN_SUFFIX),
            "groups": [{"purpose": "stewards", "kind": "internal", "channel": "appchat", "address": f"{uid.replace('_', '')}stw",
                        "name": "信息管家群"}],
            "staff": [{"userid": f"{uid}_steward", "name": _person(rng), "role": "township_steward"},
                      {"userid": f"{uid}_backup", "name": _person(rng), "role": "backup_steward"}],
            "villages": [],
        }
        for v in range(1, min(20, villages - (t - 1) * 20) + 1):
            vcode, vuid = f"{tcode}-{v:02d}", f"{uid}_{v:02d}"
            name = _place(rng, names, VILLAGE_SUFFIX)
            group = ({"purpose": "residents", "kind": "manual", "relay_by": f"{vuid}_vol", "name": f"{name}求职群"}
                     if rng.random() < MANUAL_SHARE else
                     {"purpose": "residents", "kind": "customer", "chat_id": f"wr{vuid.replace('_', '')}", "owner": f"{vuid}_head",
                      "name": f"{name}求职群"})
            township["villages"].append({
                "code": vcode, "name": name, "groups": [group],
                "staff": [{"userid": f"{vuid}_head", "name": _person(rng), "role": "village_head"},
                          {"userid": f"{vuid}_hr", "name": _person(rng), "role": "hr_specialist"},
                          {"userid": f"{vuid}_vol", "name": _person(rng), "role": "volunteer"}],
            })
        district["townships"].append(township)
    return {"version": 1, "district": district}


def example_org_with_employers(path: Path, employers: int, rng: random.Random) -> dict:
    """The example org file, with `employers` invented employers added to its district."""
    org = yaml.safe_load(path.read_text(encoding="utf-8"))
    org["district"].setdefault("employers", []).extend(employer_entries(employers, rng))
    return org


def org_text(org: dict) -> str:
    return "# Invented by `jobmatrix simulate`: every name, phone and id is made up.\n" + yaml.safe_dump(
        org, allow_unicode=True, sort_keys=False)


@dataclass
class Village:
    code: str
    name: str
    township: str
    residents: int  # how many live there (the pool that may scan the poster)
    joined: list[str] = field(default_factory=list)  # openids of those who scanned


def villages_of(org: dict, residents_per_village: int = RESIDENTS_PER_VILLAGE) -> list[Village]:
    return [Village(code=v["code"], name=v["name"], township=t["name"], residents=residents_per_village)
            for t in org["district"]["townships"] for v in t.get("villages", [])]


def seeker_note(rng: random.Random, village: Village) -> str:
    sex = rng.choice(("男", "女"))
    return (f"本人{_person(rng)} {sex} {rng.randint(22, 58)}岁 会{rng.choice(SKILLS)} "
            f"想在{village.township}附近找{rng.choice(INTENTS)}的活 电话{_phone(rng)}")


def job_post(rng: random.Random, place: str, phone: str) -> str:
    title, low, high = rng.choice(JOBS)
    low, high = low + rng.randrange(0, 500, 100), high + rng.randrange(0, 800, 100)
    return (f"招{title}{rng.randint(1, 8)}名 月薪{low}-{high} {rng.choice(('包吃住', '包午餐', '交五险', '有宿舍'))} "
            f"年龄{rng.randint(18, 25)}-{rng.randint(45, 58)} 地点{place} 联系电话{phone.replace(' ', '') or _phone(rng)} {rng.choice(SURNAMES)}经理")


def certify_employers(session: Session, now: datetime) -> int:
    """The district's employers taken through reviews 1 and 2 by an officer (vetting.service, the
    code behind POST /api/enterprises and its decisions), so they may post: the bureau certified
    them before the simulated period."""
    from app.org.models import Contact
    from relay.models import Delivery
    from vetting import service
    from vetting.codes import with_check_digit
    from vetting.review import Application

    employers = session.scalars(select(Contact).where(Contact.kind == "employer").order_by(Contact.id)).all()
    certified = 0
    for n, contact in enumerate(employers, start=1):
        if service.enterprise_of_contact(session=session, contact_id=contact.id) is not None:
            continue
        company, _, person = (contact.name or "模拟企业").partition(" ")
        application = Application(
            name=company, credit_code=with_check_digit(f"91410122MA{n:07d}"), legal_rep=person or "模拟法人",
            address="模拟县示例路1号", industry="制造业", contact_name=person or company,
            contact_phone=contact.phone or "", licence_media_id=f"sim-licence-{n}",
        )
        enterprise = service.apply(session=session, application=application, actor=service.ADMIN, via="simulate",
                                   now=now, contact=contact)
        for _ in range(2):  # review 1 (licence), review 2 (qualification)
            service.decide(session=session, enterprise_id=enterprise.id, action="approve", actor=service.ADMIN, now=now)
        certified += 1
    # Decided before the period: their notices would reach employers whose Official Account window
    # is closed (§4.3), so none is sent.
    session.execute(update(Delivery).where(Delivery.status == "queued").values(status="cancelled"))
    return certified
