"""How lists and figures look on a phone: short lines, a page at a time, buttons to turn pages."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Final

from locales import N_
from models import Role, TaskStatus
from plans.roman import roman
from services.messages import Action, Button, Reply, Text
from services.people.officers import OfficerView
from services.people.units import UnitView
from services.tracking.queries import Item, Summary

PAGE_SIZE: Final = 8

PREVIOUS = N_("◀ Previous")
NEXT = N_("Next ▶")


def show_date(day: date | None) -> date | str:
    """A date param, written as the reader's locale writes it when rendered ("—" for none)."""
    return day if day else "—"


def item_line(item: Item, today: date, *, with_plan: bool = False) -> Text:
    """One task of a list: code, title (and its plan, `with_plan`), what matters about it now."""
    title = f"{item.title} [{item.plan}]" if with_plan and item.plan else item.title
    params = {"code": item.code, "title": title, "due": show_date(item.due)}
    if item.status is TaskStatus.DONE:
        return Text(N_("✅ {code} {title}"), params)
    if item.status is TaskStatus.BLOCKED:
        return Text(N_("🚧 {code} {title}: {reason}"), params | {"reason": item.reason or "—"})
    late = item.days_late(today)
    if late:
        return Text(
            N_("⚠️ {code} {title}: {days} working days late (due {due})"), params | {"days": late}
        )
    if item.due is None:
        return Text(N_("• {code} {title}"), params)
    return Text(N_("• {code} {title}: due {due}"), params)


def overdue_lines(items: Sequence[Item], today: date) -> list[Text]:
    """Overdue tasks grouped by lead unit, each with its officers and days late."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(", ".join(item.units) or "—", []).append(item)
    lines: list[Text] = []
    for unit, members in sorted(groups.items()):
        lines.append(Text(N_("🏢 {unit}: {count}"), {"unit": unit, "count": len(members)}))
        for item in members:
            lines.append(
                Text(
                    N_("⚠️ {code} {title}: {days} working days late ({officers})"),
                    {
                        "code": item.code,
                        "title": item.title,
                        "days": item.days_late(today),
                        "officers": ", ".join(item.officers) or "—",
                    },
                )
            )
    return lines


def summary_lines(summary: Summary) -> list[Text]:
    """Counts by status, by unit and by quarter."""
    total = sum(summary.by_status.values())
    done = summary.by_status.get(TaskStatus.DONE, 0)
    blocked = summary.by_status.get(TaskStatus.BLOCKED, 0)
    lines = [
        Text(
            N_("📋 {total} tasks: {done} done, {open} open, {blocked} blocked, {late} overdue."),
            {
                "total": total,
                "done": done,
                "open": summary.outstanding,
                "blocked": blocked,
                "late": summary.overdue,
            },
        )
    ]
    for unit, open_, done_, late in summary.by_unit:
        lines.append(
            Text(
                N_("🏢 {unit}: {open} open, {done} done, {late} overdue"),
                {"unit": unit, "open": open_, "done": done_, "late": late},
            )
        )
    for year, quarter, open_, done_ in summary.by_quarter:
        lines.append(
            Text(
                N_("📅 Quarter {quarter}/{year}: {open} open, {done} done"),
                {"quarter": roman(quarter), "year": year, "open": open_, "done": done_},
            )
        )
    return lines


def officer_line(view: OfficerView) -> Text:
    """One officer of /canbo."""
    params = {"name": view.name, "units": ", ".join(view.units) or "—"}
    if view.role is Role.CHAIR:
        return Text(N_("👤 {name} (chair)"), params)
    if view.role is Role.ADMIN:
        return Text(N_("👤 {name} (office): {units}"), params)
    return Text(N_("👤 {name}: {units}"), params)


def unit_line(view: UnitView) -> Text:
    """One unit of /donvi with its aliases and officers."""
    return Text(
        N_("🏢 {name} ({aliases}): {officers}"),
        {
            "name": view.name,
            "aliases": ", ".join(view.aliases) or "—",
            "officers": ", ".join(view.officers) or "—",
        },
    )


def page_of(
    title: Text,
    lines: Sequence[Text],
    page: int,
    *,
    turn: Callable[[int], str],
    empty: Text,
    extra: Sequence[tuple[Button, ...]] = (),
    edit_of: str | None = None,
    size: int = PAGE_SIZE,
) -> Reply:
    """Page `page` (from 0) of `lines` under `title`; `turn(n)` gives the token of page n."""
    if not lines:
        return Reply(lines=(title, empty), edit_of=edit_of)
    pages = (len(lines) + size - 1) // size
    page = max(0, min(page, pages - 1))
    shown = tuple(lines[page * size : (page + 1) * size])
    heading: tuple[Text, ...] = (title,)
    if pages > 1:
        heading += (Text(N_("Page {page}/{pages}"), {"page": page + 1, "pages": pages}),)
    row: list[Button] = []
    if page > 0:
        row.append(Button(Action.PAGE, turn(page - 1), Text(PREVIOUS)))
    if page < pages - 1:
        row.append(Button(Action.PAGE, turn(page + 1), Text(NEXT)))
    buttons = tuple(extra) + ((tuple(row),) if row else ())
    return Reply(lines=heading + shown, buttons=buttons, edit_of=edit_of)
