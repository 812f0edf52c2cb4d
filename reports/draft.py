"""The report draft (.docx) in the layout of Nghị định 30/2020/NĐ-CP, for the office to edit.

The issuing body and the number line on the left and the national motto on the right, the place
and date, the title "BÁO CÁO Kết quả thực hiện Kế hoạch số … quý … năm …", then I. results
(figures and the per-unit table), II. shortcomings (overdue tasks, blockers and their reasons),
III. tasks of the next period, IV. proposals (extension requests and blockers waiting for the
chair). "Nơi nhận" and the signature are left for the office. Times New Roman 13 on A4.
"""

import io
from collections.abc import Sequence
from typing import Final

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from locales import N_
from reports.docx_layout import cell_lines, cell_text, repeat_as_header, rule, set_widths
from reports.figures import Tally, by_unit, share_lines, total
from reports.snapshot import DONE_STATES, Snapshot, State, TaskFacts, task_state
from reports.wording import say, show_date, show_rate, unit_label

FONT_NAME: Final = "Times New Roman"
FONT_SIZE: Final = Pt(13)
HEADING_SIZE: Final = Pt(12)
"""The issuing body and the national motto (Nghị định 30: 12–13), so that "CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM" holds on one line of its 10 cm column."""
HEADING_WIDTHS: Final = (6.0, 10.0)
"""The issuing body's and the motto's columns, in cm: the 16 cm between A4's margins."""
CLOSING_WIDTHS: Final = (8.0, 8.0)
UNIT_TABLE_WIDTHS: Final = (3.8, *([1.74] * 7))
"""The unit's name, then seven figures under headers of two words a line ("Hoàn thành")."""
_LEVEL_WORDS: Final = ("phường ", "xã ", "thị trấn ")


def build_draft(snapshot: Snapshot) -> bytes:
    """The report draft of `snapshot` as .docx bytes."""
    document = Document()
    _page(document)
    _heading_block(document, snapshot)
    _title(document, snapshot)
    _results(document, snapshot)
    _shortcomings(document, snapshot)
    _next_period(document, snapshot)
    _proposals(document, snapshot)
    _closing(document, snapshot)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document: DocumentType) -> None:
    doc = document
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = FONT_SIZE
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT_NAME)
    normal.paragraph_format.space_after = Pt(6)


def _heading_block(document: DocumentType, snapshot: Snapshot) -> None:
    doc = document
    t = snapshot.locale
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, HEADING_WIDTHS)
    left, right = table.rows[0].cells
    cell_lines(
        left,
        [
            (say(t, N_("PEOPLE'S COMMITTEE")), False),
            (snapshot.plan.organization.upper(), True),
            ("", False),
            (say(t, N_("No.:      /BC-UBND")), False),
        ],
        size=HEADING_SIZE,
    )
    rule(left.paragraphs[2], indent=Cm(2))  # a third of the column under the body's name
    cell_lines(
        right,
        [
            (say(t, N_("SOCIALIST REPUBLIC OF VIET NAM")), True),
            (say(t, N_("Independence - Freedom - Happiness")), True),
            ("", False),
        ],
        size=HEADING_SIZE,
    )
    rule(right.paragraphs[2], indent=Cm(2.1))  # as long as the motto's line, under it
    today = snapshot.today
    place = _place(snapshot.plan.organization)
    line = say(
        t,
        N_("{place}, day {day} month {month} year {year}"),
        place=place,
        day=f"{today.day:02d}",
        month=f"{today.month:02d}",
        year=today.year,
    )
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(line)
    run.italic = True


def _title(document: DocumentType, snapshot: Snapshot) -> None:
    doc = document
    t = snapshot.locale
    plan = snapshot.plan
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(0)
    run = heading.add_run(say(t, N_("REPORT")))
    run.bold = True
    run.font.size = Pt(14)
    subject = doc.add_paragraph()
    subject.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text = say(
        t,
        N_("Results of carrying out {plan} in {period}"),
        plan=_plan_name(snapshot),
        period=snapshot.period.label(t),
    )
    run = subject.add_run(text)
    run.bold = True
    run.font.size = Pt(14)
    rule = doc.add_paragraph("—————")
    rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
    intro = say(
        t,
        N_(
            "Carrying out {plan}, the People's Committee of {organization} reports the results "
            "of {period} as follows:"
        ),
        plan=_plan_name(snapshot),
        organization=_in_sentence(plan.organization),
        period=snapshot.period.label(t),
    )
    _para(doc, intro, indent=True)


