"""A report as a file to hand over: its bytes, its name and its media type, built on demand
(each kind imports its heavy library only when asked for)."""

import re
from dataclasses import dataclass
from enum import StrEnum

from plans.folding import fold
from reports.snapshot import Snapshot


class Kind(StrEnum):
    """The three files a report comes as."""

    WORKBOOK = "xlsx"
    DRAFT = "docx"
    CHART = "png"


MEDIA_TYPES = {
    Kind.WORKBOOK: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Kind.DRAFT: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.CHART: "image/png",
}
_PREFIXES = {Kind.WORKBOOK: "tien-do", Kind.DRAFT: "bao-cao", Kind.CHART: "bieu-do"}


@dataclass(frozen=True, slots=True)
class ReportFile:
    """One built report file."""

    kind: Kind
    name: str
    content: bytes

    @property
    def media_type(self) -> str:
        """What the file is, for a download or an upload."""
        return MEDIA_TYPES[self.kind]


def build_file(kind: Kind, snapshot: Snapshot) -> ReportFile:
    """The report of `snapshot` as a file of `kind`."""
    if kind is Kind.WORKBOOK:
        from reports.workbook import build_workbook

        content = build_workbook(snapshot)
    elif kind is Kind.DRAFT:
        from reports.draft import build_draft

        content = build_draft(snapshot)
    else:
        from reports.chart import build_chart

        content = build_chart(snapshot)
    return ReportFile(kind, file_name(snapshot, kind), content)


def file_name(snapshot: Snapshot, kind: Kind) -> str:
    """ "bao-cao-73-kh-ubnd-2025-Q2.docx": what, which plan, which period (ASCII only)."""
    plan = snapshot.plan
    slug = re.sub(r"[^a-z0-9]+", "-", fold(plan.number or plan.title or "")).strip("-")[:40]
    return f"{_PREFIXES[kind]}-{slug or 'ke-hoach'}-{snapshot.period.code}.{kind.value}"
