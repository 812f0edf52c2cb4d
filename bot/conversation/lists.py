"""The lists people ask for (their tasks, overdue work, a quarter, blockers, what a question's
filters keep, officers, units, the summary), a page at a time; another page is a button whose
token names the view and its arguments."""

from collections.abc import Callable
from dataclasses import replace

from bot.conversation import reporting
from bot.conversation.context import Turn
from bot.conversation.messages import (
    ALSO_OVERDUE,
    COMPLETION,
    EMPTY_LIST,
    FILTERED_BY,
    HELP_ADMIN,
    HELP_MANAGER,
    HELP_OFFICER,
    QUARTER_OF_YEAR,
    QUARTER_USAGE,
    RESOLVE_LABEL,
    TITLE_BLOCKERS,
    TITLE_FOUND,
    TITLE_FOUND_LATE,
    TITLE_OFFICERS,
    TITLE_OVERDUE,
    TITLE_QUARTER,
    TITLE_SUMMARY,
    TITLE_TASKS,
    TITLE_UNITS,
)
from bot.conversation.views import (
    item_line,
    officer_line,
    overdue_lines,
    page_of,
    summary_lines,
    unit_line,
)
from locales import format_day, translate
from models import ActionToken, Role, TokenSubject
from plans.roman import QUARTER_NUMBERS, roman
from services.access import is_manager, issue_token
from services.clock import local_today
from services.messages import Action, Button, Reply, Text
from services.people.officers import officers_for
from services.people.units import units_for
from services.tracking import asking, queries
from services.tracking.queries import Item


def turner(turn: Turn, view: str, args: dict[str, object]) -> Callable[[int], str]:
    """Issues the token of another page of a list (addressed to whoever asked)."""

    def issue(page: int) -> str:
        data: dict[str, object] = {"view": view, "page": page, **args}
        return issue_token(turn.session, turn.clock, turn.actor, TokenSubject.PAGE, data=data)

    return issue


def lines_of(turn: Turn, found: list[Item]) -> list[Text]:
    """One line per item; each names its plan when the organization follows several."""
    today = local_today(turn.clock)
    several = asking.plans_count(turn.session, turn.actor) > 1
    return [item_line(item, today, with_plan=several) for item in found]


def tasks_page(turn: Turn, page: int, arg: str, *, edit_of: str | None = None) -> Reply:
    """Open work: the actor's own, or (chair, admin) a named officer's or unit's."""
    # another's work, a unit's or an officer's: `tasks_for` refuses anyone but the chair and
    # the admins, and tells a unit from an officer
    found = queries.tasks_for(turn.session, turn.actor, whose=arg or None)
    return page_of(
        Text(TITLE_TASKS, {"count": len(found)}),
        lines_of(turn, found),
        page,
        turn=turner(turn, "tasks", {"arg": arg}),
        empty=Text(EMPTY_LIST),
        edit_of=edit_of,
    )


def found_page(
    turn: Turn, page: int, words: str, *, late: bool, edit_of: str | None = None
) -> Reply:
    """What a question's filters keep ("phòng văn hóa còn gì?", "/quahan CCVHXH"), the overdue
    part of it when `late`; unfiltered, the actor's tasks or the overdue list."""
    filters = asking.read_filters(turn.session, turn.clock, turn.actor, words)
    if filters.is_empty:
        return overdue_page(turn, page, edit_of=edit_of) if late else tasks_page(turn, page, "")
    if late and filters.due_soon:  # "quá hạn tuần này": what is late, whatever the window
        filters = replace(filters, due_from=None, due_soon=False)
    found = asking.find(turn.session, turn.clock, turn.actor, filters)
    today = local_today(turn.clock)
    if late:
        found = queries.overdue_among(found, today)
    shown = page_of(
        Text(
            TITLE_FOUND_LATE if late else TITLE_FOUND,
            {"filters": describe(filters, turn.actor.locale), "count": len(found)},
        ),
        lines_of(turn, found),
        page,
        turn=turner(turn, "found", {"words": words, "late": late}),
        empty=Text(EMPTY_LIST),
        edit_of=edit_of,
    )
    late_too = filters.due_soon and asking.overdue_besides(
        turn.session, turn.clock, turn.actor, filters
    )
    if not late_too:
        return shown
    return replace(shown, lines=(*shown.lines, Text(ALSO_OVERDUE, {"count": late_too})))


def completion(turn: Turn, words: str) -> Reply:
    """How much is done ("đã xong bao nhiêu?"), within the question's filters."""
    filters = asking.read_filters(turn.session, turn.clock, turn.actor, words)
    counted = asking.completion(turn.session, turn.clock, turn.actor, filters)
    params = {"done": counted.done, "total": counted.total, "percent": counted.percent}
    lines = [Text(COMPLETION, params)]
    if not filters.is_empty:
        lines.append(Text(FILTERED_BY, {"filters": describe(filters, turn.actor.locale)}))
    return Reply(lines=tuple(lines))


def describe(filters: asking.Filters, locale: str) -> str:
    """The filters as the asker named them, joined: a unit, an officer, a quarter ("Quý II/2025",
    as plans write it), dates."""
    parts: list[str] = []
    if filters.unit:
        parts.append(filters.unit)
    if filters.officer:
        parts.append(filters.officer)
    if filters.quarter:
        year, number = filters.quarter
        parts.append(translate(locale, QUARTER_OF_YEAR, quarter=roman(number), year=year))
    if filters.due_to is not None and filters.quarter is None:
        since = filters.due_from
        start = format_day(since, locale=locale, year=False) + "–" if since else "≤ "
        parts.append(start + format_day(filters.due_to, locale=locale))
    if filters.plan:
        parts.append(filters.plan)
    return ", ".join(parts)


