"""The progress workbook (.xlsx): the plan's own task table filled in, then by unit.

Sheet 1 repeats the plan's table as printed (its headers in its order, sections and numbers
kept) and adds the status, completion date, progress and remarks; a task with several lead units
has a row per unit under it. Sheet 2 counts each unit's and officer's shares and their on-time
rate. The plan's required reports and tasks given by hand, and the units' standing duties, get
sheets of their own. Every sheet prints on A4 landscape with its header row repeated.
"""

import io
from collections.abc import Sequence
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from locales import N_
from plans.roman import section_heading
from reports.figures import Tally, by_officer, by_unit, combine
from reports.snapshot import PlanColumn, Snapshot, TaskFacts, share_state, task_state
from reports.wording import (
    DONE_ON_HEADER,
    PROGRESS_HEADER,
    REMARKS_HEADER,
    STANDARD_HEADERS,
    STATE_NAMES,
    STATUS_HEADER,
    remarks_text,
    say,
    show_date,
    unit_label,
)

FONT_NAME: Final = "Times New Roman"
HEADER_ROW: Final = 3
"""Rows 1–2 hold the title; the table's header is row 3 and its body starts at row 4."""

_WIDTHS: Final = {
    "code": 7,
    "title": 48,
    "requirement": 30,
    "lead": 22,
    "coordinators": 22,
    "deadline": 16,
    "note": 20,
}
_ADDED_WIDTHS: Final = (16, 13, 10, 40)
LINE_HEIGHT: Final = 15.75
"""Points a line of 12-point Times New Roman takes in a row."""
_THIN: Final = Side(style="thin")
_BORDER: Final = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY: Final = Font(name=FONT_NAME, size=12)
_BOLD: Final = Font(name=FONT_NAME, size=12, bold=True)
_TITLE: Final = Font(name=FONT_NAME, size=14, bold=True)
_ITALIC: Final = Font(name=FONT_NAME, size=12, italic=True)
_WRAP: Final = Alignment(wrap_text=True, vertical="top")
_CENTRE: Final = Alignment(wrap_text=True, vertical="center", horizontal="center")
_TOP_CENTRE: Final = Alignment(wrap_text=True, vertical="top", horizontal="center")
_CENTRED_ROLES: Final = frozenset(("code", "deadline"))

_Value = str | int | float | None
_FONTS: Final = {"body": _BODY, "bold": _BOLD, "title": _TITLE, "italic": _ITALIC}
_ALIGNMENTS: Final = {"wrap": _WRAP, "centre": _CENTRE, "top": _TOP_CENTRE}
_STYLES: Final = (
    *((font, alignment, True) for font in _FONTS.values() for alignment in _ALIGNMENTS.values()),
    (_TITLE, _CENTRE, False),
    (_ITALIC, _CENTRE, False),
)


_STYLE_NAMES: Final = {
    (id(font), id(alignment), border): f"dondoc {font_name} {alignment_name}"
    + (" boxed" if border else "")
    for font_name, font in _FONTS.items()
    for alignment_name, alignment in _ALIGNMENTS.items()
    for border in (True, False)
}


def _style_name(font: Font, alignment: Alignment, *, border: bool) -> str:
    """The named style of a font, an alignment and a border: "dondoc body wrap boxed"."""
    return _STYLE_NAMES[(id(font), id(alignment), border)]


def build_workbook(snapshot: Snapshot) -> bytes:
    """The progress workbook of `snapshot` as .xlsx bytes."""
    book = Workbook()
    for font, alignment, border in _STYLES:
        book.add_named_style(
            NamedStyle(
                name=_style_name(font, alignment, border=border),
                font=font,
                alignment=alignment,
                border=_BORDER if border else Border(),
            )
        )
    first = book.active
    assert first is not None
    _table_sheet(_Sheet(first), snapshot)
    _units_sheet(_Sheet(book.create_sheet()), snapshot)
    if snapshot.others:
        _others_sheet(
            _Sheet(book.create_sheet()), snapshot, N_("Required reports"), snapshot.others
        )
    if snapshot.handmade:
        _others_sheet(
            _Sheet(book.create_sheet()), snapshot, N_("Tasks given by hand"), snapshot.handmade
        )
    if snapshot.duty_tasks:
        _others_sheet(_Sheet(book.create_sheet()), snapshot, N_("Duties"), snapshot.duty_tasks)
    elif snapshot.duties and snapshot.only_units is None:
        _duties_sheet(_Sheet(book.create_sheet()), snapshot)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plan_columns(snapshot: Snapshot) -> tuple[PlanColumn, ...]:
    """The plan's columns as printed, or standard ones when the import did not keep them."""
    if snapshot.plan.columns:
        return snapshot.plan.columns
    roles = ["code", "title", "lead", "coordinators", "deadline"]
    if any(task.requirement for task in snapshot.tasks):
        roles.insert(2, "requirement")
    return tuple(PlanColumn(role, say(snapshot.locale, STANDARD_HEADERS[role])) for role in roles)


