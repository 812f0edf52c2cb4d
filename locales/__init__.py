"""What people read, in their language: the Babel catalogues (vi default, en), the one way to
read them, and the one way to write a date.

Code marks user-visible English msgids with `N_` (a no-op that `pybabel extract -k N_` collects)
and renders them at the edge with `translate(locale, msgid, **params)`. The `.po` files are the
source of truth: what is shown is what they say. Reading one costs a command ~6 ms, so each is
compiled beside it to a `.mo` (`python -m locales.catalogs` writes both; a test fails while a
committed `.mo` is not the compiled `.po`), which names the SHA-256 of the `.po` it was compiled
from in its header (`X-Po-Sha256`): a command loads the `.mo` (~1 ms, the hash ~0.2 ms) only when
it was compiled from the `.po` as it is, and otherwise reads the `.po` itself, so a `.mo` left
stale by an edit is never shown. `read_po` reads a `.po` without Babel, whose reader costs every
command a tenth of a second: it reads the few forms dondoc's catalogues use (plain, plural and
context messages, multi-line strings, flags, obsolete entries) and keeps what Babel's `write_mo`
keeps: translated messages that are not fuzzy, an empty plural form falling back to its msgid; a
test holds the two equal.

Dates and instants are written as the people of a locale write them, one formatter for every
channel. Vietnamese: `dd/MM/yyyy` and `HH:mm dd/MM/yyyy`; English: `d MMM yyyy` and
`d MMM yyyy, HH:mm`; a time of day `HH:mm` in both. A message names a day by a `date` param, a
moment by an aware `datetime` one (already in the ward's zone) and a time of day by a `time` one,
and `translate` writes each in the reader's locale, so a digest or a refusal built before the
reader is known reads "10 Mar 2025" in English and "10/03/2025" in Vietnamese; the command line
passes its own locale. An instant (stored in UTC) is always shown in the ward's zone, so that
06:00 on 11 March in Hà Nội (23:00 UTC on the 10th) reads 11/03, not 10/03. The patterns are
Babel's (CLDR's), written out: digits, and English months' abbreviations; importing Babel took a
command 20-40 ms (a test checks both still agree).
"""

import hashlib
import io
import re
import struct
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from functools import cache
from gettext import GNUTranslations, NullTranslations
from pathlib import Path
from typing import Final

LOCALES_DIR: Final = Path(__file__).parent
DOMAIN: Final = "dondoc"
SUPPORTED: Final = ("vi", "en")
DEFAULT_LOCALE: Final = "vi"


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention pybabel looks for
    """Mark `msgid` for extraction; it is translated later, where it is shown."""
    return msgid


def po_path(locale: str) -> Path:
    """Where the catalogue of `locale` lives."""
    return LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale: str) -> Path:
    """Where the compiled catalogue of `locale` lives."""
    return po_path(locale).with_suffix(".mo")


@cache
def translations(locale: str) -> NullTranslations:
    """The catalogue of `locale` (cached), or pass-through English for an unknown one."""
    path = po_path(locale)
    if locale not in SUPPORTED or not path.exists():
        return NullTranslations()
    return load_catalogue(path, mo_path(locale))


SOURCE_DIGEST: Final = "X-Po-Sha256"
"""The header of a compiled catalogue naming the SHA-256 of the `.po` it was compiled from."""


def load_catalogue(po: Path, mo: Path) -> GNUTranslations:
    """The translations of the `.po` file `po`: from its compiled `mo` when that was compiled
    from `po` as it is now, else read from `po` itself."""
    source = po.read_bytes()
    try:
        with mo.open("rb") as compiled:
            catalogue = GNUTranslations(compiled)
    except (OSError, ValueError, struct.error):
        pass  # none, or not a catalogue: the .po says the same
    else:
        if catalogue.info().get(SOURCE_DIGEST.lower()) == hashlib.sha256(source).hexdigest():
            return catalogue
    return read_translations(source.decode("utf-8"))


