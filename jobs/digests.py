"""Turning an outbox payload into the `Reply` a channel sends, in the recipient's language at
send time: a digest (its items, most urgent first, with a row of buttons under each task the
recipient leads), or a reply stored as `Reply.to_json()`."""

from collections.abc import Mapping
from datetime import date
from typing import Final

from locales import N_
from models import ItemKind, OutboxKind
from services.messages import (
    Button,
    Counts,
    Digest,
    DigestItem,
    ItemRole,
    Param,
    Reply,
    Text,
    open_button,
    task_buttons,
)

MAX_BUTTON_ROWS: Final = 8
_HEADERS: Final = {
    "officer": N_("Dear {name}, dondoc reminds you of your tasks:"),
    "chair": N_("Dear {name}, for your attention:"),
    "admin": N_("Dear {name}, for the office:"),
}
_FOOTER: Final = N_(
    'Choose below, or reply in words ("xong rồi", "vướng: …", "gia hạn đến 20/7").'
)
_FOOTER_SEVERAL: Final = N_(
    "The first buttons are for task {code}, the most urgent; choose another task from the "
    "list below to answer it."
)
_MORE: Final = N_("And {count} more: write /viec to see them all.")


def render(kind: OutboxKind, payload: Mapping[str, object], *, name: str, role: str) -> Reply:
    """The reply an outbox row stands for (`name` and `role` are the recipient's)."""
    if kind is OutboxKind.DIGEST:
        return render_digest(Digest.from_json(payload), name=name, role=role)
    return Reply.from_json(payload)


def _day(value: date | None) -> date | str:
    """A date param (written in the reader's locale when rendered; "" for none)."""
    return value if value else ""


def render_digest(digest: Digest, *, name: str, role: str) -> Reply:
    """A digest: a greeting, one line per item (a summary may take several), and buttons that
    read on a phone: the most urgent task's actions with their labels, then a "Chọn việc" list
    of the others (each opens that task with its own buttons), within the rows a chat allows."""
    lines: list[Text] = [Text(_HEADERS.get(role, _HEADERS["officer"]), {"name": name})]
    actionable: list[DigestItem] = []
    for item in digest.items:
        lines.extend(item_lines(item))
        if item.token:
            actionable.append(item)
    if not actionable:
        return Reply(lines=tuple(lines))
    first, others = actionable[0], actionable[1:]
    assert first.token is not None
    rows: list[tuple[Button, ...]] = list(task_buttons(first.token))
    if not others:
        lines.append(Text(_FOOTER))
        return Reply(lines=tuple(lines), buttons=tuple(rows))
    listed = others[: MAX_BUTTON_ROWS - len(rows)]
    for item in listed:
        assert item.token is not None
        rows.append((open_button(item.token, code=item.task or "", title=item.title),))
    lines.append(Text(_FOOTER_SEVERAL, {"code": first.task or ""}))
    if len(listed) < len(others):
        lines.append(Text(_MORE, {"count": len(others) - len(listed)}))
    return Reply(lines=tuple(lines), buttons=tuple(rows))


def item_lines(item: DigestItem) -> list[Text]:
    """The lines that tell one item."""
    kind = ItemKind(item.kind)
    params: dict[str, Param] = {
        "code": item.task or "",
        "title": item.title,
        "due": _day(item.due),
        "days": item.days,
    }
    if kind is ItemKind.SUMMARY:
        return _summary_lines(item.role, item.counts or Counts())
    if kind is ItemKind.ESCALATION:
        params["lead"] = ", ".join(item.lead) or "—"
        return [
            Text(
                N_("• {code}. {title}: {days} working days overdue (due {due}); lead: {lead}."),
                params,
            )
        ]
    if kind is ItemKind.UNASSIGNED:
        if not item.units:
            return [
                Text(N_("• {code}. {title}: nobody to remind, the task has no lead unit."), params)
            ]
        params["units"] = ", ".join(item.units)
        return [
            Text(
                N_("• {code}. {title}: nobody to remind, {units} has no officer in dondoc."),
                params,
            )
        ]
    if kind is ItemKind.OVERDUE:
        if item.days == 1:
            return [Text(N_("• {code}. {title}: overdue since {due} (1 working day)."), params)]
        return [Text(N_("• {code}. {title}: overdue since {due} ({days} working days)."), params)]
    if kind is ItemKind.CHECKIN:
        if item.ongoing or item.due is None:
            params["deadline"] = item.deadline
            return [Text(N_("• {code}. {title} ({deadline}): how is it going?"), params)]
        return [
            Text(N_("• {code}. {title}: runs until {due}; what has been done so far?"), params)
        ]
    if item.role is ItemRole.COORDINATOR:
        params["lead"] = ", ".join(item.lead) or "—"
        return [Text(N_("• {code}. {title}: you coordinate ({lead} leads), due {due}."), params)]
    if item.days == 0:
        return [Text(N_("• {code}. {title}: due today ({due})."), params)]
    if item.days == 1:
        return [Text(N_("• {code}. {title}: due tomorrow ({due})."), params)]
    return [Text(N_("• {code}. {title}: due {due}, {days} days left."), params)]


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(codes)


def _summary_lines(role: ItemRole, counts: Counts) -> list[Text]:
    if role is ItemRole.ADMIN:
        lines = []
        if counts.awaiting_codes:
            lines.append(
                Text(
                    N_("Awaiting direction from above: {codes}."),
                    {"codes": _codes(counts.awaiting_codes)},
                )
            )
        if counts.unrecognised_codes:
            lines.append(
                Text(
                    N_("Deadline not understood, please set one: {codes}."),
                    {"codes": _codes(counts.unrecognised_codes)},
                )
            )
        if counts.unassigned_codes:
            lines.append(
                Text(N_("Nobody to remind: {codes}."), {"codes": _codes(counts.unassigned_codes)})
            )
        return lines
    lines = [
        Text(
            N_(
                "This week: {open} open, {overdue} overdue, {soon} due within 7 days, "
                "{blocked} blocked, {awaiting} awaiting direction; {done_week} done."
            ),
            {
                "open": counts.open,
                "overdue": counts.overdue,
                "soon": counts.soon,
                "blocked": counts.blocked,
                "awaiting": counts.awaiting,
                "done_week": counts.done_week,
            },
        )
    ]
    if counts.overdue_codes:
        lines.append(Text(N_("Most overdue: {codes}."), {"codes": _codes(counts.overdue_codes)}))
    if counts.soon_codes:
        lines.append(Text(N_("Due within 7 days: {codes}."), {"codes": _codes(counts.soon_codes)}))
    if counts.blocked_codes:
        lines.append(Text(N_("Blocked: {codes}."), {"codes": _codes(counts.blocked_codes)}))
    return lines