def _results(document: DocumentType, snapshot: Snapshot) -> None:
    doc = document
    t = snapshot.locale
    _section(doc, say(t, N_("I. RESULTS")))
    whole = total(snapshot)
    share = round(100 * whole.done / whole.assigned) if whole.assigned else 0
    _para(
        doc,
        say(
            t,
            N_(
                "1. The plan has {count} tasks. As of {date}: {done} done ({percent}%), of which "
                "{on_time} on time and {late} late; {in_progress} in progress; {overdue} overdue; "
                "{blocked} blocked; {not_due} not yet due. On-time rate: {rate}."
            ),
            count=whole.assigned,
            date=show_date(snapshot.today),
            done=whole.done,
            percent=share,
            on_time=whole.on_time,
            late=whole.late,
            in_progress=whole.in_progress,
            overdue=whole.overdue,
            blocked=whole.blocked,
            not_due=whole.not_due,
            rate=show_rate(whole.on_time_rate),
        ),
        indent=True,
    )
    period = snapshot.period
    due_in = [task for task in _visible(snapshot) if task.due and period.contains(task.due)]
    done_in = [
        task
        for task in _visible(snapshot)
        if task.status == "done" and task.done_on and period.contains(task.done_on)
    ]
    _para(
        doc,
        say(
            t,
            N_("In {period}, {due} tasks fell due and {done} tasks were completed."),
            period=period.label(t),
            due=len(due_in),
            done=len(done_in),
        ),
        indent=True,
    )
    _para(doc, say(t, N_("2. Results by lead unit:")), indent=True)
    _unit_table(doc, snapshot, by_unit(snapshot))
    if done_in:
        _para(doc, say(t, N_("3. Tasks completed in the period:")), indent=True)
        for task in done_in:
            _item(
                doc,
                say(
                    t,
                    N_("{code}. {title} ({units}), completed on {date}."),
                    code=task.code,
                    title=task.title,
                    units=_units(t, task),
                    date=show_date(task.done_on),
                ),
            )


def _shortcomings(document: DocumentType, snapshot: Snapshot) -> None:
    doc = document
    t = snapshot.locale
    _section(doc, say(t, N_("II. SHORTCOMINGS AND CAUSES")))
    found = False
    for line in share_lines(snapshot, _visible(snapshot)):
        task = line.task
        if line.state is State.OVERDUE:
            found = True
            _item(
                doc,
                say(
                    t,
                    N_("{code}. {title} ({unit}): overdue since {date}."),
                    code=task.code,
                    title=task.title,
                    unit=unit_label(t, line.unit),
                    date=show_date(task.due),
                ),
            )
        elif line.state is State.BLOCKED:
            found = True
            _item(
                doc,
                say(
                    t,
                    N_("{code}. {title} ({unit}): blocked, {reason}."),
                    code=task.code,
                    title=task.title,
                    unit=unit_label(t, line.unit),
                    reason=(task.remarks.blocker or say(t, N_("no reason given"))).rstrip("."),
                ),
            )
    if not found:
        _para(doc, say(t, N_("No task is overdue or blocked.")), indent=True)


def _next_period(document: DocumentType, snapshot: Snapshot) -> None:
    doc = document
    t = snapshot.locale
    following = snapshot.period.following()
    _section(
        doc,
        say(t, N_("III. TASKS FOR {period}"), period=following.label(t).upper()),
    )
    coming = [
        task
        for task in _visible(snapshot)
        if task.due is not None
        and following.contains(task.due)
        and task_state(task, snapshot.today) not in (*DONE_STATES, State.CANCELLED)
    ]
    if not coming:
        _para(doc, say(t, N_("No task of the plan falls due in that period.")), indent=True)
    for task in sorted(coming, key=lambda item: (item.due, item.code)):
        _item(
            doc,
            say(
                t,
                N_("{code}. {title} ({units}; due {date})."),
                code=task.code,
                title=task.title,
                units=_units(t, task),
                date=show_date(task.due),
            ),
        )