class _Sheet:
    """A worksheet written top to bottom, keeping count of its rows (openpyxl's `max_row`
    scans every cell each time it is read)."""

    def __init__(self, sheet: Worksheet):
        self.sheet = sheet
        self.row = HEADER_ROW
        self.widths: dict[int, int] = {}
        self.lines: dict[int, int] = {}
        """The lines the wrapped text of each row needs (spreadsheets do not measure it when
        they open a file: LibreOffice printed every row one line high, its text overlapping)."""

    def next_row(self) -> int:
        """The next empty row."""
        self.row += 1
        return self.row

    def put(
        self,
        row: int,
        column: int,
        value: "_Value",
        font: Font = _BODY,
        alignment: Alignment = _WRAP,
        *,
        border: bool = True,
    ) -> None:
        """Write one cell in one of the workbook's named styles (a named style is copied by
        reference; setting font, alignment and border on each cell hashes every style object,
        4 s for a 1,000-task plan)."""
        cell = self.sheet.cell(row=row, column=column, value=value)
        cell.style = _style_name(font, alignment, border=border)
        width = self.widths.get(column)
        if border and width and isinstance(value, str) and value:
            lines = _lines_of(value, width, bold=font.b is True)
            if lines > self.lines.get(row, 1):
                self.lines[row] = lines


def _lines_of(text: str, width: int, *, bold: bool) -> int:
    """The lines `text` takes wrapped in a column `width` characters wide (a word-wrapped line
    holds fewer characters than the width; bold ones are wider)."""
    per_line = max(1, int(width * (0.8 if bold else 0.9)))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _table_sheet(out: _Sheet, snapshot: Snapshot) -> None:
    t = snapshot.locale
    out.sheet.title = say(t, N_("Progress"))
    columns = plan_columns(snapshot)
    headers = [
        *(column.label for column in columns),
        *(say(t, msgid) for msgid in (STATUS_HEADER, DONE_ON_HEADER, PROGRESS_HEADER)),
        say(t, REMARKS_HEADER),
    ]
    widths = [*(_WIDTHS.get(column.role, 20) for column in columns), *_ADDED_WIDTHS]
    _title(out, snapshot, len(headers))
    _header(out, headers, widths)
    roles = [column.role for column in columns]
    title_at = roles.index("title") if "title" in roles else 0
    lead_at = roles.index("lead") if "lead" in roles else None
    printed: tuple[str, ...] = ()
    for task in snapshot.tasks:
        shares = [
            share
            for share in task.shares
            if snapshot.only_units is None or share.unit in snapshot.only_units
        ]
        if snapshot.only_units is not None and not shares:
            continue
        printed = _headings(out, task.headings, printed, roles, len(headers))
        state = task_state(task, snapshot.today)
        cells: list[_Value] = [task.cell(role) for role in roles]
        cells += [
            say(t, STATE_NAMES[state]),
            show_date(task.done_on),
            task.progress,
            remarks_text(t, task.remarks),
        ]
        _body_row(out, cells, roles)
        if len(task.shares) > 1:
            for share in shares:
                unit_cells: list[_Value] = [""] * len(roles)
                unit_cells[title_at] = f"– {unit_label(t, share.unit)}"
                if lead_at is not None:
                    unit_cells[lead_at] = unit_label(t, share.unit)
                unit_state = share_state(task, share, snapshot.today)
                unit_cells += [
                    say(t, STATE_NAMES[unit_state]),
                    show_date(share.done_on),
                    share.progress,
                    "",
                ]
                _body_row(out, unit_cells, roles, font=_ITALIC)
    _print_ready(out, len(headers))


def _units_sheet(out: _Sheet, snapshot: Snapshot) -> None:
    t = snapshot.locale
    out.sheet.title = say(t, N_("By unit"))
    counts = [
        N_("Assigned"),
        N_("Done on time"),
        N_("Done late"),
        N_("In progress"),
        N_("Overdue"),
        N_("Blocked"),
        N_("Not yet due"),
        N_("On-time rate"),
    ]
    headers = [say(t, N_("Unit")), *(say(t, msgid) for msgid in counts)]
    _title(out, snapshot, len(headers))
    _header(out, headers, [40, *([13] * len(counts))])
    units = by_unit(snapshot)
    for tally in units:
        _tally_row(out, unit_label(t, tally.name), tally)
    if units:
        whole = combine(say(t, N_("Total")), units)
        _tally_row(out, whole.name, whole, font=_BOLD)
    officers = by_officer(snapshot)
    if officers:
        out.next_row()
        row = out.next_row()
        for column, text in enumerate(headers, start=1):
            value = say(t, N_("Officer")) if column == 1 else text
            out.put(row, column, value, _BOLD, _CENTRE)
        for tally in officers:
            _tally_row(out, unit_label(t, tally.name), tally)
    _print_ready(out, len(headers))


