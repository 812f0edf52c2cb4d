"""Reports of a 1,000-task plan with 20 lead units: the workbook, the draft and the chart built
from a snapshot, and `dondoc report` run cold on a SQLite database holding that plan.

Goals: workbook <= 1 s, draft <= 1 s, chart <= 1 s (each from the snapshot, best of N);
`dondoc report` cold <= 2.5 s (a fresh process: imports, database, snapshot, file). CPU time is
printed beside wall time: on a shared machine the wall clock also measures the neighbours.
`--quick` runs each once.
"""

import functools
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name, reports.py, would
# hide the `reports` package: the repository root goes first instead.
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:1] = [str(REPO_ROOT)]

TASKS = 1000
UNITS = 20
GOAL_BUILD = 1.0
GOAL_CLI = 2.5


def _units() -> list[str]:
    return [f"Công chức đơn vị số {index + 1}" for index in range(UNITS)]


def snapshot() -> "object":
    """A made-up plan: 1,000 tasks in 20 sections, one to three lead units each."""
    from reports.period import parse_period
    from reports.snapshot import PlanFacts, Remarks, ShareFacts, Snapshot, TaskFacts

    rng = random.Random(15)
    names = _units()
    tasks = []
    for index in range(TASKS):
        due = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
        shares = []
        for unit in rng.sample(names, rng.choice((1, 1, 1, 2, 3))):
            status = rng.choice(("open", "done", "done", "blocked"))
            done_on = due + timedelta(days=rng.randrange(-20, 20)) if status == "done" else None
            shares.append(ShareFacts(unit, status, done_on=done_on, progress=rng.choice((0, 50))))
        status = "done" if all(s.status == "done" for s in shares) else "open"
        tasks.append(
            TaskFacts(
                code=f"{index // 50 + 1}.{index % 50 + 1}",
                title="Rà soát, đánh giá, công bố thủ tục hành chính thuộc thẩm quyền " * 2,
                status=status,
                section=f"{index // 50 + 1}. Lĩnh vực số {index // 50 + 1}",
                lead_text=", ".join(share.unit for share in shares),
                deadline_text="Quý II/2025",
                due=due,
                done_on=max((s.done_on for s in shares if s.done_on), default=None),
                shares=tuple(shares),
                remarks=Remarks(progress_note="Đã hoàn thành 50% khối lượng"),
            )
        )
    return Snapshot(
        plan=PlanFacts(
            "Phường Bắc Sơn", "Kế hoạch năm 2025", "73/KH-UBND", date(2024, 12, 24), None
        ),
        period=parse_period("2025-Q2"),
        today=date(2025, 6, 20),
        tasks=tuple(tasks),
        members=tuple((unit, (f"Cán bộ {i}",)) for i, unit in enumerate(names)),
    )


def _best(build: Callable[[], bytes], runs: int) -> tuple[float, float, int]:
    """Best wall and CPU seconds over `runs`, and the size of what was built."""
    walls, cpus, size = [], [], 0
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(build())
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), size


def _database(path: Path) -> None:
    """A SQLite database holding the 1,000-task plan, migrated by the real revisions."""
    from sqlmodel import Session

    from models import (
        AssignmentRole,
        Occurrence,
        Organization,
        Plan,
        Task,
        TaskAssignment,
        TaskStatus,
        Unit,
    )
    from models.db import make_engine
    from models.migrate import upgrade

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    rng = random.Random(15)
    now = datetime(2025, 6, 20, tzinfo=UTC)
    with Session(engine) as session:
        org = Organization(name="Phường Bắc Sơn", created_at=now)
        session.add(org)
        session.flush()
        assert org.id is not None
        units = [Unit(organization_id=org.id, name=name) for name in _units()]
        plan = Plan(
            organization_id=org.id, title="Kế hoạch năm 2025", number="73/KH-UBND",
            source_name="bench.txt", sha256="b" * 64, imported_at=now,
        )  # fmt: skip
        session.add_all([*units, plan])
        session.flush()
        assert plan.id is not None
        for index in range(TASKS):
            due = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
            done = rng.random() < 0.5
            task = Task(
                plan_id=plan.id, code=f"{index // 50 + 1}.{index % 50 + 1}", position=index,
                section=f"{index // 50 + 1}. Lĩnh vực số {index // 50 + 1}",
                title="Rà soát, đánh giá thủ tục hành chính", deadline_text="Quý II/2025",
                due=due, status=TaskStatus.DONE if done else TaskStatus.OPEN,
            )  # fmt: skip
            session.add(task)
            session.flush()
            assert task.id is not None
            session.add(
                Occurrence(
                    task_id=task.id, due=due,
                    status=TaskStatus.DONE if done else TaskStatus.OPEN,
                    done_at=datetime.combine(due, datetime.min.time(), UTC) if done else None,
                )
            )  # fmt: skip
            for unit in rng.sample(units, rng.choice((1, 1, 2))):
                session.add(
                    TaskAssignment(task_id=task.id, unit_id=unit.id, role=AssignmentRole.LEAD)
                )
        session.commit()
    engine.dispose()


def _cold_cli(database: Path, out: Path, runs: int) -> tuple[float, float]:
    """Best wall seconds of `dondoc report 73 --as xlsx` and its children's CPU seconds."""
    dondoc = Path(sys.executable).with_name("dondoc")
    command = [str(dondoc), "report", "73", "--as", "xlsx", "--period", "2025-Q2"]
    env = {**os.environ, "DONDOC_DATABASE_URL": f"sqlite:///{database}"}
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([*command, "--out", str(out)], check=True, env=env, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def main() -> None:
    """Print the figures."""
    runs = 1 if "--quick" in sys.argv else 3
    from reports.chart import build_chart
    from reports.draft import build_draft
    from reports.snapshot import Snapshot
    from reports.workbook import build_workbook

    made = snapshot()
    assert isinstance(made, Snapshot)
    shares = sum(len(task.shares) for task in made.tasks)
    print(f"plan: {TASKS} tasks, {UNITS} units, {shares} lead shares; best of {runs}")
    for name, build in (
        ("workbook", build_workbook),
        ("draft", build_draft),
        ("chart", build_chart),
    ):
        wall, cpu, size = _best(functools.partial(build, made), runs)
        verdict = (
            "met" if wall <= GOAL_BUILD else ("met in CPU time" if cpu <= GOAL_BUILD else "MISSED")
        )
        print(
            f"{name:9} {wall * 1000:6.0f} ms wall, {cpu * 1000:6.0f} ms CPU,"
            f" {size / 1024:5.0f} KiB; goal <= {GOAL_BUILD:.1f} s: {verdict}"
        )
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.db"
        _database(database)
        wall, cpu = _cold_cli(database, Path(folder) / "out.xlsx", runs)
    verdict = "met" if wall <= GOAL_CLI else ("met in CPU time" if cpu <= GOAL_CLI else "MISSED")
    print(
        f"dondoc report (cold) {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU;"
        f" goal <= {GOAL_CLI:.1f} s: {verdict}"
    )
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
