"""Cutting text to Zalo's 2,000-character messages."""

from hypothesis import given
from hypothesis import strategies as st

from bot.zalo.client import split_text


def test_short_text_is_one_piece() -> None:
    assert split_text("Xin chào\nanh Minh") == ["Xin chào\nanh Minh"]


def test_pieces_are_cut_at_line_ends() -> None:
    text = "\n".join(["a" * 8] * 5)
    assert split_text(text, limit=20) == ["aaaaaaaa\naaaaaaaa", "aaaaaaaa\naaaaaaaa", "aaaaaaaa"]


def test_a_line_too_long_is_cut_at_a_space() -> None:
    assert split_text("một hai ba bốn năm", limit=10) == ["một hai", "ba bốn năm"]


def test_emoji_count_as_two() -> None:
    pieces = split_text("✅📊🚧📅⏰" * 3, limit=6)  # 📊 🚧 📅 are two UTF-16 units each
    assert all(len(piece.encode("utf-16-le")) // 2 <= 6 for piece in pieces)
    assert "".join(pieces) == "✅📊🚧📅⏰" * 3


def test_blank_text_gives_no_piece() -> None:
    assert split_text("\n \n") == []


@given(st.text(alphabet=st.sampled_from("aàđ \n✅😀"), max_size=300))
def test_no_piece_is_over_the_limit_or_blank(text: str) -> None:
    for piece in split_text(text, limit=17):
        assert len(piece.encode("utf-16-le")) // 2 <= 17
        assert piece.strip()
