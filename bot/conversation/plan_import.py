"""The admin's import in chat: a plan file → a preview (summary and flagged rows) → ✅ / ❌.

The file waits in the chat's `ChatState` (flow `import`, 24 hours) until the admin confirms, so
a restart loses nothing; confirming reads it again and stores it through
`services.importing.imports`.
"""

import base64
import hashlib
import logging
from pathlib import Path
from typing import Final

from sqlmodel import Session

from bot.conversation.context import Turn
from bot.conversation.incoming import IncomingFile
from locales import N_
from models import ActionToken, Officer, Organization, TokenSubject
from plans.draft import ImportDraft
from plans.flags import flag_sentences
from plans.isolation import draft_in_child
from services.access import require_admin
from services.conversing import flows
from services.conversing.flows import Flow, Waiting
from services.importing.imports import confirm_import, known_units, refuse_if_imported
from services.messages import Action, Button, Reply, Text, say
from services.tokens import issue_token

logger = logging.getLogger(__name__)

MAX_FLAGGED: Final = 5
PREVIEW_TITLE = N_("📄 {file_name}: {title} ({number})")
PREVIEW_TITLE_ONLY = N_("📄 {file_name}: {title}")
PREVIEW_FILE_ONLY = N_("📄 {file_name} (the plan states no title or number)")
PREVIEW_COUNTS = N_("{tasks} tasks, {obligations} reporting duties, {units} units.")
PREVIEW_FLAGGED = N_("⚠️ {count} rows need a look:")
PREVIEW_ROW = N_("• {code} {title}:")
PREVIEW_MORE = N_("… and {count} more.")
PREVIEW_ASK = N_("Import this plan?")
CONFIRM_LABEL = N_("✅ Confirm")
CANCEL_LABEL = N_("❌ Cancel")
IMPORTED = N_("✅ Imported {title}: {tasks} tasks. Reminders are scheduled.")
REVISED = N_(
    "✅ Imported {title} as a revision: {added} added, {removed} removed, {changed} changed."
)
IMPORT_CANCELLED = N_("Import cancelled: nothing was stored.")
IMPORT_EXPIRED = N_("This preview has expired. Please send the file again.")


def preview_plan(turn: Turn, file: IncomingFile) -> Reply:
    """Read the file, show what importing it would create, and wait for the admin's answer."""
    session, clock, actor = turn.session, turn.clock, turn.actor
    require_admin(actor)
    org = _org(session, actor)
    digest = hashlib.sha256(file.content).hexdigest()
    refuse_if_imported(session, clock, actor.organization_id, digest)
    draft = _draft(session, org, file.file_name, file.content)
    state = flows.start(
        session,
        turn.wall,
        turn.chat,
        Flow.IMPORT,
        {
            "file_name": file.file_name,
            "sha256": digest,
            "content": base64.b64encode(file.content).decode("ascii"),
        },
        lifetime=flows.IMPORT_LIFETIME,
    )
    token = issue_token(
        session, clock, actor, TokenSubject.IMPORT, data={"state": state, "sha256": digest}
    )
    logger.info(
        "import preview %s for officer %s: %d tasks", digest[:12], actor.id, len(draft.tasks)
    )
    flagged = [task for task in draft.tasks if task.flags or task.problems]
    lines = [
        _title_line(file.file_name, draft),
        Text(
            PREVIEW_COUNTS,
            {
                "tasks": len(draft.tasks),
                "obligations": len(draft.obligations),
                "units": len(draft.units),
            },
        ),
    ]
    if flagged:
        lines.append(Text(PREVIEW_FLAGGED, {"count": len(flagged)}))
        for task in flagged[:MAX_FLAGGED]:
            lines.append(Text(PREVIEW_ROW, {"code": task.code, "title": task.title[:60]}))
            lines.extend(Text(msgid, params) for msgid, params in flag_sentences(task))
            lines.extend(Text(problem) for problem in task.problems)
        if len(flagged) > MAX_FLAGGED:
            lines.append(Text(PREVIEW_MORE, {"count": len(flagged) - MAX_FLAGGED}))
    lines.append(Text(PREVIEW_ASK))
    buttons = (
        (
            Button(Action.CONFIRM, token, Text(CONFIRM_LABEL)),
            Button(Action.CANCEL, token, Text(CANCEL_LABEL)),
        ),
    )
    return Reply(lines=tuple(lines), buttons=buttons)


def confirm_plan(turn: Turn, row: ActionToken) -> Reply:
    """Store the previewed plan (the admin pressed ✅)."""
    session, clock, actor = turn.session, turn.clock, turn.actor
    require_admin(actor)
    waiting = turn.waiting
    if not _previewed(waiting, row):
        return say(IMPORT_EXPIRED)
    assert waiting is not None
    data = waiting.data
    content = base64.b64decode(str(data["content"]))
    file_name = str(data["file_name"])
    org = _org(session, actor)
    draft = _draft(session, org, file_name, content)
    outcome = confirm_import(
        session, clock, actor, draft, source_name=file_name, sha256=str(data["sha256"])
    )
    flows.finish(session, turn.chat)
    title = outcome.plan.number or outcome.plan.title or file_name
    logger.info("plan %s imported by officer %s", outcome.plan.id, actor.id)
    if outcome.revised is not None:
        diff = outcome.diff
        return say(
            REVISED,
            title=title,
            added=len(diff.added),
            removed=len(diff.removed),
            changed=len(diff.changed),
        )
    return say(IMPORTED, title=title, tasks=len(draft.tasks))


def cancel_import(turn: Turn, row: ActionToken) -> Reply:
    """Forget the previewed plan (the admin pressed ❌)."""
    waiting = turn.waiting
    if _previewed(waiting, row):
        flows.finish(turn.session, turn.chat)
    return say(IMPORT_CANCELLED)


def _previewed(waiting: Waiting | None, row: ActionToken) -> bool:
    """Whether the button pressed is under the preview still waiting: the same chat state and
    the same file (a second file replaces the first preview in the same state)."""
    return (
        waiting is not None
        and waiting.flow is Flow.IMPORT
        and waiting.id == row.data.get("state")
        and waiting.data.get("sha256") == row.data.get("sha256")
    )


def _title_line(file_name: str, draft: ImportDraft) -> Text:
    """The plan as it names itself: its title and number, whichever it states, never a dash."""
    title, number = draft.plan.title, draft.plan.number
    if title and number:
        return Text(PREVIEW_TITLE, {"file_name": file_name, "title": title, "number": number})
    if title or number:
        return Text(PREVIEW_TITLE_ONLY, {"file_name": file_name, "title": title or number or ""})
    return Text(PREVIEW_FILE_ONLY, {"file_name": file_name})


def _draft(session: Session, org: Organization, file_name: str, content: bytes) -> ImportDraft:
    return draft_in_child(
        content, file_name=Path(file_name).name or "plan", known_units=known_units(session, org)
    )


def _org(session: Session, actor: Officer) -> Organization:
    org = session.get(Organization, actor.organization_id)
    assert org is not None
    return org
