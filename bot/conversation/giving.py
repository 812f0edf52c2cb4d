"""The chair gives, re-dates, reassigns and cancels tasks in chat: "giao anh Minh rà soát thủ
tục hành chính, xong trước 15/12" (or /giao …) and /doihan CODE PHRASE are said back with their
date, then stored on ✅; /giaolai CODE UNIT, /huyviec CODE REASON. The use cases authorise: an
officer gets the refusal."""

from datetime import date
from typing import Final

from bot.conversation.context import Turn
from locales import N_
from models import ActionToken, TokenSubject
from services.access import issue_token
from services.messages import Action, Button, Reply, Text, say
from services.people.units import unit_ids_named
from services.tracking.giving import (
    deadline_as_shown,
    preview_redate,
    read_order,
    redate_as_shown,
    said,
)
from services.tracking.handmade import assign, cancel, give_task, redate
from services.tracking.task_list import task_to_change

GIVE_PREVIEW: Final = N_("📌 Give task “{title}” to {units}{officer}, due {due}{phrase}?")
GIVE_PREVIEW_NO_DUE: Final = N_("📌 Give task “{title}” to {units}{officer}, with no deadline?")
GIVEN: Final = N_(
    "✅ Task {code} “{title}” is given to {units}, due {due}; its officers are told."
)
GIVE_CANCELLED: Final = N_("Nothing was given.")
CONFIRM_LABEL: Final = N_("✅ Confirm")
CANCEL_LABEL: Final = N_("❌ Cancel")
REDATE_USAGE: Final = N_(
    "Write /doihan CODE and the new deadline, e.g. /doihan V1 thứ sáu tuần sau."
)
REDATED: Final = N_("📅 Task {code} is now due {due} (“{phrase}”); its officers are told.")
REDATE_PREVIEW: Final = N_("📅 Move task {code} “{title}” to {due} (“{phrase}”)?")
REDATE_PREVIEW_NO_DUE: Final = N_("📅 Give task {code} “{title}” the deadline “{phrase}”?")
REDATE_CANCELLED: Final = N_("The deadline is unchanged.")
ASSIGN_USAGE: Final = N_("Write /giaolai CODE and the unit, e.g. /giaolai 16 CCVHXH.")
ASSIGNED: Final = N_("↪️ Task {code} is now led by {units}; the officers are told.")
CANCEL_USAGE: Final = N_("Write /huyviec CODE and the reason, e.g. /huyviec V1 trùng việc.")
CANCELLED: Final = N_("✖️ Task {code} is cancelled; its officers are told.")
GIVE_USAGE: Final = N_(
    "Write /giao, whom, what and by when, e.g. /giao anh Minh rà soát thủ tục hành chính, xong "
    "trước 15/12."
)


def _day(value: date | None) -> date | str:
    """A date param (written in the reader's locale when rendered; "—" for none)."""
    return value if value else "—"


def preview(turn: Turn, text: str) -> Reply:
    """Say back what "giao …" would store, with ✅ / ❌."""
    if not text.strip():
        return say(GIVE_USAGE)
    order = read_order(turn.session, turn.clock, turn.actor, text)
    token = issue_token(
        turn.session,
        turn.clock,
        turn.actor,
        TokenSubject.GIVE,
        data={
            "title": order.title,
            "units": list(order.unit_ids),
            "phrase": order.phrase,
            "due": said(order.due),
        },
    )
    officer = f" ({order.officer})" if order.officer else ""
    units = ", ".join(order.units)
    if order.phrase:
        line = Text(
            GIVE_PREVIEW,
            {
                "title": order.title,
                "units": units,
                "officer": officer,
                "due": _day(order.due),
                "phrase": f" (“{order.phrase}”)" if order.due else "",
            },
        )
    else:
        line = Text(
            GIVE_PREVIEW_NO_DUE, {"title": order.title, "units": units, "officer": officer}
        )
    return Reply(lines=(line,), buttons=_buttons(token))


