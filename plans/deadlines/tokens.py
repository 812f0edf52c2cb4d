"""A deadline phrase as the grammar reads it: folded, then cut into tokens.

Folding (`plans.folding.fold_characters`) makes case, diacritics and đ, dash, slash and space
variants, NFC or NFD not count, one character at a time (so that a token's place in the folded
text leads back to the original, for the note). Tokens are words, numbers and single marks;
"QII" becomes quy, ii and a number repeated in words after its digits ("09 (chín)") goes.
"""

import re

from plans.folding import fold_characters

_TOKEN = re.compile(r"\d+|[^\W\d_]+|\S")
_ASCII_TOKEN = re.compile(r"[0-9]+|[A-Za-z]+|\S")  # the same tokens for ASCII text, sooner
_Q_ROMAN = re.compile(r"q(i{1,3}|iv|v|vi{1,3}|ix|x)")
_NUMBER_WORDS = frozenset(
    [
        "khong",
        "mot",
        "hai",
        "ba",
        "bon",
        "tu",
        "nam",
        "lam",
        "nham",
        "sau",
        "bay",
        "tam",
        "chin",
        "muoi",
        "linh",
        "le",
        "tram",
        "nghin",
        "ngan",
        "trieu",
    ]
)


def tokenise(folded: str) -> list[str]:
    """Tokens of a folded phrase; "QII" splits and "(chín)" goes."""
    tokens: list[str] = (_ASCII_TOKEN if folded.isascii() else _TOKEN).findall(folded)
    if "q" in folded or "(" in folded:
        _normalise(tokens, folded, None)
    return tokens


def token_starts(folded: str) -> list[int]:
    """Where each token of `tokenise(folded)` starts in `folded` (for the note, seldom needed)."""
    matches = list(_TOKEN.finditer(folded))
    starts = [match.start() for match in matches]
    _normalise([match.group() for match in matches], folded, starts)
    return starts


def fold_tokens(text: str) -> list[str]:
    """The tokens the grammar reads: folded words, numbers, punctuation ("Quý II": quy, ii)."""
    return tokenise(fold_characters(text))


def _normalise(tokens: list[str], folded: str, starts: list[int] | None) -> None:
    if "q" in folded and folded.count("q") > folded.count("quy"):  # "QII", "Q 2"
        _split_quarters(tokens, starts)
    if "(" in tokens:
        _drop_number_words(tokens, starts)


def _split_quarters(tokens: list[str], starts: list[int] | None) -> None:
    """ "QII" becomes quy, ii and "Q" quy, in place (and their starts)."""
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if token[0] == "q" and (token == "q" or _Q_ROMAN.fullmatch(token)):
            tokens[index] = "quy"
            if token != "q":
                tokens.insert(index + 1, token[1:])
                if starts is not None:
                    starts.insert(index + 1, starts[index] + 1)


def _drop_number_words(tokens: list[str], starts: list[int] | None) -> None:
    """Remove "(chín)", "(hai mươi lăm)": a number repeated in words after its digits."""
    index = 0
    for _ in range(tokens.count("(")):  # each round keeps or removes one bracket
        index = tokens.index("(", index)
        if index > 0 and tokens[index - 1].isdecimal():
            end = index + 1
            while end < len(tokens) and tokens[end] in _NUMBER_WORDS:
                end += 1
            if end > index + 1 and end < len(tokens) and tokens[end] == ")":
                del tokens[index : end + 1]
                if starts is not None:
                    del starts[index : end + 1]
                continue
        index += 1
