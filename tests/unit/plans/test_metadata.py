"""Plan particulars, "Tổ chức thực hiện" charges and report rules read from running text."""

from datetime import date

from plans.deadlines import DeadlineKind, parse_deadline
from plans.metadata import Charge, read_charges, read_header, read_report_rules, unit_name
from plans.units import ALL


def _is_periodic(text: str) -> bool:
    return parse_deadline(text, plan_years=(2025,)).kind is DeadlineKind.RECURRING


HEADER = """ UỶ BAN NHÂN DÂN \n\nXÃ TÂN HÒA \n\nSố: 15/KH-UBND \n\n
Tân Hòa,  ngày 05 tháng 02 năm 2025 \n\nKẾ HOẠCH \n\nTriển khai công tác chuyển đổi số xã Tân Hòa
giai đoạn 2025 - 2027 \n \n\nCăn cứ Kế hoạch số 04/KH-UBND ngày 05/01/2024 của UBND huyện;
"""


def test_the_header_gives_title_number_date_committee_and_years() -> None:
    header = read_header(HEADER)

    assert (
        header.title
        == "Kế hoạch triển khai công tác chuyển đổi số xã Tân Hòa giai đoạn 2025 - 2027"
    )
    assert header.number == "15/KH-UBND"
    assert header.issued == date(2025, 2, 5)
    assert header.organization == "UBND xã Tân Hòa"
    assert header.years == (2025, 2026, 2027)


def test_an_appendix_line_gives_number_and_date_when_the_header_does_not() -> None:
    text = (
        "KẾ HOẠCH\n\nCải cách hành chính năm 2024\n\nCăn cứ ...\n"
        "(Kèm theo Kế hoạch số: 73/KH-UBND ngày 24/12/2023 của Chủ tịch UBND phường)\n"
    )
    header = read_header(text)

    assert header.number == "73/KH-UBND"
    assert header.issued == date(2023, 12, 24)
    assert header.years == (2024,)


def test_a_blank_number_and_a_date_without_a_day_are_none() -> None:
    text = (
        "Số: /KH-UBND\n\nBắc Kạn, ngày tháng 9 năm 2025\n\nKẾ HOẠCH\n\nVề việc nâng cao Chỉ số\n"
    )
    header = read_header(text)

    assert header.number is None
    assert header.issued is None
    assert header.title == "Kế hoạch về việc nâng cao Chỉ số"


def test_a_text_without_its_first_page_has_no_title_and_takes_its_most_named_year() -> None:
    header = read_header("I. MỤC ĐÍCH\n\nnăm 2025 và năm 2025; Luật năm 2015\n")

    assert header.title is None
    assert header.organization is None
    assert header.years == (2025,)


ORGANISATION = """IV. TỔ CHỨC THỰC HIỆN \n\n1. Trách nhiệm chung: \n
a) Các cơ quan, đơn vị rà soát các nhiệm vụ được giao. \n
b) Thực hiện chế độ báo cáo theo định kỳ (báo cáo hàng quý và báo cáo 6 tháng gửi trước ngày
15 của tháng cuối quý) gửi Văn phòng HĐND và UBND xã tổng hợp. \n
2. Phân công trách nhiệm cụ thể: \n
a) Công chức Văn phòng - Thống kê xã: \n
- Tham mưu UBND xã triển khai thực hiện kế hoạch này, đôn đốc các bộ phận tổ chức thực hiện
đảm bảo tiến độ và chất lượng theo yêu cầu đề ra. \n
Theo dõi, tổng hợp kết quả. \n
b) Trưởng phòng Kinh tế \n
- Bố trí kinh phí. \n
3. Trạm Y tế, Công an xã: Phối hợp thực hiện. \n
4. Đề nghị Ủy ban MTTQ và các đoàn thể xã phối hợp tuyên truyền. \n
Trên đây là Kế hoạch của UBND xã. \n
"""


def test_charges_follow_the_headings_with_one_duty_per_bullet_or_paragraph() -> None:
    charges = read_charges(ORGANISATION)

    assert charges[0].units == (ALL,)
    assert len(charges[0].duties) == 2
    assert charges[1] == Charge(
        ("Công chức Văn phòng - Thống kê xã",),
        (
            "Tham mưu UBND xã triển khai thực hiện kế hoạch này, đôn đốc các bộ phận tổ chức "
            "thực hiện đảm bảo tiến độ và chất lượng theo yêu cầu đề ra.",
            "Theo dõi, tổng hợp kết quả.",
        ),
    )
    assert charges[2].units == ("Trưởng phòng Kinh tế",)
    assert charges[3] == Charge(("Trạm Y tế", "Công an xã"), ("Phối hợp thực hiện.",))
    assert charges[4].units == ("Ủy ban MTTQ và các đoàn thể xã",)
    assert charges[4].duties == ("Đề nghị Ủy ban MTTQ và các đoàn thể xã phối hợp tuyên truyền.",)
    assert len(charges) == 5


