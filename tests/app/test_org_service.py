"""Lookups on the imported Zhongmu tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.db import session_scope
from app.org import service
from app.org.importer import import_org

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "zhongmu.yaml"


@pytest.fixture
def zhongmu(session_factory):
    with session_scope(session_factory) as session:
        import_org(session=session, source_text=EXAMPLE.read_text(encoding="utf-8"), filename="zhongmu.yaml")
    with session_factory() as session:
        yield session


def test_who_is_speaking(zhongmu):
    head = service.get_staff_by_userid(session=zhongmu, userid="zm_gd01_head")
    assert head.role == "village_head" and head.node.code == "zm-gd-01"
    resident = service.get_contact_by_openid(session=zhongmu, openid="o_demo_resident_0001")
    assert resident.kind == "resident" and resident.node.kind == "village"
    employer = service.get_contact_by_userid(session=zhongmu, userid="zm_demo_employer03")
    assert employer.kind == "employer" and employer.node.code == "zm"
    assert service.get_staff_by_userid(session=zhongmu, userid="nobody") is None
    assert service.get_contact_by_openid(session=zhongmu, openid="o_nobody") is None


def test_groups_by_purpose_and_tier(zhongmu):
    assert len(service.list_groups(session=zhongmu, purpose="residents")) == 60
    assert len(service.list_groups(session=zhongmu, node_kind="township")) == 10
    [employers] = service.list_groups(session=zhongmu, purpose="employers", node_kind="district")
    assert (employers.kind, employers.channel, employers.owner_userid) == ("customer", "customer_group", "zm_officer01")
    gd = service.get_node_by_code(session=zhongmu, code="zm-gd")
    assert service.get_group(session=zhongmu, node_id=gd.id, purpose="stewards").address == "zmgdstewards"


def test_stewards_come_before_backups(zhongmu):
    gd = service.get_node_by_code(session=zhongmu, code="zm-gd")
    stewards = service.get_stewards(session=zhongmu, township_id=gd.id)
    assert [s.userid for s in stewards] == ["zm_gd_steward", "zm_gd_backup"]


def test_tree_walks(zhongmu):
    district = service.get_node_by_code(session=zhongmu, code="zm")
    assert len(service.list_children(session=zhongmu, node_id=district.id)) == 10
    assert len(service.list_villages(session=zhongmu, district_id=district.id)) == 60
    village = service.get_node_by_code(session=zhongmu, code="zm-gd-03")
    assert village.overrides == {"service_hours": "07:00-12:00"}
    roles = [s.role for s in service.list_staff(session=zhongmu, node_id=village.id, roles=("volunteer",))]
    assert roles == ["volunteer"]
