"""The report builders on a made-up snapshot: states, figures, the workbook's layout and print
setup, the chart, the draft's sections; the period grammar."""

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from reports.chart import build_chart
from reports.draft import build_draft
from reports.figures import by_officer, by_unit, completion, total
from reports.period import BadPeriod, Period, PeriodKind, parse_period, quarter_of
from reports.snapshot import (
    Duty,
    PlanColumn,
    PlanFacts,
    Remarks,
    ShareFacts,
    Snapshot,
    State,
    TaskFacts,
    state_of,
)
from reports.workbook import HEADER_ROW, LINE_HEIGHT, build_workbook
from tests.support.documents import docx_text

TODAY = date(2025, 7, 10)
CULTURE = "Công chức Văn hóa - Xã hội"
OFFICE = "Văn phòng HĐND và UBND"


def _snapshot(*, only_units: tuple[str, ...] | None = None) -> Snapshot:
    tasks = (
        TaskFacts(
            code="1", title="Tuyên truyền cải cách hành chính", status="done",
            section="I. CÔNG TÁC CHỈ ĐẠO", lead_text="CCVHXH", deadline_text="Quý I/2025",
            due=date(2025, 3, 31), done_on=date(2025, 3, 20), progress=100,
            shares=(ShareFacts(CULTURE, "done", done_on=date(2025, 3, 20), progress=100),),
        ),
        TaskFacts(
            code="2", title="Rà soát thủ tục hành chính", status="open",
            section="I. CÔNG TÁC CHỈ ĐẠO", lead_text="CCVHXH, Văn phòng",
            deadline_text="Quý II/2025", due=date(2025, 6, 30),
            shares=(
                ShareFacts(CULTURE, "done", done_on=date(2025, 7, 2), progress=100),
                ShareFacts(OFFICE, "open"),
            ),
        ),
        TaskFacts(
            code="3", title="Số hóa hồ sơ", status="blocked", section="II. CẢI CÁCH THỂ CHẾ",
            lead_text="Văn phòng", deadline_text="Quý III/2025", due=date(2025, 9, 30),
            shares=(ShareFacts(OFFICE, "blocked"),),
            remarks=Remarks(blocker="chưa có kinh phí", evidence=("bien-ban.pdf",)),
        ),
        TaskFacts(
            code="4", title="Tổng kết", status="open", section="II. CẢI CÁCH THỂ CHẾ",
            lead_text="Văn phòng", deadline_text="Năm 2025", due=date(2025, 12, 31),
            shares=(ShareFacts(OFFICE, "open"),),
            remarks=Remarks(extension_until=date(2026, 1, 31), extension_pending=True),
        ),
    )  # fmt: skip
    return Snapshot(
        plan=PlanFacts(
            organization="Phường Bắc Sơn",
            title="Kế hoạch cải cách hành chính năm 2025",
            number="73/KH-UBND",
            issued=date(2024, 12, 24),
            issuer="UBND phường",
            columns=(
                PlanColumn("code", "Số TT"),
                PlanColumn("title", "Nội dung công việc"),
                PlanColumn("lead", "Bộ phận chủ trì"),
                PlanColumn("deadline", "Thời gian hoàn thành"),
            ),
        ),
        period=parse_period("2025-Q2"),
        today=TODAY,
        tasks=tasks,
        others=(
            TaskFacts(
                code="BC1",
                title="Báo cáo quý",
                status="open",
                due=date(2025, 6, 10),
                deadline_text="trước ngày 10 của tháng cuối quý",
                shares=(ShareFacts(OFFICE, "open"),),
            ),
        ),
        handmade=(
            TaskFacts(
                code="G1",
                title="Rà soát thủ tục hành chính tồn đọng",
                status="done",
                due=date(2025, 7, 15),
                done_on=date(2025, 7, 1),
                shares=(ShareFacts(CULTURE, "done"),),
            ),
        ),
        duties=(Duty(CULTURE, "Tham mưu tuyên truyền"),),
        members=((CULTURE, ("Phạm Văn Minh",)), (OFFICE, ("Lê Thu Hà",))),
        only_units=only_units,
    )


