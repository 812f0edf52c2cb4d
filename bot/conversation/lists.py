"""The lists people ask for (their tasks, overdue work, a quarter, blockers, officers, units,
the summary), a page at a time."""

from bot.conversation.messages import (
    EMPTY_LIST,
    HELP_ADMIN,
    HELP_MANAGER,
    HELP_OFFICER,
    QUARTER_USAGE,
    RESOLVE_LABEL,
    TITLE_BLOCKERS,
    TITLE_OFFICERS,
    TITLE_OVERDUE,
    TITLE_QUARTER,
    TITLE_SUMMARY,
    TITLE_TASKS,
    TITLE_UNITS,
)
from bot.conversation.turn import TurnBase, _Turner
from bot.conversation.views import (
    item_line,
    officer_line,
    overdue_lines,
    page_of,
    summary_lines,
    unit_line,
)
from models import (
    ActionToken,
    Role,
)
from services.access import is_manager, require_manager
from services.messages import Action, Button, Reply, Text, say
from services.people.officers import list_officers
from services.people.units import find_unit, list_units
from services.tracking import queries
from services.tracking.relative_time import local_today


class Lists(TurnBase):
    """The list pages of a turn."""

    # --- lists -----------------------------------------------------------------------------

    def _turner(self, view: str, args: dict[str, object]) -> "_Turner":
        return _Turner(self, view, args)

    def _tasks_page(self, page: int, arg: str, *, edit_of: str | None = None) -> Reply:
        officer_name = unit_name = None
        if arg:
            require_manager(self.actor)
            if find_unit(self.session, self._org(), arg) is not None:
                unit_name = arg
            else:
                officer_name = arg
        found = queries.tasks_for(
            self.session, self.actor, officer_name=officer_name, unit_name=unit_name
        )
        today = local_today(self.clock)
        return page_of(
            Text(TITLE_TASKS, {"count": len(found)}),
            [item_line(item, today) for item in found],
            page,
            turn=self._turner("tasks", {"arg": arg}),
            empty=Text(EMPTY_LIST),
            edit_of=edit_of,
        )

    def _overdue_page(self, page: int, *, edit_of: str | None = None) -> Reply:
        found = queries.overdue(self.session, self.clock, self.actor)
        today = local_today(self.clock)
        lines = (
            overdue_lines(found, today)
            if is_manager(self.actor)
            else [item_line(item, today) for item in found]
        )
        return page_of(
            Text(TITLE_OVERDUE, {"count": len(found)}),
            lines,
            page,
            turn=self._turner("overdue", {}),
            empty=Text(EMPTY_LIST),
            edit_of=edit_of,
        )

    def _quarter_page(self, page: int, arg: str, *, edit_of: str | None = None) -> Reply:
        parts = arg.replace("/", " ").split()
        if not parts or not parts[0].isdigit() or not 1 <= int(parts[0]) <= 4:
            return say(QUARTER_USAGE)
        number = int(parts[0])
        year = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        year = year or local_today(self.clock).year
        found = queries.quarter(self.session, self.actor, year=year, number=number)
        today = local_today(self.clock)
        return page_of(
            Text(TITLE_QUARTER, {"quarter": number, "year": year, "count": len(found)}),
            [item_line(item, today) for item in found],
            page,
            turn=self._turner("quarter", {"arg": arg}),
            empty=Text(EMPTY_LIST),
            edit_of=edit_of,
        )

    def _blockers_page(self, page: int, *, edit_of: str | None = None) -> Reply:
        found = queries.open_blockers(self.session, self.actor)
        today = local_today(self.clock)
        size = 5
        shown = found[page * size : (page + 1) * size]
        extra = tuple(
            (
                Button(
                    Action.RESOLVE,
                    self._occurrence_token(item.occurrence_id),
                    Text(RESOLVE_LABEL, {"code": item.code}),
                ),
            )
            for item in shown
        )
        reply = page_of(
            Text(TITLE_BLOCKERS, {"count": len(found)}),
            [item_line(item, today) for item in found],
            page,
            turn=self._turner("blockers", {}),
            empty=Text(EMPTY_LIST),
            extra=extra,
            edit_of=edit_of,
            size=size,
        )
        self.session.commit()
        return reply

    def _summary(self) -> Reply:
        if not is_manager(self.actor):
            return self._tasks_page(0, "")
        found = queries.summary(self.session, self.clock, self.actor)
        return Reply(lines=(Text(TITLE_SUMMARY), *summary_lines(found)))

    def _officers_page(self, page: int, *, edit_of: str | None = None) -> Reply:
        require_manager(self.actor)
        views = list_officers(self.session, self._org())
        return page_of(
            Text(TITLE_OFFICERS, {"count": len(views)}),
            [officer_line(view) for view in views],
            page,
            turn=self._turner("officers", {}),
            empty=Text(EMPTY_LIST),
            edit_of=edit_of,
        )

    def _units_page(self, page: int, *, edit_of: str | None = None) -> Reply:
        require_manager(self.actor)
        views = list_units(self.session, self._org())
        return page_of(
            Text(TITLE_UNITS, {"count": len(views)}),
            [unit_line(view) for view in views],
            page,
            turn=self._turner("units", {}),
            empty=Text(EMPTY_LIST),
            edit_of=edit_of,
        )

    def _page(self, row: ActionToken) -> list[Reply]:
        view = str(row.data.get("view"))
        page = int(str(row.data.get("page", 0)))
        arg = str(row.data.get("arg", ""))
        edit_of = self.incoming.message_id
        pages = {
            "tasks": lambda: self._tasks_page(page, arg, edit_of=edit_of),
            "overdue": lambda: self._overdue_page(page, edit_of=edit_of),
            "quarter": lambda: self._quarter_page(page, arg, edit_of=edit_of),
            "blockers": lambda: self._blockers_page(page, edit_of=edit_of),
            "officers": lambda: self._officers_page(page, edit_of=edit_of),
            "units": lambda: self._units_page(page, edit_of=edit_of),
        }
        reply = pages[view]()
        self.session.commit()
        return [reply]

    def _help(self) -> list[Reply]:
        lines = list(HELP_OFFICER)
        if is_manager(self.actor):
            lines += HELP_MANAGER
        if self.actor.role is Role.ADMIN:
            lines += HELP_ADMIN
        return [Reply(lines=tuple(Text(line) for line in lines))]
