"""Evidence for a task: a photo or document, size-limited, stored once under its sha256."""

import hashlib
import re
from pathlib import Path
from typing import Final

from sqlmodel import Session

from models import Channel, EventKind, Officer
from services.access import access_occurrence
from services.clock import Clock
from services.errors import EmptyText, EvidenceTooLarge
from services.tracking.tasks import TaskRef, record_event

MAX_BYTES: Final = 10 * 1024 * 1024
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
    path = store / digest[:2] / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(content)
        tmp.replace(path)
    return digest


def kept_file(store: Path, digest: str) -> bytes | None:
    """The content `keep_file` kept under `digest`; None for anything else (not a sha256, or
    no such file)."""
    if not _SHA256.fullmatch(digest):
        return None
    path = store / digest[:2] / digest
    return path.read_bytes() if path.is_file() else None
