"""The doctor's checks of state outside the configuration: database, clock, data key."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
from sqlalchemy import Engine, Text, select, text, type_coerce
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from app.ops.findings import Finding, ok, problem
from app.ops.readiness import head_revision
from app.privacy import DataCipher, EncryptedText, parse_keys
from app.settings import Settings

SAMPLES_PER_COLUMN = 3


def database_findings(settings: Settings) -> tuple[list[Finding], Engine | None]:
    """Reachable and at the newest migration; the engine for the checks that follow (None if unreachable)."""
    from app.db import make_engine

    url = make_url(settings.database_url)
    where = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        if not Path(url.database).exists():  # connecting would create an empty file: say so instead
            return [problem("database", f"{where}: the file does not exist; fix: check JOBMATRIX_DATABASE_URL, "
                            "or create it with `jobmatrix migrate`")], None
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            try:
                current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except SQLAlchemyError:
                current = None
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = str(exc.orig if getattr(exc, "orig", None) else exc).splitlines()[0]
        return [problem("database", f"{where} is unreachable ({reason}); fix: check JOBMATRIX_DATABASE_URL and "
                        "that the database server runs and accepts this host")], None
    head = head_revision()
    if current != head:
        state = "not migrated" if current is None else f"at migration {current}, the code expects {head}"
        return [problem("database", f"{where} is {state}; fix: run `jobmatrix migrate`")], engine
    return [ok("database", f"{where} is reachable and at migration {head}")], engine


def _skew_from(source: str, engine: Engine | None, client: httpx.Client) -> tuple[float, str] | str:
    """(this clock minus the reference, reference name), or why no reference could be read."""
    before = time.time()
    if source:
        try:
            answer = client.head(source, follow_redirects=True)
            stamp = answer.headers.get("date", "")
            remote = parsedate_to_datetime(stamp).timestamp()
        except (httpx.HTTPError, TypeError, ValueError) as exc:
            return f"{source} gave no usable Date header ({type(exc).__name__}); fix: pass another --time-source"
        return (before + time.time()) / 2 - remote, source
    if engine is not None and engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            remote = float(conn.execute(text("SELECT extract(epoch FROM clock_timestamp())")).scalar_one())
        return (before + time.time()) / 2 - remote, "the database server's clock"
    return ""


def clock_finding(engine: Engine | None, *, time_source: str, max_skew: float, client: httpx.Client) -> Finding:
    try:
        measured = _skew_from(time_source, engine, client)
    except SQLAlchemyError:
        return problem("clock", "the database clock could not be read; fix: see the database finding")
    if measured == "":
        return ok("clock", "SQLite has no second clock to compare with; pass --time-source URL to check")
    if isinstance(measured, str):
        return problem("clock", measured)
    skew, reference = measured
    where = f"{abs(skew):.0f} s {'ahead of' if skew > 0 else 'behind'} {reference}"
    if abs(skew) > max_skew:
        return problem("clock", f"this machine's clock is {where} (allowed {max_skew:.0f} s): WeCom's signed "
                       "timestamps look stale and deadlines shift; fix: turn on NTP (`timedatectl set-ntp true`, chrony)")
    return ok("clock", f"within {max_skew:.0f} s of {reference} ({where})")


def _configured_keys(settings: Settings, engine: Engine | None, key_file: Path) -> tuple[list[str], Finding]:
    keys = parse_keys(settings.data_key)
    if keys:
        return keys, ok("data key", f"{len(keys)} key(s) in JOBMATRIX_DATA_KEY")
    postgres = engine is not None and engine.dialect.name == "postgresql"
    if key_file.exists():
        if postgres:
            return [key_file.read_text().strip()], problem(
                "data key", f"JOBMATRIX_DATA_KEY is empty and {key_file} exists on this host only: other hosts would "
                "encrypt with a different key; fix: set JOBMATRIX_DATA_KEY to the file's content on every host")
        return [key_file.read_text().strip()], ok("data key", f"key file {key_file}")
    if postgres:
        return [], problem("data key", "JOBMATRIX_DATA_KEY is empty; fix: `jobmatrix keygen`, then set "
                           "JOBMATRIX_DATA_KEY to it on every host (and keep a copy apart from the backups)")
    return [], ok("data key", f"none yet: {key_file} will be created on first start")


def stored_samples(engine: Engine) -> list[str]:
    """A few raw (still encrypted) values of every encrypted column."""
    import app.models  # noqa: F401  (every table registered)
    from app.db import Base

    samples: list[str] = []
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, EncryptedText):
                    raw = type_coerce(column, Text)
                    query = select(raw).where(column.is_not(None)).limit(SAMPLES_PER_COLUMN)
                    samples.extend(conn.execute(query).scalars())
    return samples


def count_undecryptable(samples: list[str], keys: list[str]) -> int:
    cipher = DataCipher(keys)
    unreadable = 0
    for sample in samples:
        try:
            cipher.decrypt(sample)
        except ValueError:
            unreadable += 1
    return unreadable


def data_key_findings(settings: Settings, engine: Engine | None, *, key_file: str) -> list[Finding]:
    keys, finding = _configured_keys(settings, engine, Path(key_file))
    findings = [finding]
    if engine is None or not finding.ok and not keys:
        return findings
    try:
        samples = stored_samples(engine)
    except SQLAlchemyError:
        return findings  # not migrated: the database finding says so
    if not samples:
        return findings + [ok("stored data", "nothing encrypted yet")]
    if not keys:
        return findings + [problem("stored data", f"{len(samples)} encrypted values but no key; fix: set "
                                   "JOBMATRIX_DATA_KEY to the key that encrypted them")]
    unreadable = count_undecryptable(samples, keys)
    if unreadable:
        return findings + [problem("stored data", f"{unreadable} of {len(samples)} sampled values cannot be decrypted "
                                   "with the configured key(s); fix: put the key that encrypted them into "
                                   "JOBMATRIX_DATA_KEY (newest first, older keys after it)")]
    return findings + [ok("stored data", f"{len(samples)} sampled encrypted values decrypt")]
