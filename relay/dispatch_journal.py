"""A local append-only record of sends the platform accepted, written the instant the answer arrives.

Why: the database learns of a send only at the next batch commit (tens of milliseconds later).
If the dispatcher dies in between, the row is still 'sending' and would be sent again — and
appchat/send and the robot webhook have no server-side duplicate check (only message/send has
`enable_duplicate_check`, wecom-platform.md §2.2). One `write()` to a file survives SIGKILL (the
kernel keeps the page), so the window in which a crash causes a second post shrinks from
"until the next commit" to "between WeCom accepting the request and this write".

Each dispatcher holds an exclusive flock on its own file while it lives. A starting dispatcher
takes over every file whose lock is free (its owner died): it marks the recorded rows sent and
hands the dead owner's other claimed rows back to the queue at once, without waiting for their
lease to run out. A dispatcher that died on another host is covered by the lease only (its
journal is not here), with the residual risk described in docs/dispatcher.md.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Entry:
    """kind "sent": the platform accepted the delivery. "pending": a request of it reached its last
    byte (channels.CommitPointTransport) after `parts` parts had been accepted. "settled": the
    answer to that request was an error, so nothing of it is in doubt."""

    delivery_id: int
    msgid: str = ""
    response_code: str = ""
    parts: int = 0
    note: str = ""
    kind: str = "sent"


class Journal:
    """The journal of one dispatcher (`worker`): files `directory/worker.N.log`, N = generation.

    The caller serialises `append` and `rotate` (the dispatcher does both under its results
    lock), so every entry of a batch lies in a file that `rotate` returned for that batch.
    """

    def __init__(self, directory: str | Path, worker: str) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.worker = worker
        self._generation = 0
        self._path, self._fd = self._open()

    def _open(self) -> tuple[Path, int]:
        self._generation += 1
        path = self.directory / f"{self.worker}.{self._generation}.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return path, fd

    def append(self, entry: Entry) -> None:
        """One line in one write(2): O_APPEND keeps concurrent threads' lines whole."""
        line = json.dumps([entry.delivery_id, entry.msgid, entry.response_code, entry.parts, entry.note,
                           entry.kind], ensure_ascii=False)
        os.write(self._fd, (line + "\n").encode("utf-8"))

    def rotate(self) -> tuple[Path, int]:
        """Start a new file; the old one is retired once its entries are committed."""
        old = self._path, self._fd
        self._path, self._fd = self._open()
        return old

    @staticmethod
    def retire(old: tuple[Path, int]) -> None:
        old[0].unlink(missing_ok=True)
        os.close(old[1])

    def close(self) -> None:
        self.retire((self._path, self._fd))


def orphans(directory: str | Path) -> Iterator[tuple[str, list[Entry]]]:
    """(worker, entries in write order) of every dead dispatcher's journal; its files are removed
    once the caller has applied the entries and asks for the next one."""
    folder = Path(directory)
    if not folder.is_dir():
        return
    files: dict[str, list[tuple[int, Path]]] = {}
    for path in folder.glob("*.log"):
        worker, _, generation = path.stem.rpartition(".")
        files.setdefault(worker, []).append((int(generation or 0), path))
    for worker, paths in sorted(files.items()):
        held = _lock_all(path for _, path in sorted(paths))
        if held is None:
            continue  # its owner is alive (or another dispatcher is taking it over right now)
        try:
            entries = [entry for path, _ in held if path.exists() for entry in _read(path)]
            yield worker, entries
            for path, _ in held:
                path.unlink(missing_ok=True)
        finally:
            for _, fd in held:
                os.close(fd)


def _lock_all(paths: Iterable[Path]) -> list[tuple[Path, int]] | None:
    held: list[tuple[Path, int]] = []
    for path in paths:
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            for _, other in held:
                os.close(other)
            return None
        held.append((path, fd))
    return held


def _read(path: Path) -> Iterator[Entry]:
    for line in path.read_text("utf-8").splitlines():
        try:
            delivery_id, msgid, response_code, parts, note, kind = json.loads(line)
        except ValueError:
            continue  # a line cut by the crash: the write never completed, nothing to apply
        yield Entry(int(delivery_id), str(msgid), str(response_code), int(parts), str(note), str(kind))