def overdue_page(turn: Turn, page: int, *, edit_of: str | None = None) -> Reply:
    """Overdue work: by unit and officer for the chair, the officer's own otherwise."""
    found = queries.overdue(turn.session, turn.clock, turn.actor)
    today = local_today(turn.clock)
    lines = overdue_lines(found, today) if is_manager(turn.actor) else lines_of(turn, found)
    return page_of(
        Text(TITLE_OVERDUE, {"count": len(found)}),
        lines,
        page,
        turn=turner(turn, "overdue", {}),
        empty=Text(EMPTY_LIST),
        edit_of=edit_of,
    )


def quarter_page(turn: Turn, page: int, arg: str, *, edit_of: str | None = None) -> Reply:
    """Everything due in a quarter ("/quy 2", "/quy II", "/quy 3 2025"), titled as plans
    write it ("Quý II/2025")."""
    parts = arg.replace("/", " ").split()
    number = QUARTER_NUMBERS.get(parts[0].lower()) if parts else None
    if number is None:
        return Reply(lines=(Text(QUARTER_USAGE),))
    year = int(parts[1]) if len(parts) > 1 and parts[1].isdecimal() else None
    year = year or local_today(turn.clock).year
    found = queries.quarter(turn.session, turn.actor, year=year, number=number)
    return page_of(
        Text(TITLE_QUARTER, {"quarter": roman(number), "year": year, "count": len(found)}),
        lines_of(turn, found),
        page,
        turn=turner(turn, "quarter", {"arg": arg}),
        empty=Text(EMPTY_LIST),
        edit_of=edit_of,
    )


def blockers_page(turn: Turn, page: int, *, edit_of: str | None = None) -> Reply:
    """Open blockers the actor may see, each with a button to lift it."""
    found = queries.open_blockers(turn.session, turn.actor)
    size = 5
    shown = found[page * size : (page + 1) * size]
    extra = tuple(
        (Button(Action.RESOLVE, _task_token(turn, item), _lift(item)),) for item in shown
    )
    return page_of(
        Text(TITLE_BLOCKERS, {"count": len(found)}),
        lines_of(turn, found),
        page,
        turn=turner(turn, "blockers", {}),
        empty=Text(EMPTY_LIST),
        extra=extra,
        edit_of=edit_of,
        size=size,
    )


def _task_token(turn: Turn, item: Item) -> str:
    return issue_token(
        turn.session, turn.clock, turn.actor, TokenSubject.OCCURRENCE,
        occurrence_id=item.occurrence_id,
    )  # fmt: skip


def _lift(item: Item) -> Text:
    return Text(RESOLVE_LABEL, {"code": item.code})


def summary(turn: Turn) -> Reply:
    """Counts by status, unit and quarter (the chair's); an officer gets their tasks."""
    if not is_manager(turn.actor):
        return tasks_page(turn, 0, "")
    found = queries.summary(turn.session, turn.clock, turn.actor)
    rates = reporting.rate_lines(turn)
    return Reply(lines=(Text(TITLE_SUMMARY), *summary_lines(found), *rates))


def officers_page(turn: Turn, page: int, *, edit_of: str | None = None) -> Reply:
    """The organization's officers (chair, admins)."""
    views = officers_for(turn.session, turn.actor)
    return page_of(
        Text(TITLE_OFFICERS, {"count": len(views)}),
        [officer_line(view) for view in views],
        page,
        turn=turner(turn, "officers", {}),
        empty=Text(EMPTY_LIST),
        edit_of=edit_of,
    )


def units_page(turn: Turn, page: int, *, edit_of: str | None = None) -> Reply:
    """The organization's units with their aliases and officers (chair, admins)."""
    views = units_for(turn.session, turn.actor)
    return page_of(
        Text(TITLE_UNITS, {"count": len(views)}),
        [unit_line(view) for view in views],
        page,
        turn=turner(turn, "units", {}),
        empty=Text(EMPTY_LIST),
        edit_of=edit_of,
    )


def turn_page(turn: Turn, row: ActionToken) -> list[Reply]:
    """Another page of the list whose button was pressed, in place."""
    view = str(row.data.get("view"))
    page = int(str(row.data.get("page", 0)))
    arg = str(row.data.get("arg", ""))
    edit_of = turn.incoming.message_id
    if view == "tasks":
        return [tasks_page(turn, page, arg, edit_of=edit_of)]
    if view == "found":
        words = str(row.data.get("words", ""))
        late = bool(row.data.get("late"))
        return [found_page(turn, page, words, late=late, edit_of=edit_of)]
    if view == "overdue":
        return [overdue_page(turn, page, edit_of=edit_of)]
    if view == "quarter":
        return [quarter_page(turn, page, arg, edit_of=edit_of)]
    if view == "blockers":
        return [blockers_page(turn, page, edit_of=edit_of)]
    if view == "officers":
        return [officers_page(turn, page, edit_of=edit_of)]
    return [units_page(turn, page, edit_of=edit_of)]


def help_lines(turn: Turn) -> list[Reply]:
    """What the bot does, for this person's role."""
    lines = list(HELP_OFFICER)
    if is_manager(turn.actor):
        lines += HELP_MANAGER
    if turn.actor.role is Role.ADMIN:
        lines += HELP_ADMIN
    return [Reply(lines=tuple(Text(line) for line in lines))]
