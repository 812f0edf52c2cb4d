"""Web passwords: scrypt with a salt, compared in constant time, never stored in clear."""

from services.people.web_auth import hash_password, is_password, web_chat_id


def test_a_password_matches_its_hash_and_nothing_else() -> None:
    stored = hash_password("mat-khau-thu")

    assert is_password("mat-khau-thu", stored)
    assert not is_password("mat-khau-thu ", stored)
    assert not is_password("", stored)
    assert "mat-khau-thu" not in stored


def test_the_same_password_hashes_differently_each_time() -> None:
    assert hash_password("mat-khau-thu") != hash_password("mat-khau-thu")


def test_no_hash_or_a_foreign_hash_matches_nothing() -> None:
    assert not is_password("x", None)
    assert not is_password("x", "")
    assert not is_password("x", "pbkdf2$1$2$3$00$00")
    assert not is_password("x", "scrypt$broken")
    assert not is_password("x", "scrypt$16384$8$1$zz$00")


def test_an_officers_web_chat_is_named_by_their_id() -> None:
    assert web_chat_id(42) == "officer:42"
