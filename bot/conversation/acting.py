"""Acting on one task from chat: ask what is missing, call the use case, say what was recorded
with a "↩️ Hoàn tác" button; ask which task when it is not clear; answer a task's status."""

import re
from datetime import date, datetime, timedelta
from typing import Final

from bot.conversation.context import Turn
from bot.conversation.intents import ACTIONS, Intent, IntentKind
from bot.conversation.messages import (
    ALREADY_DONE_ON,
    ALREADY_DONE_TODAY,
    ASK_ACTION,
    ASK_DATE,
    ASK_PERCENT,
    ASK_REASON,
    ASK_WHEN,
    ASK_WHICH,
    BLOCKER_OK,
    CHOICE_LABEL,
    CHOICE_LINE,
    DONE_OK,
    DONE_PART_OK,
    EVIDENCE_OK,
    EVIDENCE_WHICH,
    EXTENSION_OK,
    PROGRESS_OK,
    RESOLVED_OK,
    SNOOZE_CHOICES,
    SNOOZE_OK,
    STATUS_BLOCKED,
    STATUS_DONE,
    STATUS_LATE,
    STATUS_NOTE,
    STATUS_OPEN,
    STATUS_PLAN,
    STATUS_REQUIREMENT,
    STATUS_SHARES,
    STATUS_SOURCE,
    STATUS_UNIT_DONE,
    STATUS_UNIT_OPEN,
    STATUS_UNITS,
    UNDO_TASK,
    UNDO_WHICH,
    UNDONE_OK,
)
from bot.conversation.views import show_date
from models import TaskStatus, TokenSubject
from plans.folding import fold
from services.access import access_occurrence, issue_token
from services.clock import local_today
from services.conversing import flows
from services.conversing.flows import Flow
from services.conversing.replied import tasks_replied_to
from services.errors import NothingToUndo
from services.messages import Action, Button, Reply, Text, say, task_buttons, undo_button
from services.tracking import asking
from services.tracking.evidence import attach_evidence
from services.tracking.extensions import request_extension
from services.tracking.tasks import (
    mark_done,
    record_progress,
    report_blocker,
    resolve_blocker,
    snooze,
)
from services.tracking.undo import Checkpoint, Undoable, checkpoint, offer_undo, undo, undoable

MAX_CHOICES: Final = 8
BARE_KEYWORDS: Final = frozenset(("vuong", "vuong mac", "kho khan", "bao vuong", "stuck"))
RESOLVED: Final = re.compile(
    r"\b(het|khong con|da go|go xong|da giai quyet|giai quyet xong|xu ly xong)( duoc)? "
    r"(vuong|kho khan)"
    r"|\b(vuong|kho khan)( \w+)? (da|duoc) (go|giai quyet|xu ly)"
)
_EIGHT: Final = datetime.min.time().replace(hour=8)


def act(
    turn: Turn, intent: Intent, occurrence_id: int, *, words: str | None = None
) -> list[Reply]:
    """Do what `intent` says to the occurrence, or ask for what it lacks; a closed task is
    said to be closed and nothing changes. `words` are the person's own (by default the turn's
    text; the first message, when a choice answered which task it was about)."""
    text = turn.text if words is None else words
    closed = _already_done(turn, occurrence_id)
    if closed is not None:
        flows.finish(turn.session, turn.chat)
        return [closed]
    session, clock, actor, via = turn.session, turn.clock, turn.actor, turn.via
    kind = intent.kind
    if kind not in ACTIONS:  # a task chosen with no action said: its actions are offered
        return [offer_actions(turn, occurrence_id, ASK_ACTION)]
    before = checkpoint(session, actor, occurrence_id)
    if kind is IntentKind.DONE:
        ref = mark_done(session, clock, actor, occurrence_id, via=via)
        done: dict[str, str | int] = {"code": ref.code, "title": ref.title}
        said = Text(DONE_OK, done)
        if ref.status is not TaskStatus.DONE and ref.units_total > 1:  # others still behind
            said = Text(DONE_PART_OK, done | {"done": ref.units_done, "total": ref.units_total})
        return [recorded(turn, before, said)]
    if kind is IntentKind.PROGRESS:
        if intent.percent is None:
            return [ask(turn, Flow.PROGRESS, ASK_PERCENT, occurrence_id)]
        comment = text if text and not re.fullmatch(r"\s*\d{1,3}\s*%?\s*", text) else None
        ref = record_progress(
            session, clock, actor, occurrence_id, percent=intent.percent, comment=comment,
            via=via,
        )  # fmt: skip
        params: dict[str, str | int] = {
            "code": ref.code,
            "title": ref.title,
            "percent": intent.percent,
        }
        return [recorded(turn, before, Text(PROGRESS_OK, params))]
    if kind is IntentKind.BLOCKER and RESOLVED.search(fold(text)):
        ref = resolve_blocker(session, clock, actor, occurrence_id, note=text, via=via)
        return [recorded(turn, before, Text(RESOLVED_OK, {"code": ref.code, "title": ref.title}))]
    if kind is IntentKind.BLOCKER:
        reason = (intent.reason or "").strip()
        if not reason or fold(reason).strip(" .:!") in BARE_KEYWORDS:
            return [ask(turn, Flow.BLOCKER, ASK_REASON, occurrence_id)]
        ref = report_blocker(session, clock, actor, occurrence_id, reason=reason, via=via)
        return [recorded(turn, before, Text(BLOCKER_OK, {"code": ref.code, "reason": reason}))]
    if kind is IntentKind.EXTENSION:
        if intent.date is None:
            return [ask(turn, Flow.EXTENSION, ASK_DATE, occurrence_id)]
        ref = request_extension(
            session, clock, actor, occurrence_id, until=intent.date,
            reason=intent.reason or text or "—", via=via,
        )  # fmt: skip
        said = Text(EXTENSION_OK, {"code": ref.code, "date": show_date(intent.date)})
        return [recorded(turn, before, said)]
    assert kind is IntentKind.SNOOZE
    if intent.until is None:
        return [snooze_choices(turn, occurrence_id)]
    return snooze_until(turn, occurrence_id, intent.until)


