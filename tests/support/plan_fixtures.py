"""Render task tables to .docx, .xlsx and .pdf, and say what each must import to.

`python -m tests.support.plan_fixtures` rewrites `tests/fixtures/plans/` (the files and
`manifest.json`) from the tasks of `tests/data/seeds/expected/000-002.json` and from the varied
examples below: shuffled and extra columns, header variants, merged heading rows, vertically
merged cells, tables split with repeated headers, continuation rows and other numbering styles.
"""

import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Final, Literal

from plans.source import Grid, RawRow
from plans.tabular import Problem

REPO_ROOT: Final = next(
    folder for folder in Path(__file__).resolve().parents if (folder / "pyproject.toml").exists()
)
DATA_DIR: Final = REPO_ROOT / "tests" / "data"
FIXTURES: Final = REPO_ROOT / "tests" / "fixtures" / "plans"
MANIFEST: Final = FIXTURES / "manifest.json"
FORMATS: Final = ("docx", "xlsx", "pdf")

Role = Literal["code", "title", "requirement", "lead", "coordinators", "deadline", "extra"]
Merge = tuple[int, int, int, int]
"""(first row, first column, last row, last column) of a merged cell, 0-based, inclusive."""

_DATE_RE: Final = re.compile(r"^\d{2}/\d{2}/\d{4}$")
_SECTION_CODE_RE: Final = re.compile(r"^((?:[IVXLC]+|\d+(?:\.\d+)*|[A-Z])\.?) (.+)$")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a rendered table: what it holds and how its header reads."""

    role: Role
    label: str
    group: str | None = None
    """A label spanning this column and its neighbours in a first header row."""
    filler: str = ""
    """What an extra column says in every task row."""


@dataclass(frozen=True, slots=True)
class PlanTable:
    """A task table to render, and the rows it must import to."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[RawRow, ...]
    heading: Literal["row", "merged"] = "row"
    numbering_row: bool = False
    repeat_header_every: int = 0
    """Print the header rows again after every N rows, as a table pasted page by page does."""
    split_table_at: int = 0
    """In .docx, continue the table in a second table without header after N body rows."""
    continued: frozenset[str] = frozenset()
    """Codes whose title is broken over a second row with no number (a page break)."""
    merge_equal_leads: bool = False
    """Merge the lead cells of consecutive tasks that share a lead, vertically."""
    printed: dict[tuple[str, str], str] = field(default_factory=dict)
    """(code, role) -> the cell as printed when it differs from the row (a line break in it)."""
    title_lines: tuple[str, ...] = ("UBND PHƯỜNG MẪU", "KẾ HOẠCH", "Cải cách hành chính năm 2025")


@dataclass(frozen=True, slots=True)
class Layout:
    """A table ready to draw: cell texts, merged ranges, header height, split point."""

    texts: list[list[str]]
    merges: list[Merge]
    header_rows: int
    split_at: int | None


def expected_rows(path: Path) -> tuple[RawRow, ...]:
    """The RawRows a table of the tasks in a golden file must give."""
    data = json.loads(path.read_text("utf-8"))
    return tuple(
        RawRow(
            code=task["code"],
            title=task["title"],
            section=task["section"],
            requirement=task["requirement"],
            lead_text=task["lead_text"] or "",
            coordinators_text=task["coordinators_text"] or "",
            deadline_text=task["deadline"]["text"] or "",
        )
        for task in data["tasks"]
    )


def seed_tables() -> list[PlanTable]:
    """Tables of the tasks in `tests/data/seeds/expected/000-002.json`, as the plans print them."""
    expected = DATA_DIR / "seeds" / "expected"
    return [
        PlanTable(
            name="seed-000",
            columns=(
                Column("code", "STT"),
                Column("title", "Nội dung"),
                Column("lead", "Chủ trì"),
                Column("coordinators", "Phối hợp"),
                Column("deadline", "Thời gian"),
            ),
            rows=expected_rows(expected / "000.json"),
        ),
        PlanTable(
            name="seed-001",
            columns=(
                Column("code", "TT"),
                Column("title", "Nội dung công việc"),
                Column("lead", "Cơ quan chủ trì"),
                Column("coordinators", "Cơ quan phối hợp"),
                Column("deadline", "Thời gian hoàn thành"),
            ),
            rows=expected_rows(expected / "001.json"),
        ),
        PlanTable(
            name="seed-002",
            columns=(
                Column("code", "STT"),
                Column("title", "Lĩnh vực, tiêu chí"),
                Column("requirement", "Yêu cầu năm 2025"),
                Column("deadline", "Thời gian hoàn thành"),
                Column("lead", "Cơ quan chủ trì", group="Phân công nhiệm vụ"),
                Column("coordinators", "Cơ quan phối hợp", group="Phân công nhiệm vụ"),
            ),
            rows=expected_rows(expected / "002.json"),
            numbering_row=True,
        ),
    ]