def compile_catalogue(source: bytes) -> bytes:
    """The `.mo` image of the `.po` file `source`, its header naming `source`'s SHA-256."""
    messages = read_po(source.decode("utf-8"))
    header = messages.get(b"", b"")
    if header and not header.endswith(b"\n"):
        header += b"\n"
    digest = hashlib.sha256(source).hexdigest()
    messages[b""] = header + f"{SOURCE_DIGEST}: {digest}\n".encode("ascii")
    return _mo(messages)


def write_compiled(locale: str) -> Path:
    """Compile the `.po` of `locale` beside it; where the `.mo` is."""
    path = mo_path(locale)
    path.write_bytes(compile_catalogue(po_path(locale).read_bytes()))
    return path


def translate(locale: str, msgid: str, /, **params: object) -> str:
    """`msgid` in `locale`, its `{named}` placeholders filled from `params` (a day, a moment or a
    time of day as `locale` writes it: `written`)."""
    text = translations(locale).gettext(msgid)
    return text.format(**_written(locale, params)) if params else text


def translate_plural(locale: str, singular: str, plural: str, n: int, /, **params: object) -> str:
    """The plural form for `n` in `locale`; `n` is also available to the text as `{n}`."""
    text = translations(locale).ngettext(singular, plural, n)
    return text.format(n=n, **_written(locale, params))


def _written(locale: str, params: dict[str, object]) -> dict[str, object]:
    """`params` with each day, moment and time of day written as the reader of `locale` writes
    it: a message names them, and who reads it says how they are written."""
    if not any(isinstance(value, date | time) for value in params.values()):
        return params
    return {name: written(value, locale) for name, value in params.items()}


def written(value: object, locale: str) -> object:
    """A message param as the reader of `locale` reads it: a `date` as `format_day` writes it,
    an aware `datetime` (a moment, already in the ward's zone: its own wall time is shown) as
    `format_moment` does, a `time` of day as `format_clock` does; anything else as it is. A
    naive `datetime` is refused: nobody could say in which zone its wall time is."""
    if isinstance(value, datetime):
        zone = aware(value).tzinfo
        assert zone is not None  # aware
        return format_moment(value, zone, locale=locale)
    if isinstance(value, date):
        return format_day(value, locale=locale)
    return format_clock(value, locale=locale) if isinstance(value, time) else value


def aware(moment: datetime) -> datetime:
    """`moment`, refused (`TypeError`) when naive: a moment param is an aware `datetime` in the
    ward's zone (`instant.astimezone(clock.zone)`), whose wall time is what the reader reads."""
    if moment.utcoffset() is None:
        raise TypeError(f"a moment param must be aware, in the ward's zone: {moment!r}")
    return moment


# --- reading a .po catalogue ------------------------------------------------------------

_KEYWORDS = ("msgctxt", "msgid_plural", "msgid", "msgstr")
_ESCAPE = re.compile(r'\\([\\trn"])')
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r"}


@dataclass(slots=True)
class _Entry:
    """One message as the file spells it."""

    context: str | None = None
    msgid: str | None = None
    plural: str | None = None
    strings: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False


def read_po(text: str) -> dict[bytes, bytes]:
    """The messages of `text` to put in a compiled catalogue: key and value as gettext's
    `.mo` spells them (context and msgid joined by EOT, plural forms by NUL)."""
    messages: dict[bytes, bytes] = {}
    for entry in _entries(text):
        if entry.msgid is None:
            continue
        key, value = _compiled(entry)
        if key == b"" or (value and not entry.fuzzy):
            messages[key] = value
    return messages


def read_translations(text: str) -> GNUTranslations:
    """The translations of the catalogue `text`."""
    return GNUTranslations(io.BytesIO(_mo(read_po(text))))


def _compiled(entry: _Entry) -> tuple[bytes, bytes]:
    msgid = entry.msgid or ""
    if entry.plural is None:
        key, value = msgid, entry.strings.get(0, "")
    else:
        ids = (msgid, entry.plural)
        forms = [entry.strings.get(i, "") for i in range(max(entry.strings, default=0) + 1)]
        key = "\0".join(ids)
        value = "\0".join(form or ids[min(i, 1)] for i, form in enumerate(forms))
    if entry.context is not None:
        key = entry.context + "\x04" + key
    return key.encode("utf-8"), value.encode("utf-8")


