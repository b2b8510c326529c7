"""The data key (issue 11, item 15): created once with mode 0600, required on PostgreSQL, and
`jobmatrix rotate-keys` re-encrypts every stored value under the newest key (resumable).

Before the fix concurrent first starts each wrote their own key (the last one won, so rows
written by the others became unreadable), PostgreSQL processes each made a local key file, and
there was no way to retire an old key.
"""

from __future__ import annotations

import stat
import subprocess
import sys
import threading
import time

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import text
from typer.testing import CliRunner

import app.cli.keys  # noqa: F401  (registers rotate-keys)
from app import privacy
from app.cli import cli
from app.inbound.models import InboundMessage
from app.org.models import Contact, Node
from app.privacy import DataCipher, install_cipher, load_or_create_local_key
from app.settings import get_settings
from tests.conftest import TEST_DATA_KEY


def test_concurrent_first_starts_agree_on_one_key_with_mode_0600(tmp_path, monkeypatch):
    real = privacy.generate_key

    def slow_key() -> str:
        time.sleep(0.05)  # every thread is past "does the file exist?" before anyone writes
        return real()

    monkeypatch.setattr(privacy, "generate_key", slow_key)
    path = tmp_path / "var" / "data.key"
    keys: list[str] = []
    threads = [threading.Thread(target=lambda: keys.append(load_or_create_local_key(path))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1 and Fernet(keys[0])
    assert path.read_text().strip() == keys[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["data.key"]  # no temporary file left behind


def test_an_empty_key_file_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "data.key"
    path.write_text("")
    with pytest.raises(ValueError, match="data.key"):
        load_or_create_local_key(path)


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["dispatch", "--until-idle"], ["scheduler"]])
def test_postgresql_processes_refuse_to_start_without_the_data_key(command, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "JOBMATRIX_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    result = subprocess.run([sys.executable, "-c", "from app.cli import main; main()", *command],
                            capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert "configuration error: JOBMATRIX_DATA_KEY" in result.stderr and "PostgreSQL" in result.stderr
    assert not (tmp_path / "var" / "data.key").exists()


@pytest.fixture
def rows_under_the_old_key(db, data_key):
    install_cipher(DataCipher([TEST_DATA_KEY]))
    village = Node(code="v", kind="village", name="一村", overrides={})
    db.add(village)
    db.flush()
    db.add_all([Contact(kind="resident", openid=f"o_rot_{n:03d}", node_id=village.id, name=f"居民{n}",
                        phone=f"1380000{n:04d}") for n in range(25)])
    db.add_all([InboundMessage(channel="mp", dedupe_key=f"msg:rot{n}", sender=f"o_rot_{n:03d}", sender_kind="resident",
                               msg_type="text", content=f"会开叉车 {n}", reply="收到") for n in range(25)])
    db.commit()
    new_key = Fernet.generate_key().decode()
    yield new_key
    install_cipher(DataCipher([TEST_DATA_KEY]))
    get_settings.cache_clear()


def raw_tokens(db) -> list[str]:
    values = []
    for table, column in (("contacts", "name"), ("contacts", "phone"), ("inbound_messages", "content"),
                          ("inbound_messages", "reply")):
        values += [v for (v,) in db.execute(text(f"SELECT {column} FROM {table}")) if v is not None]
    return values


def rotate(database_url: str, keys: str, *extra: str):
    return CliRunner().invoke(cli, ["rotate-keys", "--database-url", database_url, *extra],
                              env={"JOBMATRIX_DATA_KEY": keys})


def test_rotate_keys_re_encrypts_every_row_and_resumes(db, database_url, rows_under_the_old_key, monkeypatch):
    new_key = rows_under_the_old_key
    keys = f"{new_key},{TEST_DATA_KEY}"
    from app import rotation

    real, calls = rotation.rotate_batch, []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the operator's Ctrl-C, or a crash, half-way
        return real(*args, **kwargs)

    monkeypatch.setattr(rotation, "rotate_batch", interrupted)
    first = rotate(database_url, keys, "--batch", "10")
    assert first.exit_code != 0
    monkeypatch.setattr(rotation, "rotate_batch", real)
    db.expire_all()
    tokens = raw_tokens(db)
    half = sum(1 for t in tokens if _opens(new_key, t))
    assert 0 < half < len(tokens)  # some rows were done, some not

    second = rotate(database_url, keys, "--batch", "10")
    assert second.exit_code == 0, second.output
    assert "already under the newest key" in second.output
    tokens = raw_tokens(db)
    assert len(tokens) == 100 and all(_opens(new_key, t) for t in tokens)
    # The old key can now be retired: the application reads everything with the new key alone.
    install_cipher(DataCipher([new_key]))
    db.expire_all()
    assert {c.phone for c in db.query(Contact)} == {f"1380000{n:04d}" for n in range(25)}


def _opens(key: str, token: str) -> bool:
    try:
        Fernet(key).decrypt(token.encode())
    except InvalidToken:
        return False
    return True