def _task(
    code: str,
    title: str,
    lead: str,
    deadline: str,
    coordinators: str = "",
    *,
    section: str | None = None,
    requirement: str | None = None,
    problems: tuple[str, ...] = (),
) -> RawRow:
    """A RawRow, positional in the order a plan's table is usually read."""
    return RawRow(
        code=code,
        title=title,
        section=section,
        requirement=requirement,
        lead_text=lead,
        coordinators_text=coordinators,
        deadline_text=deadline,
        problems=problems,
    )


def varied_tables() -> list[PlanTable]:
    """Our own tables, each exercising what real plans do to their task tables."""
    propaganda = "1. Công tác tuyên truyền"
    inspection = "2. Công tác kiểm tra"
    shuffled = PlanTable(
        name="varied-shuffled",
        columns=(
            Column("deadline", "Thời hạn"),
            Column("title", "NHIỆM VỤ"),
            Column("extra", "Kinh phí", filler="Ngân sách phường"),
            Column("coordinators", "Đơn vị phối hợp"),
            Column("code", "Số TT"),
            Column("lead", "Bộ phận chủ trì"),
            Column("extra", "Ghi chú"),
        ),
        rows=(
            _task(
                "a)",
                "Tuyên truyền về CCHC trên loa truyền thanh",
                "CCVHXH",
                "31/03/2025",
                "các CBCC có liên quan",
                section=propaganda,
            ),
            _task(
                "b)",
                "Cập nhật tin bài trên Trang thông tin điện tử phường",
                "CC VHXH",
                "Hằng quý",
                section=propaganda,
            ),
            _task(
                "c)",
                "Phổ biến Luật Hộ tịch cho tổ dân phố",
                "CC Tư pháp-HT",
                "30/06/2025",
                "Mặt trận Tổ quốc phường",
                section=propaganda,
            ),
            _task(
                "a)",
                "Kiểm tra việc niêm yết thủ tục hành chính",
                "CCVPTK",
                "Quý II/2025",
                "Bộ phận một cửa",
                section=inspection,
            ),
            _task(
                "b)",
                "Kiểm tra công vụ đột xuất",
                "Chủ tịch UBND phường",
                "Thường xuyên",
                section=inspection,
            ),
        ),
        numbering_row=True,
        printed={("c)", "lead"): "CC Tư pháp-\nHT"},
    )
    guidance = "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"
    institutions = "II. CẢI CÁCH THỂ CHẾ"
    merged = PlanTable(
        name="varied-merged",
        columns=(
            Column("code", "TT"),
            Column("title", "Noi dung cong viec"),
            Column("requirement", "Kết quả/Sản phẩm"),
            Column("lead", "Co quan chu tri"),
            Column("coordinators", "Co quan phoi hop"),
            Column("deadline", "Thoi gian hoan thanh"),
        ),
        rows=(
            _task(
                "1",
                "Ban hành Kế hoạch CCHC năm 2025",
                "Văn phòng HĐND - UBND",
                "Quý I/2025",
                "Các bộ phận",
                section=guidance,
                requirement="Kế hoạch",
            ),
            _task(
                "2",
                "Ban hành Kế hoạch tuyên truyền CCHC",
                "Văn phòng HĐND - UBND",
                "Quý I/2025",
                section=guidance,
                requirement="Kế hoạch",
            ),
            _task(
                "3",
                "Báo cáo CCHC định kỳ",
                "Văn phòng HĐND - UBND",
                "Trước ngày 10 của tháng cuối quý",
                "Các bộ phận",
                section=guidance,
                requirement="Báo cáo quý, năm",
            ),
            _task(
                "4",
                "Rà soát văn bản quy phạm pháp luật",
                "Công chức Tư pháp - Hộ tịch",
                "Năm 2025",
                "Các bộ phận liên quan",
                section=institutions,
                requirement="Danh mục văn bản",
            ),
            _task(
                "5",
                "Tự kiểm tra văn bản do phường ban hành",
                "Công chức Tư pháp - Hộ tịch",
                "",
                section=institutions,
                requirement="Báo cáo kết quả",
                problems=(Problem.MISSING_DEADLINE,),
            ),
        ),
        heading="merged",
        merge_equal_leads=True,
    )
    first, second = "1 Cải cách thủ tục hành chính", "2 Chính quyền số"
    split = PlanTable(
        name="varied-split",
        columns=(
            Column("code", "STT"),
            Column("title", "Nội dung"),
            Column("lead", "Chủ trì"),
            Column("coordinators", "Phối hợp"),
            Column("deadline", "Tiến độ"),
        ),
        rows=tuple(
            _task(
                f"{group}.{number}",
                f"Nhiệm vụ {group}.{number}: rà soát, đơn giản hóa quy trình số {number} "
                "và công khai kết quả trên Cổng dịch vụ công",
                "Trung tâm Phục vụ hành chính công" if number % 2 else "Công chức Văn phòng",
                f"Tháng {number + 2}/2025",
                "Các bộ phận chuyên môn" if number % 3 else "",
                section=first if group == 1 else second,
            )
            for group in (1, 2)
            for number in range(1, 8)
        ),
        repeat_header_every=5,
        split_table_at=9,
        continued=frozenset({"1.4", "2.2"}),
    )
    return [shuffled, merged, split]


