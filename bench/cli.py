"""Every command quick: the wall and CPU time of each CLI command that touches the database (a
fresh process each, median of `--runs`) on the demo ward, and with `--idle-run` the memory of an
idle `dondoc run`.

Goals: each command <= 0.6 s on an idle machine; `dondoc run` idle <= 150 MB RSS. The load
average is printed beside the figures: on a busy machine the wall times say little, and the CPU
time each process used (user + system) is closer to what an idle machine's wall time would be.
Run: .venv/bin/python bench/cli.py [--runs 5] [--database-url URL] [--idle-run]
(default: a SQLite file in a temporary folder).
"""

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

DONDOC = Path(sys.executable).with_name("dondoc")
UNIT = "Tổ bench"
SETUP: tuple[tuple[str, ...], ...] = (
    ("units", "add", UNIT),
    ("officers", "add", "--name", "Lê Thu Hà", "--unit", UNIT, "--role", "admin"),
)
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("org", "list"),
    ("units", "list"),
    ("officers", "list"),
    ("tasks", "list"),
    ("tasks", "list", "--status", "overdue", "--json"),
    ("tasks", "add", "Việc thử", "--unit", UNIT, "--due", "trước 15/12"),
    ("outbox", "list"),
    ("policy", "show"),
    ("calendar", "show", "2026"),
    ("db", "upgrade"),
)
COMMAND_GOAL = 0.6
IDLE_GOAL_MB = 150.0
IDLE_SECONDS = 5.0


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(arguments: tuple[str, ...], environment: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh `dondoc` process."""
    started, cpu = time.perf_counter(), _cpu()
    subprocess.run(
        [str(DONDOC), *arguments],
        check=True,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started, _cpu() - cpu


def compile_bytecode() -> None:
    """Write the bytecode of dondoc's packages, as installing it does (pip compiles them): each
    command then starts as an installed dondoc would, whether or not this shell lets Python
    write its caches (PYTHONDONTWRITEBYTECODE), instead of compiling what changed on every run."""
    import compileall

    for package in ("bot", "dondoc", "jobs", "locales", "models", "plans", "reports", "services"):
        compileall.compile_dir(REPO_ROOT / package, quiet=1)


def _load_demo(url: str) -> None:
    """The demo ward (its plan, units, people and story) in the database at `url`."""
    from dondoc.app import open_database, session_scope
    from dondoc.settings import Settings
    from services.clock import SystemClock
    from services.importing.demo import load_demo_ward

    settings = Settings(database_url=url)
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            load_demo_ward(session, SystemClock(settings.zone))
    finally:
        engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def idle_run(environment: dict[str, str], folder: Path) -> tuple[float, float]:
    """Start `dondoc run`, wait until it serves a page, leave it idle; its RSS (MB) then, and
    how long it took to serve."""
    port = _free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(DONDOC), "run"],
        cwd=folder,
        env={**environment, "DONDOC_WEB_PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(1200):
            if process.poll() is not None:
                raise RuntimeError("dondoc run stopped")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        serving = time.perf_counter() - started
        time.sleep(IDLE_SECONDS)
        return _rss_mb(process.pid), serving
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    parser.add_argument("--idle-run", action="store_true", help="also an idle dondoc run's RSS")
    options = parser.parse_args()
    compile_bytecode()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = options.database_url or f"sqlite:///{folder / 'bench.db'}"
        environment = {**os.environ, "DONDOC_DATABASE_URL": url, "DONDOC_LOCALE": "vi"}
        _load_demo(url)
        for arguments in SETUP:
            _run(arguments, environment)
        load = os.getloadavg()
        print(
            f"CLI commands on {url.split(':', 1)[0]} (the demo ward), median of {options.runs} "
            f"fresh processes (load average {load[0]:.1f} {load[1]:.1f} on {os.cpu_count()} CPUs)"
        )
        worst = worst_cpu = 0.0
        for arguments in COMMANDS:
            runs = [_run(arguments, environment) for _ in range(options.runs)]
            wall = statistics.median(run[0] for run in runs)
            cpu = statistics.median(run[1] for run in runs)
            if arguments != ("--help",):
                worst, worst_cpu = max(worst, wall), max(worst_cpu, cpu)
            print(
                f"   dondoc {' '.join(arguments):<48} {wall * 1000:6.0f} ms wall"
                f" {cpu * 1000:6.0f} ms CPU"
            )
        verdict = "meets" if worst <= COMMAND_GOAL else "MISSES"
        print(
            f"cli: slowest database command {worst * 1000:.0f} ms wall ({verdict} the goal of "
            f"<= {COMMAND_GOAL} s), {worst_cpu * 1000:.0f} ms CPU; load average "
            f"{os.getloadavg()[0]:.1f}"
        )
        if options.idle_run:
            rss, serving = idle_run(environment, folder)
            verdict = "meets" if rss <= IDLE_GOAL_MB else "MISSES"
            print(
                f"dondoc run: serving after {serving:.1f} s; idle {IDLE_SECONDS:.0f} s later "
                f"{rss:.0f} MB RSS ({verdict} the goal of <= {IDLE_GOAL_MB:.0f} MB)"
            )


if __name__ == "__main__":
    main()
