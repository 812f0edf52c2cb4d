"""Units named in a plan: canonical names, aliases, "@all"/"@related" phrases and matching.

A plan names the same body in several printed forms ("Công chức Văn hóa – xã hội", "CCVHXH",
"CC VHXH", "Phòng Văn hoá - Xã hội" beside "Phòng Văn hóa - Xã hội"). `UnitBook` collects the
units of one import, matches every printed form against what it knows (the organization's units
and their learned aliases first, then the units this plan defined so far) and records each new
printed form as an alias, so that the draft lists one unit per body.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from rapidfuzz import fuzz

from plans.folding import word_key

ALL: Final = "@all"
"""Every unit of the organization ("Các cơ quan, tổ chức, đơn vị thuộc UBND phường")."""
RELATED: Final = "@related"
"""The units concerned, not named ("các CBCC có liên quan")."""

LOCATIVES: Final = ("phường", "xã", "thị trấn")
"""Level words a heading may append to a ward body's name ("Trạm y tế phường")."""


@dataclass(frozen=True, slots=True)
class KnownUnit:
    """A unit the organization already has, with the aliases learned on earlier imports."""

    name: str
    aliases: tuple[str, ...] = ()
    external: bool = False


@dataclass(frozen=True, slots=True)
class DraftUnit:
    """A unit as the draft proposes it: canonical name, other printed forms, outside or not."""

    name: str
    aliases: tuple[str, ...] = ()
    external: bool = False
    is_known: bool = False
    """Already a unit of the organization (not a proposal to review)."""

    def to_json(self) -> dict[str, object]:
        """SCHEMA.md's unit object."""
        return {"name": self.name, "aliases": list(self.aliases), "external": self.external}


_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_PUNCT = re.compile(r"[^\w\s]")

# Well-known names of one body in ward administration: the informal form points at the formal one.
_SYNONYMS: Final = {
    "bo phan 1 cua": "bo phan tiep nhan va tra ket qua",
    "bo phan mot cua": "bo phan tiep nhan va tra ket qua",
}
_ROLE_PREFIXES: Final = ("trưởng phòng ", "phó trưởng phòng ", "trưởng ", "giám đốc ")
_TRAILING_VERBS: Final = ("tham mưu", "phối hợp", "chủ trì", "thực hiện", "(chủ trì)")
_DIRECTIVE = re.compile(r"^\s*theo\s+(sự\s+)?(chỉ\s+đ|kế\s+hoạch|hướng\s+dẫn|quy\s+định)", re.I)
_UPPER_LEVELS = r"(tỉnh|thành phố|[Tt][Pp]\.|huyện|quận|thị xã)"
_EXTERNAL_HEAD = re.compile(
    rf"^(sở|bộ(?!\s+phận)|cục|tổng cục|(ubnd|ủy ban nhân dân|uỷ ban nhân dân) {_UPPER_LEVELS}"
    r"|thành ủy|tỉnh ủy|huyện ủy|thành uỷ|tỉnh uỷ|huyện uỷ)(\s|$)",
    re.IGNORECASE,
)
_EXTERNAL_PLACE = re.compile(  # "… TP. Phổ Yên", "… tỉnh Thái Nguyên", "Công an tỉnh"
    rf"\s{_UPPER_LEVELS}(\s+[A-ZĐÀ-Ỹ]|$)"
)

# "@all" and "@related" phrases: collective nouns, optionally qualified.
_COLLECTIVE = (
    r"(cơ quan|tổ chức|đơn vị|bộ phận|cbcc|cán bộ|công chức|viên chức|phòng ban|ban ngành"
    r"|ban|ngành|đoàn thể|phòng)"
)
_COLLECTIVE_LIST = (
    rf"(thủ trưởng\s+)?(các\s+|toàn thể\s+|tất cả\s+)?{_COLLECTIVE}(\s*,?\s*{_COLLECTIVE})*"
)
_SINGULAR_HEAD = re.compile(r"^(phòng|ban|ngành|đoàn thể)\b", re.IGNORECASE)
_ALL_PHRASE = re.compile(
    rf"^{_COLLECTIVE_LIST}(\s+chuyên môn)?(\s+(thuộc|của)\s+(ubnd|ủy ban nhân dân|uỷ ban nhân dân)"
    rf"(\s+(phường|xã|thị trấn))?|\s+(phường|xã|thị trấn))?$",
    re.I,
)
_RELATED_PHRASE = re.compile(
    rf"^({_COLLECTIVE_LIST}(\s+chuyên môn)?\s+(có\s+)?liên quan"
    rf"|các\s+{_COLLECTIVE}(\s*,?\s*{_COLLECTIVE})*\s+được giao\s+"
    r"(nhiệm vụ|chủ trì|thực hiện)\b.*)$",
    re.I,
)


