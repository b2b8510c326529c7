"""Migration 0004 up and down on a scratch SQLite database; the blacklist CLI with its progress bar."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, inspect, select
from typer.testing import CliRunner

from app.db import make_engine
from app.migrate import downgrade, upgrade
from tests.conftest import TEST_DATA_KEY
from tests.vetting.conftest import GOOD_CODE
from vetting.models import BlacklistEntry

TABLES = {"enterprises", "enterprise_members", "registration_dialogues", "vetting_blacklist", "vetting_cards",
          "post_reviews", "post_reports", "vetting_audit"}


def test_upgrade_downgrade_upgrade(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    assert TABLES <= set(inspect(make_engine(url)).get_table_names())
    downgrade(url, "0003_relay")
    assert not TABLES & set(inspect(make_engine(url)).get_table_names())
    upgrade(url)


def test_blacklist_import_command(database_url, db, tmp_path: Path, monkeypatch):
    import app.cli.vetting  # noqa: F401  (registers `jobmatrix vetting`)
    from app.cli import cli
    from app.settings import get_settings

    monkeypatch.setenv("JOBMATRIX_DATA_KEY", TEST_DATA_KEY)
    get_settings.cache_clear()
    csv_file = tmp_path / "list.csv"
    csv_file.write_text(f"credit_code,name,reason\n{GOOD_CODE},宏达物流,欠薪\n123,坏,x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["vetting", "blacklist", "import", str(csv_file), "--database-url", database_url])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output and "skipped" in result.output
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(BlacklistEntry)) == 1
