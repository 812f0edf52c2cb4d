"""The newcomer's path in a real browser (Debian's Chromium through Playwright): `dondoc run` in
an empty folder, the page, a demo officer's reminder, ✅ Xong, the chair's dashboard showing the
task done; an admin importing a plan; a forged form refused. Screenshots go to
docs/screenshots/ (the README shows two of them)."""

import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.needs import missing
from tests.support.ports import free_port

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
# The README shows these; a normal run writes them beside the test's other output instead, so
# running the suite leaves the tree clean. DONDOC_UPDATE_SCREENSHOTS=1 refreshes the README's.
SHOTS = (
    REPO / "docs" / "screenshots"
    if os.environ.get("DONDOC_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "dondoc-screenshots"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEMO_CLOCK = "50000"  # the ward's month in under a minute: some officer is reminded by then
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _chromium() -> str:
    candidates = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
    found = next((path for path in candidates if Path(path).exists()), None)
    if found is None:
        missing(
            "Chromium is missing (/usr/bin/chromium)",
            enable="run scripts/system-deps (Debian's chromium) to enable the end-to-end tests",
        )
    return found


@dataclass
class Served:
    """`dondoc run` as a child process, and what it printed."""

    process: "subprocess.Popen[str]"
    folder: Path
    address: str
    seconds_to_address: float
    lines: list[str] = field(default_factory=list)

    def first_reminded_officer(self, timeout: float) -> str:
        """The name of the first demo officer (not the chair or an admin) whose web chat holds
        a reminder with buttons; read from the database `dondoc run` made."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with closing(
                sqlite3.connect(f"file:{self.folder / 'dondoc.db'}?mode=ro", uri=True)
            ) as db:
                row = db.execute(
                    "SELECT officer.name FROM webmessage JOIN officer"
                    " ON officer.id = webmessage.officer_id"
                    " WHERE officer.role = 'officer' AND webmessage.payload LIKE '%\"done\"%'"
                    " ORDER BY webmessage.id LIMIT 1"
                ).fetchone()
            if row is not None:
                return str(row[0])
            time.sleep(0.5)
        pytest.fail("no demo officer was reminded:\n" + "\n".join(self.lines), pytrace=False)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`dondoc run --demo-clock` in an empty folder, on a free port; stopped after the tests."""
    folder = tmp_path_factory.mktemp("empty-folder")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    environment |= {"DONDOC_WEB_PORT": str(free_port()), "PYTHONUNBUFFERED": "1"}
    dondoc = Path(sys.executable).with_name("dondoc")
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(dondoc), "run", "--demo-clock", DEMO_CLOCK],
        cwd=folder,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if "http://" in line:
                found.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not found.wait(60):
            pytest.fail("dondoc run printed no address:\n" + "\n".join(lines), pytrace=False)
        address = re.search(r"http://\S+/", next(x for x in lines if "http://" in x))
        assert address is not None
        yield Served(process, folder, address.group(0), time.perf_counter() - started, lines)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        reader.join(5)
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Headless Chromium, driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _pick(page: Any, served: Served, who: str) -> None:
    """Open the site and pick the demo person whose button mentions `who`."""
    page.goto(served.address)
    page.locator("button.person", has_text=who).first.click()


def test_a_demo_officer_answers_a_reminder_and_the_chair_sees_it_done(
    served: Served, chromium: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = chromium.new_context(viewport=PHONE, device_scale_factor=2, locale="vi-VN")
    page = phone.new_page()
    opened = time.perf_counter()
    page.goto(served.address)
    page.wait_for_selector("button.person")
    print(  # the figure the issue asks for, in the test log
        f"dondoc run → address printed in {served.seconds_to_address:.1f}s; "
        f"first page in {time.perf_counter() - opened:.2f}s more"
    )
    assert "Demo" in page.content()

    officer = served.first_reminded_officer(timeout=90)
    page.locator("button.person", has_text=officer).click()
    page.wait_for_url("**/chat")
    page.wait_for_selector(".chat[data-live=yes]", timeout=10_000)
    reminder = page.locator(".msg.bot", has=page.locator("input[value=done]")).last
    reminder.wait_for(timeout=10_000)
    done = reminder.locator("form", has=page.locator("input[value=done]"))
    code = re.search(r"\b(\d+)\b", reminder.inner_text())
    assert code is not None
    page.screenshot(path=str(SHOTS / "chat-reminder.png"))

    done.get_by_role("button").first.click()
    page.wait_for_selector(".msg.bot:has-text('hoàn thành')", timeout=15_000)
    page.screenshot(path=str(SHOTS / "chat.png"))
    phone.close()

    desktop = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    board = desktop.new_page()
    _pick(board, served, "Chủ tịch")
    board.wait_for_url("**/dashboard")
    done_count = int(board.locator("#done-count").inner_text())
    assert done_count >= 1
    assert board.locator("td.status-done").count() == done_count
    board.screenshot(path=str(SHOTS / "dashboard.png"), full_page=False)
    board.locator("td.status-done a, tr:has(td.status-done) a").first.click()
    board.wait_for_selector("ol.history")
    assert "báo hoàn thành" in board.inner_text("ol.history")
    desktop.close()


def test_an_admin_uploads_a_plan_and_confirms_it(
    served: Served, chromium: Any, data_dir: Path
) -> None:
    seed = next((data_dir / "seeds").glob("001_*.txt"))
    context = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    _pick(page, served, "quản trị")  # the admin
    page.goto(served.address + "admin/import")

    page.set_input_files("input[type=file]", str(seed))
    page.get_by_role("button", name="Xem trước").click()
    page.wait_for_selector("table.tasks")
    rows = page.locator("table.tasks tbody tr").count()
    page.screenshot(path=str(SHOTS / "import-preview.png"))
    page.get_by_role("button", name="Lưu kế hoạch và giao nhiệm vụ").click()
    page.wait_for_url("**/dashboard")

    assert rows > 0
    assert "Đã lưu kế hoạch." in page.inner_text(".notice")
    context.close()


def test_a_forged_form_post_is_refused(served: Served, chromium: Any) -> None:
    context = chromium.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    _pick(page, served, "Chủ tịch")
    page.wait_for_url("**/dashboard")

    with page.expect_navigation():
        page.evaluate(
            """() => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = "/chat/send";
            const text = document.createElement("input");
            text.name = "text";
            text.value = "/viec";
            form.appendChild(text);
            document.body.appendChild(form);
            HTMLFormElement.prototype.submit.call(form);
        }"""
        )

    assert "Biểu mẫu bị từ chối" in page.content()
    context.close()
