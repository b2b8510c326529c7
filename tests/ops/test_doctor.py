"""`jobmatrix doctor` against a healthy deployment and against one with a fault in every part."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from cryptography.fernet import Fernet
from typer.testing import CliRunner

from app.cli import cli
from app.main import create_app
from app.migrate import upgrade
from app.ops.doctor import diagnose
from app.settings import load_settings
from tests.conftest import TEST_DATA_KEY
from tests.ops import doctor_support as dep
from tests.support.http import serve


@contextmanager
def deployment(database_url, session_factory, *, wrap=None, **server_overrides):
    values = {**dep.GOOD, **server_overrides, "JOBMATRIX_DATABASE_URL": database_url, "JOBMATRIX_DATA_KEY": TEST_DATA_KEY}
    settings = load_settings(**{k: v for k, v in values.items() if v is not None})
    app = create_app(settings, session_factory=session_factory)
    with serve(wrap(app) if wrap else app) as base:
        yield base


def _doctor(env: dict[str, str], *args: str):
    return CliRunner().invoke(cli, ["doctor", *args], env=env)


def _by_check(output: str) -> dict[str, str]:
    lines = {}
    for line in output.splitlines():
        if line.startswith(("ok   ", "FAIL ")):
            check, _, text = line[5:].partition(": ")
            lines[check] = line[:4].strip() + " " + text
    return lines


def test_a_healthy_deployment_passes_every_check(database_url, session_factory, org, tmp_path):
    env = {**dep.GOOD, "JOBMATRIX_DATABASE_URL": database_url, "JOBMATRIX_DATA_KEY": TEST_DATA_KEY}
    with deployment(database_url, session_factory) as base, dep.reference_clock() as clock:
        result = _doctor(env, "--public-url", base, "--time-source", clock, "--key-file", str(tmp_path / "none.key"))
    assert result.exit_code == 0, result.output
    lines = _by_check(result.output)
    assert lines["wecom URL check"].startswith("ok")
    assert lines["mp URL check"].startswith("ok")
    assert lines["aibot URL check"].startswith("ok")
    assert lines["database"].startswith("ok")
    assert lines["clock"].startswith("ok")
    assert lines["stored data"].startswith("ok")  # the org's resident name and phone decrypt
    assert result.output.rstrip().endswith("no problems found")


def test_a_misconfigured_deployment_gets_each_fault_named_with_its_fix(database_url, session_factory, org, tmp_path):
    # The server was set up with another WeCom token and without the Official Account; a proxy
    # quotes the AI bot's answer; the operator's copy has a mistyped AppID and a new data key;
    # this machine's clock is 10 minutes behind the reference.
    env = {**dep.GOOD, "MP_APP_ID": "wx12345", "JOBMATRIX_DATABASE_URL": database_url,
           "JOBMATRIX_DATA_KEY": Fernet.generate_key().decode()}
    with deployment(database_url, session_factory, wrap=dep.QuotingProxy, WECOM_TOKEN="someOtherToken",
                    MP_TOKEN=None) as base, dep.reference_clock(timedelta(minutes=10)) as clock:
        result = _doctor(env, "--public-url", base, "--time-source", clock, "--key-file", str(tmp_path / "none.key"))
    assert result.exit_code == 1
    lines = _by_check(result.output)
    assert "refused the signed check" in lines["wecom URL check"] and "WECOM_TOKEN" in lines["wecom URL check"]
    assert "not configured" in lines["mp URL check"] and "set MP_TOKEN" in lines["mp URL check"]
    assert "instead of the bare echostr" in lines["aibot URL check"]
    assert lines["mp receive id"].startswith("FAIL") and "MP_APP_ID 'wx12345'" in lines["mp receive id"]
    assert lines["clock"].startswith("FAIL") and "behind" in lines["clock"] and "NTP" in lines["clock"]
    assert lines["stored data"].startswith("FAIL") and "cannot be decrypted" in lines["stored data"]
    assert lines["database"].startswith("ok")
    failed = [line for line in result.output.splitlines() if line.startswith("FAIL")]
    assert len(failed) == 5 + 1 and all("fix:" in line for line in failed)
    assert result.output.rstrip().endswith("6 problem(s) found")


def test_unreachable_url_bad_shapes_and_missing_secret_are_named(tmp_path):
    findings = diagnose({"WECOM_TOKEN": "to", "WECOM_ENCODING_AES_KEY": "tooShort42" * 4 + "ab",
                         "WECOM_CORP_ID": "corp", "AIBOT_TOKEN": "botToken1", "MP_TOKEN": "mpToken1",
                         "JOBMATRIX_DATA_KEY": "not-a-fernet-key",
                         "JOBMATRIX_DATABASE_URL": f"sqlite:///{tmp_path / 'absent.db'}"},
                        public_url="http://127.0.0.1:9", key_file=str(tmp_path / "none.key"))
    text = "\n".join(f.line() for f in findings)
    assert "FAIL configuration: WECOM_ENCODING_AES_KEY must be 43 characters" in text
    assert "FAIL configuration: JOBMATRIX_DATA_KEY key #1 is not a Fernet key" in text
    assert "FAIL wecom token: WECOM_TOKEN must be 3-32 letters and digits" in text
    assert "FAIL aibot token: AIBOT_ENCODING_AES_KEY is empty" in text
    assert "FAIL wecom receive id: WECOM_CORP_ID 'corp'" in text
    assert "FAIL wecom secret: WECOM_SECRET is empty" in text
    assert "FAIL mp secret: MP_APP_SECRET is empty" in text
    assert "is unreachable" in text and "FAIL wecom URL check" in text
    assert "FAIL database: sqlite:///" in text and "does not exist" in text
    assert not (tmp_path / "absent.db").exists()  # the doctor only reads


def test_an_old_schema_and_an_unreachable_server_are_named(tmp_path):
    old = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(old, "0006_item_title")
    findings = diagnose({**dep.GOOD, "JOBMATRIX_DATABASE_URL": old}, key_file=str(tmp_path / "k"))
    database = next(f for f in findings if f.check == "database")
    assert not database.ok and "at migration 0006_item_title" in database.text and "jobmatrix migrate" in database.text
    findings = diagnose({**dep.GOOD, "JOBMATRIX_DATABASE_URL": "postgresql://postgres@127.0.0.1:9/nowhere"},
                        key_file=str(tmp_path / "k"))
    database = next(f for f in findings if f.check == "database")
    assert not database.ok and "unreachable" in database.text
    key = next(f for f in findings if f.check == "data key")
    assert key.ok  # no database engine, so the PostgreSQL-only key rule cannot apply yet


def test_without_a_time_source_the_database_clock_is_the_reference(database_url, tmp_path):
    findings = diagnose({**dep.GOOD, "JOBMATRIX_DATABASE_URL": database_url, "JOBMATRIX_DATA_KEY": TEST_DATA_KEY},
                        key_file=str(tmp_path / "k"))
    clock = next(f for f in findings if f.check == "clock")
    assert clock.ok
    if database_url.startswith("postgresql"):
        assert "the database server's clock" in clock.text
    else:
        assert "pass --time-source" in clock.text
