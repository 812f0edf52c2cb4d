"""What a fuzz run did, counted across its tests and summed up in one line."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass


@dataclass(slots=True)
class Tally:
    """Cases run and how they ended."""

    texts: int = 0
    files: int = 0
    imported: int = 0
    refused: int = 0
    crashes: int = 0
    over_budget: int = 0
    partial: int = 0
    worst_seconds: float = 0.0
    worst_peak_bytes: int = 0

    def accepted(self, seconds: float, peak_bytes: int) -> None:
        """A file imported: keep the worst time and memory."""
        self.imported += 1
        self.worst_seconds = max(self.worst_seconds, seconds)
        self.worst_peak_bytes = max(self.worst_peak_bytes, peak_bytes)

    def as_dict(self) -> dict[str, float]:
        """The figures, to pass from a test worker (pytest-xdist) to the run's controller."""
        return asdict(self)

    def add(self, other: Mapping[str, float]) -> None:
        """Count in another worker's figures: cases summed, the worst kept."""
        for name, value in other.items():
            if name.startswith("worst_"):
                setattr(self, name, max(getattr(self, name), value))
            else:
                setattr(self, name, getattr(self, name) + value)

    def summary(self) -> str:
        """One line of figures."""
        return (
            f"fuzz: {self.texts} texts, {self.files} files ({self.imported} imported, "
            f"{self.refused} refused), crashes {self.crashes}, over budget {self.over_budget}, "
            f"partial imports {self.partial}; worst accepted file {self.worst_seconds:.2f} s, "
            f"{self.worst_peak_bytes / 2**20:.0f} MB"
        )


TALLY = Tally()
