"""An answer to the bot's own question (a percent, a reason, a date, a moment, which task):
read in the flow the chat waits in. A person who moves on ("/viec", another action, a
question) is answered as if no flow were waiting; a question leaves the flow waiting."""

import base64
import re
from typing import Final

from bot.conversation import acting, plan_import, texts
from bot.conversation.context import Turn
from bot.conversation.intents import (
    ACTIONS,
    Intent,
    IntentKind,
    relative_day,
    snooze_until,
)
from bot.conversation.messages import (
    ASK_DATE_AGAIN,
    ASK_PERCENT_AGAIN,
    ASK_WHEN_AGAIN,
    CANCELLED,
    WHICH_AGAIN,
)
from locales import N_
from plans.folding import fold
from services.clock import local_now
from services.conversing import flows
from services.conversing.flows import Flow, Waiting
from services.errors import EmptyText
from services.messages import Reply, say
from services.tracking.asking import named_code, named_codes
from services.tracking.evidence import kept_file

CANCEL_WORDS: Final = frozenset(("huy", "thoi", "cancel", "bo qua", "khong", "stop"))
MOVING_ON: Final = frozenset(
    (
        IntentKind.LIST_TASKS,
        IntentKind.OVERDUE,
        IntentKind.SUMMARY,
        IntentKind.HELP,
        IntentKind.UNDO,
    )
)
_EXPECTS: Final = {
    Flow.PROGRESS: IntentKind.PROGRESS,
    Flow.BLOCKER: IntentKind.BLOCKER,
    Flow.EXTENSION: IntentKind.EXTENSION,
    Flow.SNOOZE: IntentKind.SNOOZE,
}
_BARE_PERCENT: Final = re.compile(r"\s*(\d{1,3})\s*%?\s*")
_BARE_CODE: Final = re.compile(
    r"\s*(?:so|#)?\s*([0-9]+(?:\.[0-9a-z]+)*|[ivx]+(?:\.[0-9a-z]+)*)\s*\.?\s*"
    r"(?:\b(?:a|nhe|nha|em|anh|chi|oi)\b[\s.!]*)*"  # "4 ạ", "3 nhé anh"
)
IMPORT_WAITING: Final = N_("Please press ✅ Confirm or ❌ Cancel under the preview.")


def on_waiting(turn: Turn, waiting: Waiting) -> list[Reply]:
    """Answer text sent while the chat waits in `waiting`."""
    text = turn.text
    if fold(text).strip(" .!") in CANCEL_WORDS:
        plan_import.forget_preview(turn)  # a preview waiting: its pending import too
        flows.finish(turn.session, turn.chat)
        return [say(CANCELLED)]
    kind = turn.intent.kind
    if kind is IntentKind.STATUS:
        return texts.on_text(turn)  # a question is answered; the flow keeps waiting
    if waiting.flow is Flow.IMPORT:
        if kind in MOVING_ON:
            return texts.on_text(turn)  # the preview keeps waiting for its button
        return [say(IMPORT_WAITING)]
    if kind in MOVING_ON or (kind in ACTIONS and kind is not _expects(waiting)):
        flows.finish(turn.session, turn.chat)
        about = waiting.data.get("occurrence_id")
        if kind in ACTIONS and isinstance(about, int) and _names_nothing(turn):
            return acting.act(turn, turn.intent, about)  # another word on the same task
        return texts.on_text(turn)
    if waiting.flow is Flow.WHICH:
        return _which(turn, waiting)
    occurrence_id = int(str(waiting.data["occurrence_id"]))
    now = local_now(turn.clock)
    if waiting.flow is Flow.PROGRESS:
        percent = turn.intent.percent
        bare = _BARE_PERCENT.fullmatch(text)
        if percent is None and bare is not None:
            percent = int(bare.group(1))
        if percent is None or percent > 100:
            return [say(ASK_PERCENT_AGAIN)]
        return acting.act(turn, Intent(IntentKind.PROGRESS, percent=percent), occurrence_id)
    if waiting.flow is Flow.BLOCKER:
        return acting.act(turn, Intent(IntentKind.BLOCKER, reason=text), occurrence_id)
    if waiting.flow is Flow.EXTENSION:
        day = relative_day(text, now=now)
        if day is None:
            return [say(ASK_DATE_AGAIN)]
        reason = turn.intent.reason or text
        return acting.act(
            turn, Intent(IntentKind.EXTENSION, date=day, reason=reason), occurrence_id
        )
    assert waiting.flow is Flow.SNOOZE
    until = snooze_until(text, now=now)
    if until is None:
        return [say(ASK_WHEN_AGAIN)]
    return acting.snooze_until(turn, occurrence_id, until)


def from_file(turn: Turn, waiting: Waiting, occurrence_id: int) -> list[Reply]:
    """The file a "which task?" question kept (in the evidence store, named by its sha256; a
    question asked before kept the file itself, in base64), as evidence of the task chosen."""
    kept = waiting.data.get("file")
    if not isinstance(kept, dict):
        raise EmptyText()
    if "sha256" in kept:
        content = kept_file(turn.settings.evidence_dir, str(kept["sha256"]))
    else:
        content = base64.b64decode(str(kept.get("content", "")))
    if content is None:
        raise EmptyText()
    return acting.evidence(
        turn,
        occurrence_id,
        str(kept.get("name", "file")),
        content,
        None if kept.get("media_type") is None else str(kept["media_type"]),
    )


def _which(turn: Turn, waiting: Waiting) -> list[Reply]:
    """A task chosen by its code, one of those the question listed."""
    choices = [int(str(i)) for i in _as_list(waiting.data.get("choices"))]
    codes = [str(code).upper() for code in _as_list(waiting.data.get("codes"))]
    bare = _BARE_CODE.fullmatch(fold(turn.text))
    named = [bare.group(1).upper()] if bare else named_codes(turn.text)
    others = len(named) > 1 or bool(set(named) - set(codes))
    if bare is None and turn.intent.kind in ACTIONS and others:
        flows.finish(turn.session, turn.chat)  # other tasks named: the person moved on
        return texts.on_text(turn)
    code = named[0] if len(named) == 1 else None
    if code is None or code not in codes or codes.count(code) != 1:
        return [say(WHICH_AGAIN, codes=", ".join(codes))]
    occurrence_id = choices[codes.index(code)]
    if waiting.data.get("file") is not None:
        return from_file(turn, waiting, occurrence_id)
    flows.finish(turn.session, turn.chat)
    intent = acting.intent_from(waiting.data.get("intent"))
    return acting.act(turn, intent, occurrence_id, words=str(waiting.data.get("text", "")))


def _names_nothing(turn: Turn) -> bool:
    return turn.reply_to is None and named_code(turn.text) is None and not turn.intent.unsure


def _expects(waiting: Waiting) -> IntentKind | None:
    """The kind of message a flow waits for (a "which task" flow: the kind it was asked for)."""
    if waiting.flow is Flow.WHICH:
        return acting.intent_from(waiting.data.get("intent")).kind
    return _EXPECTS.get(waiting.flow)


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