def _entries(text: str) -> list[_Entry]:
    """The file's entries, in order; obsolete ones (`#~`) left out."""
    entries: list[_Entry] = []
    entry = _Entry()
    target: tuple[str, int] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry.msgid is not None and target is not None and target[0] == "msgstr":
                entries.append(entry)
                entry, target = _Entry(), None
            if line.startswith("#,") and "fuzzy" in {f.strip() for f in line[2:].split(",")}:
                entry.fuzzy = True
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"a string outside a message: {raw!r}")
            _append(entry, target, _unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        index = 0
        if keyword.startswith("msgstr[") and keyword.endswith("]"):
            keyword, index = "msgstr", int(keyword[7:-1])
        if keyword not in _KEYWORDS:
            raise ValueError(f"not a .po line: {raw!r}")
        if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
            entries.append(entry)
            entry = _Entry()
        target = (keyword, index)
        _set(entry, target, _unquote(rest.strip()))
    if entry.msgid is not None:
        entries.append(entry)
    return entries


def _unquote(quoted: str) -> str:
    """The text of a quoted .po string, its C escapes read as Babel reads them."""
    if len(quoted) < 2 or quoted[0] != '"' or quoted[-1] != '"':
        raise ValueError(f"not a quoted .po string: {quoted!r}")
    return _ESCAPE.sub(lambda found: _ESCAPED.get(found[1], found[1]), quoted[1:-1])


def _set(entry: _Entry, target: tuple[str, int], value: str) -> None:
    keyword, index = target
    if keyword == "msgctxt":
        entry.context = value
    elif keyword == "msgid":
        entry.msgid = value
    elif keyword == "msgid_plural":
        entry.plural = value
    else:
        entry.strings[index] = value


def _append(entry: _Entry, target: tuple[str, int], value: str) -> None:
    keyword, index = target
    current = {
        "msgctxt": entry.context,
        "msgid": entry.msgid,
        "msgid_plural": entry.plural,
        "msgstr": entry.strings.get(index),
    }[keyword]
    _set(entry, target, (current or "") + value)


def _mo(messages: dict[bytes, bytes]) -> bytes:
    """The GNU `.mo` image of `messages` (little-endian, no hash table)."""
    keys = sorted(messages)
    count = len(keys)
    ids = strs = b""
    offsets: list[tuple[int, int, int, int]] = []
    for key in keys:
        value = messages[key]
        offsets.append((len(ids), len(key), len(strs), len(value)))
        ids += key + b"\0"
        strs += value + b"\0"
    key_start = 7 * 4 + 16 * count
    value_start = key_start + len(ids)
    table: list[int] = []
    for id_offset, id_length, _, _ in offsets:
        table += [id_length, key_start + id_offset]
    for _, _, str_offset, str_length in offsets:
        table += [str_length, value_start + str_offset]
    header = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    return header + struct.pack(f"<{len(table)}I", *table) + ids + strs


# --- dates -------------------------------------------------------------------------------

_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def format_day(day: date, *, locale: str = DEFAULT_LOCALE, year: bool = True) -> str:
    """A day as people of `locale` write it ("31/12/2025" in vi, "31 Dec 2025" in en; without
    its `year`, "31/12" and "31 Dec")."""
    if isinstance(day, datetime):  # its day is the zone's to say: `instant.astimezone(zone)`
        raise TypeError(f"format_day takes a day, not the instant {day!r}")
    if locale == "en":
        return f"{day.day} {_MONTHS[day.month - 1]}" + (f" {day.year:04d}" if year else "")
    return f"{day.day:02d}/{day.month:02d}" + (f"/{day.year:04d}" if year else "")


def format_clock(moment: time | datetime, *, locale: str = DEFAULT_LOCALE) -> str:
    """A time of day as people of `locale` write it ("07:30" in both vi and en)."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def format_moment(instant: datetime, zone: tzinfo, *, locale: str = DEFAULT_LOCALE) -> str:
    """An instant in the ward's `zone` ("07:30 31/12/2025" in vi, "31 Dec 2025, 07:30" in
    en)."""
    local = instant.astimezone(zone)
    clock = format_clock(local, locale=locale)
    day = format_day(local.date(), locale=locale)
    return f"{day}, {clock}" if locale == "en" else f"{clock} {day}"