def tidy(text: str) -> str:
    """The printed form kept in the draft: NFC, whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def special(text: str) -> str | None:
    """`ALL` or `RELATED` when `text` names the units collectively, else None."""
    phrase = tidy(text).rstrip(".;:")
    if _SINGULAR_HEAD.match(phrase):
        return None  # "Phòng …", "Ban …" name one body; only "các phòng, ban" are collective
    if _RELATED_PHRASE.match(phrase):
        return RELATED
    if _ALL_PHRASE.match(phrase):
        return ALL
    return None


def is_directive(text: str) -> bool:
    """Whether a cell gives a direction instead of a unit ("Theo chỉ đạo của thành phố")."""
    return bool(_DIRECTIVE.match(text))


def strip_locative(name: str) -> str:
    """`name` without a trailing level word ("Trạm y tế phường" -> "Trạm y tế")."""
    text = tidy(name).rstrip(":").strip()
    for word in LOCATIVES:
        if text.casefold().endswith(" " + word) and len(text) > len(word) + 1:
            return text[: -len(word) - 1].rstrip(" ,")
    return text


def strip_role(name: str) -> str:
    """The body a head-of role names ("Trưởng phòng Văn hóa - Xã hội" -> "Phòng Văn hóa - …")."""
    text = tidy(name)
    lowered = text.casefold()
    for prefix in _ROLE_PREFIXES:
        if lowered.startswith(prefix):
            rest = text[len(prefix) :]
            if prefix.endswith("phòng "):
                return "Phòng " + rest
            return rest[:1].upper() + rest[1:]
    return text


def strip_trailing_verbs(text: str) -> str:
    """A lead cell without the verbs that wrapped into it ("… Xã hội tham mưu phối hợp")."""
    result = tidy(text)
    changed = True
    while changed:
        changed = False
        for verb in _TRAILING_VERBS:
            if result.casefold().endswith(" " + verb):
                result = result[: -len(verb) - 1].rstrip(" ,")
                changed = True
    return result


def looks_external(name: str) -> bool:
    """Whether a name is an outside body by its own words (a department, a city office)."""
    text = tidy(name)
    return bool(_EXTERNAL_HEAD.match(text) or _EXTERNAL_PLACE.search(text))


def initials(name: str) -> str:
    """Upper-case initials of a name's words ("Trung tâm Phục vụ hành chính công" -> "TTPVHCC")."""
    words = [w for w in re.split(r"[\s\-–,&]+", tidy(name)) if w and w[0].isalnum()]
    return "".join(w[0] for w in words).upper()


def _abbreviates(short: str, name: str) -> bool:
    """Whether `short` ("CC Tư pháp-HT", "CCVHXH") abbreviates all the words of `name`."""
    parts = [p for p in re.split(r"[\s\-–,&]+", tidy(short)) if p]
    words = [w for w in re.split(r"[\s\-–,&]+", tidy(name)) if w]
    folded_words = [word_key(w) for w in words]
    if not parts or not any(p.isupper() and len(p) > 1 for p in parts):
        return False

    def consume(pi: int, wi: int) -> bool:
        if pi == len(parts):
            return wi == len(words)
        part = parts[pi]
        if wi < len(words) and word_key(part) == folded_words[wi]:
            return consume(pi + 1, wi + 1)
        if part.isupper():
            letters = word_key(part).replace(" ", "")
            end = wi + len(letters)
            if end <= len(words) and all(
                folded_words[wi + k].startswith(letters[k]) for k in range(len(letters))
            ):
                return consume(pi + 1, end)
        return False

    return consume(0, 0)


def _tokens(text: str) -> list[str]:
    words = word_key(text).split()
    while words and words[-1] in ("phuong", "xa"):
        words.pop()
    return words


