"""The org import: the Zhongmu example, idempotence, updates, precise errors, the CLI, privacy."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

import app.cli.org  # noqa: F401  (registers `org` on the cli until app/cli/__init__.py imports it)
from app.cli import cli
from app.db import session_scope
from app.org.importer import ImportReport, OrgFileInvalid, import_org
from app.org.models import ChatGroup, Contact, Node, Staff
from app.privacy import DataCipher, install_cipher
from app.settings import get_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "zhongmu.yaml"
VILLAGE_ROLES = {"village_head", "hr_specialist", "volunteer"}

SMALL = """\
version: 1
district:
  code: t
  name: 测试县
  groups:
    - {purpose: employers, kind: customer, chat_id: wrtemployers, owner: t_officer}
  staff:
    - {userid: t_officer, name: 甲, role: district_officer}
  townships:
    - code: t-a
      name: 甲镇
      groups:
        - {purpose: stewards, channel: appchat, address: tastewards}
      staff:
        - {userid: t_a_steward, name: 乙, role: township_steward}
      villages:
        - code: t-a-01
          name: 一村
          groups:
            - {purpose: residents, kind: customer, chat_id: wrta01residents, owner: t_a01_hr}
          staff:
            - userid: t_a01_head
              name: 丙
              role: village_head
            - {userid: t_a01_hr, name: 丁, role: hr_specialist}
            - {userid: t_a01_vol, name: 戊, role: volunteer}
          residents:
            - {openid: o_demo_test_0001, name: 己, phone: "13800000009"}
