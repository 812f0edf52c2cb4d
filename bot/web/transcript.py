"""Storing and reading an officer's web chat (synchronous; run through the job runner)."""

from sqlmodel import Session, col, select

from models import WebMessage
from services.clock import Clock

PAGE: int = 100


def add_message(
    session: Session,
    clock: Clock,
    officer_id: int,
    payload: dict[str, object],
    *,
    from_officer: bool,
) -> WebMessage:
    """Keep one message of the officer's chat."""
    row = WebMessage(
        officer_id=officer_id, from_officer=from_officer, payload=payload, created_at=clock.now()
    )
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def edit_message(
    session: Session, officer_id: int, message_id: int, payload: dict[str, object]
) -> WebMessage | None:
    """Replace a message the bot sent this officer (none when it is not theirs)."""
    row = session.get(WebMessage, message_id)
    if row is None or row.officer_id != officer_id or row.from_officer:
        return None
    row.payload = payload
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def message_payload(session: Session, message_id: int) -> dict[str, object] | None:
    """What one message says (None when it is gone)."""
    row = session.get(WebMessage, message_id)
    return None if row is None else dict(row.payload)


def recent_messages(session: Session, officer_id: int, *, limit: int = PAGE) -> list[WebMessage]:
    """The officer's latest messages, oldest first."""
    rows = session.exec(
        select(WebMessage)
        .where(WebMessage.officer_id == officer_id)
        .order_by(col(WebMessage.id).desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))