def _has_initialism(text: str) -> bool:
    return any(len(word) > 1 and word.isupper() for word in re.split(r"[\s\-–,&]+", text))


@lru_cache(maxsize=16384)
def same_unit(printed: str, name: str) -> bool:
    """Whether `printed` names the body called `name` (spelling, order, abbreviation, typo)."""
    a, b = _tokens(printed), _tokens(name)
    if not a or not b:
        return False
    if a == b or sorted(a) == sorted(b):
        return True
    if not set(a) & set(b) and not _has_initialism(printed) and not _has_initialism(name):
        return False  # no word in common and nothing abbreviated: not worth the slow checks
    key_a, key_b = " ".join(a), " ".join(b)
    if _SYNONYMS.get(key_a, key_a) == _SYNONYMS.get(key_b, key_b):
        return True
    if _abbreviates(printed, name) or _abbreviates(strip_locative(printed), strip_locative(name)):
        return True
    set_a, set_b = set(a), set(b)
    small, large = (set_a, set_b) if len(set_a) <= len(set_b) else (set_b, set_a)
    if small < large and len(large - small) == 1 and len(small) >= 3 and a[0] == b[0]:
        return True
    return len(key_a) > 12 and fuzz.ratio(key_a, key_b) >= 92


@dataclass(slots=True)
class _Entry:
    """One unit while the book is being filled, its other printed forms kept in three groups.

    Aliases are listed in that order: the forms that are the name itself (learned aliases, the
    heading with its level word), then forms met in cells and text, then head-of-role forms
    ("Trưởng phòng …"), which name the unit only through its head.
    """

    name: str
    external: bool
    is_known: bool
    own_forms: list[str] = field(default_factory=list)
    met_forms: list[str] = field(default_factory=list)
    role_forms: list[str] = field(default_factory=list)

    def forms(self) -> Iterable[str]:
        yield self.name
        yield from self.own_forms
        yield from self.met_forms
        yield from self.role_forms

    def aliases(self) -> tuple[str, ...]:
        seen = {self.name}
        result: list[str] = []
        for form in (*self.own_forms, *self.met_forms, *self.role_forms):
            if form not in seen:
                seen.add(form)
                result.append(form)
        return tuple(result)


class UnitBook:
    """The units of one import: the organization's known units first, then the plan's own."""

    def __init__(self, known_units: Sequence[KnownUnit] = ()) -> None:
        self._entries: list[_Entry] = []
        for unit in known_units:
            entry = _Entry(tidy(unit.name), unit.external, True)
            entry.own_forms.extend(tidy(alias) for alias in unit.aliases)
            self._entries.append(entry)

    def find(self, printed: str) -> str | None:
        """The canonical name `printed` refers to, or None when no unit matches."""
        entry = self._entry(printed)
        return entry.name if entry is not None else None

    def _entry(self, printed: str) -> _Entry | None:
        text = tidy(printed)
        key = word_key(text)
        for entry in self._entries:
            if any(word_key(form) == key for form in entry.forms()):
                return entry
        for entry in self._entries:
            if any(same_unit(text, form) for form in entry.forms()):
                return entry
        return None

    def define(
        self,
        name: str,
        *,
        heading_forms: Sequence[str] = (),
        role_forms: Sequence[str] = (),
        external: bool = False,
    ) -> str:
        """Add a unit the plan names in its own words (or merge into the one it matches)."""
        entry = self._entry(name)
        if entry is None:
            entry = _Entry(tidy(name), external, False)
            self._entries.append(entry)
        elif tidy(name) != entry.name:
            entry.own_forms.append(tidy(name))  # the plan's own form of a unit already known
        entry.own_forms.extend(tidy(form) for form in heading_forms)
        entry.role_forms.extend(tidy(form) for form in role_forms)
        return entry.name

    def mention(self, printed: str, *, external: bool | None = None) -> str:
        """A printed form met in a cell: its canonical name, creating a proposed unit if new."""
        text = tidy(printed)
        entry = self._entry(text)
        if entry is None:
            is_outside = looks_external(text) if external is None else external
            entry = _Entry(text, is_outside, False)
            self._entries.append(entry)
            return entry.name
        if word_key(text) in _SYNONYMS.values() and word_key(entry.name) in _SYNONYMS:
            entry.met_forms.insert(0, entry.name)  # the formal name wins over the informal one
            entry.name = text
        elif text != entry.name:
            entry.met_forms.append(text)
        return entry.name

    def add_alias(self, name: str, alias: str) -> None:
        """Record another printed form of the unit called `name`."""
        for entry in self._entries:
            if entry.name == name:
                entry.met_forms.append(tidy(alias))
                return

    def rename(self, name: str, new_name: str) -> None:
        """Make `new_name` the canonical name of the unit called `name`."""
        for entry in self._entries:
            if entry.name == name:
                entry.name = tidy(new_name)
                entry.own_forms = [form for form in entry.own_forms if form != entry.name]
                return

    def is_known(self, name: str) -> bool:
        """Whether the unit called `name` is one the organization already has."""
        return any(entry.is_known for entry in self._entries if entry.name == name)

    def entries(self) -> list[tuple[str, bool]]:
        """(name, external) of every unit, known ones included, in order of definition."""
        return [(entry.name, entry.external) for entry in self._entries]

    def set_external(self, name: str, *, external: bool) -> None:
        """Mark the unit called `name` as an outside body or not."""
        for entry in self._entries:
            if entry.name == name:
                entry.external = external

    def units(self) -> list[DraftUnit]:
        """Every unit as the draft lists it."""
        return [
            DraftUnit(entry.name, entry.aliases(), entry.external, entry.is_known)
            for entry in self._entries
        ]