def lift(turn: Turn, occurrence_id: int) -> list[Reply]:
    """Lift the occurrence's blocker (the ✅ button under a blocker)."""
    before = checkpoint(turn.session, turn.actor, occurrence_id)
    ref = resolve_blocker(turn.session, turn.clock, turn.actor, occurrence_id, via=turn.via)
    return [recorded(turn, before, Text(RESOLVED_OK, {"code": ref.code, "title": ref.title}))]


def snooze_until(turn: Turn, occurrence_id: int, until: datetime) -> list[Reply]:
    """Hold the occurrence's reminders until `until`."""
    before = checkpoint(turn.session, turn.actor, occurrence_id)
    ref = snooze(turn.session, turn.clock, turn.actor, occurrence_id, until=until, via=turn.via)
    when = until.astimezone(turn.clock.zone)  # a moment: the reader's locale writes it
    return [recorded(turn, before, Text(SNOOZE_OK, {"code": ref.code, "when": when}))]


def evidence(
    turn: Turn, occurrence_id: int, name: str, content: bytes, media_type: str | None
) -> list[Reply]:
    """Keep a file as the occurrence's evidence."""
    ref = attach_evidence(
        turn.session, turn.clock, turn.actor, occurrence_id, file_name=name, content=content,
        media_type=media_type, store=turn.settings.evidence_dir, via=turn.via,
    )  # fmt: skip
    flows.finish(turn.session, turn.chat)
    return [say(EVIDENCE_OK, file_name=name, code=ref.code)]


def recorded(turn: Turn, before: Checkpoint, said: Text) -> Reply:
    """What was recorded, with the "↩️ Hoàn tác" button while it can be undone."""
    flows.finish(turn.session, turn.chat)
    token = offer_undo(turn.session, turn.wall, turn.actor, before)
    if token is None:
        return Reply(lines=(said,))
    return Reply(lines=(said,), buttons=((undo_button(token),),))


def take_back(turn: Turn, token: str | None) -> list[Reply]:
    """Undo the change a button names, or in words ("hoàn tác", "nhầm rồi") the person's last
    one: the last on the task named ("hoàn tác việc 3") or on the reminder replied to; a reply
    to a message the bot cannot place (its own answer, a notice) asks which, with a button
    for each change that can still be undone (on Zalo, whose texts answer the last prompt
    unasked, only when changes to several tasks could be meant)."""
    if token is None:
        live = undoable(turn.session, turn.wall, turn.actor)
        codes = asking.named_codes(turn.text)
        if codes:
            live = [change for change in live if change.code.upper() in codes]
        elif turn.reply_to is not None:
            replied = set(
                tasks_replied_to(
                    turn.session, turn.clock, turn.actor, channel=turn.via,
                    message_id=turn.reply_to,
                )
            )  # fmt: skip
            about = [change for change in live if change.occurrence_id in replied]
            chosen = turn.incoming.reply_chosen  # a message picked, not Zalo's last prompt
            if not about and (len(live) > 1 or (live and chosen)):
                return [_undo_which(live)]  # what was replied to is not known: not guessed
            live = about or live
        if not live:
            raise NothingToUndo()
        token = live[0].token
    done = undo(turn.session, turn.clock, turn.wall, turn.actor, token=token, via=turn.via)
    flows.finish(turn.session, turn.chat)
    return [say(UNDONE_OK, code=done.task.code, title=done.task.title)]


