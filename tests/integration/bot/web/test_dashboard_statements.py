"""The chair's dashboard reads a bounded number of statements: the same few whatever the
number of plans in the ward and of wards in the database (it used to build a report of every
plan, several statements each, on every load); and a load of a board stored for the ward's
stamp reads two (the browser's session with its officer, the stamp with the stored board)."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Engine, event, text
from sqlmodel import Session, select

from models import Channel, Occurrence, Plan
from services.tracking.extensions import request_extension
from services.tracking.tasks import mark_done, report_blocker
from tests.integration.bot.web.conftest import Browser
from tests.support.clock import FakeClock
from tests.support.ward import Ward

MOST_STATEMENTS = 25
STORED_STATEMENTS = 2


@contextmanager
def _counted(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def _statements(engine: Engine, browser: Browser, *, stored: bool = False) -> int:
    if not stored:  # the board read and rendered, not served from the store
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM boardcache"))
    with _counted(engine) as seen:
        page = await browser.get("/dashboard")
    assert page.status_code == 200
    return len(seen)


def _occurrence(session: Session, task_id: int | None) -> int:
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task_id)).one()
    assert occurrence.id is not None
    return occurrence.id


def _another_plan(ward: Ward, number: str, tasks: int) -> None:
    """A second (third…) plan of the ward, with `tasks` tasks, half of them done."""
    assert ward.org.id is not None
    plan = Plan(
        organization_id=ward.org.id,
        title=f"Kế hoạch {number}",
        number=number,
        years=[2025],
        source_name=f"{number}.txt",
        sha256=number.rjust(64, "0"),
        imported_at=ward.clock.now(),
    )
    ward.session.add(plan)
    ward.session.commit()
    ward.plan = plan
    for n in range(1, tasks + 1):
        task = ward.task(str(n), f"Việc {n} của kế hoạch {number}", due=date(2025, 2, n))
        if n % 2:
            mark_done(
                ward.session,
                ward.clock,
                ward.officer("minh"),
                _occurrence(ward.session, task.id),
                via=Channel.WEB,
            )


async def test_a_load_runs_as_many_statements_with_more_plans_and_wards(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock, engine: Engine
) -> None:
    blocked = ward.task("1", "Sửa nhà văn hoá", unit=ward.dia_chinh, due=date(2025, 6, 30))
    asked = ward.task("2", "Báo cáo quý I", due=date(2025, 3, 31))
    ward.task("3", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    report_blocker(
        session, clock, ward.officer("tuan"), _occurrence(session, blocked.id),
        reason="chưa có kinh phí", via=Channel.TELEGRAM,
    )  # fmt: skip
    request_extension(
        session, clock, ward.officer("minh"), _occurrence(session, asked.id),
        until=date(2025, 4, 20), reason="chờ số liệu", via=Channel.WEB,
    )  # fmt: skip
    await browser.sign_in(ward.chair)
    one_plan = await _statements(engine, browser)

    for number in ("20/KH-UBND", "21/KH-UBND", "22/KH-UBND"):
        _another_plan(ward, number, tasks=8)
    other = Ward.build(session, clock, name="Phường Đông Hải")
    _another_plan(other, "30/KH-UBND", tasks=8)
    four_plans = await _statements(engine, browser)

    await _statements(engine, browser)
    stored = await _statements(engine, browser, stored=True)

    assert one_plan <= MOST_STATEMENTS
    assert four_plans == one_plan, (one_plan, four_plans)
    assert stored <= STORED_STATEMENTS
