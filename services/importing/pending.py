"""Importing a plan in two steps, the same from the web, the chat and the command line.

`preview` reads the file in a capped child (`plans.isolation`), refuses what cannot be imported
(the same file again, a file with nothing to follow up) before anything is offered, and keeps
the file and its draft as a `PendingImport` row; `confirm_pending` stores exactly the draft that
was shown; `cancel_pending` forgets it. The row is in the database, so a restart or a second
replica confirms it all the same; it expires after a day and is purged.
"""

import dataclasses
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from sqlalchemy import delete
from sqlmodel import Session, col, select

from locales import N_
from models import Officer, Organization, PendingImport
from plans.draft import DraftTask, ImportDraft
from plans.draft_store import dump_draft, load_draft
from plans.isolation import draft_in_child
from plans.readers import MAX_FILE_BYTES
from plans.readers.errors import DateBeyondCalendar, PlanFileTooLarge
from plans.storable import check_calendar_years
from services.access import require_admin
from services.clock import Clock
from services.errors import DomainError
from services.importing.diffs import PlanDiff, diff_against
from services.importing.imports import (
    ImportOutcome,
    NothingToImport,
    confirm_import,
    find_previous_version,
    known_units,
    refuse_if_imported,
)
from services.importing.labels import plan_reference

logger = logging.getLogger(__name__)

PENDING_LIFETIME: Final = timedelta(hours=24)
"""How long a preview may be confirmed."""
MAX_NAME_CHARS: Final = 300
"""What a plan stores of its file's name (`Plan.source_name`)."""


class PreviewExpired(DomainError):
    msgid = N_("This preview has expired. Please send the file again.")


@dataclass(frozen=True, slots=True)
class Preview:
    """What every adapter shows before the admin confirms: the draft, the plan it revises and
    what the revision changes, and the pending import that confirming stores."""

    pending_id: int
    file_name: str
    sha256: str
    draft: ImportDraft
    revises: str | None = None
    """The stored plan this file is a new version of, by its number or title."""
    diff: PlanDiff | None = None

    @property
    def flagged(self) -> tuple[DraftTask, ...]:
        """The task rows a person should look at (an odd deadline, a cell not read)."""
        return tuple(task for task in self.draft.tasks if task.flags or task.problems)

    @property
    def refusal(self) -> DateBeyondCalendar | None:
        """Why confirming would store nothing (a date the calendar cannot place), or None: the
        preview says so in place of asking, and offers no confirmation."""
        try:
            check_calendar_years(self.draft)
        except DateBeyondCalendar as refused:
            return refused
        return None


def preview(
    session: Session, clock: Clock, actor: Officer, *, file_name: str, content: bytes
) -> Preview:
    """Read a plan file for an admin (or the office) and keep it, pending their confirmation."""
    require_admin(actor)
    org = session.get(Organization, actor.organization_id)
    assert org is not None
    assert org.id is not None
    file_name = file_name[:MAX_NAME_CHARS]
    if len(content) > MAX_FILE_BYTES:
        raise PlanFileTooLarge(file_name=file_name, limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    sha256 = hashlib.sha256(content).hexdigest()
    refuse_if_imported(session, clock, org.id, sha256)  # before reading it for nothing
    draft = _read(session, org.id, file_name, content)
    if draft.is_empty:
        raise NothingToImport(file_name=file_name)
    previous = find_previous_version(session, org, draft)
    now = clock.now()
    purge_expired(session, now)
    row = PendingImport(
        organization_id=org.id,
        officer_id=actor.id,
        file_name=file_name,
        sha256=sha256,
        content=content,
        draft=dump_draft(draft),
        created_at=now,
        expires_at=now + PENDING_LIFETIME,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    shown = Preview(
        pending_id=row.id,
        file_name=file_name,
        sha256=sha256,
        draft=draft,
        revises=(
            plan_reference(previous.number, previous.title, previous.source_name)
            if previous
            else None
        ),
        diff=diff_against(session, previous, draft) if previous else None,
    )
    session.commit()
    logger.info("import %d previewed for officer %s: %d tasks", row.id, actor.id, len(draft.tasks))
    return shown


def confirm_pending(
    session: Session, clock: Clock, actor: Officer, pending_id: int
) -> ImportOutcome:
    """Store the draft of a pending import the actor previewed; `PreviewExpired` when it is
    gone, expired, or someone else's."""
    require_admin(actor)
    pending = _pending(session, clock, actor, pending_id, lock=True)
    draft = _draft_of(session, pending)
    session.delete(pending)
    outcome = confirm_import(  # commits the plan and the deletion together
        session, clock, actor, draft, source_name=pending.file_name, sha256=pending.sha256
    )
    logger.info("import %d confirmed as plan %s", pending_id, outcome.plan.id)
    return outcome


def cancel_pending(session: Session, clock: Clock, actor: Officer, pending_id: int) -> None:
    """Forget a pending import the actor previewed (nothing to do when it is already gone)."""
    require_admin(actor)
    try:
        pending = _pending(session, clock, actor, pending_id, lock=False)
    except PreviewExpired:
        return
    session.delete(pending)
    session.commit()


def purge_expired(session: Session, now: datetime) -> int:
    """Delete the pending imports no one may confirm any more; how many there were."""
    result = session.execute(delete(PendingImport).where(col(PendingImport.expires_at) <= now))
    return int(getattr(result, "rowcount", 0) or 0)


def _draft_of(session: Session, pending: PendingImport) -> ImportDraft:
    """The draft the preview showed; read again from the kept file when its JSON no longer
    loads (a dondoc upgraded between the preview and the confirmation)."""
    try:
        return load_draft(pending.draft)
    except (KeyError, TypeError, ValueError):
        logger.warning(
            "import %s: the kept draft does not load; the file is read again", pending.id
        )
    return _read(session, pending.organization_id, pending.file_name, pending.content)


def _read(session: Session, org_id: int, file_name: str, content: bytes) -> ImportDraft:
    """The draft of a plan file, read in a capped child with the organization's units."""
    org = session.get(Organization, org_id)
    assert org is not None
    draft = draft_in_child(
        content, file_name=Path(file_name).name or "plan", known_units=known_units(session, org)
    )
    return dataclasses.replace(draft, source=file_name)


def _pending(
    session: Session, clock: Clock, actor: Officer, pending_id: int, *, lock: bool
) -> PendingImport:
    """The actor's own pending import, still valid: another officer's, another organization's,
    an expired or an unknown one all read as expired."""
    query = select(PendingImport).where(
        PendingImport.id == pending_id,
        PendingImport.organization_id == actor.organization_id,
        col(PendingImport.officer_id).is_(None)
        if actor.id is None
        else col(PendingImport.officer_id) == actor.id,
        col(PendingImport.expires_at) > clock.now(),
    )
    pending = session.exec(query.with_for_update() if lock else query).first()
    if pending is None:
        raise PreviewExpired()
    return pending
