"""Turning an outbox payload into the `Reply` a channel sends, in the recipient's language at
send time: a digest (its items, most urgent first, with a row of buttons under each task the
recipient leads), or a reply stored as `Reply.to_json()`."""

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from babel.dates import format_date

from bot.conversation.replies import Action, Button, Reply, Text
from locales import N_
from models import ItemKind, OutboxKind

MAX_BUTTON_ROWS: Final = 8
_ACTIONS: Final = (
    (Action.DONE, N_("✅ Done"), N_("✅ {code}")),
    (Action.PROGRESS, N_("📊 Progress"), N_("📊 {code}")),
    (Action.BLOCKER, N_("🚧 Blocker"), N_("🚧 {code}")),
    (Action.EXTEND, N_("📅 Extension"), N_("📅 {code}")),
    (Action.SNOOZE, N_("⏰ Later"), N_("⏰ {code}")),
)
_HEADERS: Final = {
    "officer": N_("Dear {name}, dondoc reminds you of your tasks:"),
    "chair": N_("Dear {name}, for your attention:"),
    "admin": N_("Dear {name}, for the office:"),
}
_FOOTER: Final = N_(
    'Choose below, or reply in words ("xong rồi", "vướng: …", "gia hạn đến 20/7").'
)


def render(kind: OutboxKind, payload: Mapping[str, Any], *, name: str, role: str) -> Reply:
    """The reply an outbox row stands for (`name` and `role` are the recipient's)."""
    if kind is OutboxKind.DIGEST:
        return render_digest(payload, name=name, role=role)
    return Reply.from_json(payload)


def _day(value: object) -> str:
    """A date param: kept ISO in the payload, shown dd/MM/yyyy."""
    if not value:
        return ""
    return format_date(date.fromisoformat(str(value)), "dd/MM/yyyy", locale="vi")


def render_digest(payload: Mapping[str, Any], *, name: str, role: str) -> Reply:
    """A digest: a greeting, one line per item (a summary may take several), the buttons."""
    items: list[Mapping[str, Any]] = list(payload.get("items") or [])
    lines: list[Text] = [Text(_HEADERS.get(role, _HEADERS["officer"]), {"name": name})]
    actionable: list[Mapping[str, Any]] = []
    for item in items:
        lines.extend(item_lines(item))
        if item.get("token"):
            actionable.append(item)
    rows: list[tuple[Button, ...]] = []
    shown = actionable[:MAX_BUTTON_ROWS]
    for item in shown:
        code = str(item.get("task") or "")
        token = str(item["token"])
        rows.append(
            tuple(
                Button(
                    action,
                    token,
                    Text(short, {"code": code}) if len(shown) > 1 else Text(label),
                )
                for action, label, short in _ACTIONS
            )
        )
    if rows:
        lines.append(Text(_FOOTER))
    return Reply(lines=tuple(lines), buttons=tuple(rows))


def item_lines(item: Mapping[str, Any]) -> list[Text]:
    """The lines that tell one item."""
    kind = ItemKind(str(item["kind"]))
    params: dict[str, str | int] = {
        "code": str(item.get("task") or ""),
        "title": str(item.get("title") or ""),
        "due": _day(item.get("due")),
        "days": int(item.get("days") or 0),
    }
    if kind is ItemKind.SUMMARY:
        return _summary_lines(item)
    if kind is ItemKind.ESCALATION:
        params["lead"] = ", ".join(item.get("lead") or []) or "—"
        return [
            Text(
                N_("• {code}. {title}: {days} working days overdue (due {due}); lead: {lead}."),
                params,
            )
        ]
    if kind is ItemKind.UNASSIGNED:
        units = [unit for unit in item.get("units") or [] if unit]
        if not units:
            return [
                Text(N_("• {code}. {title}: nobody to remind, the task has no lead unit."), params)
            ]
        params["units"] = ", ".join(units)
        return [
            Text(
                N_("• {code}. {title}: nobody to remind, {units} has no officer in dondoc."),
                params,
            )
        ]
    if kind is ItemKind.OVERDUE:
        if params["days"] == 1:
            return [Text(N_("• {code}. {title}: overdue since {due} (1 working day)."), params)]
        return [Text(N_("• {code}. {title}: overdue since {due} ({days} working days)."), params)]
    if kind is ItemKind.CHECKIN:
        if item.get("ongoing") or not item.get("due"):
            params["deadline"] = str(item.get("deadline") or "")
            return [Text(N_("• {code}. {title} ({deadline}): how is it going?"), params)]
        return [
            Text(N_("• {code}. {title}: runs until {due}; what has been done so far?"), params)
        ]
    if item.get("role") == "coordinator":
        params["lead"] = ", ".join(item.get("lead") or []) or "—"
        return [Text(N_("• {code}. {title}: you coordinate ({lead} leads), due {due}."), params)]
    days = int(params["days"])
    if days == 0:
        return [Text(N_("• {code}. {title}: due today ({due})."), params)]
    if days == 1:
        return [Text(N_("• {code}. {title}: due tomorrow ({due})."), params)]
    return [Text(N_("• {code}. {title}: due {due}, {days} days left."), params)]


def _codes(item: Mapping[str, Any], key: str) -> str:
    return ", ".join(str(code) for code in item.get(key) or [])


def _summary_lines(item: Mapping[str, Any]) -> list[Text]:
    if item.get("role") == "admin":
        lines = []
        if item.get("awaiting_codes"):
            lines.append(
                Text(
                    N_("Awaiting direction from above: {codes}."),
                    {"codes": _codes(item, "awaiting_codes")},
                )
            )
        if item.get("unrecognised_codes"):
            lines.append(
                Text(
                    N_("Deadline not understood, please set one: {codes}."),
                    {"codes": _codes(item, "unrecognised_codes")},
                )
            )
        if item.get("unassigned_codes"):
            lines.append(
                Text(N_("Nobody to remind: {codes}."), {"codes": _codes(item, "unassigned_codes")})
            )
        return lines
    counts = {
        key: int(item.get(key) or 0)
        for key in ("open", "overdue", "soon", "blocked", "awaiting", "done_week")
    }
    lines = [
        Text(
            N_(
                "This week: {open} open, {overdue} overdue, {soon} due within 7 days, "
                "{blocked} blocked, {awaiting} awaiting direction; {done_week} done."
            ),
            counts,
        )
    ]
    if item.get("overdue_codes"):
        lines.append(Text(N_("Most overdue: {codes}."), {"codes": _codes(item, "overdue_codes")}))
    if item.get("soon_codes"):
        lines.append(
            Text(N_("Due within 7 days: {codes}."), {"codes": _codes(item, "soon_codes")})
        )
    if item.get("blocked_codes"):
        lines.append(Text(N_("Blocked: {codes}."), {"codes": _codes(item, "blocked_codes")}))
    return lines
