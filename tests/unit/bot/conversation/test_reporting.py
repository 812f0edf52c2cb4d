"""Reading a report request: the plan's words, the period, the files asked for."""

from datetime import date

import pytest

from bot.conversation.reporting import asks_for_report, read_request
from reports.files import Kind
from reports.period import parse_period

TODAY = date(2025, 7, 10)
ALL = (Kind.WORKBOOK, Kind.DRAFT, Kind.CHART)


@pytest.mark.parametrize(
    ("text", "plan", "period", "kinds"),
    [
        ("", "", None, ALL),
        ("quý 2", "", "2025-Q2", ALL),
        ("73 quý II/2024", "73", "2024-Q2", ALL),
        ("gửi báo cáo quý 2 nhé", "", "2025-Q2", ALL),
        ("xuất excel kế hoạch cải cách hành chính", "cai cach hanh chinh", None, (Kind.WORKBOOK,)),
        ("2025-H1", "", "2025-H1", ALL),
        ("báo cáo 6 tháng đầu năm", "", "2025-H1", ALL),
        ("lập báo cáo năm 2024 word", "", "2024", (Kind.DRAFT,)),
        ("73/KH-UBND biểu đồ", "73/kh-ubnd", None, (Kind.CHART,)),
        ("gửi báo cáo quý trước", "", "2025-Q2", ALL),
        ("xuất excel quý này", "", "2025-Q3", (Kind.WORKBOOK,)),
        ("báo cáo 6 tháng trước", "", "2025-H1", ALL),
        ("báo cáo năm ngoái", "", "2024", ALL),
        ("Nam Sơn năm nay", "son", "2025", ALL),
    ],
)
def test_a_request_names_a_plan_a_period_and_files(
    text: str, plan: str, period: str | None, kinds: tuple[Kind, ...]
) -> None:
    request = read_request(text, TODAY)
    assert request.plan == plan
    assert request.period == (parse_period(period) if period else None)
    assert request.kinds == kinds
    assert not request.period_unclear


@pytest.mark.parametrize(
    ("text", "unclear"),
    [
        ("báo cáo 6 tháng", True),  # which half?
        ("gửi báo cáo quý", True),
        ("năm", True),  # "/baocao năm"
        ("báo cáo 6 tháng kế hoạch 73", True),
        ("", False),  # nothing said: the current quarter
        ("xuất excel", False),
        ("Nam Sơn", False),  # a plan's words, not a year
    ],
)
def test_a_kind_of_period_without_which_is_unclear(text: str, unclear: bool) -> None:
    request = read_request(text, TODAY)
    assert request.period_unclear is unclear
    assert request.period is None


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("gửi báo cáo quý 2", True),
        ("xuất excel", True),
        ("Lập báo cáo 6 tháng", True),
        ("báo cáo tiến độ kế hoạch", True),
        ("đã gửi báo cáo quý 2 rồi", False),
        ("báo cáo xong rồi ạ", False),
        ("việc 2.1 xong rồi", False),
        ("vướng: chưa có kinh phí", False),
    ],
)
def test_only_a_request_for_a_report_reads_as_one(text: str, asks: bool) -> None:
    assert asks_for_report(text) is asks
