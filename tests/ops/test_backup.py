"""`jobmatrix backup` / `restore`: an online copy, the key kept apart, a wrong key refused."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import delete, select
from typer.testing import CliRunner

from app.cli import cli
from app.db import make_engine, make_session_factory, utcnow
from app.inbound.models import RejectedCallback
from app.migrate import upgrade
from app.org.models import Contact
from tests.conftest import TEST_DATA_KEY
from tests.support.factories import make_small_org


def _run(*args: str, **env: str):
    return CliRunner().invoke(cli, list(args), env={"JOBMATRIX_DATA_KEY": "", **env})


def _sqlite_deployment(path: Path) -> str:
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        make_small_org(session)  # the resident's name and phone are stored encrypted
    engine.dispose()
    return url


def _resident_phone(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return session.scalar(select(Contact.phone).where(Contact.openid == "o_resident_01"))
    finally:
        engine.dispose()


def test_sqlite_backup_is_online_keeps_the_key_apart_and_restores_only_with_it(tmp_path, data_key):
    url = _sqlite_deployment(tmp_path / "live.db")
    stop = threading.Event()

    def keep_writing() -> None:  # the server goes on taking callbacks during the backup
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            while not stop.is_set():
                session.add(RejectedCallback(channel="wecom", code=-40001, reason="test", at=utcnow()))
                session.commit()
        engine.dispose()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        backed = _run("backup", str(tmp_path / "out" / "jm.backup"), "--key-file", str(tmp_path / "none"),
                      JOBMATRIX_DATABASE_URL=url, JOBMATRIX_DATA_KEY=TEST_DATA_KEY)
    finally:
        stop.set()
        writer.join()
    assert backed.exit_code == 0, backed.output
    assert "the data key is NOT in the backup" in backed.output
    files = list((tmp_path / "out").iterdir())
    assert sorted(f.name for f in files) == ["jm.backup", "jm.backup.manifest.json"]
    for file in files:
        assert TEST_DATA_KEY.encode() not in file.read_bytes()
    assert json.loads((tmp_path / "out" / "jm.backup.manifest.json").read_text())["format"] == "sqlite"
    with sqlite3.connect(tmp_path / "out" / "jm.backup") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    target = f"sqlite:///{tmp_path / 'restored.db'}"
    wrong = _run("restore", str(tmp_path / "out" / "jm.backup"), "--data-key", Fernet.generate_key().decode(),
                 JOBMATRIX_DATABASE_URL=target)
    assert wrong.exit_code == 1
    assert "does not decrypt this backup" in wrong.output and "nothing was restored" in wrong.output
    assert not (tmp_path / "restored.db").exists()

    key_file = tmp_path / "kept-apart.key"
    key_file.write_text(TEST_DATA_KEY + "\n")
    restored = _run("restore", str(tmp_path / "out" / "jm.backup"), "--key-file", str(key_file),
                    JOBMATRIX_DATABASE_URL=target)
    assert restored.exit_code == 0, restored.output
    assert "sampled encrypted values decrypt" in restored.output
    assert _resident_phone(target) == "13912345678"

    again = _run("restore", str(tmp_path / "out" / "jm.backup"), "--key-file", str(key_file), JOBMATRIX_DATABASE_URL=target)
    assert again.exit_code == 1 and "pass --force" in again.output
    forced = _run("restore", str(tmp_path / "out" / "jm.backup"), "--key-file", str(key_file), "--force",
                  JOBMATRIX_DATABASE_URL=target)
    assert forced.exit_code == 0, forced.output


def test_a_backup_without_its_manifest_or_without_a_key_is_refused(tmp_path, data_key):
    url = _sqlite_deployment(tmp_path / "live.db")
    no_key = _run("backup", str(tmp_path / "b"), "--key-file", str(tmp_path / "none"), JOBMATRIX_DATABASE_URL=url)
    assert no_key.exit_code == 1 and "no data key configured" in no_key.output
    (tmp_path / "a-file").write_text("")
    unwritable = _run("backup", str(tmp_path / "a-file" / "b"), JOBMATRIX_DATABASE_URL=url, JOBMATRIX_DATA_KEY=TEST_DATA_KEY)
    assert unwritable.exit_code == 1 and "backup failed: [Errno" in unwritable.output
    assert _run("backup", str(tmp_path / "b"), JOBMATRIX_DATABASE_URL=url, JOBMATRIX_DATA_KEY=TEST_DATA_KEY).exit_code == 0
    (tmp_path / "b.manifest.json").unlink()
    orphan = _run("restore", str(tmp_path / "b"), "--data-key", TEST_DATA_KEY,
                  JOBMATRIX_DATABASE_URL=f"sqlite:///{tmp_path / 'r.db'}")
    assert orphan.exit_code == 1 and "manifest" in orphan.output


def test_postgres_backup_and_restore_with_pg_dump(database_url, session_factory, org, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL run only (JOBMATRIX_TEST_DATABASE_URL)")
    out = tmp_path / "pg.backup"
    backed = _run("backup", str(out), JOBMATRIX_DATABASE_URL=database_url, JOBMATRIX_DATA_KEY=TEST_DATA_KEY)
    assert backed.exit_code == 0, backed.output
    assert TEST_DATA_KEY.encode() not in out.read_bytes()
    with session_factory() as session:  # an accident after the backup
        session.execute(delete(Contact))
        session.commit()
    refused = _run("restore", str(out), "--data-key", TEST_DATA_KEY, JOBMATRIX_DATABASE_URL=database_url)
    assert refused.exit_code == 1 and "pass --force" in refused.output
    restored = _run("restore", str(out), "--data-key", TEST_DATA_KEY, "--force", JOBMATRIX_DATABASE_URL=database_url)
    assert restored.exit_code == 0, restored.output
    assert _resident_phone(database_url) == "13912345678"
