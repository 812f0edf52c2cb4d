"""The progress chart (PNG): each unit's shares by state as stacked bars, and the plan's
completion over time against what was due; sized and lettered to be read on a phone."""

import io
import textwrap
from datetime import date, timedelta
from typing import Final

import matplotlib

matplotlib.use("Agg")  # no display: the chart is drawn on a server

from matplotlib import dates as mdates
from matplotlib import pyplot as plt
from matplotlib.axes import Axes

from locales import N_
from reports.figures import by_unit, completion
from reports.snapshot import Snapshot
from reports.wording import say, show_date, unit_label

MAX_UNITS: Final = 20
_NAME_CHARS: Final = 24
_SERIES: Final = (
    ("on_time", N_("Done on time"), "#2e7d32"),
    ("late", N_("Done late"), "#9ccc65"),
    ("in_progress", N_("In progress"), "#42a5f5"),
    ("not_due", N_("Not yet due"), "#cfd8dc"),
    ("blocked", N_("Blocked"), "#ffa726"),
    ("overdue", N_("Overdue"), "#e53935"),
)


def build_chart(snapshot: Snapshot) -> bytes:
    """The chart of `snapshot` as PNG bytes."""
    t = snapshot.locale
    units = sorted(by_unit(snapshot), key=lambda tally: -tally.assigned)[:MAX_UNITS]
    units.reverse()  # the busiest unit on top
    bars_height = max(4.0, 0.5 * len(units) + 2.0)
    figure = plt.figure(figsize=(8, bars_height + 4.2), dpi=110, layout="constrained")
    try:
        bars, line = figure.subplots(
            2, 1, gridspec_kw={"height_ratios": [bars_height, 3.6]}, squeeze=True
        )
        figure.suptitle(_title(snapshot), fontsize=15, fontweight="bold")
        rows = list(range(len(units)))
        left = [0] * len(units)
        drawn = False
        for key, msgid, colour in _SERIES:
            values = [getattr(tally, key) for tally in units]
            if not any(values):
                continue
            bars.barh(rows, values, left=left, color=colour, label=say(t, msgid), height=0.7)
            left = [a + b for a, b in zip(left, values, strict=True)]
            drawn = True
        bars.set_title(say(t, N_("Tasks by lead unit")), fontsize=14, loc="left")
        bars.set_yticks(rows, [_short(unit_label(t, tally.name)) for tally in units], fontsize=13)
        bars.tick_params(axis="x", labelsize=12)
        bars.xaxis.get_major_locator().set_params(integer=True)
        if drawn:
            bars.legend(fontsize=12, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncols=2)
        bars.grid(axis="x", alpha=0.3)
        _completion(line, snapshot)
        out = io.BytesIO()
        figure.savefig(out, format="png")
    finally:
        plt.close(figure)
    return out.getvalue()


def _title(snapshot: Snapshot) -> str:
    plan = snapshot.plan
    name = plan.number or plan.title or ""
    return say(
        snapshot.locale,
        N_("Plan {plan}: progress as of {date}"),
        plan=name,
        date=show_date(snapshot.today),
    )


def _completion(axes: Axes, snapshot: Snapshot) -> None:
    t = snapshot.locale
    done, due = completion(snapshot)
    today = snapshot.today
    first = min([day for day, _ in (*done, *due)] or [snapshot.period.start])
    first = min(first, snapshot.period.start)
    last = max([today, snapshot.period.end, *(day for day, _ in due)])
    if due:
        axes.step(*_steps(due, first, last), where="post", color="#90a4ae", linestyle="--",
                  linewidth=2, label=say(t, N_("Due by then")))  # fmt: skip
    axes.step(*_steps(done, first, min(today, last)), where="post", color="#2e7d32",
              linewidth=3, label=say(t, N_("Done")))  # fmt: skip
    axes.axvline(_x(today), color="#e53935", linewidth=1, alpha=0.6)
    axes.axvspan(_x(snapshot.period.start), _x(snapshot.period.end), color="#fff59d", alpha=0.35)
    axes.set_ylim(0, 105)
    axes.set_ylabel("%", fontsize=12)
    axes.set_title(say(t, N_("Completion of the plan over time")), fontsize=14, loc="left")
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    every = max(1, -(-months // 5))  # at most about five labels, whole months apart
    axes.xaxis.set_major_locator(mdates.MonthLocator(interval=every))  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))  # type: ignore[no-untyped-call]
    axes.tick_params(labelsize=12)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=12, loc="upper left")


def _x(day: date) -> float:
    """A day as matplotlib's date axis counts it."""
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def _steps(
    points: list[tuple[date, float]], first: date, last: date
) -> tuple[list[float], list[float]]:
    days = [first - timedelta(days=1)]
    values = [0.0]
    for day, value in points:
        if day > last:
            break
        days.append(day)
        values.append(value)
    days.append(last)
    values.append(values[-1])
    return [_x(day) for day in days], values


def _short(name: str) -> str:
    """A unit's name on at most two lines of the axis."""
    lines = textwrap.wrap(name, _NAME_CHARS)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: _NAME_CHARS - 1].rstrip() + "…"]
    return "\n".join(lines)
