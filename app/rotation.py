"""Re-encrypt every stored value under the newest data key, so an old key can be retired
(issue 11, item 15; `jobmatrix rotate-keys`).

Each table with encrypted columns is walked in primary-key order, one committed batch at a
time. A value that the newest key already opens is left alone, so an interrupted run simply
starts again and skips what is done (resumable without a checkpoint). Values are read and
written raw (no decryption by the column type), so a batch never holds more than its rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Engine, Table, func, select, text

from app.db import Base
from app.privacy import DataCipher, EncryptedText


@dataclass
class RotationReport:
    rotated: int = 0
    current: int = 0  # already under the newest key (a previous, interrupted run did them)
    per_table: dict[str, int] = field(default_factory=dict)


def encrypted_tables() -> list[tuple[Table, list[str]]]:
    """(table, its encrypted column names) for every table that has any."""
    out = []
    for table in Base.metadata.sorted_tables:
        columns = [c.name for c in table.columns if isinstance(c.type, EncryptedText)]
        if columns:
            out.append((table, columns))
    return out


def _pk(table: Table) -> str:
    [column] = list(table.primary_key.columns)
    return column.name


def count_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return sum(conn.scalar(select(func.count()).select_from(table)) or 0 for table, _ in encrypted_tables())


def rotate_batch(engine: Engine, table: Table, columns: list[str], *, after: object, batch: int,
                 cipher: DataCipher, newest: Fernet, report: RotationReport) -> tuple[object, int]:
    """Rotate the next `batch` rows after primary key `after`; (last key seen, rows read)."""
    pk = _pk(table)
    names = ", ".join(f'"{c}"' for c in columns)
    where = f'WHERE "{pk}" > :after' if after is not None else ""
    query = text(f'SELECT "{pk}", {names} FROM "{table.name}" {where} ORDER BY "{pk}" LIMIT :batch')
    with engine.begin() as conn:
        rows = conn.execute(query, {"after": after, "batch": batch}).all()
        for row in rows:
            changes = {}
            for name, token in zip(columns, row[1:], strict=True):
                if token is None:
                    continue
                try:
                    newest.decrypt(token.encode("ascii"))
                    report.current += 1
                except InvalidToken:
                    changes[name] = cipher.rotate(token)
            if changes:
                assignments = ", ".join(f'"{name}" = :{name}' for name in changes)
                conn.execute(text(f'UPDATE "{table.name}" SET {assignments} WHERE "{pk}" = :pk'),
                             {**changes, "pk": row[0]})
                report.rotated += len(changes)
                report.per_table[table.name] = report.per_table.get(table.name, 0) + len(changes)
    return (rows[-1][0] if rows else after), len(rows)


def rotate_all(*, engine: Engine, keys: list[str], batch: int = 500,
               progress: Callable[[int], None] = lambda rows: None) -> RotationReport:
    """Every encrypted value under keys[0]; `progress(rows)` after each batch."""
    from app import rotation  # looked up at call time, so a test can interrupt a batch

    cipher, newest, report = DataCipher(keys), Fernet(keys[0]), RotationReport()
    for table, columns in encrypted_tables():
        after: object = None
        while True:
            after, read = rotation.rotate_batch(engine, table, columns, after=after, batch=batch, cipher=cipher,
                                                newest=newest, report=report)
            progress(read)
            if read < batch:
                break
    return report
