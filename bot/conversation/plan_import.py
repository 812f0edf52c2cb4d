"""The admin's import in chat: a plan file → a preview (summary and flagged rows) → ✅ / ❌.

`services.importing.pending` reads the file and keeps it as a pending import in the database;
the chat's `ChatState` (flow `import`) holds only its id and the file's sha256, and each button
names both, so a button under an older preview never confirms a newer file.
"""

import contextlib
import logging
from typing import Final

from bot.conversation.context import Turn
from bot.conversation.incoming import IncomingFile
from locales import N_
from models import ActionToken, TokenSubject
from plans.draft import ImportDraft
from plans.flags import flag_sentences
from services.access import issue_token
from services.conversing import flows
from services.conversing.flows import Flow, Waiting
from services.errors import AdminOnly
from services.importing.labels import revision_notice, stored_notice
from services.importing.pending import (
    PENDING_LIFETIME,
    Preview,
    PreviewExpired,
    cancel_pending,
    confirm_pending,
    preview,
)
from services.messages import Action, Button, Reply, Text, say

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
IMPORT_CANCELLED = N_("Import cancelled: nothing was stored.")
IMPORT_EXPIRED = PreviewExpired.msgid


def preview_plan(turn: Turn, file: IncomingFile) -> Reply:
    """Read the file, show what importing it would create, and wait for the admin's answer (a
    preview still waiting in this chat is forgotten)."""
    session, clock, actor = turn.session, turn.clock, turn.actor
    shown = preview(session, clock, actor, file_name=file.file_name, content=file.content)
    replaced = _pending_of(turn.waiting)
    if replaced is not None:
        cancel_pending(session, clock, actor, replaced)
    kept = {"pending": shown.pending_id, "sha256": shown.sha256}
    state = flows.start(
        session, turn.wall, turn.chat, Flow.IMPORT, kept, lifetime=PENDING_LIFETIME
    )
    token = issue_token(session, clock, actor, TokenSubject.IMPORT, data={"state": state, **kept})
    return Reply(lines=_preview_lines(shown), buttons=_buttons(token, shown))


def confirm_plan(turn: Turn, row: ActionToken) -> Reply:
    """Store the previewed plan (the admin pressed ✅)."""
    pending = _pending_of(turn.waiting) if _previewed(turn.waiting, row) else None
    if pending is None:
        return say(IMPORT_EXPIRED)
    try:
        outcome = confirm_pending(turn.session, turn.clock, turn.actor, pending)
    except PreviewExpired:
        flows.finish(turn.session, turn.chat)
        return say(IMPORT_EXPIRED)
    flows.finish(turn.session, turn.chat)
    return Reply(lines=(stored_notice(outcome),))


def cancel_import(turn: Turn, row: ActionToken) -> Reply:
    """Forget the previewed plan (the admin pressed ❌)."""
    pending = _pending_of(turn.waiting) if _previewed(turn.waiting, row) else None
    if pending is not None:
        cancel_pending(turn.session, turn.clock, turn.actor, pending)
        flows.finish(turn.session, turn.chat)
    return say(IMPORT_CANCELLED)


def forget_preview(turn: Turn) -> None:
    """Forget the pending import of the preview waiting in this chat, if one is (left to expire
    when the actor is no longer an admin)."""
    pending = _pending_of(turn.waiting)
    if pending is None:
        return
    with contextlib.suppress(AdminOnly):
        cancel_pending(turn.session, turn.clock, turn.actor, pending)


def _preview_lines(shown: Preview) -> tuple[Text, ...]:
    draft = shown.draft
    flagged = shown.flagged
    lines = [
        _title_line(shown.file_name, draft),
        Text(
            PREVIEW_COUNTS,
            {
                "tasks": len(draft.tasks),
                "obligations": len(draft.obligations),
                "units": len(draft.units),
            },
        ),
    ]
    revision = revision_notice(shown)  # as the web page and the command line say it
    if revision is not None:
        lines.append(revision)
    if flagged:
        lines.append(Text(PREVIEW_FLAGGED, {"count": len(flagged)}))
        for task in flagged[:MAX_FLAGGED]:
            lines.append(Text(PREVIEW_ROW, {"code": task.code, "title": task.title[:60]}))
            lines.extend(Text(msgid, params) for msgid, params in flag_sentences(task))
            lines.extend(Text(problem) for problem in task.problems)
        if len(flagged) > MAX_FLAGGED:
            lines.append(Text(PREVIEW_MORE, {"count": len(flagged) - MAX_FLAGGED}))
    refusal = shown.refusal
    if refusal is None:
        lines.append(Text(PREVIEW_ASK))
    else:  # nothing to confirm: the preview says why, and only ❌ is offered
        lines.append(Text(refusal.msgid, dict(refusal.params)))
    return tuple(lines)


def _buttons(token: str, shown: Preview) -> tuple[tuple[Button, ...], ...]:
    cancel = Button(Action.CANCEL, token, Text(CANCEL_LABEL))
    if shown.refusal is not None:
        return ((cancel,),)
    return ((Button(Action.CONFIRM, token, Text(CONFIRM_LABEL)), cancel),)


def _pending_of(waiting: Waiting | None) -> int | None:
    """The pending import a preview waiting in the chat names."""
    if waiting is None or waiting.flow is not Flow.IMPORT:
        return None
    pending = waiting.data.get("pending")
    return pending if isinstance(pending, int) else None


def _previewed(waiting: Waiting | None, row: ActionToken) -> bool:
    """Whether the button pressed is under the preview still waiting: the same chat state, the
    same pending import and the same file (a second file replaces the first preview)."""
    return (
        waiting is not None
        and waiting.flow is Flow.IMPORT
        and waiting.id == row.data.get("state")
        and waiting.data.get("pending") == row.data.get("pending")
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
