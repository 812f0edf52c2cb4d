"""Units: collective phrases, list splitting, abbreviations, spelling variants, known units."""

import pytest

from plans.units import (
    ALL,
    RELATED,
    KnownUnit,
    UnitBook,
    initials,
    looks_external,
    resolve,
    same_unit,
    special,
    split_units,
    strip_locative,
    strip_role,
    strip_trailing_verbs,
)


@pytest.mark.parametrize(
    "text",
    [
        "Các cơ quan, tổ chức, đơn vị thuộc UBND phường",
        "Các cơ quan, tổ chức đơn vị thuộc UBND",
        "Các cơ quan, đơn vị thuộc UBND",
        "Thủ trưởng các cơ quan, đơn vị thuộc UBND phường",
        "Cán bộ, công chức phường",
        "Các bộ phận chuyên môn",
        "Các bộ phận",
        "các bộ phận, CBCC",
        "Các cơ quan, đơn vị thuộc Ủy ban nhân dân xã",
        "Các ban, ngành, đoàn thể",
        "Các phòng chuyên môn",
        "các phòng, ban thuộc UBND xã",
    ],
)
def test_every_unit_phrases_mean_all(text: str) -> None:
    assert special(text) == ALL


@pytest.mark.parametrize(
    "text",
    [
        "các CBCC có liên quan",
        "Các bộ phận liên quan",
        "công chức liên quan",
        "Các cơ quan, đơn vị có liên quan",
        "Các cơ quan, đơn vị được giao nhiệm vụ tại Kế hoạch cải cách hành chính năm 2025",
    ],
)
def test_unnamed_concerned_units_mean_related(text: str) -> None:
    assert special(text) == RELATED


@pytest.mark.parametrize(
    "text",
    [
        "Các Trường học trên địa bàn",
        "các nhà trường",
        "Phòng Nội vụ",
        "Bộ phận 1 cửa",
        "Ban Chỉ huy Quân sự",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Phòng",
        "Phòng, ban liên quan",
    ],
)
def test_named_bodies_are_not_collective(text: str) -> None:
    assert special(text) is None


def test_a_list_splits_on_commas_but_keeps_names_that_hold_a_comma() -> None:
    book = UnitBook()
    assert split_units("Phòng Nội vụ, các CBCC có liên quan", book) == [
        "Phòng Nội vụ",
        "các CBCC có liên quan",
    ]
    assert split_units("Phòng Kinh tế, Hạ tầng và Đô thị", book) == [
        "Phòng Kinh tế, Hạ tầng và Đô thị"
    ]
    assert split_units("Công chức Tài chính, kế toán; Văn phòng", book) == [
        "Công chức Tài chính, kế toán",
        "Văn phòng",
    ]
    assert split_units("Trạm Y tế, các nhà trường, Công an, Quân sự", book) == [
        "Trạm Y tế",
        "các nhà trường",
        "Công an",
        "Quân sự",
    ]


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("CCVHXH", "Công chức Văn hóa – xã hội"),
        ("CC VHXH", "Công chức Văn hóa – xã hội"),
        ("CC Tư pháp-HT", "Công chức Tư pháp - Hộ tịch"),
        ("TTPVHCC", "Trung tâm Phục vụ hành chính công"),
        ("Phòng Văn hoá – Xã hội", "Phòng Văn hóa - Xã hội"),
        ("Văn phòng HĐND&UBND", "Văn phòng HĐND và UBND"),
        ("Công chức Tài chính - Kế toán", "Công chức Kế toán - Tài chính"),
        ("Các Trường trên địa bàn", "Các Trường học trên địa bàn"),
        ("Bộ phận 1 cửa", "Bộ phận tiếp nhận và trả kết quả"),
        ("Trạm y tế phường", "Trạm y tế"),
        ("cong chuc van hoa xa hoi", "Công chức Văn hóa - Xã hội"),
    ],
)
def test_printed_forms_match_their_unit(printed: str, name: str) -> None:
    assert same_unit(printed, name)


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Phòng TP", "Công chức Tư pháp - Hộ tịch"),
        ("Lãnh đạo UBND phường", "Văn phòng HĐND - UBND phường"),
        ("Phòng Nội vụ", "Phòng Kinh tế"),
        ("CCVPTK", "Công chức Văn hóa – xã hội"),
    ],
)
def test_different_bodies_do_not_match(printed: str, name: str) -> None:
    assert not same_unit(printed, name)


