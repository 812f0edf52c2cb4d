"""scripts/venv, scripts/test and scripts/system-deps as a newcomer meets them: one clear line
about the Python version, a broken or stale .venv rebuilt, no system package installed unasked.
`python3` and the .venv's python are small fakes that record what they are asked."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

FAKE_PYTHON = """#!/usr/bin/env bash
# A Python {version}: answers the version check, records pip installs, makes venvs.
echo "$0 $*" >>"{log}"
case "$1" in
  -c) [ "{recent}" = yes ] ;;
  --version) echo "Python {version}" ;;
  -m)
    if [ "$2" = venv ]; then
      mkdir -p "$3/bin" && cp "{venv_python}" "$3/bin/python" && chmod +x "$3/bin/python"
    fi ;;
esac
"""


def _fake(path: Path, *, version: str, log: Path, venv_python: Path | None = None) -> Path:
    recent = "yes" if tuple(int(x) for x in version.split(".")[:2]) >= (3, 11) else "no"
    path.write_text(
        FAKE_PYTHON.format(version=version, log=log, recent=recent, venv_python=venv_python or "")
    )
    path.chmod(0o755)
    return path


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A checkout with scripts/venv and a pyproject.toml, and a PATH holding only fakes."""
    root = tmp_path / "dondoc"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "venv", root / "scripts" / "venv")
    (root / "pyproject.toml").write_text('[project]\nname = "dondoc"\n')
    (tmp_path / "bin").mkdir()
    for tool in (
        "bash",
        "cat",
        "cut",
        "sha256sum",
        "rm",
        "mkdir",
        "cp",
        "chmod",
        "env",
        "dirname",
    ):
        found = shutil.which(tool)
        assert found is not None
        (tmp_path / "bin" / tool).symlink_to(found)
    return root


def _venv(root: Path, *extras: str) -> "subprocess.CompletedProcess[str]":
    environment = {"PATH": str(root.parent / "bin"), "HOME": str(root.parent)}
    return subprocess.run(
        [str(root / "scripts" / "venv"), *extras],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )


def test_an_old_python_gets_one_clear_line(checkout: Path) -> None:
    log = checkout.parent / "calls.log"
    _fake(checkout.parent / "bin" / "python3", version="3.10.12", log=log)

    result = _venv(checkout)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "dondoc needs Python 3.11 or newer (found: Python 3.10.12); install one, or name it in "
        "DONDOC_PYTHON."
    ]
    assert not (checkout / ".venv").exists()


def test_a_venv_of_an_old_python_is_rebuilt_with_a_recent_one(checkout: Path) -> None:
    log = checkout.parent / "calls.log"
    venv_python = _fake(checkout.parent / "venv-python", version="3.11.7", log=log)
    _fake(checkout.parent / "bin" / "python3", version="3.11.7", log=log, venv_python=venv_python)
    (checkout / ".venv" / "bin").mkdir(parents=True)
    _fake(checkout / ".venv" / "bin" / "python", version="3.10.12", log=log)

    result = _venv(checkout)

    assert result.returncode == 0, result.stderr
    calls = log.read_text()
    assert "python3 -m venv .venv" in calls
    assert "-m pip install --quiet -e ." in calls
    assert (checkout / ".venv" / ".dondoc-installed").exists()


def test_a_venv_is_reinstalled_when_pyproject_changes_and_left_alone_otherwise(
    checkout: Path,
) -> None:
    log = checkout.parent / "calls.log"
    venv_python = _fake(checkout.parent / "venv-python", version="3.11.7", log=log)
    _fake(checkout.parent / "bin" / "python3", version="3.11.7", log=log, venv_python=venv_python)
    assert _venv(checkout, "dev").returncode == 0
    log.write_text("")

    assert _venv(checkout, "dev").returncode == 0
    assert _venv(checkout).returncode == 0  # what dev installed is enough to run
    assert "pip install" not in log.read_text()

    with (checkout / "pyproject.toml").open("a") as pyproject:
        pyproject.write("dependencies = []\n")
    assert _venv(checkout, "dev").returncode == 0
    assert "-m pip install --quiet -e .[dev]" in log.read_text()


def test_an_unfinished_install_is_done_again(checkout: Path) -> None:
    log = checkout.parent / "calls.log"
    venv_python = _fake(checkout.parent / "venv-python", version="3.11.7", log=log)
    _fake(checkout.parent / "bin" / "python3", version="3.11.7", log=log, venv_python=venv_python)
    assert _venv(checkout).returncode == 0
    (checkout / ".venv" / ".dondoc-installed").unlink()  # as a failed or interrupted install
    log.write_text("")

    result = _venv(checkout)

    assert result.returncode == 0
    assert "-m pip install --quiet -e ." in log.read_text()
    assert "did not finish" in result.stderr


def test_the_test_command_installs_no_system_package() -> None:
    commands = [
        line
        for line in (REPO / "scripts" / "test").read_text().splitlines()
        if not line.lstrip().startswith("#")
    ]
    assert not [line for line in commands if "system-deps" in line or "apt" in line]


def test_system_packages_come_without_recommends_and_only_from_ci() -> None:
    installs = [
        line
        for line in (REPO / "scripts" / "system-deps").read_text().splitlines()
        if "apt-get install" in line
    ]
    assert installs
    assert all("--no-install-recommends" in line for line in installs)
    assert "scripts/system-deps" in (REPO / ".ci" / "run").read_text()
    assert os.access(REPO / "scripts" / "system-deps", os.X_OK)