def test_a_heading_name_drops_its_level_word_and_role_and_keeps_them_as_aliases() -> None:
    local = unit_name("Công chức Văn phòng - Thống kê xã:")
    assert local.name == "Công chức Văn phòng - Thống kê"
    assert local.heading_forms == ("Công chức Văn phòng - Thống kê xã",)

    head = unit_name("Trưởng phòng Kinh tế")
    assert head.name == "Phòng Kinh tế"
    assert head.role_forms == ("Trưởng phòng Kinh tế",)


def test_periodic_reports_become_rules_with_their_own_cadence() -> None:
    rules = read_report_rules(read_charges(ORGANISATION), is_periodic=_is_periodic)

    assert [(rule.what, rule.recurrence) for rule in rules] == [
        ("báo cáo hàng quý", "quarterly"),
        ("báo cáo 6 tháng", "half_yearly"),
    ]
    assert {rule.rule for rule in rules} == {"trước ngày 15 của tháng cuối quý"}
    assert {rule.to for rule in rules} == {"Văn phòng HĐND và UBND xã"}


def test_text_without_an_organisation_section_has_no_charges() -> None:
    assert read_charges("I. MỤC ĐÍCH\n\n- Nâng cao chất lượng.\n") == []


def test_a_report_named_before_its_rule_and_sent_to_a_unit_is_a_rule() -> None:
    charge = Charge(
        ("Các bộ phận",),
        (
            "Các bộ phận báo cáo kết quả thực hiện hằng quý chậm nhất ngày 18 của tháng cuối "
            "quý gửi Văn phòng tổng hợp.",
        ),
    )
    (rule,) = read_report_rules([charge], is_periodic=_is_periodic)

    assert rule.what == "báo cáo kết quả thực hiện hằng quý"
    assert rule.rule == "chậm nhất ngày 18 của tháng cuối quý"
    assert rule.recurrence == "quarterly"
    assert rule.to == "Văn phòng"


def test_a_report_named_after_its_rule_is_a_rule_too() -> None:
    charge = Charge((ALL,), ("Trước ngày 15/12 hằng năm, báo cáo kết quả về UBND phường.",))
    (rule,) = read_report_rules([charge], is_periodic=_is_periodic)

    assert rule.what == "báo cáo kết quả"
    assert rule.rule == "Trước ngày 15/12 hằng năm"
    assert rule.recurrence is None


def test_reports_without_a_time_rule_are_not_rules() -> None:
    charge = Charge(
        ("Văn phòng",),
        (
            "Định kỳ báo cáo kết quả theo quy định.",
            "Báo cáo kết quả trước ngày 30/6/2025 gửi Văn phòng.",
        ),
    )
    assert read_report_rules([charge], is_periodic=_is_periodic) == []


def test_a_spaced_number_and_a_numeric_date_line_are_read() -> None:
    text = "Số: 73 /KH-UBND\n\nBắc Sơn, ngày 24/12/2024\n\nKẾ HOẠCH\n\nCải cách năm 2025\n"
    header = read_header(text)

    assert header.number == "73/KH-UBND"
    assert header.issued == date(2024, 12, 24)


def test_a_date_cited_in_the_body_is_not_the_issue_date() -> None:
    text = "KẾ HOẠCH\n\nCải cách năm 2025\n\nCăn cứ Chương trình số 09-CTr/ĐU, ngày 16/4/2021\n"
    assert read_header(text).issued is None


def test_short_lettered_duties_are_duties_not_headings() -> None:
    text = (
        "III. TỔ CHỨC THỰC HIỆN\n\n1. Văn phòng HĐND và UBND phường\n\n"
        "a) Tham mưu triển khai kế hoạch\n\nb) Nhiệm vụ: theo dõi, đôn đốc thực hiện\n\n"
        "2. Trưởng phòng Văn hóa - Xã hội\n\n- Tổng hợp kết quả.\n"
    )
    assert read_charges(text) == [
        Charge(
            ("Văn phòng HĐND và UBND phường",),
            ("Tham mưu triển khai kế hoạch", "Nhiệm vụ: theo dõi, đôn đốc thực hiện"),
        ),
        Charge(("Trưởng phòng Văn hóa - Xã hội",), ("Tổng hợp kết quả.",)),
    ]


def test_a_subtitle_on_the_heading_line_and_a_lower_case_section_heading_are_read() -> None:
    text = (
        "KẾ HOẠCH Chuyển đổi số năm 2026\n\nCăn cứ …\n\n"
        "4. Tổ chức thực hiện\n\n4.1. Các bộ phận chuyên môn\n\n- Triển khai kế hoạch.\n"
    )
    assert read_header(text).title == "Kế hoạch chuyển đổi số năm 2026"
    assert read_header(text).years == (2026,)
    assert read_charges(text)[-1].duties == ("Triển khai kế hoạch.",)


def test_a_recipient_named_later_in_the_clause_is_found() -> None:
    charge = Charge(
        (ALL,),
        (
            "Định kỳ hằng quý (trước ngày 15 của tháng cuối quý), các bộ phận báo cáo kết quả "
            "về Văn phòng HĐND và UBND để tổng hợp. Các nội dung khác theo quy định.",
        ),
    )
    (rule,) = read_report_rules([charge], is_periodic=_is_periodic)

    assert (rule.what, rule.to) == ("báo cáo kết quả", "Văn phòng HĐND và UBND")
