"""A `.po` catalogue read into gettext's translations without Babel.

Babel's reader takes a tenth of a second to import and run, paid by every command; this one
reads the few forms dondoc's catalogues use (plain, plural and context messages, multi-line
strings, flags, obsolete entries) and keeps what Babel's `write_mo` keeps: translated messages
that are not fuzzy, an empty plural form falling back to its msgid. A test holds the two equal.
"""

import io
import re
import struct
from dataclasses import dataclass, field
from gettext import GNUTranslations

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
