"""One `dondoc run` per SQLite file: the second is told, in one line, that another holds it.

Two servers on one SQLite file would both migrate it, both scan and both send every reminder.
The first takes an exclusive `flock` on `<file>.lock` (its process id written inside) and keeps it
while it runs; the kernel releases it when that process ends, however it ends. PostgreSQL is
shared by design (replicas claim their work with SKIP LOCKED): nothing is held there.
"""

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO


class DatabaseHeld(Exception):
    """Another dondoc runs on this SQLite file."""

    def __init__(self, path: Path, pid: str) -> None:
        super().__init__(f"{path} is held by process {pid or '?'}")
        self.path = path
        self.pid = pid


@dataclass(slots=True)
class HeldDatabase:
    """The lock on a SQLite file, released by `release` or when the process ends."""

    file: IO[str] | None

    def release(self) -> None:
        """Let another dondoc use the database."""
        if self.file is not None:
            self.file.close()
            self.file = None


def hold_database(database: str | None) -> HeldDatabase:
    """Hold the SQLite file at `database` (a path; None or ":memory:" holds nothing)."""
    if not database or database == ":memory:":
        return HeldDatabase(None)
    path = Path(database).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(f"{path.name}.lock").open("a+", encoding="ascii")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        pid = lock.read().strip()
        lock.close()
        raise DatabaseHeld(path, pid) from None
    lock.seek(0)
    lock.truncate()
    lock.write(str(os.getpid()))
    lock.flush()
    return HeldDatabase(lock)
