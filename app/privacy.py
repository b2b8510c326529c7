"""Encryption at rest of residents' text and contact fields (Fernet; MultiFernet rotates keys)."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

DEFAULT_KEY_FILE = Path("var/data.key")


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def parse_keys(data_key: str) -> list[str]:
    return [key.strip() for key in data_key.split(",") if key.strip()]


def load_or_create_local_key(path: Path = DEFAULT_KEY_FILE) -> str:
    """For the embedded default only (SQLite): one key kept in a file beside the database.

    The key is written to a private temporary file (created 0600, never readable by others, even
    for an instant) and linked into place; link() refuses to replace an existing file, so when
    two processes start at once the first one's key wins and the other reads it."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(generate_key() + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    key = path.read_text().strip()
    if not key:
        raise ValueError(f"{path} is empty; restore the data key from your backup (or delete the file "
                         "if the database holds no encrypted data yet)")
    return key


class DataCipher:
    """Encrypts with the newest key, decrypts with any key listed (newest first)."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ValueError("at least one data key is required")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise ValueError("stored value cannot be decrypted with any configured JOBMATRIX_DATA_KEY") from exc

    def rotate(self, token: str) -> str:
        """Re-encrypt a stored value under the newest key."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")


_active: DataCipher | None = None


def install_cipher(cipher: DataCipher) -> None:
    """Called once at start-up; EncryptedText columns use the installed cipher."""
    global _active
    _active = cipher


def active_cipher() -> DataCipher:
    if _active is None:
        raise RuntimeError("no data cipher installed; call app.privacy.install_cipher at start-up")
    return _active


def cipher_from_settings(data_key: str) -> DataCipher:
    keys = parse_keys(data_key) or [load_or_create_local_key()]
    return DataCipher(keys)


class EncryptedText(TypeDecorator):
    """A text column whose value is Fernet-encrypted in the database and plain in Python."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else active_cipher().encrypt(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else active_cipher().decrypt(value)
