"""The README and docs/ stand alone in a clone, name real commands, and explain every metric."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import typer
from prometheus_client.parser import text_string_to_metric_families

from app.cli import cli
from templates_msg.commands import parse_command

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_no_doc_points_outside_the_repository():
    for doc in DOCS:
        text = doc.read_text()
        assert "../" not in text and "shared/" not in text, f"{doc.name} points outside the repository"
        for target in re.findall(r"\]\(([^)]+)\)", text):  # markdown links
            assert not target.startswith("http"), f"{doc.name} links to {target}"
            assert (doc.parent / target.split("#")[0]).exists(), f"{doc.name} links to missing {target}"
        for named in re.findall(r"`docs/([\w.-]+\.md)", text):
            assert (ROOT / "docs" / named).exists(), f"{doc.name} names missing docs/{named}"


def test_every_command_in_the_readme_table_exists():
    commands = set(typer.main.get_command(cli).commands)  # type: ignore[attr-defined]
    named = re.findall(r"^\| `jobmatrix ([a-z][a-z-]*)", (ROOT / "README.md").read_text(), re.M)
    assert {"doctor", "backup", "restore"} <= set(named)
    assert set(named) <= commands


def test_operations_doc_explains_every_metric_the_server_exposes(server):
    # A counter's family is named without _total; the doc names the series Prometheus stores.
    families = {f.name: f.type for f in text_string_to_metric_families(httpx.get(server + "/metrics").text)}
    documented = (ROOT / "docs" / "operations.md").read_text()
    assert len(families) >= 10
    for name, kind in families.items():
        series = name + "_total" if kind == "counter" else name
        assert f"| `{series}` | {kind} |" in documented, series


def test_the_staff_guide_is_in_chinese_and_its_commands_are_understood():
    guide = (ROOT / "docs" / "staff-guide.md").read_text()
    headings = re.findall(r"^#+ (.+)$", guide, re.M)
    assert all(re.search(r"[\u4e00-\u9fff]", h) for h in headings)
    expected = {"通过 J12": "approve", "驳回 J12 工资写得不清楚": "reject", "修改 J12 招叉车工2名 月薪6000 中牟县城": "edit",
                "帮助": "help", "我的发布": "my_items", "撤回 S12": "withdraw", "删除我的信息": "delete_my_data",
                "举报 J12 原因": "report", "企业认证": "employer_register", "J12招满了": "filled", "通过 S12": "approve",
                "撤回 J12": "withdraw", "通过 123": "approve"}
    for example, command in expected.items():
        assert example in guide, example
        parsed = parse_command(example)
        assert parsed is not None and parsed["command"] == command, example