"""


def run_import(factory: sessionmaker[Session], source: str, filename: str = "org.yaml") -> ImportReport:
    with session_scope(factory) as session:
        return import_org(session=session, source_text=source, filename=filename)


def snapshot(factory: sessionmaker[Session]) -> dict[str, list[tuple]]:
    """Every org row as plain tuples (decrypted), to prove a failed import changed nothing."""
    with factory() as session:
        return {
            "nodes": sorted(
                (n.code, n.kind, n.name, n.parent_id, str(n.overrides)) for n in session.scalars(select(Node))
            ),
            "groups": sorted(
                (g.node_id, g.purpose, g.channel, g.address, g.name)
                for g in session.scalars(select(ChatGroup))
            ),
            "staff": sorted(
                (s.userid, s.name, s.role, s.node_id, s.mobile or "") for s in session.scalars(select(Staff))
            ),
            "contacts": sorted(
                (c.openid or "", c.wecom_userid or "", c.node_id, c.phone or "")
                for c in session.scalars(select(Contact))
            ),
        }


def counts_of(report: ImportReport) -> dict[str, tuple[int, int, int]]:
    return {table: (c.created, c.updated, c.unchanged) for table, c in report.counts.items()}


def test_example_loads_the_whole_matrix(session_factory):
    report = run_import(session_factory, EXAMPLE.read_text(encoding="utf-8"), "zhongmu.yaml")

    assert report.warnings == []
    with session_factory() as session:
        kinds = dict(session.execute(select(Node.kind, func.count()).group_by(Node.kind)).all())
        assert kinds["district"] == 1 and kinds["township"] >= 8 and kinds["village"] == 60
        for village in session.scalars(select(Node).where(Node.kind == "village")):
            assert sorted(s.role for s in village.staff) == sorted(VILLAGE_ROLES), village.code
            assert [g.purpose for g in village.groups] == ["residents"]
        for township in session.scalars(select(Node).where(Node.kind == "township")):
            assert {s.role for s in township.staff} == {"township_steward", "backup_steward"}
            assert [(g.purpose, g.channel) for g in township.groups] == [("stewards", "appchat")]
            assert township.parent.kind == "district"
        district = session.scalar(select(Node).where(Node.kind == "district"))
        assert {s.role for s in district.staff} == {"district_officer", "trainer"}
        assert [g.purpose for g in district.groups] == ["employers"]
        residents = session.execute(
            select(ChatGroup.kind, ChatGroup.channel, ChatGroup.owner_userid, Staff.node_id, ChatGroup.node_id)
            .join(Staff, Staff.userid == ChatGroup.owner_userid).where(ChatGroup.purpose == "residents")
        ).all()
        assert len(residents) == 60  # every residents' group has an owner or relayer who is staff
        kinds_seen = {(r.kind, r.channel) for r in residents}
        assert kinds_seen == {("customer", "customer_group"), ("manual", "manual")}
        assert sum(r.kind == "manual" for r in residents) == 5  # a few villages relay by hand
        assert all(r[3] == r[4] for r in residents)  # each village's own staff owns its group
        employers = session.scalar(select(ChatGroup).where(ChatGroup.purpose == "employers"))
        assert (employers.kind, employers.owner_userid) == ("customer", "zm_officer01")
        assert session.scalar(select(func.count()).select_from(Contact)) >= 5
    total_nodes = sum(kinds.values())
    assert counts_of(report)["nodes"] == (total_nodes, 0, 0)
    assert counts_of(report)["staff"] == (3 * 60 + 2 * kinds["township"] + 3, 0, 0)


def test_second_import_changes_nothing(session_factory):
    source = EXAMPLE.read_text(encoding="utf-8")
    first = run_import(session_factory, source)
    before = snapshot(session_factory)

    second = run_import(session_factory, source)

    assert not second.changed
    for table, (created, updated, unchanged) in counts_of(second).items():
        assert (created, updated) == (0, 0)
        assert unchanged == first.counts[table].created
    assert snapshot(session_factory) == before


def test_changed_file_updates_in_place(session_factory):
    run_import(session_factory, SMALL)
    changed = (
        SMALL.replace("name: 一村", "name: 一村（新）")
        .replace("name: 丁, role: hr_specialist", 'name: 丁, role: hr_specialist, mobile: "13800000010"')
        .replace("  name: 甲镇\n", "  name: 甲镇\n      overrides: {auto_approve: false}\n")
    )

    report = run_import(session_factory, changed)

    assert counts_of(report)["nodes"] == (0, 2, 1)
    assert counts_of(report)["staff"] == (0, 1, 4)
    # The residents group has no name of its own in the file, so it follows the village's new name.
    assert counts_of(report)["groups"] == (0, 1, 2)
    with session_factory() as session:
        assert session.scalar(select(Node.name).where(Node.code == "t-a-01")) == "一村（新）"
        assert session.scalar(select(Node.overrides).where(Node.code == "t-a")) == {"auto_approve": False}
        assert session.scalar(select(Staff).where(Staff.userid == "t_a01_hr")).mobile == "13800000010"
        assert session.scalar(select(func.count()).select_from(Node)) == 3
        assert (
            session.scalar(select(ChatGroup.name).where(ChatGroup.purpose == "residents"))
            == "一村（新）群众求职群"
        )


def test_moving_a_village_to_another_township_keeps_its_row(session_factory):
    run_import(session_factory, SMALL)
    moved = SMALL.replace("      villages:\n", "").replace(
        "        - code: t-a-01", "    - code: t-b\n      name: 乙镇\n      villages:\n        - code: t-a-01"
    )
    run_import(session_factory, moved)
    with session_factory() as session:
        village = session.scalar(select(Node).where(Node.code == "t-a-01"))
        assert village.parent.code == "t-b"
        assert session.scalar(select(func.count()).select_from(Node)) == 4


BROKEN = {
    "wrong role": (("role: village_head", "role: village_haed  # <-"), "role 'village_haed' is not one of: "),
    "duplicate code": (("code: t-a-01", "code: t-a  # <-"), "node code 't-a' is already used on line 10"),
    "unknown channel": (
        ("channel: appchat, address: tastewards", "channel: robots, address: tastewards"),
        "channel 'robots' is not one of: appchat, robot",
    ),
    "missing userid": (
        ("- userid: t_a01_head\n              name: 丙", "- name: 丙  # <-"),
        "has no 'userid'",
    ),
    "bad yaml": (("name: 一村", "name: 一村: 二村  # <-"), "YAML syntax error"),
}


def expected_line(source: str) -> int:
    marked = [n for n, line in enumerate(source.splitlines(), start=1) if "# <-" in line or "robots" in line]
    assert len(marked) == 1
    return marked[0]


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_error_names_the_line_and_writes_nothing(session_factory, case):
    (old, new), message = BROKEN[case]
    run_import(session_factory, SMALL)
    before = snapshot(session_factory)
    source = SMALL.replace(old, new).replace("name: 丙,", "name: 丙丙,").replace("name: 一村", "name: 一村改")
    assert source != SMALL

    with pytest.raises(OrgFileInvalid) as caught:
        run_import(session_factory, source, "broken.yaml")

    [error] = caught.value.errors
    assert message in error.message
    assert error.line == expected_line(source)
    assert str(error).startswith(f"broken.yaml, line {error.line}, column ")
    assert snapshot(session_factory) == before


def test_every_error_is_reported_not_just_the_first(session_factory):
    source = SMALL.replace("role: volunteer", "role: volunter").replace(
        "channel: appchat, address: tastewards", "channel: fax, address: tastewards"
    )
    with pytest.raises(OrgFileInvalid) as caught:
        run_import(session_factory, source)
    assert [e.line for e in caught.value.errors] == [13, 26]
    assert "did you mean 'volunteer'" in caught.value.errors[1].message
    assert snapshot(session_factory) == {"nodes": [], "groups": [], "staff": [], "contacts": []}


def test_phone_numbers_are_encrypted_at_rest(session_factory):
    run_import(session_factory, EXAMPLE.read_text(encoding="utf-8"))
    with session_factory() as session:
        raw = session.execute(text("SELECT phone, name FROM contacts")).all()
        raw_mobiles = session.scalars(text("SELECT mobile FROM staff WHERE mobile IS NOT NULL")).all()
        phones = session.scalars(select(Contact.phone).where(Contact.phone.is_not(None))).all()
    assert len(phones) >= 5 and "13800000001" in phones and "037100000002" in phones
    assert raw_mobiles
    stored = " ".join(str(value) for row in raw for value in row) + " ".join(raw_mobiles)
    for phone in [*phones, "13800000101"]:
        assert phone not in stored
        assert phone[-8:] not in stored


@pytest.fixture
def cli_env(monkeypatch, data_key):
    """The CLI reads its key from settings; give it the test key, and restore the test cipher after."""
    monkeypatch.setenv("JOBMATRIX_DATA_KEY", data_key)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
    install_cipher(DataCipher([data_key]))


def test_cli_imports_and_reports(session_factory, database_url, cli_env):
    result = CliRunner().invoke(cli, ["org", "import", str(EXAMPLE), "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert "nodes" in result.output and "changes applied" in result.output
    again = CliRunner().invoke(cli, ["org", "import", str(EXAMPLE), "--database-url", database_url])
    assert again.exit_code == 0 and "nothing changed" in again.output


def test_cli_exits_1_with_the_line_of_each_error(session_factory, database_url, cli_env, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(SMALL.replace("role: village_head", "role: stweard"), encoding="utf-8")

    result = CliRunner().invoke(cli, ["org", "import", str(broken), "--database-url", database_url])

    assert result.exit_code == 1
    assert "line 24, column 21: role 'stweard' is not one of:" in result.output
    assert "nothing was imported" in result.output
    assert snapshot(session_factory)["nodes"] == []


def test_cli_dry_run_counts_but_writes_nothing(session_factory, database_url, cli_env):
    result = CliRunner().invoke(
        cli, ["org", "import", str(EXAMPLE), "--database-url", database_url, "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "dry run" in result.output and "changes found" in result.output
    assert snapshot(session_factory)["nodes"] == []