def _others_sheet(
    out: _Sheet, snapshot: Snapshot, title: str, tasks: tuple[TaskFacts, ...]
) -> None:
    t = snapshot.locale
    out.sheet.title = say(t, title)
    roles = ["code", "title", "lead", "deadline"]
    headers = [
        *(say(t, STANDARD_HEADERS[role]) for role in roles),
        say(t, STATUS_HEADER),
        say(t, DONE_ON_HEADER),
        say(t, REMARKS_HEADER),
    ]
    _title(out, snapshot, len(headers))
    _header(out, headers, [9, 48, 26, 22, 16, 13, 40])
    for task in tasks:
        units = [share.unit for share in task.shares]
        if snapshot.only_units is not None and not set(units) & set(snapshot.only_units):
            continue
        state = task_state(task, snapshot.today)
        cells: list[_Value] = [
            task.code,
            task.title,
            task.lead_text or ", ".join(unit_label(t, unit) for unit in units),
            task.deadline_text or show_date(task.due),
            say(t, STATE_NAMES[state]),
            show_date(task.done_on),
            remarks_text(t, task.remarks),
        ]
        _body_row(out, cells, roles)
    _print_ready(out, len(headers))


def _duties_sheet(out: _Sheet, snapshot: Snapshot) -> None:
    t = snapshot.locale
    out.sheet.title = say(t, N_("Duties"))
    headers = [say(t, N_("Unit")), say(t, N_("Duty"))]
    _title(out, snapshot, len(headers))
    _header(out, headers, [36, 90])
    for duty in snapshot.duties:
        _body_row(out, [unit_label(t, duty.unit), duty.duty], ["lead", "title"])
    _print_ready(out, len(headers))


def _title(out: _Sheet, snapshot: Snapshot, width: int) -> None:
    t = snapshot.locale
    plan = snapshot.plan
    subtitle = say(
        t,
        N_("Progress as of {date}, {period}"),
        date=show_date(snapshot.today),
        period=snapshot.period.label(t),
    )
    out.put(1, 1, plan.title or plan.number or "", _TITLE, _CENTRE, border=False)
    out.put(2, 1, subtitle, _ITALIC, _CENTRE, border=False)
    for row in (1, 2):
        out.sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    out.sheet.row_dimensions[1].height = 36


def _header(out: _Sheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        out.widths[column] = width
        out.sheet.column_dimensions[get_column_letter(column)].width = width
        out.put(HEADER_ROW, column, text, _BOLD, _CENTRE)


def _headings(
    out: _Sheet,
    path: tuple[str, ...],
    printed: tuple[str, ...],
    roles: Sequence[str],
    width: int,
) -> tuple[str, ...]:
    """Print the headings of `path` (outermost first) not printed above the row before, as the
    plan prints its sections ("II …", then "2.1 …"); the headings now printed."""
    if not path:
        return printed
    kept = 0
    while kept < min(len(path), len(printed)) and path[kept] == printed[kept]:
        kept += 1
    for text in path[kept:]:
        _section_row(out, text, roles, width)
    return path


def _section_row(out: _Sheet, text: str, roles: Sequence[str], width: int) -> None:
    """A heading of the plan's table: its number in the number column, its words in the
    title column, in bold, as the plan prints it."""
    row = out.next_row()
    heading = section_heading(text)
    code, words = heading if heading is not None and heading[1] else ("", text)
    code_at = roles.index("code") if "code" in roles else None
    title_at = roles.index("title") if "title" in roles else 0
    if code_at is None:
        code, words = "", text
    for column in range(width):
        value = words if column == title_at else code if column == code_at else None
        out.put(row, column + 1, value or None, _BOLD, _WRAP)


def _body_row(
    out: _Sheet, cells: Sequence[_Value], roles: Sequence[str], *, font: Font = _BODY
) -> None:
    row = out.next_row()
    for column, value in enumerate(cells, start=1):
        role = roles[column - 1] if column <= len(roles) else ""
        is_added_short = len(roles) < column < len(cells)
        centred = role in _CENTRED_ROLES or is_added_short
        out.put(row, column, value, font, _TOP_CENTRE if centred else _WRAP)


def _tally_row(out: _Sheet, name: str, tally: Tally, *, font: Font = _BODY) -> None:
    row = out.next_row()
    rate = tally.on_time_rate
    values: list[_Value] = [
        name,
        tally.assigned,
        tally.on_time,
        tally.late,
        tally.in_progress,
        tally.overdue,
        tally.blocked,
        tally.not_due,
        "—" if rate is None else rate,
    ]
    for column, value in enumerate(values, start=1):
        out.put(row, column, value, font, _WRAP if column == 1 else _TOP_CENTRE)
    out.sheet.cell(row=row, column=len(values)).number_format = "0%"


def _print_ready(out: _Sheet, width: int) -> None:
    """A4 landscape, fitted to the page's width, the header row on every page, panes frozen,
    each row as high as its wrapped text."""
    sheet = out.sheet
    for row, lines in out.lines.items():
        sheet.row_dimensions[row].height = lines * LINE_HEIGHT
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.horizontalCentered = True
    sheet.print_area = f"A1:{get_column_letter(width)}{out.row}"
