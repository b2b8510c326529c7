"""Start-up refuses bad configuration with one line; private data never rests in plain text."""

from __future__ import annotations

import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import MetaData, select, text

from app.demo.environment import DemoEnvironment
from app.demo.scenario import play
from app.org.models import Contact
from app.privacy import DataCipher, install_cipher
from tests.conftest import TEST_DATA_KEY


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env}
    return subprocess.run([sys.executable, "-c", "from app.cli import main; main()", *args],
                          capture_output=True, text=True, env=clean, timeout=60, cwd=".")


@pytest.mark.parametrize("variable, value", [
    ("WECOM_ENCODING_AES_KEY", "tooshort"),
    ("MP_ENCODING_AES_KEY", "a" * 42 + "!"),
    ("WECOM_API_BASE", "qyapi.weixin.qq.com/cgi-bin"),
    ("JOBMATRIX_DATABASE_URL", "mysql://x@y/z"),
    ("JOBMATRIX_DATA_KEY", "not-a-fernet-key"),
    ("JOBMATRIX_TIMEZONE", "Mars/Olympus"),
])
def test_bad_configuration_stops_start_up_with_one_line_naming_the_variable(variable, value, tmp_path):
    env = {"JOBMATRIX_DATABASE_URL": f"sqlite:///{tmp_path}/x.db", variable: value}
    result = run_cli("serve", "--port", "0", env=env)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("configuration error: " + variable), result.stderr


def test_keygen_prints_a_usable_fernet_key():
    result = run_cli("keygen", env={})
    key = result.stdout.strip()
    assert result.returncode == 0 and Fernet(key).decrypt(Fernet(key).encrypt(b"x")) == b"x"


def test_rotation_keeps_old_rows_readable_and_rotates_them(db, session_factory):
    old = DataCipher([TEST_DATA_KEY])
    token = old.encrypt("13912345678")
    rotated = DataCipher([Fernet.generate_key().decode(), TEST_DATA_KEY])
    assert rotated.decrypt(token) == "13912345678"
    new_token = rotated.rotate(token)
    assert rotated.decrypt(new_token) == "13912345678"
    with pytest.raises(ValueError):
        old.decrypt(new_token)  # the rotated row needs the new key


def test_a_dump_of_every_table_after_the_demo_shows_no_resident_phone_or_name(database_url, session_factory, db):
    with DemoEnvironment(database_url=database_url, data_key=TEST_DATA_KEY) as env:
        play(env, log=lambda *_: None)
    install_cipher(DataCipher([TEST_DATA_KEY]))
    tables = MetaData()
    tables.reflect(bind=db.get_bind())
    dump = "\n".join(
        repr(tuple(row)) for table in tables.sorted_tables for row in db.execute(text(f'SELECT * FROM "{table.name}"'))
    )
    assert "叉车" in dump  # the dump has content: masked notes are stored in clear
    for secret in ("13812345678", "138 1234 5678", "张卫东", "13800000101"):
        assert secret not in dump, secret
    # ... while the application still reads them back
    assert db.scalar(select(Contact.phone).where(Contact.openid == "o_demo_employer_0001")) == "13800000001"
