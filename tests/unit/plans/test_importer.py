"""A plan the importer has never seen: a table mid-text, then its organisation section."""

from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from plans.importer import draft_from_document
from plans.source import SourceDocument
from plans.units import ALL, RELATED, KnownUnit

PLAN = """ỦY BAN NHÂN DÂN \n\nXÃ AN PHÚ \n\nSố: 21/KH-UBND \n
An Phú, ngày 03 tháng 3 năm 2025 \n\nKẾ HOẠCH \n
Tuyên truyền cải cách hành chính xã An Phú năm 2025\n \n
Căn cứ Kế hoạch số 11/KH-UBND ngày 05/01/2025 của UBND huyện; \n
I. NHIỆM VỤ \n\nSTT \n\nNội dung \n\nThời hạn \n\nĐơn vị chủ trì \n\nĐơn vị phối hợp \n
1 Xây dựng kế hoạch tuyên truyền Quý I/2025 VHXH Các bộ phận liên quan \n
2 \n\nTổ chức cuộc thi tìm hiểu về cải cách hành chính \n\ntrên địa bàn xã \n\nQuý III/2025 \n
Công chức Văn hóa \n\n- Xã hội \n\nĐoàn Thanh niên, các trường học \n
3 Cập nhật tin bài lên Trang thông tin điện tử Hằng quý VHXH Các bộ phận \n
II. TỔ CHỨC THỰC HIỆN \n\n1. Công chức Văn hóa - Xã hội xã \n
- Chủ trì tham mưu triển khai Kế hoạch này. \n
- Tổng hợp báo cáo kết quả hằng quý gửi trước ngày 15 của tháng cuối quý. \n
2. Các bộ phận chuyên môn \n\n- Phối hợp thực hiện các nhiệm vụ được giao. \n
Trên đây là Kế hoạch của UBND xã An Phú. \n
"""


def _draft() -> dict[str, object]:
    known = [KnownUnit("Công chức Văn hóa - Xã hội", aliases=("VHXH",))]
    document = SourceDocument(text=PLAN, file_name="an-phu.txt")
    return draft_from_document(document, known_units=known).to_json()


def test_the_plan_particulars_are_read() -> None:
    assert _draft()["plan"] == {
        "title": "Kế hoạch tuyên truyền cải cách hành chính xã An Phú năm 2025",
        "number": "21/KH-UBND",
        "issued": date(2025, 3, 3).isoformat(),
        "organization": "UBND xã An Phú",
        "years": [2025],
    }


def test_a_table_in_the_middle_of_the_text_ends_where_the_next_part_begins() -> None:
    tasks = _draft()["tasks"]
    assert isinstance(tasks, list)

    assert [task["code"] for task in tasks] == ["1", "2", "3"]
    assert tasks[1]["title"] == "Tổ chức cuộc thi tìm hiểu về cải cách hành chính trên địa bàn xã"
    assert tasks[1]["lead"] == ["Công chức Văn hóa - Xã hội"]
    assert tasks[1]["coordinators"] == ["Đoàn Thanh niên", "các trường học"]
    assert tasks[2]["deadline"]["kind"] == "recurring"
    assert tasks[2]["deadline"]["text"] == "Hằng quý"
    assert tasks[2]["coordinators"] == [ALL]
    assert tasks[0]["coordinators"] == [RELATED]


def test_the_known_unit_absorbs_the_plans_printed_forms() -> None:
    units = _draft()["units"]
    assert isinstance(units, list)

    assert units[0] == {
        "name": "Công chức Văn hóa - Xã hội",
        "aliases": ["VHXH", "Công chức Văn hóa - Xã hội xã"],
        "external": False,
    }
    assert [unit["name"] for unit in units[1:]] == ["Đoàn Thanh niên", "các trường học"]


def test_responsibilities_and_the_report_rule_are_read() -> None:
    draft = _draft()

    assert draft["responsibilities"] == [
        {
            "unit": "Công chức Văn hóa - Xã hội",
            "duties": [
                "Chủ trì tham mưu triển khai Kế hoạch này.",
                "Tổng hợp báo cáo kết quả hằng quý gửi trước ngày 15 của tháng cuối quý.",
            ],
        },
        {"unit": ALL, "duties": ["Phối hợp thực hiện các nhiệm vụ được giao."]},
    ]
    assert draft["obligations"] == [
        {
            "what": "báo cáo kết quả hằng quý",
            "who": ["Công chức Văn hóa - Xã hội"],
            "to": None,
            "deadline": {
                "text": "trước ngày 15 của tháng cuối quý",
                "kind": "recurring",
                "due": "2025-12-14",
                "starts": "2025-01-01",
                "recurrence": "quarterly",
                "note": None,
            },
        }
    ]


def test_the_organizations_own_units_are_never_renamed_or_reflagged() -> None:
    known = [
        KnownUnit("Văn phòng HĐND - UBND", external=False),
        KnownUnit("Phòng Văn hóa - Thông tin", external=False),
    ]
    text = (
        PLAN.replace("VHXH Các bộ phận liên quan", "Văn phòng HĐND - UBND xã Các bộ phận")
        .replace("Đoàn Thanh niên, các trường học", "Phòng Văn hóa - Thông tin")
        .replace("2. Các bộ phận chuyên môn", "2. Văn phòng HĐND - UBND xã")
    )
    draft = draft_from_document(SourceDocument(text=text), known_units=known)
    units = {unit.name: unit for unit in draft.units}

    assert units["Văn phòng HĐND - UBND"].aliases == ("Văn phòng HĐND - UBND xã",)
    assert not units["Phòng Văn hóa - Thông tin"].external


SEED_LINES = sorted(
    {
        line
        for seed in (Path(__file__).resolve().parents[3] / "tests/data/seeds").glob("*.txt")
        for line in seed.read_text("utf-8").split("\n")
    }
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(SEED_LINES), max_size=80), st.sampled_from(["\n", "\n\n", "\t"]))
def test_any_arrangement_of_plan_lines_imports_without_error(lines: list[str], joint: str) -> None:
    draft = draft_from_document(SourceDocument(text=joint.join(lines)))

    assert all(task.code for task in draft.tasks)
    assert isinstance(draft.to_json()["units"], list)
