"""How often a phrase says a deadline comes back: "hằng quý", "định kỳ 6 tháng", "1 lần/năm"."""

from plans.deadlines.cursor import Cursor
from plans.deadlines.value import Recurrence

_FREQUENCY = [
    Recurrence.WEEKLY,
    Recurrence.MONTHLY,
    Recurrence.QUARTERLY,
    Recurrence.HALF_YEARLY,
    Recurrence.YEARLY,
]
_UNIT_CADENCE = {
    "nam": Recurrence.YEARLY,
    "quy": Recurrence.QUARTERLY,
    "thang": Recurrence.MONTHLY,
    "tuan": Recurrence.WEEKLY,
}
_MONTHS_CADENCE = {
    1: Recurrence.MONTHLY,
    3: Recurrence.QUARTERLY,
    6: Recurrence.HALF_YEARLY,
    12: Recurrence.YEARLY,
}
CADENCE_HEADS = frozenset(["dinh", "hang", "moi", "nua", "mot"])
CADENCE_UNITS = frozenset(("thang", "lan"))  # "6 tháng/lần", "1 lần/năm"
_CADENCE_JOINS = frozenset((",", "va", ";", "-"))  # hằng tháng, hằng quý
_EVERY = frozenset(("hang", "moi"))
_ONCE = frozenset(("1", "mot"))


def starts_cadence(head: str, after: str) -> bool:
    """Whether a cadence can start here: "hằng", "định kỳ", "mỗi", "nửa năm", "6 tháng/lần"."""
    return head in CADENCE_HEADS or (head.isdecimal() and after in CADENCE_UNITS)


def cadences(cursor: Cursor) -> Recurrence | None:
    """Hằng năm · định kỳ hằng quý · hằng tháng, hằng quý · mỗi tháng 1 lần · 6 tháng/lần.

    Several cadences in a row ("hằng tháng, hằng quý") give the most frequent."""
    found: list[Recurrence] = []
    while True:
        start = cursor.pos
        if found:
            if cursor.at_end():
                break
            cursor.take_one(_CADENCE_JOINS)
            bare = _UNIT_CADENCE.get(cursor.peek())  # "hằng quý, năm"
            if bare is not None:
                cursor.pos += 1
                found.append(bare)
                continue
        cadence = _cadence(cursor)
        if cadence is None:
            cursor.pos = start
            break
        found.append(cadence)
    return min(found, key=_FREQUENCY.index) if found else None


def _cadence(cursor: Cursor) -> Recurrence | None:
    if not starts_cadence(cursor.peek(), cursor.peek(1)):
        return None
    periodic = cursor.take("dinh", "ky") or cursor.periodic
    if cursor.take_one(_EVERY):
        cadence = _UNIT_CADENCE.get(cursor.peek())
        if cadence is None:
            return None
        cursor.pos += 1
        _times_once(cursor)
        return cadence
    if cursor.take("nua", "nam"):
        _times_once(cursor)
        return Recurrence.HALF_YEARLY
    start = cursor.pos
    months = cursor.number(1, 12)
    if months is not None and cursor.take("thang") and (_times_once(cursor) or periodic):
        return _MONTHS_CADENCE.get(months)
    cursor.pos = start
    if cursor.peek(1) == "lan" and cursor.peek() in _ONCE:  # "1 lần", "một lần"
        cursor.pos += 2
        _ = (
            cursor.take("/")
            or cursor.take("moi")
            or cursor.take("trong", "1")
            or cursor.take("tren")
        )
        cadence = _UNIT_CADENCE.get(cursor.peek())
        if cadence is not None:
            cursor.pos += 1
        return cadence
    return None


def _times_once(cursor: Cursor) -> bool:
    """ "1 lần", "một lần", "/lần" after a cadence add nothing but say it is one."""
    if cursor.peek(1) == "lan" and cursor.peek() in ("1", "mot", "/"):
        cursor.pos += 2
        return True
    return False
