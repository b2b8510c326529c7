"""Every command and endpoint × every role (issue 11, item 2).

Each inbound command runs through the real inbound path (identify → handlers → services, one
transaction) on a fresh database, and the test checks the command's effect in the database, not
the reply: a role outside the allowed set must change nothing. The admin endpoints are called over
real HTTP with the admin token, without one, and with each person's identity as a bearer token.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import func, select

from app.inbound.service import accept
from app.org.models import Contact, Staff
from bots.inbound import CHANNEL_MP, CHANNEL_WECOM, Inbound
from relay import service as relay_service
from relay.models import Hop, Item
from tests.relay.conftest import make_relay_org
from tests.relay.support import JOB_ANYWHERE, SEEKER, understood
from tests.support.factories import certify_employer
from vetting import service as vetting_service
from vetting.codes import with_check_digit
from vetting.models import Enterprise, PostReport, PostReview, RegistrationDialogue
from vetting.review import Application

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
_IDS = itertools.count(1)

# Who speaks, on which channel. "wecom_admin" is a WeCom user whose userid is "admin" (a row
# imported before such userids were refused); "stranger" is a WeCom user nobody listed.
ROLES = {
    "resident": (CHANNEL_MP, "o_res_a1"),
    "employer": (CHANNEL_MP, "o_emp_01"),
    "village_staff": (CHANNEL_WECOM, "head_a1"),
    "steward": (CHANNEL_WECOM, "steward_a"),
    "backup": (CHANNEL_WECOM, "backup_a"),
    "officer": (CHANNEL_WECOM, "officer01"),
    "trainer": (CHANNEL_WECOM, "trainer01"),
    "deactivated_staff": (CHANNEL_WECOM, "gone_a"),
    "wecom_admin": (CHANNEL_WECOM, "admin"),
    "stranger": (CHANNEL_WECOM, "somebody"),
}
DECIDERS = {"steward", "backup", "officer"}
KNOWN = {"resident", "employer", "village_staff", "steward", "backup", "officer", "trainer", "wecom_admin"}


@dataclass
class World:
    hop: Hop
    note: Item
    job: Item
    held_job: Item
    applied: Enterprise
    certified: Enterprise


def build_world(db) -> World:
    rorg = make_relay_org(db)
    db.add_all([
        Staff(userid="trainer01", name="培训老师", role="trainer", node_id=rorg.district.id),
        Staff(userid="gone_a", name="离职管家", role="township_steward", node_id=rorg.town_a.id, active=False,
              left_at=NOW),
        Staff(userid="admin", name="叫admin的志愿者", role="volunteer", node_id=rorg.villages["a1"].id),
    ])
    db.commit()
    employer = db.scalar(select(Contact).where(Contact.openid == "o_emp_01"))
    certify_employer(db, employer, name="示例物流有限公司")
    certified = db.scalar(select(Enterprise))
    note = relay_service.submit_item(session=db, kind="seeker", origin_node_id=rorg.villages["a1"].id,
                                     author_ref="o_res_a1", author_kind="resident", understanding=understood(SEEKER),
                                     now=NOW)
    job = relay_service.submit_item(session=db, kind="job", origin_node_id=rorg.district.id, author_ref="o_emp_01",
                                    author_kind="employer", understanding=understood(JOB_ANYWHERE, "employer"), now=NOW)
    held = relay_service.submit_item(session=db, kind="job", origin_node_id=rorg.district.id, author_ref="o_emp_01",
                                     author_kind="employer", understanding=understood(JOB_ANYWHERE, "employer"), now=NOW)
    held.status, held.hold_reason = "held", "待区级复核：押金"
    db.add(PostReview(item_id=held.id, enterprise_id=certified.id, flags=[], status="held", created_at=NOW))
    application = Application("另一家物流有限公司", with_check_digit("91410122MA45WXY12"), "钱法人", "测试区2号", "物流",
                              "钱经理", "13800004444", "media-2")
    applied = vetting_service.apply(session=db, application=application, actor=vetting_service.ADMIN, via="test",
                                    now=NOW, district_id=rorg.district.id)
    db.commit()
    hop = db.scalar(select(Hop).where(Hop.item_id == note.id, Hop.status == "pending"))
    return World(hop, note, job, held, applied, certified)


def speak(db, role: str, text: str = "", *, click: tuple[str, str] | None = None) -> str:
    channel, sender = ROLES[role]
    inbound = Inbound(
        channel=channel, sender=sender, receiver="x", create_time=0,
        msg_type="event" if click else "text", dedupe_key=f"msg:matrix{next(_IDS)}", content=text,
        event="template_card_event" if click else "",
        event_key=click[0] if click else "", extra={"TaskId": click[1], "ResponseCode": "rc"} if click else {},
    )
    return accept(session=db, inbound=inbound, now=NOW)


def fresh(db, row):
    db.expire_all()
    return db.get(type(row), row.id)


@dataclass(frozen=True)
class Command:
    run: Callable[[object, str, World], object]
    happened: Callable[[object, World], bool]
    allowed: set[str]


COMMANDS = {
    "通过 <hop>": Command(lambda db, r, w: speak(db, r, f"通过 {w.hop.id}"),
                         lambda db, w: fresh(db, w.hop).status == "approved", DECIDERS),
    "驳回 <hop> 原因": Command(lambda db, r, w: speak(db, r, f"驳回 {w.hop.id} 信息不全"),
                           lambda db, w: fresh(db, w.hop).status == "rejected", DECIDERS),
    "修改 <hop> 文字": Command(lambda db, r, w: speak(db, r, f"修改 {w.hop.id} 会开叉车 想找仓库的活"),
                           lambda db, w: fresh(db, w.hop).text.startswith("会开叉车 想找"), DECIDERS),
    "card click 通过": Command(lambda db, r, w: speak(db, r, click=(f"approve:{w.hop.id}", w.hop.card_task_id)),
                             lambda db, w: fresh(db, w.hop).status == "approved", DECIDERS),
    "通过 E<applied>": Command(lambda db, r, w: speak(db, r, f"通过 {w.applied.code}"),
                             lambda db, w: fresh(db, w.applied).status != "licence_review", {"officer"}),
    "暂停 E<certified>": Command(lambda db, r, w: speak(db, r, f"暂停 {w.certified.code} 拖欠工资"),
                               lambda db, w: fresh(db, w.certified).status == "suspended", {"officer"}),
    "通过 J<held>": Command(lambda db, r, w: speak(db, r, f"通过 {w.held_job.code}"),
                          lambda db, w: fresh(db, w.held_job).status != "held", {"officer"}),
    "撤回 S<note>": Command(lambda db, r, w: speak(db, r, f"撤回 {w.note.code}"),
                          lambda db, w: fresh(db, w.note).status == "withdrawn", {"resident", "officer"}),
    "J<job>招满了": Command(lambda db, r, w: speak(db, r, f"{w.job.code}招满了"),
                         lambda db, w: fresh(db, w.job).status == "done", {"employer", "officer"}),
    "举报 J<job> 原因": Command(lambda db, r, w: speak(db, r, f"举报 {w.job.code} 要交押金"),
                            lambda db, w: db.scalar(select(func.count()).select_from(PostReport)) == 1, KNOWN),
    "企业认证": Command(lambda db, r, w: speak(db, r, "企业认证"),
                    lambda db, w: db.scalar(select(func.count()).select_from(RegistrationDialogue)) == 1,
                    {"employer", "stranger"}),
    "删除我的信息": Command(lambda db, r, w: speak(db, r, "删除我的信息"),
                      lambda db, w: db.scalar(select(func.count()).where(Contact.name.is_(None),
                                                                         Contact.openid.is_not(None))) > 0,
                      {"resident", "employer"}),
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_inbound_command_by_role(db, command, role):
    world = build_world(db)
    spec = COMMANDS[command]
    assert not spec.happened(db, world)
    spec.run(db, role, world)
    assert spec.happened(db, world) is (role in spec.allowed), f"{command} by {role}"


TOKEN = "matrix-admin-token"
ENDPOINTS = [
    ("GET", "/api/metrics", None), ("GET", "/api/metrics.csv", None),
    ("GET", "/api/enterprises", None), ("GET", "/api/enterprises/{id}", None),
    ("POST", "/api/enterprises", {"name": "新示范制造有限公司", "credit_code": with_check_digit("91410122MA46QRT12"),
                                  "legal_rep": "孙", "address": "测试区3号", "industry": "制造",
                                  "contact_name": "孙经理", "contact_phone": "13800005555"}),
    ("POST", "/api/enterprises/{id}/decisions", {"action": "approve"}),
    ("GET", "/api/audit", None), ("GET", "/api/audit.csv", None),
]
# The admin token is the only credential: a person's userid or openid (or "admin") is none.
CREDENTIALS = {"admin token": TOKEN, "no token": None, **{role: sender for role, (_, sender) in ROLES.items()}}


@pytest.fixture
def api(make_server, db):
    world = build_world(db)
    with make_server(JOBMATRIX_ADMIN_TOKEN=TOKEN) as base:
        yield base, world


@pytest.mark.parametrize("method, path, body", ENDPOINTS)
def test_admin_endpoint_by_credential(api, db, method, path, body):
    base, world = api
    url = base + path.replace("{id}", str(world.applied.id))
    for credential, token in CREDENTIALS.items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        before = (fresh(db, world.applied).status, db.scalar(select(func.count()).select_from(Enterprise)))
        response = httpx.request(method, url, json=body, headers=headers)
        after = (fresh(db, world.applied).status, db.scalar(select(func.count()).select_from(Enterprise)))
        if credential == "admin token":
            assert response.status_code in (200, 201), (credential, response.text)
        else:
            assert response.status_code == 401, (credential, response.status_code)
            assert after == before, credential


def test_the_dashboard_page_holds_no_figures_without_the_token(api):
    base, _ = api
    page = httpx.get(base + "/dashboard")
    assert page.status_code == 200 and "示例物流" not in page.text
