"""`jobmatrix demo --simulated-days N`: the demo starts on a simulated past, then goes live."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

from app.cli import cli
from relay.models import Item


def test_demo_starts_on_a_simulated_past_then_serves_live(tmp_path):
    started = datetime.now(UTC)
    result = CliRunner().invoke(cli, ["demo", "--port", "0", "--emulator-port", "0", "--workdir", str(tmp_path),
                                      "--simulated-days", "1", "--exit-after-scenario"])
    assert result.exit_code == 0, result.output
    assert "simulated 1 days of 60 villages" in result.output
    assert "Open http://" in result.output
    engine = create_engine(f"sqlite:///{tmp_path / 'jobmatrix.db'}")
    with engine.connect() as db:
        simulated = db.scalar(select(func.count()).select_from(Item).where(Item.created_at < started - timedelta(hours=1)))
    assert simulated > 0  # yesterday's items, stamped with the simulated clock, not now
