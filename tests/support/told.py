"""Who the scan told of a task, read from what it wrote: the digests' payloads (the scan keeps
no row per item of an occurrence, `services/reminding/items.py`)."""

from collections.abc import Collection

from sqlmodel import Session, select

from models import Outbox, OutboxKind


def told_of(session: Session, code: str, kinds: Collection[str] = ()) -> set[int]:
    """The officers whose digests list an item about the task numbered `code` (of `kinds`,
    when given)."""
    found: set[int] = set()
    for digest in session.exec(select(Outbox).where(Outbox.kind == OutboxKind.DIGEST)):
        items = digest.payload["items"]
        assert isinstance(items, list)
        if any(i.get("task") == code and (not kinds or i["kind"] in kinds) for i in items):
            found.add(digest.officer_id)
    return found