def test_the_first_printed_form_names_the_unit_and_later_forms_become_aliases() -> None:
    book = UnitBook()
    book.define("Công chức Văn hóa – xã hội")

    assert resolve("CCVHXH", book) == ["Công chức Văn hóa – xã hội"]
    assert resolve("CC VHXH, các CBCC có liên quan", book) == [
        "Công chức Văn hóa – xã hội",
        RELATED,
    ]
    (unit,) = book.units()
    assert unit.aliases == ("CCVHXH", "CC VHXH")


def test_an_unknown_name_becomes_a_proposed_unit() -> None:
    book = UnitBook()

    assert resolve("ĐU-UBND phường", book) == ["ĐU-UBND phường"]
    (unit,) = book.units()
    assert not unit.is_known
    assert not unit.external


def test_known_units_and_their_learned_aliases_match_first() -> None:
    book = UnitBook([KnownUnit("Công chức Văn hóa - Xã hội", aliases=("VHXH",))])

    assert resolve("VHXH", book) == ["Công chức Văn hóa - Xã hội"]
    assert resolve("Công chức Văn hoá - Xã hội", book) == ["Công chức Văn hóa - Xã hội"]
    (unit,) = book.units()
    assert unit.is_known


def test_the_formal_name_wins_over_the_informal_one() -> None:
    book = UnitBook()

    resolve("Bộ phận 1 cửa", book)
    resolve("Bộ phận tiếp nhận và trả kết quả", book)

    (unit,) = book.units()
    assert unit.name == "Bộ phận tiếp nhận và trả kết quả"
    assert unit.aliases == ("Bộ phận 1 cửa",)


def test_a_direction_names_no_unit_and_wrapped_verbs_are_not_part_of_a_name() -> None:
    book = UnitBook()
    assert resolve("Theo chỉ đoạ của thành phố", book) == []
    assert strip_trailing_verbs("Công chức Văn hoá - Xã hội tham mưu phối hợp") == (
        "Công chức Văn hoá - Xã hội"
    )


def test_headings_lose_their_level_word_and_role() -> None:
    assert strip_locative("Công chức Tư pháp - Hộ tịch  phường") == "Công chức Tư pháp - Hộ tịch"
    assert strip_locative("Phòng Kinh tế xã:") == "Phòng Kinh tế"
    assert strip_locative("Các Trường học trên địa bàn") == "Các Trường học trên địa bàn"
    assert strip_role("Trưởng phòng Văn hóa - Xã hội") == "Phòng Văn hóa - Xã hội"


def test_outside_bodies_are_told_by_their_words() -> None:
    assert looks_external("Sở Nội vụ")
    assert looks_external("UBND thành phố")
    assert looks_external("Phòng Nội vụ TP. Phổ Yên")
    assert looks_external("Công an tỉnh")
    assert looks_external("Ban Quản lý dự án huyện")
    assert looks_external("Tỉnh ủy Thái Nguyên")
    assert not looks_external("Bộ phận một cửa")
    assert not looks_external("Trạm y tế")
    assert not looks_external("Công an phường")
    assert not looks_external("Phòng Quản lý đô thị")


def test_initials_skip_dashes_and_commas() -> None:
    assert initials("Trung tâm Phục vụ hành chính công") == "TTPVHCC"
    assert initials("Công chức Văn phòng - Thống kê") == "CCVPTK"