@pytest.mark.parametrize(
    ("status", "due", "done_on", "progress", "expected"),
    [
        ("done", date(2025, 6, 30), date(2025, 6, 30), 100, State.DONE_ON_TIME),
        ("done", date(2025, 6, 30), date(2025, 7, 1), 100, State.DONE_LATE),
        ("done", None, date(2025, 7, 1), 100, State.DONE_ON_TIME),
        ("open", date(2025, 7, 9), None, 50, State.OVERDUE),
        ("open", date(2025, 7, 10), None, 0, State.NOT_DUE),
        ("open", date(2025, 8, 1), None, 10, State.IN_PROGRESS),
        ("open", None, None, 0, State.IN_PROGRESS),
        ("blocked", date(2025, 1, 1), None, 0, State.BLOCKED),
        ("awaiting_direction", None, None, 0, State.BLOCKED),
        ("cancelled", date(2025, 1, 1), None, 0, State.CANCELLED),
    ],
)
def test_state_follows_what_is_recorded(
    status: str, due: date | None, done_on: date | None, progress: int, expected: State
) -> None:
    assert state_of(status, due=due, done_on=done_on, progress=progress, today=TODAY) is expected


def test_periods_are_read_and_bounded() -> None:
    assert parse_period("2025-Q2") == Period(PeriodKind.QUARTER, 2025, 2)
    assert (parse_period("2025-q4").start, parse_period("2025-q4").end) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )
    assert (parse_period("2025-H2").start, parse_period("2025-H2").end) == (
        date(2025, 7, 1),
        date(2025, 12, 31),
    )
    assert parse_period("2025").end == date(2025, 12, 31)
    assert quarter_of(date(2025, 2, 28)).code == "2025-Q1"
    assert parse_period("2025-Q4").following().code == "2026-Q1"
    assert parse_period("2025-H1").label("vi") == "6 tháng đầu năm 2025"
    assert parse_period("2025-Q3").label("vi") == "quý III năm 2025"
    for wrong in ("2025-Q5", "2025-H3", "Q2", "25-Q1", ""):
        with pytest.raises(BadPeriod):
            parse_period(wrong)


def test_figures_count_each_units_share_and_the_on_time_rate() -> None:
    snapshot = _snapshot()
    units = {tally.name: tally for tally in by_unit(snapshot)}
    culture, office = units[CULTURE], units[OFFICE]
    assert (culture.assigned, culture.on_time, culture.late, culture.due_so_far) == (2, 1, 1, 2)
    assert culture.on_time_rate == 0.5
    assert (office.assigned, office.overdue, office.blocked, office.not_due) == (3, 1, 1, 1)
    assert office.on_time_rate == 0.0
    officers = {tally.name: tally for tally in by_officer(snapshot)}
    assert officers["Phạm Văn Minh"].assigned == 2
    whole = total(snapshot)
    assert (whole.assigned, whole.on_time, whole.overdue, whole.blocked) == (4, 1, 1, 1)
    done, due = completion(snapshot)
    assert done == [(date(2025, 3, 20), 25.0)]
    assert [value for _, value in due] == [25.0, 50.0, 75.0, 100.0]


