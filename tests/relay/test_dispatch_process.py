"""`jobmatrix dispatch` as its own process (the PostgreSQL deployment) routes what the webhook
queued: that reads the item's encrypted fields, so the process must load the data key."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import select

from relay import service
from relay.models import Hop, Item
from sandbox.emulator import EmulatorConfig, EmulatorServer
from tests.conftest import TEST_DATA_KEY
from tests.relay.conftest import MORNING
from tests.relay.support import SEEKER, understood


def test_a_dispatch_process_routes_a_queued_item(db, rorg, database_url, tmp_path):
    item = service.submit_item(session=db, kind="seeker", origin_node_id=rorg.villages["a1"].id, author_ref="o_res_a1",
                               author_kind="resident", understanding=understood(SEEKER), now=MORNING, defer=True)
    db.commit()
    with EmulatorServer(EmulatorConfig(users=["steward_a"])) as emu:
        cfg = emu.config
        env = {**os.environ, "JOBMATRIX_DATABASE_URL": database_url, "JOBMATRIX_DATA_KEY": TEST_DATA_KEY,
               "WECOM_API_BASE": emu.wecom_api_base, "WECOM_CORP_ID": cfg.corp_id, "WECOM_SECRET": cfg.secret,
               "WECOM_AGENT_ID": str(cfg.agent_id)}
        code = "from app.cli import main; main()"
        result = subprocess.run([sys.executable, "-c", code, "dispatch", "--until-idle", "--journal-dir", str(tmp_path)],
                                env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        db.expire_all()
        assert db.get(Item, item.id).status == "relaying"
        assert db.scalar(select(Hop.tier).where(Hop.item_id == item.id)) == "township"
        assert [e["msgtype"] for e in emu.state.received("user:steward_a")] == ["template_card"]