def _undo_which(live: list[Undoable]) -> Reply:
    """One "↩️ Việc N" button per task with a change that can still be undone."""
    buttons = tuple(
        (Button(Action.UNDO, change.token, Text(UNDO_TASK, {"code": change.code})),)
        for change in live[:MAX_CHOICES]
    )
    return Reply(lines=(Text(UNDO_WHICH),), buttons=buttons)


def ask(
    turn: Turn, flow: Flow, msgid: str, occurrence_id: int, data: dict[str, object] | None = None
) -> Reply:
    """Wait in this chat for what the occurrence's action lacks (a percent, a reason, a date)."""
    _, task = access_occurrence(turn.session, turn.actor, occurrence_id)
    flows.start(
        turn.session, turn.wall, turn.chat, flow, {"occurrence_id": occurrence_id, **(data or {})}
    )
    return say(msgid, code=task.code, title=task.title)


def snooze_choices(turn: Turn, occurrence_id: int) -> Reply:
    """When to remind again: in 2 hours, tomorrow 08:00, next Monday 08:00 (or in words)."""
    _, task = access_occurrence(turn.session, turn.actor, occurrence_id)
    now, zone = turn.clock.now(), turn.clock.zone
    local = now.astimezone(zone)
    tomorrow = datetime.combine(local.date() + timedelta(days=1), _EIGHT, zone)
    monday = datetime.combine(local.date() + timedelta(days=7 - local.weekday()), _EIGHT, zone)
    moments = {"hours": now + timedelta(hours=2), "tomorrow": tomorrow, "monday": monday}
    buttons = tuple(
        Button(
            Action.CHOOSE,
            choice(turn, {"do": "snooze", "occurrence_id": occurrence_id,
                          "until": moments[key].isoformat()}),
            Text(label),
        )
        for label, key in SNOOZE_CHOICES
    )  # fmt: skip
    flows.start(turn.session, turn.wall, turn.chat, Flow.SNOOZE, {"occurrence_id": occurrence_id})
    return Reply(
        lines=(Text(ASK_WHEN, {"code": task.code, "title": task.title}),), buttons=(buttons,)
    )


def choice(turn: Turn, data: dict[str, object]) -> str:
    """A token for one choice of a prompt (addressed to whoever is asked)."""
    return issue_token(turn.session, turn.clock, turn.actor, TokenSubject.CHOICE, data=data)


def ask_which(
    turn: Turn,
    targets: list[int],
    intent: Intent | None,
    *,
    file: dict[str, object] | None = None,
) -> Reply:
    """Which of these tasks? Each is shown and offered by its code, the one number people type
    (a list never numbers its lines, so a number has one meaning)."""
    shown = targets[:MAX_CHOICES]
    refs = [asking.status_of(turn.session, turn.actor, occurrence_id) for occurrence_id in shown]
    data: dict[str, object] = {
        "choices": shown,
        "codes": [ref.code for ref in refs],
        "text": turn.text,
    }
    if intent is not None:
        data["intent"] = intent_json(intent)
    if file is not None:
        data["file"] = file
    flows.start(turn.session, turn.wall, turn.chat, Flow.WHICH, data)
    example = refs[0].code if refs else "1"
    lines = [Text(EVIDENCE_WHICH if file else ASK_WHICH, {"example": example})]
    buttons = []
    for ref in refs:
        lines.append(Text(CHOICE_LINE, {"code": ref.code, "title": ref.title}))
        payload: dict[str, object] = {"occurrence_id": ref.occurrence_id, "text": turn.text}
        if file is not None:
            payload["do"] = "evidence"
        elif intent is not None:
            payload["intent"] = intent_json(intent)
        label = Text(CHOICE_LABEL, {"code": ref.code})
        buttons.append((Button(Action.CHOOSE, choice(turn, payload), label),))
    return Reply(lines=tuple(lines), buttons=tuple(buttons))


def offer_actions(turn: Turn, occurrence_id: int, msgid: str) -> Reply:
    """The task's ✅ 📊 🚧 📅 ⏰ buttons under a question (what to do? done or blocked?)."""
    _, task = access_occurrence(turn.session, turn.actor, occurrence_id)
    token = issue_token(
        turn.session, turn.clock, turn.actor, TokenSubject.OCCURRENCE, occurrence_id=occurrence_id
    )
    return Reply(
        lines=(Text(msgid, {"code": task.code, "title": task.title}),),
        buttons=task_buttons(token),
    )