def test_workbook_repeats_the_plans_table_and_is_ready_to_print() -> None:
    book = load_workbook(io.BytesIO(build_workbook(_snapshot())))
    assert book.sheetnames == [
        "Tiến độ", "Theo đơn vị", "Báo cáo định kỳ", "Việc giao thêm", "Trách nhiệm",
    ]  # fmt: skip
    handmade = list(book["Việc giao thêm"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert handmade == [
        ("G1", "Rà soát thủ tục hành chính tồn đọng", CULTURE, "15/07/2025", "Đã hoàn thành",
         "01/07/2025", None),
    ]  # fmt: skip
    sheet = book["Tiến độ"]
    assert [c.value for c in sheet[HEADER_ROW]] == [
        "Số TT", "Nội dung công việc", "Bộ phận chủ trì", "Thời gian hoàn thành",
        "Tình trạng", "Ngày hoàn thành", "Tiến độ (%)", "Kết quả, ghi chú",
    ]  # fmt: skip
    rows = [tuple(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert rows[0][:2] == ("I", "CÔNG TÁC CHỈ ĐẠO")
    assert rows[1][:5] == ("1", "Tuyên truyền cải cách hành chính", "CCVHXH", "Quý I/2025",
                           "Đã hoàn thành")  # fmt: skip
    assert rows[2][0] == "2"
    assert rows[2][4] == "Quá hạn"
    assert rows[3][1:6] == (f"– {CULTURE}", CULTURE, None, "Hoàn thành trễ hạn", "02/07/2025")
    assert rows[4][1:5] == (f"– {OFFICE}", OFFICE, None, "Quá hạn")
    assert rows[5][:2] == ("II", "CẢI CÁCH THỂ CHẾ")
    assert rows[6][4] == "Vướng mắc"
    assert rows[6][7] == "Vướng mắc: chưa có kinh phí\nMinh chứng: bien-ban.pdf"
    assert rows[7][7] == "Xin gia hạn đến 31/01/2026, chờ Chủ tịch quyết định"
    assert len(rows) == 8
    for each in book.worksheets:
        assert each.page_setup.orientation == "landscape"
        assert str(each.page_setup.paperSize) == each.PAPERSIZE_A4
        assert each.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert each.freeze_panes == f"A{HEADER_ROW + 1}"
    body = sheet.cell(row=HEADER_ROW + 2, column=2)
    assert body.font.name == "Times New Roman"
    assert body.alignment.wrap_text
    units = [tuple(r) for r in book["Theo đơn vị"].iter_rows(min_row=4, values_only=True)]
    assert units[0] == (CULTURE, 2, 1, 1, 0, 0, 0, 0, 0.5)
    assert units[2][0] == "Tổng cộng"
    assert ("Phạm Văn Minh", 2, 1, 1, 0, 0, 0, 0, 0.5) in units


def test_each_row_is_as_high_as_its_wrapped_text() -> None:
    """Spreadsheets do not measure wrapped text when they open a file: a row left without a
    height prints one line high, its text running over the rows below."""
    sheet = load_workbook(io.BytesIO(build_workbook(_snapshot()))).worksheets[0]
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    blocked = HEADER_ROW + 1 + [row[0] for row in rows].index("3")  # two lines of remarks
    single = HEADER_ROW + 1 + [row[0] for row in rows].index("1")
    assert sheet.row_dimensions[blocked].height == 2 * LINE_HEIGHT
    assert sheet.row_dimensions[single].height is None  # one line: the default height
    long = build_workbook(
        Snapshot(
            plan=PlanFacts("Phường Bắc Sơn", None, "1/KH-UBND", None, None),
            period=parse_period("2025-Q2"),
            today=TODAY,
            tasks=(TaskFacts(code="1", title="Rà soát thủ tục hành chính " * 8, status="open"),),
        )
    )
    sheet = load_workbook(io.BytesIO(long)).worksheets[0]
    height = sheet.row_dimensions[HEADER_ROW + 1].height
    assert height is not None
    assert height >= 5 * LINE_HEIGHT  # 216 characters in a column 48 wide


def test_an_officers_workbook_keeps_their_units_rows_only() -> None:
    book = load_workbook(io.BytesIO(build_workbook(_snapshot(only_units=(CULTURE,)))))
    sheet = book.worksheets[0]
    rows = [tuple(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert [row[0] for row in rows if row[4]] == ["1", "2", None]
    assert rows[-1][1] == f"– {CULTURE}"
    assert "Trách nhiệm" not in book.sheetnames


def test_chart_is_a_png_sized_for_a_phone() -> None:
    image = Image.open(io.BytesIO(build_chart(_snapshot())))
    assert image.format == "PNG"
    width, height = image.size
    assert 800 <= width <= 1000
    assert height > width


def test_draft_has_the_decree_30_layout_and_its_four_sections() -> None:
    content = build_draft(_snapshot())
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert section.page_width is not None
    assert section.page_height is not None
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 13
    text = docx_text(content)
    assert text.startswith(
        "ỦY BAN NHÂN DÂN / PHƯỜNG BẮC SƠN / ——— / Số:      /BC-UBND | CỘNG HÒA XÃ HỘI CHỦ NGHĨA"
        " VIỆT NAM / Độc lập - Tự do - Hạnh phúc / ———\n"
    )
    assert "Bắc Sơn, ngày 10 tháng 07 năm 2025" in text
    assert (
        "BÁO CÁO\nKết quả thực hiện Kế hoạch số 73/KH-UBND ngày 24/12/2024 quý II năm 2025" in text
    )
    order = [
        "I. KẾT QUẢ",
        "II. TỒN TẠI",
        "III. NHIỆM VỤ TRỌNG TÂM QUÝ III",
        "IV. ĐỀ XUẤT",
        "Nơi nhận:",
    ]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert (
        "- 2. Rà soát thủ tục hành chính (Văn phòng HĐND và UBND): quá hạn từ ngày 30/06/2025."
        in text
    )
    assert "- 3. Số hóa hồ sơ (Văn phòng HĐND và UBND): vướng mắc, chưa có kinh phí." in text
    assert "- 3. Số hóa hồ sơ (Văn phòng HĐND và UBND; hạn 30/09/2025)." in text
    assert "- 4. Tổng kết: đề nghị gia hạn đến ngày 31/01/2026." in text
    assert text.rstrip().endswith("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH /  /  /")


def test_drafts_columns_are_laid_out_as_wide_as_they_are_meant() -> None:
    """The grid is what LibreOffice and Word lay a table out by: the motto's column is 10 cm
    (its line in 12 pt holds on one line), the unit's name 3.8 cm, no table wider than the 16 cm
    between the margins; a rule under the issuing body's name and under the motto."""
    document = Document(io.BytesIO(build_draft(_snapshot())))
    heading, units, closing = document.tables
    grid = [
        [round(column.width.cm, 2) for column in table.columns if column.width is not None]
        for table in (heading, units, closing)
    ]
    assert grid[0] == [6.0, 10.0]
    assert grid[1][0] == 3.8
    assert len(grid[1]) == 8
    assert all(sum(widths) <= 16.0 for widths in grid)
    motto = heading.rows[0].cells[1].paragraphs[0].runs[0]
    assert motto.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert motto.font.size is not None
    assert motto.font.size.pt == 12
    ruled = [
        [bool(p._p.xpath("./w:pPr/w:pBdr/w:top")) for p in cell.paragraphs]
        for cell in heading.rows[0].cells
    ]
    assert ruled == [[False, False, True, False], [False, False, True]]  # under name, motto
    for cell in units.rows[1].cells:
        assert cell.width is not None
    assert [round(c.width.cm, 2) for c in units.rows[1].cells if c.width][:2] == [3.8, 1.74]


@pytest.mark.parametrize(
    ("today", "period", "dues"),
    [
        (date(2026, 12, 4), "2026-Q4", (date(2025, 3, 1),)),  # a plan long past
        (date(2025, 3, 3), "2025-Q1", ()),  # no task at all
        (date(2025, 3, 3), "2025", (date(2025, 3, 5),)),
        (date(2025, 7, 1), "2020", (date(2030, 1, 1),)),  # a decade on the axis
    ],
)
def test_chart_draws_any_span_without_a_warning(
    today: date, period: str, dues: tuple[date, ...]
) -> None:
    tasks = tuple(
        TaskFacts(
            code=str(i),
            title="Việc",
            status="open",
            due=due,
            shares=(ShareFacts(CULTURE, "open"),),
        )
        for i, due in enumerate(dues)
    )
    snapshot = Snapshot(
        plan=PlanFacts("Phường Bắc Sơn", None, "1/KH-UBND", None, None),
        period=parse_period(period),
        today=today,
        tasks=tasks,
    )
    assert build_chart(snapshot).startswith(b"\x89PNG")  # warnings are errors in the tests
