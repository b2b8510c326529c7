"""Our own code is never optional in the tests (issue 11, item 21): a test that
`importorskip`s one of the project's packages turns a broken import into a silent skip.
Before the fix tests/bots/test_emulator.py and tests/bots/test_sql_token_store.py did."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
OURS = {"app", "bots", "relay", "vetting", "templates_msg", "sandbox", "bench", "migrations", "tests"}


def _skipped_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "importorskip"
                and node.args and isinstance(node.args[0], ast.Constant)
                and str(node.args[0].value).split(".")[0] in OURS):
            found.append(f"{path.relative_to(TESTS.parent)}:{node.lineno} importorskip({node.args[0].value!r})")
    return found


def test_no_test_importorskips_a_module_of_this_project():
    found = [hit for path in sorted(TESTS.rglob("*.py")) for hit in _skipped_imports(path)]
    assert found == []