def status_lines(turn: Turn, occurrence_id: int) -> list[Text]:
    """Where one task stands, in a line or three (its lead units when several lead it)."""
    status = asking.status_of(turn.session, turn.actor, occurrence_id)
    today = local_today(turn.clock)
    params: dict[str, str | int] = {"code": status.code, "title": status.title}
    if status.status is TaskStatus.DONE and status.done_at is not None:
        local = status.done_at.astimezone(turn.clock.zone)
        line = Text(
            STATUS_DONE,
            params | {"date": show_date(local.date()), "time": local.time(),
                      "officer": status.done_by or "—"},
        )  # fmt: skip
    elif status.status is TaskStatus.BLOCKED:
        line = Text(STATUS_BLOCKED, params | {"reason": status.reason or "—"})
    elif status.is_late(today):
        line = Text(
            STATUS_LATE,
            params | {"progress": status.progress, "days": status.days_late(today),
                      "due": show_date(status.due)},
        )  # fmt: skip
    else:
        line = Text(
            STATUS_OPEN, params | {"progress": status.progress, "due": show_date(status.due)}
        )
    lines = [line]
    if len(status.shares) > 1:  # how many lead units are done, which remain, each one's part
        behind = [share.unit for share in status.shares if not share.is_done]
        if behind and status.status is not TaskStatus.DONE:
            done = len(status.shares) - len(behind)
            lines.append(
                Text(STATUS_SHARES, {"done": done, "total": len(status.shares),
                                     "units": ", ".join(behind)})
            )  # fmt: skip
        for share in status.shares:
            lines.append(
                Text(
                    STATUS_UNIT_DONE if share.is_done else STATUS_UNIT_OPEN,
                    {"unit": share.unit, "progress": share.progress},
                )
            )
    elif len(status.units) > 1:
        lines.append(Text(STATUS_UNITS, {"units": ", ".join(status.units)}))
    if status.requirement:  # the plan's target for it ("Yêu cầu", "Sản phẩm")
        lines.append(Text(STATUS_REQUIREMENT, {"text": status.requirement}))
    if status.note:
        lines.append(Text(STATUS_NOTE, {"text": status.note}))
    if status.source is not None:  # the plan's own row, as printed
        lead, coordinators, deadline = (cell or "—" for cell in status.source)
        lines.append(
            Text(STATUS_SOURCE, {"lead": lead, "coordinators": coordinators, "deadline": deadline})
        )
    if status.plan and asking.plans_count(turn.session, turn.actor) > 1:
        lines.append(Text(STATUS_PLAN, {"plan": status.plan}))
    return lines


def intent_json(intent: Intent) -> dict[str, object]:
    """An intent kept in a flow or a choice's token."""
    return {
        "kind": intent.kind.value,
        "percent": intent.percent,
        "date": intent.date.isoformat() if intent.date else None,
        "reason": intent.reason,
        "until": intent.until.isoformat() if intent.until else None,
    }


def intent_from(data: object) -> Intent:
    """The inverse of `intent_json` (unknown when unreadable)."""
    if not isinstance(data, dict):
        return Intent(IntentKind.UNKNOWN)
    percent = data.get("percent")
    day = data.get("date")
    until = data.get("until")
    reason = data.get("reason")
    return Intent(
        IntentKind(str(data.get("kind", "unknown"))),
        percent=int(percent) if isinstance(percent, int) else None,
        date=date.fromisoformat(day) if isinstance(day, str) else None,
        reason=reason if isinstance(reason, str) else None,
        until=datetime.fromisoformat(until) if isinstance(until, str) else None,
    )


def _already_done(turn: Turn, occurrence_id: int) -> Reply | None:
    """Said when the occurrence is already done (at what time), else None (`TaskNotFound`
    when it is not the actor's to act on)."""
    occurrence, task = access_occurrence(turn.session, turn.actor, occurrence_id)
    if occurrence.status is not TaskStatus.DONE:
        return None
    if occurrence.done_at is None:
        return say(ALREADY_DONE_ON, code=task.code, date="—", time="—")
    local = occurrence.done_at.astimezone(turn.clock.zone)
    if local.date() == local_today(turn.clock):
        return say(ALREADY_DONE_TODAY, code=task.code, time=local.time())
    return say(
        ALREADY_DONE_ON, code=task.code, date=show_date(local.date()),
        time=local.time(),
    )  # fmt: skip
