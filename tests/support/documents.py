"""Reading the files dondoc produces back as text, so tests check what people will read."""

import io

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph


def docx_text(content: bytes) -> str:
    """A .docx in reading order: paragraphs as lines, table rows as cells joined by " | " (a
    cell's paragraphs by " / ", a rule as "———")."""
    document = Document(io.BytesIO(content))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
            continue
        assert isinstance(block, Table)
        for row in block.rows:
            cells = [" / ".join(map(_seen, cell.paragraphs)) for cell in row.cells]
            lines.append(" | ".join(cells))
    return "\n".join(lines).rstrip() + "\n"


def _seen(paragraph: Paragraph) -> str:
    """A paragraph's text; an empty one drawn as a rule (a top border) as "———"."""
    if not paragraph.text and paragraph._p.xpath("./w:pPr/w:pBdr/w:top"):
        return "———"
    return paragraph.text.replace("\n", " / ")