def plan_of_size(count: int) -> PlanTable:
    """A plan of `count` tasks under ten Roman headings, for benchmarks."""
    numerals = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
    rows = tuple(
        _task(
            f"{index // 10 + 1}.{index % 10 + 1}",
            f"Triển khai nhiệm vụ cải cách hành chính số {index + 1} theo Kế hoạch của "
            "UBND thành phố, bảo đảm đúng tiến độ và chất lượng",
            "Công chức Văn hóa - Xã hội" if index % 2 else "Văn phòng HĐND và UBND",
            "Trong năm 2025" if index % 3 else "Trước ngày 31/12/2025",
            "Các cơ quan, tổ chức, đơn vị thuộc UBND phường",
            section=f"{numerals[index // 10 % 10]} LĨNH VỰC {index // 10 + 1}",
            requirement="Hoàn thành 100% nhiệm vụ được giao",
        )
        for index in range(count)
    )
    return replace(seed_tables()[2], name=f"bench-{count}", rows=rows)


def layout(table: PlanTable) -> Layout:
    """Where every text and merged cell of `table` goes."""
    columns = table.columns
    width = len(columns)
    texts: list[list[str]] = []
    merges: list[Merge] = []
    header, header_merges = _header(columns)
    texts.extend(header)
    merges.extend(header_merges)
    if table.numbering_row:
        texts.append([f"({index + 1})" for index in range(width)])
    header_rows = len(header)
    seen_sections: set[str] = set()
    lead_column = next(i for i, column in enumerate(columns) if column.role == "lead")
    body = 0
    split_at: int | None = None
    previous_lead: tuple[int, str] | None = None
    for row in table.rows:
        if table.repeat_header_every and body and body % table.repeat_header_every == 0:
            start = len(texts)
            texts.extend(list(line) for line in header)
            merges.extend((r0 + start, c0, r1 + start, c1) for r0, c0, r1, c1 in header_merges)
            previous_lead = None
        if table.split_table_at and body == table.split_table_at:
            split_at = len(texts)
            previous_lead = None
        body += 1
        if row.section is not None and row.section not in seen_sections:
            seen_sections.add(row.section)
            texts.append(_heading_row(row.section, columns, table.heading))
            if table.heading == "merged" or not _SECTION_CODE_RE.match(row.section):
                merges.append((len(texts) - 1, 0, len(texts) - 1, width - 1))
            previous_lead = None
        cells = [_cell(table, row, column) for column in columns]
        if row.code in table.continued:
            title_column = next(i for i, column in enumerate(columns) if column.role == "title")
            words = row.title.split(" ")
            cells[title_column] = " ".join(words[: len(words) // 2])
            rest = [""] * width
            rest[title_column] = " ".join(words[len(words) // 2 :])
            texts.append(cells)
            texts.append(rest)
            previous_lead = None
            continue
        if table.merge_equal_leads and previous_lead and previous_lead[1] == row.lead_text:
            first_row = previous_lead[0]
            merges[:] = [m for m in merges if m[:2] != (first_row, lead_column)]
            merges.append((first_row, lead_column, len(texts), lead_column))
            cells[lead_column] = ""
        else:
            previous_lead = (len(texts), row.lead_text)
        texts.append(cells)
    return Layout(texts=texts, merges=merges, header_rows=header_rows, split_at=split_at)


def grid_of(table: PlanTable) -> Grid:
    """The Grid a reader gives for `table`: merged cells repeated over what they cover."""
    spec = layout(table)
    cells = [list(row) for row in spec.texts]
    for r0, c0, r1, c1 in spec.merges:
        for row in range(r0, r1 + 1):
            for column in range(c0, c1 + 1):
                cells[row][column] = spec.texts[r0][c0]
    return tuple(tuple(row) for row in cells)


def _header(columns: Sequence[Column]) -> tuple[list[list[str]], list[Merge]]:
    """One header row, or two when some columns share a group label above them."""
    if not any(column.group for column in columns):
        return [[column.label for column in columns]], []
    top = [column.group or column.label for column in columns]
    bottom = [column.label if column.group else "" for column in columns]
    merges: list[Merge] = []
    index = 0
    while index < len(columns):
        group = columns[index].group
        if group is None:
            merges.append((0, index, 1, index))
            index += 1
            continue
        end = index
        while end + 1 < len(columns) and columns[end + 1].group == group:
            end += 1
        if end > index:
            merges.append((0, index, 0, end))
        index = end + 1
    return [top, bottom], merges


def _heading_row(section: str, columns: Sequence[Column], style: str) -> list[str]:
    """A heading row: the number and title in their cells, or the whole text merged."""
    match = _SECTION_CODE_RE.match(section)
    row = [""] * len(columns)
    if style == "merged" or match is None:
        row[0] = section
        return row
    for index, column in enumerate(columns):
        if column.role == "code":
            row[index] = match.group(1)
        elif column.role == "title":
            row[index] = match.group(2)
    return row


def _cell(table: PlanTable, row: RawRow, column: Column) -> str:
    """The text a task row prints in `column`."""
    printed = table.printed.get((row.code, column.role))
    if printed is not None:
        return printed
    values: dict[str, str] = {
        "code": row.code,
        "title": row.title,
        "requirement": row.requirement or "",
        "lead": row.lead_text,
        "coordinators": row.coordinators_text,
        "deadline": row.deadline_text,
        "extra": column.filler,
    }
    return values[column.role]


def write_docx(table: PlanTable, path: Path) -> None:
    """Render `table` as a Word document under a letterhead table and a title."""
    import docx

    spec = layout(table)
    document = docx.Document()
    letterhead = document.add_table(rows=2, cols=2)
    for (row, column), text in {
        (0, 0): table.title_lines[0],
        (0, 1): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        (1, 0): "Số: 15/KH-UBND",
        (1, 1): "Phường Mẫu, ngày 06 tháng 01 năm 2025",
    }.items():
        letterhead.cell(row, column).text = text
    for line in table.title_lines[1:]:
        document.add_paragraph(line)
    parts = [(0, len(spec.texts))]
    if spec.split_at is not None:
        parts = [(0, spec.split_at), (spec.split_at, len(spec.texts))]
    for first, last in parts:
        if first:
            document.add_paragraph("")
        grid = document.add_table(rows=last - first, cols=len(table.columns))
        grid.style = "Table Grid"
        for r0, c0, r1, c1 in spec.merges:
            if first <= r0 and r1 < last:
                grid.cell(r0 - first, c0).merge(grid.cell(r1 - first, c1))
        merged_away = {
            (r, c)
            for r0, c0, r1, c1 in spec.merges
            for r in range(r0, r1 + 1)
            for c in range(c0, c1 + 1)
            if (r, c) != (r0, c0)
        }
        for r in range(first, last):
            for c, text in enumerate(spec.texts[r]):
                if (r, c) not in merged_away:
                    grid.cell(r - first, c).text = text
    document.add_paragraph("Nơi nhận: - Như trên; - Lưu: VT.")
    document.save(str(path))


def write_xlsx(table: PlanTable, path: Path) -> None:
    """Render `table` as a sheet with a merged title above it; dd/mm/yyyy cells as dates."""
    from openpyxl import Workbook

    spec = layout(table)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Kế hoạch"
    width = len(table.columns)
    for index, line in enumerate(table.title_lines, start=1):
        sheet.cell(row=index, column=1, value=line)
        sheet.merge_cells(start_row=index, start_column=1, end_row=index, end_column=width)
    offset = len(table.title_lines) + 1
    for r, texts in enumerate(spec.texts):
        for c, text in enumerate(texts):
            if not text:
                continue
            value: str | datetime = text
            if _DATE_RE.match(text):
                value = datetime.strptime(text, "%d/%m/%Y")  # noqa: DTZ007 - a calendar date
            sheet.cell(row=r + offset + 1, column=c + 1, value=value)
    for r0, c0, r1, c1 in spec.merges:
        sheet.merge_cells(
            start_row=r0 + offset + 1,
            start_column=c0 + 1,
            end_row=r1 + offset + 1,
            end_column=c1 + 1,
        )
    workbook.save(path)


def write_pdf(
    table: PlanTable, path: Path, *, logo: Path | None = None, scans: Sequence[Path] = ()
) -> None:
    """Render `table` as a ruled PDF table (DejaVu Sans), its header repeated on each page;
    `logo` above the title, each of `scans` as a whole page after the table."""
    import matplotlib
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    spec = layout(table)
    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.add_font("DejaVu", fname=str(font))
    pdf.add_font("DejaVu", style="B", fname=str(font))
    pdf.set_font("DejaVu", size=7)
    pdf.add_page()
    if logo is not None:
        pdf.image(str(logo), w=25)
    for line in table.title_lines:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    weights = {"code": 1.0, "title": 5.0, "requirement": 4.0, "extra": 1.5}
    widths = [weights.get(column.role, 2.5) for column in table.columns]
    starts = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in spec.merges}
    covered = {
        (r, c)
        for r0, c0, r1, c1 in spec.merges
        for r in range(r0, r1 + 1)
        for c in range(c0, c1 + 1)
        if (r, c) != (r0, c0)
    }
    with pdf.table(
        col_widths=widths,
        num_heading_rows=spec.header_rows,
        headings_style=FontFace(emphasis="BOLD"),
        text_align="LEFT",
        line_height=3.5,
    ) as grid:
        for r, texts in enumerate(spec.texts):
            row = grid.row()
            for c, text in enumerate(texts):
                if (r, c) in covered:
                    continue
                rowspan, colspan = starts.get((r, c), (1, 1))
                row.cell(text, rowspan=rowspan, colspan=colspan)
    for scan in scans:
        pdf.add_page()
        pdf.image(str(scan), x=0, y=0, w=pdf.w, h=pdf.h)
    pdf.output(str(path))


def write_picture(path: Path, *, width: int, height: int, mode: str = "RGB") -> Path:
    """A picture of random pixels: it compresses no better than a photograph or a scan."""
    import random

    from PIL import Image

    picture = Image.new(mode, (width, height))
    channels = len(mode)
    noise = random.Random(width * height)
    picture.frombytes(noise.randbytes(width * height * channels))
    picture.save(path)
    return path


WRITERS: Final = {"docx": write_docx, "xlsx": write_xlsx, "pdf": write_pdf}


def all_tables() -> list[PlanTable]:
    """Every table the committed fixtures are made from."""
    return seed_tables() + varied_tables()


def row_json(row: RawRow) -> dict[str, object]:
    """A RawRow as the manifest stores it."""
    data = asdict(row)
    data["problems"] = list(row.problems)
    return data


def row_from_json(data: dict[str, object]) -> RawRow:
    """A manifest row back as a RawRow."""
    problems = data.get("problems", [])
    assert isinstance(problems, list)
    fields = {key: value for key, value in data.items() if key != "problems"}
    return RawRow(**fields, problems=tuple(str(problem) for problem in problems))  # type: ignore[arg-type]


def write_fixtures(tables: Iterable[PlanTable], folder: Path) -> dict[str, object]:
    """Render every table in every format into `folder`; the manifest of what each must give.

    The manifest maps each file to its table, and each table to the RawRows it must import to.
    """
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    rows: dict[str, list[dict[str, object]]] = {}
    for table in tables:
        rows[table.name] = [row_json(row) for row in table.rows]
        for kind in FORMATS:
            name = f"{table.name}.{kind}"
            WRITERS[kind](table, folder / name)
            files[name] = table.name
    return {"files": files, "tables": rows}


def read_manifest(path: Path = MANIFEST) -> dict[str, tuple[RawRow, ...]]:
    """Each fixture file's name and the RawRows it must import to."""
    data = json.loads(path.read_text("utf-8"))
    tables = {
        name: tuple(row_from_json(row) for row in rows) for name, rows in data["tables"].items()
    }
    return {file: tables[table] for file, table in data["files"].items()}


def main() -> None:
    """Rewrite the committed fixtures and their manifest."""
    manifest = write_fixtures(all_tables(), FIXTURES)
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    sys.stdout.write(f"{len(read_manifest())} fixtures written to {FIXTURES}\n")


if __name__ == "__main__":
    main()