def _buttons(token: str) -> tuple[tuple[Button, ...], ...]:
    """✅ / ❌ under a preview."""
    return (
        (
            Button(Action.CONFIRM, token, Text(CONFIRM_LABEL)),
            Button(Action.CANCEL, token, Text(CANCEL_LABEL)),
        ),
    )


def confirm(turn: Turn, row: ActionToken) -> Reply:
    """Store the task (or the new deadline) the chair confirmed."""
    data = row.data
    phrase = str(data.get("phrase") or "")
    shown = data.get("due")
    shown = shown if isinstance(shown, str) else None
    task_id = data.get("redate")
    if isinstance(task_id, int):  # a new deadline, said back by /doihan
        new = redate_as_shown(turn.session, turn.clock, turn.actor, task_id, phrase, shown)
        moved = redate(turn.session, turn.clock, turn.actor, task_id, deadline=new.deadline,
                       via=turn.via)  # fmt: skip
        return say(REDATED, code=moved.code, due=_day(moved.due), phrase=new.deadline.text)
    deadline = deadline_as_shown(turn.clock, turn.actor, phrase, shown) if phrase else None
    raw_units = data.get("units")
    units = [int(str(u)) for u in raw_units] if isinstance(raw_units, list) else []
    given = give_task(
        turn.session,
        turn.clock,
        turn.actor,
        title=str(data.get("title") or ""),
        lead_unit_ids=units,
        deadline=deadline,
        via=turn.via,
    )
    return say(
        GIVEN,
        code=given.code,
        title=given.title,
        units=", ".join(given.units),
        due=_day(given.due),
    )


def dismiss(_turn: Turn, row: ActionToken) -> Reply:
    """The chair pressed ❌: nothing is stored."""
    return say(REDATE_CANCELLED if "redate" in row.data else GIVE_CANCELLED)


def redate_command(turn: Turn, arg: str) -> list[Reply]:
    """/doihan CODE PHRASE: the new date said back (`preview_redate` authorises), ✅ stores it."""
    code, _, phrase = arg.partition(" ")
    if not code or not phrase.strip():
        return [say(REDATE_USAGE)]
    task_id = task_to_change(turn.session, turn.actor, code).id or 0
    shown = preview_redate(turn.session, turn.clock, turn.actor, task_id, phrase)
    deadline = shown.deadline
    token = issue_token(
        turn.session, turn.clock, turn.actor, TokenSubject.GIVE,
        data={"redate": task_id, "phrase": deadline.text, "due": said(deadline.due)},
    )  # fmt: skip
    params = {"code": shown.code, "title": shown.title, "phrase": deadline.text}
    if deadline.due is None:
        line = Text(REDATE_PREVIEW_NO_DUE, params)
    else:
        line = Text(REDATE_PREVIEW, params | {"due": _day(deadline.due)})
    return [Reply(lines=(line,), buttons=_buttons(token))]


def assign_command(turn: Turn, arg: str) -> list[Reply]:
    """/giaolai CODE UNIT (`task_to_change` refuses anyone but the chair and the admins)."""
    code, _, unit_name = arg.partition(" ")
    if not code or not unit_name.strip():
        return [say(ASSIGN_USAGE)]
    task = task_to_change(turn.session, turn.actor, code)
    unit_ids = unit_ids_named(turn.session, turn.actor, [unit_name.strip()])
    assert task.id is not None
    given = assign(turn.session, turn.clock, turn.actor, task.id, unit_ids=unit_ids, via=turn.via)
    return [say(ASSIGNED, code=given.code, units=", ".join(given.units))]


def cancel_command(turn: Turn, arg: str) -> list[Reply]:
    """/huyviec CODE REASON (`task_to_change` refuses anyone but the chair and the admins)."""
    code, _, reason = arg.partition(" ")
    if not code or not reason.strip():
        return [say(CANCEL_USAGE)]
    task = task_to_change(turn.session, turn.actor, code)
    assert task.id is not None
    given = cancel(turn.session, turn.clock, turn.actor, task.id, reason=reason, via=turn.via)
    return [say(CANCELLED, code=given.code)]
