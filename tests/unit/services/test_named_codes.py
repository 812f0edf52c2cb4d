"""The task codes a chat message names: every one of them, and only what is meant as a code."""

import pytest

from services.tracking.asking import named_code, named_codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("việc 7 xong rồi", ["7"]),
        ("viec7 xong", ["7"]),
        ("việc số 2.1 được 50%", ["2.1"]),
        ("mục II.1 xong rồi", ["II.1"]),
        ("mã IV", ["IV"]),
        ("việc 3 và 4 xong rồi", ["3", "4"]),
        ("việc 3, 4 và 5 xong", ["3", "4", "5"]),
        ("việc 3 4 xong rồi", ["3", "4"]),
        ("việc 1, việc 4 xong hết rồi", ["1", "4"]),
        ("xin gia hạn việc 3 đến 30/6", ["3"]),
        ("việc 3 2 ngày nữa xong", ["3"]),
        ("việc 1 100%", ["1"]),
        ("việc 3 9h nhắc", ["3"]),
        ("mai em xong ạ", []),  # "mai" is not "mã I"
        ("maix", []),
    ],
)
def test_named_codes(text: str, codes: list[str]) -> None:
    assert named_codes(text) == codes
    assert named_code(text) == (codes[0] if codes else None)
