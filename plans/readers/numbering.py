"""Word's automatic list numbers ("1.", "a)", "II.", "-"), which the XML leaves to the renderer.

A task table whose STT column is a numbered list holds no number in its cells; the plan as
printed does. `ListLabels` counts the lists in reading order, as Word does when it renders them.
"""

from dataclasses import dataclass
from typing import Any, Final

from plans.roman import roman

_W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL: Final = f"{_W}val"
_LEVELS: Final = 9
_SYMBOL_BULLETS: Final = {
    "\uf0b7": "•",
    "\uf02d": "-",
    "\uf0a7": "▪",
    "\uf0d8": "➢",
    "\uf076": "❖",
}

# lxml ships no type information; its elements are handled as `Any` inside this module only.
_Element = Any


@dataclass(frozen=True, slots=True)
class _Level:
    """One level of a list definition: where it starts, its number format, its label pattern."""

    start: int
    format: str
    text: str


class ListLabels:
    """The label Word renders before each numbered paragraph, counted in reading order."""

    def __init__(self, numbering: _Element | None, styles: _Element | None) -> None:
        abstract: dict[str, dict[int, _Level]] = {}
        self._lists: dict[str, dict[int, _Level]] = {}
        self._styles: dict[str, tuple[str | None, int | None, str | None]] = {}
        self._counters: dict[str, list[int | None]] = {}
        if numbering is not None:
            for definition in numbering.iterchildren(f"{_W}abstractNum"):
                abstract[definition.get(f"{_W}abstractNumId", "")] = _levels(definition)
            for instance in numbering.iterchildren(f"{_W}num"):
                reference = instance.find(f"{_W}abstractNumId")
                levels = dict(
                    abstract.get(reference.get(_VAL, "") if reference is not None else "", {})
                )
                for override in instance.iterchildren(f"{_W}lvlOverride"):
                    level = _int(override.get(f"{_W}ilvl"), 0)
                    start = override.find(f"{_W}startOverride")
                    if start is not None and level in levels:
                        old = levels[level]
                        levels[level] = _Level(_int(start.get(_VAL), 1), old.format, old.text)
                self._lists[instance.get(f"{_W}numId", "")] = levels
        if styles is not None:
            for style in styles.iterchildren(f"{_W}style"):
                numbered = style.find(f"{_W}pPr/{_W}numPr")
                based = style.find(f"{_W}basedOn")
                number, style_level = _number_reference(numbered)
                self._styles[style.get(f"{_W}styleId", "")] = (
                    number,
                    style_level,
                    based.get(_VAL) if based is not None else None,
                )

    @classmethod
    def of(cls, document: Any) -> "ListLabels":
        """The list definitions of a python-docx `Document`."""
        part = document.part
        try:
            numbering = part.numbering_part.element
        except (KeyError, NotImplementedError):
            numbering = None
        return cls(numbering, part.styles.element if part.styles is not None else None)

    def label(self, paragraph: _Element) -> str:
        """The next label of the list `paragraph` belongs to, or "" when it is not numbered."""
        properties = paragraph.find(f"{_W}pPr")
        if properties is None:
            return ""
        number, level = _number_reference(properties.find(f"{_W}numPr"))
        style = properties.find(f"{_W}pStyle")
        if number is None and style is not None:
            number, style_level = self._style_number(style.get(_VAL, ""))
            level = level if level is not None else style_level
        if number is None or number == "0" or number not in self._lists:
            return ""
        return self._next(number, min(level or 0, _LEVELS - 1))

    def _next(self, number: str, level: int) -> str:
        """Count one more paragraph at `level` of list `number` and render its label."""
        levels = self._lists[number]
        definition = levels.get(level)
        if definition is None or definition.format == "none":
            return ""
        if definition.format == "bullet":
            return _SYMBOL_BULLETS.get(definition.text, definition.text)
        counters = self._counters.setdefault(number, [None] * _LEVELS)
        current = counters[level]
        counters[level] = definition.start if current is None else current + 1
        for deeper in range(level + 1, _LEVELS):
            counters[deeper] = None
        text = definition.text
        for index in range(level, -1, -1):
            shown = levels.get(index, _Level(1, "decimal", ""))
            value = counters[index]
            if value is None:
                value = counters[index] = shown.start
            text = text.replace(f"%{index + 1}", _formatted(value, shown.format))
        return text

    def _style_number(self, style_id: str) -> tuple[str | None, int | None]:
        """The list a paragraph style numbers its paragraphs with, through its base styles."""
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            number, level, based = self._styles.get(style_id, (None, None, None))
            if number is not None:
                return number, level
            style_id = based or ""
        return None, None


def _levels(definition: _Element) -> dict[int, _Level]:
    """The levels of a `w:abstractNum`."""
    levels: dict[int, _Level] = {}
    for level in definition.iterchildren(f"{_W}lvl"):
        start = level.find(f"{_W}start")
        number_format = level.find(f"{_W}numFmt")
        text = level.find(f"{_W}lvlText")
        levels[_int(level.get(f"{_W}ilvl"), 0)] = _Level(
            start=_int(start.get(_VAL) if start is not None else None, 1),
            format=number_format.get(_VAL, "decimal") if number_format is not None else "decimal",
            text=text.get(_VAL, "") if text is not None else "",
        )
    return levels


def _number_reference(numbered: _Element | None) -> tuple[str | None, int | None]:
    """The (numId, ilvl) of a `w:numPr`, each None when absent."""
    if numbered is None:
        return None, None
    number = numbered.find(f"{_W}numId")
    level = numbered.find(f"{_W}ilvl")
    return (
        number.get(_VAL) if number is not None else None,
        _int(level.get(_VAL), 0) if level is not None else None,
    )


def _formatted(value: int, number_format: str) -> str:
    """A counter in a Word number format."""
    if number_format in ("upperRoman", "lowerRoman"):
        numeral = roman(value)
        return numeral if number_format == "upperRoman" else numeral.lower()
    if number_format in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if number_format == "upperLetter" else letter.lower()
    if number_format == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _int(text: str | None, default: int) -> int:
    """An integer attribute, or `default` when absent or malformed."""
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
