"""`jobmatrix backup` / `restore`: the database alone, never the data key.

A backup is two files: the data (SQLite: a page-by-page copy made with SQLite's online backup
API, consistent while the server keeps writing; PostgreSQL: `pg_dump --format=custom`) and
`<file>.manifest.json`, which records the migration and a *key check* — a fixed sentence encrypted
with the data key. The key check proves which key the backup needs without containing it, so
`restore` refuses a wrong key before it touches anything. The key itself is kept apart by the
operator (docs/operations.md, Backup and restore).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from app.privacy import DataCipher

KEY_CHECK_PLAINTEXT = "JobMatrix backup key check"
MANIFEST_SUFFIX = ".manifest.json"
SQLITE_PAGES_PER_STEP = 256

Progress = Callable[[int, int], None]  # (done, total)


class BackupError(Exception):
    """One line for the operator; nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    format: str  # sqlite | pg_dump-custom
    created_at: str
    migration: str
    key_check: str

    @classmethod
    def read(cls, backup: Path) -> Manifest:
        path = manifest_path(backup)
        if not path.exists():
            raise BackupError(f"{path} is missing: a backup is the data file and its manifest, copied together")
        data = json.loads(path.read_text())
        return cls(data["format"], data["created_at"], data["migration"], data["key_check"])

    def write(self, backup: Path) -> None:
        manifest_path(backup).write_text(json.dumps(self.__dict__, indent=2) + "\n")


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def _current_migration(database_url: str) -> str:
    from app.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar() or "")
    finally:
        engine.dispose()


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _sqlite_copy(source: Path, target: Path, progress: Progress) -> None:
    """SQLite's online backup: a consistent copy even while other connections write."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src, dst = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(partial)
    try:
        src.backup(dst, pages=SQLITE_PAGES_PER_STEP,
                   progress=lambda _status, remaining, total: progress(total - remaining, total))
    finally:
        dst.close()
        src.close()
    os.replace(partial, target)


def _run_pg_tool(args: list[str], env: dict[str, str], tables: int, progress: Progress) -> None:
    """Run pg_dump/pg_restore --verbose; each table it reports advances the progress."""
    done = 0
    try:
        process = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    except FileNotFoundError:
        raise BackupError(f"{args[0]} is not installed; install the PostgreSQL client tools "
                          "(Debian: apt-get install postgresql-client)") from None
    assert process.stderr is not None
    errors = []
    for line in process.stderr:
        if "table" in line and ("dumping contents" in line or "processing data" in line):
            done += 1
            progress(min(done, tables), tables)
        elif "error" in line.lower():
            errors.append(line.strip())
    if process.wait() != 0:
        raise BackupError(f"{args[0]} failed: {'; '.join(errors[-3:]) or 'see its output'}")
    progress(tables, tables)


def _table_count(database_url: str) -> int:
    from app.db import make_engine

    engine = make_engine(database_url)
    try:
        return len(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def backup(*, database_url: str, keys: list[str], out: Path, progress: Progress) -> Manifest:
    """Write the backup and its manifest; the data key goes nowhere."""
    if not keys:
        raise BackupError("no data key configured: without it a backup could never be read; set JOBMATRIX_DATA_KEY")
    url = make_url(database_url)
    out.parent.mkdir(parents=True, exist_ok=True)
    migration = _current_migration(database_url)
    if url.get_backend_name() == "sqlite":
        source = _sqlite_file(url)
        if not source.exists():
            raise BackupError(f"{source} does not exist")
        _sqlite_copy(source, out, progress)
        kind = "sqlite"
    else:
        dsn, env = _libpq(url)
        _run_pg_tool(["pg_dump", "--format=custom", "--no-owner", "--verbose", f"--file={out}", dsn], env,
                     _table_count(database_url), progress)
        kind = "pg_dump-custom"
    manifest = Manifest(kind, datetime.now(UTC).isoformat(timespec="seconds"), migration,
                        DataCipher(keys).encrypt(KEY_CHECK_PLAINTEXT))
    manifest.write(out)
    return manifest


def check_key(manifest: Manifest, keys: list[str]) -> None:
    """Refuse a key that did not make this backup (before anything is restored)."""
    if not keys:
        raise BackupError("no data key given: pass --data-key (or set JOBMATRIX_DATA_KEY) with the key kept apart")
    try:
        ok = DataCipher(keys).decrypt(manifest.key_check) == KEY_CHECK_PLAINTEXT
    except ValueError:
        ok = False
    if not ok:
        raise BackupError("the given data key does not decrypt this backup (it was made with another key); "
                          "nothing was restored")


def restore(*, backup_file: Path, database_url: str, keys: list[str], force: bool, progress: Progress) -> Manifest:
    """Put the backup in place of the target database, after checking the key and that nothing is lost."""
    manifest = Manifest.read(backup_file)
    check_key(manifest, keys)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if manifest.format != "sqlite":
            raise BackupError(f"this is a {manifest.format} backup; restore it into PostgreSQL")
        target = _sqlite_file(url)
        if target.exists() and target.stat().st_size and not force:
            raise BackupError(f"{target} already holds a database; stop the services and pass --force to replace it")
        # Read-only and without the server's pragmas: the backup file is not modified by looking at it.
        bad, sampled = unreadable_values(create_engine(f"sqlite:///file:{backup_file.resolve()}?mode=ro&uri=true"), keys)
        if bad:
            raise BackupError(f"{bad} of {sampled} sampled values in the backup do not decrypt with the given key(s) "
                              "(older keys missing?); nothing was restored")
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            stale.unlink(missing_ok=True)  # the old database's journal must not be replayed onto the new one
        _sqlite_copy(backup_file, target, progress)
        return manifest
    if manifest.format != "pg_dump-custom":
        raise BackupError(f"this is a {manifest.format} backup; restore it into SQLite")
    tables = _table_count(database_url)
    if tables and not force:
        raise BackupError(f"the target database has {tables} tables; stop the services and pass --force to replace them")
    dsn, env = _libpq(url)
    args = ["pg_restore", "--no-owner", "--verbose", "--single-transaction", f"--dbname={dsn}"]
    if tables:
        args += ["--clean", "--if-exists"]
    _run_pg_tool([*args, str(backup_file)], env, _dumped_tables(backup_file), progress)
    return manifest


def _dumped_tables(backup_file: Path) -> int:
    try:
        listing = subprocess.run(["pg_restore", "--list", str(backup_file)], capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError("pg_restore is not installed; install the PostgreSQL client tools") from None
    if listing.returncode != 0:
        raise BackupError(f"{backup_file} is not a pg_dump archive: {listing.stderr.strip()[:200]}")
    return max(1, sum(" TABLE DATA " in line for line in listing.stdout.splitlines()))


def unreadable_values(engine: Engine, keys: list[str]) -> tuple[int, int]:
    """(values the keys cannot decrypt, values sampled) of a database or a SQLite backup file."""
    from app.ops.doctor_state import count_undecryptable, stored_samples

    try:
        samples = stored_samples(engine)
    finally:
        engine.dispose()
    return count_undecryptable(samples, keys), len(samples)
