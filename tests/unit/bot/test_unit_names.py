"""Units as people say them on the web pages: never "@all" or "@related"."""

import pytest

from bot.web.pages import unit_name


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("@all", "tất cả đơn vị"),
        ("@related", "các cán bộ liên quan"),
        ("—", "chưa có đơn vị chủ trì"),
        ("Trạm Y tế", "Trạm Y tế"),
    ],
)
def test_pseudo_units_are_named_in_words(name: str, shown: str) -> None:
    assert unit_name("vi", name) == shown
