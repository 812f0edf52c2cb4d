"""The task tables the plan fixtures are made from, and the rows each must import to: the seeds'
tasks as their plans print them, and varied examples (shuffled and extra columns, header variants,
merged heading rows, vertically merged cells, tables split with repeated headers, continuation
rows, other numbering styles); `plan_of_size` for benchmarks. Drawn by `plan_rendering`."""

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final, Literal

from plans.source import RawRow
from plans.tabular import Problem

REPO_ROOT: Final = next(
    folder for folder in Path(__file__).resolve().parents if (folder / "pyproject.toml").exists()
)
DATA_DIR: Final = REPO_ROOT / "tests" / "data"

Role = Literal["code", "title", "requirement", "lead", "coordinators", "deadline", "extra"]


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


def all_tables() -> list[PlanTable]:
    """Every table the committed fixtures are made from."""
    return seed_tables() + varied_tables()