def _proposals(document: DocumentType, snapshot: Snapshot) -> None:
    doc = document
    t = snapshot.locale
    _section(doc, say(t, N_("IV. PROPOSALS")))
    found = False
    for task in _visible(snapshot):
        remarks = task.remarks
        if remarks.extension_pending and remarks.extension_until is not None:
            found = True
            _item(
                doc,
                say(
                    t,
                    N_("{code}. {title}: extension to {date} requested, awaiting a decision."),
                    code=task.code,
                    title=task.title,
                    date=show_date(remarks.extension_until),
                ),
            )
        if task.status in ("blocked", "awaiting_direction"):
            found = True
            _item(
                doc,
                say(
                    t,
                    N_("{code}. {title}: direction is needed ({reason})."),
                    code=task.code,
                    title=task.title,
                    reason=(remarks.blocker or say(t, N_("no reason given"))).rstrip("."),
                ),
            )
    if not found:
        _para(doc, "…", indent=True)


def _closing(document: DocumentType, snapshot: Snapshot) -> None:
    doc = document
    t = snapshot.locale
    _para(
        doc,
        say(
            t,
            N_("Above is the report on the results of carrying out {plan} in {period}./."),
            plan=_plan_name(snapshot),
            period=snapshot.period.label(t),
        ),
        indent=True,
    )
    table = doc.add_table(rows=1, cols=2)
    set_widths(table, CLOSING_WIDTHS)
    left, right = table.rows[0].cells
    recipients = left.paragraphs[0]
    run = recipients.add_run(say(t, N_("Recipients:")))
    run.bold = True
    run.italic = True
    run.font.size = Pt(12)
    for text in ("- …;", "- …;", say(t, N_("- Filed: VT."))):
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(text).font.size = Pt(11)
    cell_lines(
        right,
        [
            (say(t, N_("ON BEHALF OF THE PEOPLE'S COMMITTEE")), True),
            (say(t, N_("CHAIR")), True),
            ("", False),
            ("", False),
            ("", False),
        ],
    )


def _unit_table(document: DocumentType, snapshot: Snapshot, tallies: Sequence[Tally]) -> None:
    doc = document
    t = snapshot.locale
    headers = [
        N_("Unit"),
        N_("Assigned"),
        N_("Done on time"),
        N_("Done late"),
        N_("In progress"),
        N_("Overdue"),
        N_("Blocked"),
        N_("On-time rate"),
    ]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, msgid in zip(table.rows[0].cells, headers, strict=True):
        cell_text(cell, say(t, msgid), bold=True, size=11)
    for tally in tallies:
        values = [
            unit_label(t, tally.name),
            str(tally.assigned),
            str(tally.on_time),
            str(tally.late),
            str(tally.in_progress),
            str(tally.overdue),
            str(tally.blocked),
            show_rate(tally.on_time_rate),
        ]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell_text(cell, value)
    set_widths(table, UNIT_TABLE_WIDTHS)
    repeat_as_header(table.rows[0])


def _visible(snapshot: Snapshot) -> tuple[TaskFacts, ...]:
    if snapshot.only_units is None:
        return snapshot.tasks
    return tuple(
        task
        for task in snapshot.tasks
        if any(share.unit in snapshot.only_units for share in task.shares)
    )


def _units(locale: str, task: TaskFacts) -> str:
    names = [unit_label(locale, share.unit) for share in task.shares]
    return ", ".join(names) or task.lead_text or "—"


def _plan_name(snapshot: Snapshot) -> str:
    plan = snapshot.plan
    t = snapshot.locale
    if plan.number and plan.issued:
        return say(
            t, N_("Plan No. {number} of {date}"), number=plan.number, date=show_date(plan.issued)
        )
    if plan.number:
        return say(t, N_("Plan No. {number}"), number=plan.number)
    return plan.title or ""


def _in_sentence(organization: str) -> str:
    """ "Phường Bắc Sơn" as written inside a sentence: "phường Bắc Sơn"."""
    for word in _LEVEL_WORDS:
        if organization.casefold().startswith(word):
            return word + organization[len(word) :]
    return organization


def _place(organization: str) -> str:
    for word in _LEVEL_WORDS:
        if organization.casefold().startswith(word):
            return organization[len(word) :].strip()
    return organization


def _section(doc: DocumentType, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.add_run(text).bold = True


def _para(doc: DocumentType, text: str, *, indent: bool = False) -> None:
    paragraph = doc.add_paragraph(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)


def _item(doc: DocumentType, text: str) -> None:
    _para(doc, f"- {text}", indent=True)
