"""Evidence for a task: a photo or document, size-limited, stored once under its sha256."""

import hashlib
import os
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from sqlmodel import Session, col, select

from models import Channel, ChatState, EventKind, Officer, TaskEvent
from services.access import access_occurrence
from services.clock import Clock
from services.errors import EmptyText, EvidenceTooLarge
from services.tracking.tasks import TaskRef, record_event

MAX_BYTES: Final = 10 * 1024 * 1024
UNCLAIMED_GRACE: Final = timedelta(days=2)
"""How long a kept file no history and no waiting question names stays: one kept for a
question asked a moment ago is named by nothing until the question is saved."""
_SHA256: Final = re.compile(r"[0-9a-f]{64}")


def attach_evidence(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence_id: int,
    *,
    file_name: str,
    content: bytes,
    media_type: str | None,
    store: Path,
    via: Channel,
) -> TaskRef:
    """Keep `content` in `store` (content-addressed) and record it in the task's history."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    digest = keep_file(store, content)
    record_event(
        session, clock.now(), actor, occurrence, EventKind.EVIDENCE, via=via,
        payload={
            "sha256": digest,
            "file_name": Path(file_name).name[:200],
            "size": len(content),
            "media_type": media_type,
        },
    )  # fmt: skip
    session.commit()
    return TaskRef.of(occurrence, task)


def keep_file(store: Path, content: bytes) -> str:
    """Keep `content` in `store` under its sha256, once (a file kept before is not written
    again), refusing an empty or too large one; its sha256. A file kept while the sender picks
    its task waits here, not in the chat's state (`kept_file`)."""
    if not content:
        raise EmptyText()
    if len(content) > MAX_BYTES:
        raise EvidenceTooLarge(
            size=f"{len(content) / 1024 / 1024:.1f}", limit=MAX_BYTES // 1024 // 1024
        )
    digest = hashlib.sha256(content).hexdigest()
    path = _path(store, digest)
    try:
        os.utime(path)  # kept before: kept again now, and `forget_unclaimed`'s grace starts over
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(content)
        tmp.replace(path)
    except PermissionError:  # a file this process may not touch (copied in by another user):
        pass  # it is kept all the same; only its grace does not start over
    return digest


def kept_file(store: Path, digest: str) -> bytes | None:
    """The content `keep_file` kept under `digest`; None for anything else (not a sha256, or
    no such file)."""
    if not _SHA256.fullmatch(digest):
        return None
    path = _path(store, digest)
    return path.read_bytes() if path.is_file() else None


def forget_unclaimed(session: Session, store: Path, now: datetime) -> int:
    """Remove from `store` the kept files nothing names, last kept before `now` (the real
    time, as file times are) less `UNCLAIMED_GRACE`: no evidence in a task's history and no
    chat's unexpired question (a "which task?" asked while the file waited, whose sender never
    answered). A `.part` left by a write cut short goes after the grace too. Anything else in
    `store` is left alone. How many files were removed."""
    if not store.is_dir():
        return 0
    named = _named(session, now)
    before = (now - UNCLAIMED_GRACE).timestamp()
    removed = 0
    for path in _kept_files(store):
        part = path.suffix == ".part"
        if not part and path.name in named:
            continue
        try:
            if path.stat().st_mtime >= before:
                continue
            path.unlink()
        except FileNotFoundError:
            continue  # removed meanwhile (another replica's sweep)
        removed += 1
    return removed


def _named(session: Session, now: datetime) -> set[str]:
    """Every sha256 that a task's evidence or a chat's unexpired state names. Read in Python:
    JSON queries differ between SQLite and PostgreSQL, and this runs once a week."""
    named: set[str] = set()
    payloads = session.exec(
        select(TaskEvent.payload).where(TaskEvent.kind == EventKind.EVIDENCE)
    ).all()
    for payload in payloads:
        digest = payload.get("sha256")
        if isinstance(digest, str):
            named.add(digest)
    states = session.exec(select(ChatState.data).where(col(ChatState.expires_at) > now)).all()
    for data in states:
        named.update(_digests_in(data))
    return named


def _digests_in(value: object) -> Iterator[str]:
    """The sha256s anywhere in a chat state's JSON (its file waits under `data["file"]`)."""
    if isinstance(value, str):
        if _SHA256.fullmatch(value):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _digests_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _digests_in(item)


def _path(store: Path, digest: str) -> Path:
    """Where `keep_file` keeps the file of `digest`: `<sha[:2]>/<sha>`."""
    return store / digest[:2] / digest


def _kept_files(store: Path) -> Iterator[Path]:
    """The files `keep_file` writes in `store`: `<sha[:2]>/<sha>` and its `.part`."""
    for folder in store.iterdir():
        if len(folder.name) != 2 or not folder.is_dir() or folder.is_symlink():
            continue
        for path in folder.iterdir():
            digest = path.name.removesuffix(".part")
            fits = _SHA256.fullmatch(digest) and digest[:2] == folder.name
            if fits and path.is_file() and not path.is_symlink():
                yield path