def split_units(text: str, book: UnitBook) -> list[str]:
    """The printed unit names of a cell ("Phòng Nội vụ, các CBCC có liên quan" -> two parts).

    Commas also separate words inside one name ("Phòng Kinh tế, Hạ tầng và Đô thị", "Cán bộ,
    công chức phường"), so the longest run of pieces that is a known unit or a collective phrase
    is taken first.
    """
    text = tidy(text).rstrip(".;")
    if not text:
        return []
    pieces = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    separators = re.findall(r"[,;]\s*", text)
    parts: list[str] = []
    start = 0
    while start < len(pieces):
        taken = 0
        for end in range(len(pieces), start + 1, -1):
            candidate = _join(pieces, separators, start, end)
            if special(candidate) or book.find(candidate) is not None:
                taken = end - start
                break
        if not taken:
            taken = 1
            while start + taken < len(pieces) and not starts_unit(pieces[start + taken]):
                taken += 1  # "Phòng Kinh tế, Hạ tầng và Đô thị", "Tài chính, kế toán": one name
        parts.append(_join(pieces, separators, start, start + taken))
        start += taken
    return parts


_UNIT_HEADS: Final = (
    "các",
    "cac",
    "phòng",
    "công chức",
    "cc",
    "cán bộ",
    "ban",
    "văn phòng",
    "bộ phận",
    "trạm",
    "trung tâm",
    "ubnd",
    "ủy ban",
    "uỷ ban",
    "đảng ủy",
    "đảng uỷ",
    "lãnh đạo",
    "hội",
    "đoàn",
    "công an",
    "quân sự",
    "tổ",
    "trường",
    "thường trực",
    "chủ tịch",
    "mặt trận",
    "sở",
    "đài",
)


def starts_unit(piece: str) -> bool:
    """Whether a comma-separated piece begins a new unit rather than continuing a name."""
    first = piece.split()[0] if piece.split() else ""
    if special(piece) or (len(first) > 1 and first.isupper()):
        return True
    lowered = piece.casefold()
    return any(lowered == head or lowered.startswith(head + " ") for head in _UNIT_HEADS)


def _join(pieces: list[str], separators: list[str], start: int, end: int) -> str:
    text = pieces[start]
    for index in range(start + 1, end):
        separator = separators[index - 1] if index - 1 < len(separators) else ", "
        text += separator.strip() + " " + pieces[index]
    return text


def resolve(text: str | None, book: UnitBook) -> list[str]:
    """The canonical units (or `ALL`, `RELATED`) a lead or coordinator cell names."""
    if not text or is_directive(text):
        return []
    whole = special(text)
    if whole is not None:
        return [whole]
    result: list[str] = []
    for part in split_units(text, book):
        found = special(part) or book.mention(strip_trailing_verbs(part))
        if found not in result:
            result.append(found)
    return result
