"""The grammar's place in a phrase: the tokens, where reading is, and what was read before."""

from plans.deadlines.value import Recurrence

MIN_YEAR, MAX_YEAR = 1900, 2200
SMALL_NUMBERS = {str(n): n for n in range(100)} | {f"{n:02d}": n for n in range(10)}  # "07"
YEARS = {str(year): year for year in range(MIN_YEAR, MAX_YEAR + 1)}  # "2025" -> 2025
_YEAR_LEADS = frozenset(("/", "-", ".", "nam"))
_LOOKAHEAD = ["", "", "", "", ""]  # after the tokens, so that looking ahead needs no bounds
_PLACEHOLDER_YEAR = 2000  # a leap year: "29/2" without a year stays readable until resolved


class Cursor:
    """The tokens of one phrase and the reading position; rules move it as they read."""

    __slots__ = ("default_year", "end", "hint", "periodic", "pos", "tokens", "years")

    def __init__(self, tokens: list[str], years: tuple[int, ...]) -> None:
        self.end = len(tokens)
        self.tokens = tokens + _LOOKAHEAD
        self.pos = 0
        self.years = years
        self.default_year = years[0] if len(years) == 1 else None
        self.periodic = False  # "định kỳ" was read: "6 tháng" is then a cadence
        self.hint: Recurrence | None = None  # "hằng tháng, chậm nhất ngày 12": days of months

    def peek(self, ahead: int = 0) -> str:
        """The token `ahead` of the position ("" past the end)."""
        return self.tokens[self.pos + ahead]

    def at_end(self) -> bool:
        """Whether every token has been read."""
        return self.pos >= self.end

    def take(self, *words: str) -> bool:
        """Take `words` if they come next, in order."""
        end = self.pos + len(words)
        if tuple(self.tokens[self.pos : end]) != words:
            return False
        self.pos = end
        return True

    def take_one(self, words: frozenset[str]) -> bool:
        """Take the next token if it is one of `words` ("hằng" or "mỗi", "đến" or "-")."""
        if self.tokens[self.pos] in words:
            self.pos += 1
            return True
        return False

    def number(self, low: int, high: int) -> int | None:
        """Take a number from `low` to `high`."""
        token = self.tokens[self.pos]
        value = SMALL_NUMBERS.get(token)
        if value is None:
            if not token.isdecimal() or len(token) > 4:
                return None
            value = int(token)
        if low <= value <= high:
            self.pos += 1
            return value
        return None

    def year(self) -> int | None:
        """Take a year (four digits, of any script, from 1900 to 2200)."""
        token = self.tokens[self.pos]
        value = YEARS.get(token)
        if value is None:
            if len(token) != 4 or not token.isdecimal():
                return None
            value = int(token)
            if not MIN_YEAR <= value <= MAX_YEAR:
                return None
        self.pos += 1
        return value

    def year_suffix(self) -> int | None:
        """ "/2025", "năm 2025", "-2025", " 2025" after a quarter, month or day."""
        start = self.pos
        if self.tokens[start] in _YEAR_LEADS and self.tokens[start + 1].isdecimal():
            self.pos += 1
        found = self.year()
        if found is None:
            self.pos = start
        return found

    def resolve_year(self, found: int | None) -> tuple[int, bool]:
        """The year found, else the plan's only year (or a placeholder); whether it was given."""
        if found is not None:
            return found, True
        return (self.default_year or _PLACEHOLDER_YEAR), False
