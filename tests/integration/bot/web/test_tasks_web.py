"""Tasks one at a time on the web: the chair gives a task with a deadline phrase (shown back
first), sees which units are done, re-dates, cancels and reopens it; an officer can do none of
it; tasks without a lead are listed on the dashboard until assigned."""

from datetime import date, datetime

from sqlmodel import Session, col, select

from models import (
    AssignmentRole,
    Channel,
    EventKind,
    Occurrence,
    Outbox,
    Plan,
    Task,
    TaskAssignment,
    TaskEvent,
    TaskStatus,
    Unit,
)
from services.clock import local_now
from services.tracking.handmade import assign, give_task, redate
from services.tracking.task_list import find_task
from services.tracking.tasks import mark_done
from services.tracking.typed_deadlines import read_deadline
from tests.integration.bot.web.conftest import Browser
from tests.support.clock import HCM, FakeClock
from tests.support.ward import Ward


async def test_the_chair_gives_redates_cancels_and_reopens_a_task(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    await browser.sign_in(ward.chair)
    form: dict[str, str | list[str]] = {
        "title": "Rà soát thủ tục hành chính",
        "units": [ward.vhxh.name, ward.dia_chinh.name],
        "due": "trước 15/3",
    }
    shown = await browser.post("/tasks/new", form)
    assert "14/03/2025" in shown.text  # the date is shown back before anything is stored
    assert session.exec(select(Task)).all() == []
    stored = await browser.post("/tasks/new", {**form, "confirm": "1", "shown": "2025-03-14"})
    task = find_task(session, ward.chair, "V1")
    assert stored.headers["location"] == f"/tasks/{task.id}"
    assert (task.due, task.status) == (date(2025, 3, 14), TaskStatus.OPEN)
    assert session.get_one(Plan, task.plan_id).manual

    await browser.post(f"/tasks/{task.id}/done", {"unit": ward.dia_chinh.name})
    page = await browser.get(f"/tasks/{task.id}")
    assert "1/2 đơn vị đã xong" in page.text
    assert ward.vhxh.name in page.text.split("còn lại")[1].split("</p>")[0]

    redated: dict[str, str | list[str]] = {
        "due": "Quý II/2025",
        "confirm": "1",
        "shown": "2025-06-30",
    }
    await browser.post(f"/tasks/{task.id}/due", redated)
    await browser.post(f"/tasks/{task.id}/cancel", {"reason": "Trùng việc"})
    session.expire_all()
    assert session.get_one(Task, task.id).status is TaskStatus.CANCELLED
    await browser.post(f"/tasks/{task.id}/reopen", {})
    session.expire_all()
    reopened = session.get_one(Task, task.id)
    assert (reopened.status, reopened.due) == (TaskStatus.OPEN, date(2025, 6, 30))
    kinds = [
        e.kind
        for e in session.exec(
            select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(col(TaskEvent.id))
        )
    ]
    assert kinds == [
        EventKind.CREATED,
        EventKind.DONE,
        EventKind.UPDATED,
        EventKind.CANCELLED,
        EventKind.REOPENED,
    ]
    told = {row.officer_id for row in session.exec(select(Outbox))}
    assert {ward.officer("minh").id, ward.officer("tuan").id} <= told


async def test_an_officer_can_change_no_task(
    browser: Browser, ward: Ward, session: Session
) -> None:
    task = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 3, 10))
    await browser.sign_in(ward.officer("minh"))
    page = await browser.get(f"/tasks/{task.id}")
    assert page.status_code == 200
    assert "/cancel" not in page.text  # no forms to change it
    await browser.post("/tasks/new", {"title": "Việc", "units": [ward.vhxh.name]})
    await browser.post(f"/tasks/{task.id}/cancel", {"reason": "không cần"})
    await browser.post(f"/tasks/{task.id}/due", {"due": "31/3", "confirm": "1"})
    await browser.post(f"/tasks/{task.id}/assign", {"units": [ward.dia_chinh.name]})
    session.expire_all()
    assert [t.code for t in session.exec(select(Task))] == ["1"]
    found = session.get_one(Task, task.id)
    assert (found.status, found.due) == (TaskStatus.OPEN, date(2025, 3, 10))


async def test_a_task_without_a_lead_is_listed_until_assigned(
    browser: Browser, ward: Ward, session: Session
) -> None:
    task = ward.task("16", "Triển khai theo chỉ đạo của thành phố", due=date(2025, 12, 31))
    for assignment in session.exec(
        select(TaskAssignment).where(TaskAssignment.task_id == task.id)
    ):
        session.delete(assignment)
    session.commit()
    page = await browser.sign_in(ward.chair)
    awaiting = page.text.split('id="awaiting-lead"')[1].split("</section>")[0]
    assert "Triển khai theo chỉ đạo" in awaiting
    await browser.post(f"/tasks/{task.id}/assign", {"units": [ward.vhxh.name]})
    page = await browser.get("/dashboard")
    awaiting = page.text.split('id="awaiting-lead"')[1].split("</section>")[0]
    assert "Triển khai theo chỉ đạo" not in awaiting


async def test_the_dashboard_says_how_many_units_are_done_and_which_remain(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = ward.task(
        "5", "Rà soát thủ tục", leads=(ward.vhxh, ward.dia_chinh), due=date(2025, 3, 20)
    )
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()
    assert occurrence.id is not None
    mark_done(session, clock, ward.officer("minh"), occurrence.id, via=Channel.WEB)
    page = await browser.sign_in(ward.chair)
    row = page.text.split('data-code="5"')[1].split("</tr>")[0]
    assert "1/2 đơn vị đã xong" in row
    assert ward.dia_chinh.name in row.split("còn lại")[1]


async def test_a_deadline_phrase_is_read_in_the_wards_day_not_utcs(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    """Monday 06:00 in the ward is still Sunday in UTC: "next week" is the ward's next week."""
    await browser.sign_in(ward.chair)
    clock.move_to(datetime(2025, 3, 10, 6, 0, tzinfo=HCM))
    form: dict[str, str | list[str]] = {
        "title": "Họp giao ban",
        "units": [ward.vhxh.name],
        "due": "thứ sáu tuần sau",
    }
    shown = await browser.post("/tasks/new", form)
    assert "21/03/2025" in shown.text
    await browser.post("/tasks/new", {**form, "confirm": "1", "shown": "2025-03-21"})
    task = find_task(session, ward.chair, "V1")
    assert task.due == date(2025, 3, 21)
    shown = await browser.post(f"/tasks/{task.id}/due", {"due": "thứ hai tuần sau"})
    assert "17/03/2025" in shown.text


async def test_a_plans_task_shows_its_target_and_its_row_as_printed(
    browser: Browser, ward: Ward, session: Session
) -> None:
    task = ward.task("7", "Rà soát thủ tục", due=date(2025, 3, 20))
    task.requirement = "100% thủ tục được rà soát"
    task.note = "Theo Kế hoạch số 12"
    task.lead_text = "CCVHXH"
    task.coordinators_text = "các CBCC có liên quan"
    task.deadline_text = "Quý I/2025"
    session.add(task)
    session.commit()
    board = await browser.sign_in(ward.chair)
    row = board.text.split('data-code="7"')[1].split("</tr>")[0]
    assert "100% thủ tục được rà soát" in row
    page = (await browser.get(f"/tasks/{task.id}")).text
    assert "100% thủ tục được rà soát" in page
    assert "Theo Kế hoạch số 12" in page
    source = page.split('class="source"')[1].split("</p>")[0]
    for cell in ("CCVHXH", "các CBCC có liên quan", "Quý I/2025"):
        assert cell in source


async def test_the_office_gives_and_reassigns_on_the_web_too(
    browser: Browser, ward: Ward, session: Session
) -> None:
    await browser.sign_in(ward.admin)
    board = await browser.get("/dashboard")
    assert 'action="/tasks/new"' in board.text
    form: dict[str, str | list[str]] = {
        "title": "Kiểm tra hồ sơ", "units": [ward.vhxh.name], "due": "Quý II/2025",
    }  # fmt: skip
    await browser.post("/tasks/new", {**form, "confirm": "1", "shown": "2025-06-30"})
    task = find_task(session, ward.admin, "V1")
    await browser.post(f"/tasks/{task.id}/assign", {"units": [ward.dia_chinh.name]})
    leads = session.exec(select(TaskAssignment).where(TaskAssignment.task_id == task.id)).all()
    assert [a.unit_id for a in leads] == [ward.dia_chinh.id]
    events = session.exec(select(TaskEvent).where(TaskEvent.task_id == task.id)).all()
    assert {(e.officer_id, e.channel) for e in events} == {(ward.admin.id, Channel.WEB)}


async def test_the_history_says_who_moved_a_task_how_and_through_which_channel(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = ward.task("8", "Rà soát thủ tục", due=date(2025, 3, 20))
    assert task.id is not None
    deadline = read_deadline("Quý II/2025", now=local_now(clock))
    redate(session, clock, ward.admin, task.id, deadline=deadline, via=Channel.CONSOLE)
    assert ward.dia_chinh.id is not None
    assign(session, clock, ward.chair, task.id, unit_ids=[ward.dia_chinh.id], via=Channel.WEB)
    await browser.sign_in(ward.chair)
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()
    for path in (f"/tasks/{task.id}", f"/history/{occurrence.id}"):
        history = (await browser.get(path)).text.split('class="history"')[1].split("</ol>")[0]
        assert "bản kế hoạch mới" not in history  # not taken for a new version of the plan
        moved, given = history.split("<li>")[1:3]
        assert "đổi hạn" in moved
        assert "30/06/2025" in moved
        assert "(dòng lệnh)" in moved
        assert ward.admin.name in moved
        assert "đổi đơn vị chủ trì" in given
        assert ward.dia_chinh.name in given
        assert "(web)" in given


async def test_a_date_shown_before_midnight_is_shown_again_if_it_moved_by_the_confirmation(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    await browser.sign_in(ward.chair)
    clock.move_to(datetime(2025, 3, 7, 23, 50, tzinfo=HCM))
    form: dict[str, str | list[str]] = {
        "title": "Rà soát hồ sơ", "units": [ward.vhxh.name], "due": "3 ngày nữa",
    }  # fmt: skip
    shown = await browser.post("/tasks/new", form)
    assert "10/03/2025" in shown.text
    assert 'name="shown" value="2025-03-10"' in shown.text
    clock.move_to(datetime(2025, 3, 8, 0, 10, tzinfo=HCM))
    again = await browser.post("/tasks/new", {**form, "confirm": "1", "shown": "2025-03-10"})
    assert "11/03/2025" in again.text  # shown again, with the date it now means
    assert session.exec(select(Task)).all() == []
    await browser.post("/tasks/new", {**form, "confirm": "1", "shown": "2025-03-11"})
    assert find_task(session, ward.chair, "V1").due == date(2025, 3, 11)
    assert "không còn là ngày đã báo" in again.text  # and says why

    task = find_task(session, ward.chair, "V1")
    clock.move_to(datetime(2025, 3, 8, 23, 55, tzinfo=HCM))
    shown = await browser.post(f"/tasks/{task.id}/due", {"due": "3 ngày nữa"})
    assert 'name="shown" value="2025-03-11"' in shown.text
    clock.move_to(datetime(2025, 3, 9, 0, 5, tzinfo=HCM))
    redated: dict[str, str | list[str]] = {
        "due": "3 ngày nữa",
        "confirm": "1",
        "shown": "2025-03-11",
    }
    again = await browser.post(f"/tasks/{task.id}/due", redated)
    assert 'name="shown" value="2025-03-12"' in again.text
    session.expire_all()
    assert session.get_one(Task, task.id).due == date(2025, 3, 11)  # still the one stored


async def test_a_confirmation_that_said_no_date_stores_none(
    browser: Browser, ward: Ward, session: Session
) -> None:
    """A confirmed form without the date it showed is shown again, as the chat refuses a token
    without one: no one stores a date they did not see."""
    await browser.sign_in(ward.chair)
    form: dict[str, str | list[str]] = {
        "title": "Rà soát hồ sơ", "units": [ward.vhxh.name], "due": "trước 15/3", "confirm": "1",
    }  # fmt: skip
    again = await browser.post("/tasks/new", form)
    assert 'name="shown" value="2025-03-14"' in again.text
    assert session.exec(select(Task)).all() == []
    task = ward.task("8", "Rà soát thủ tục", due=date(2025, 3, 20))
    again = await browser.post(f"/tasks/{task.id}/due", {"due": "trước 15/3", "confirm": "1"})
    assert 'name="shown" value="2025-03-14"' in again.text
    session.expire_all()
    assert session.get_one(Task, task.id).due == date(2025, 3, 20)


async def test_a_coordinator_assigned_on_the_web_leads_only(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    given = give_task(
        session, clock, ward.chair, title="Kiểm tra hồ sơ", lead_unit_ids=[ward.vhxh.id or 0],
        coordinator_unit_ids=[ward.dia_chinh.id or 0], via=Channel.WEB,
    )  # fmt: skip
    await browser.sign_in(ward.admin)
    await browser.post(f"/tasks/{given.task_id}/assign", {"units": [ward.dia_chinh.name]})
    session.expire_all()
    rows = session.exec(select(TaskAssignment).where(TaskAssignment.task_id == given.task_id))
    assert [(a.unit_id, a.role) for a in rows] == [(ward.dia_chinh.id, AssignmentRole.LEAD)]
    assert session.get_one(Task, given.task_id).coordinators_text == ""
    told = session.exec(select(Outbox).where(Outbox.officer_id == ward.officer("tuan").id)).all()
    assert len(told) == 2  # asked to coordinate, then given the task


async def test_an_officer_is_refused_before_a_date_is_said_back(
    browser: Browser, ward: Ward, session: Session
) -> None:
    """As /doihan and "giao …" in chat: the preview refuses him, not only the confirmation."""
    task = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 3, 10))
    await browser.sign_in(ward.officer("minh"))
    forms: list[tuple[str, dict[str, str | list[str]]]] = [
        (f"/tasks/{task.id}/due", {"due": "31/3"}),
        ("/tasks/new", {"title": "Việc", "units": [ward.vhxh.name], "due": "31/3"}),
    ]
    for path, form in forms:
        answered = await browser.post(path, form)
        assert answered.status_code == 303, path  # no page saying the date back
        page = await browser.get(answered.headers["location"])
        assert "Chỉ Chủ tịch hoặc Văn phòng" in page.text, path
        assert "31/03/2025" not in page.text, path


async def test_the_task_page_says_the_pseudo_units_in_words(
    browser: Browser, ward: Ward, session: Session
) -> None:
    """A plan's "các CBCC có liên quan" is stored as the pseudo-unit "@related": the page says it
    as people do, in the units table and in what is still open, never as the raw name."""
    related = session.exec(
        select(Unit).where(Unit.organization_id == ward.org.id, Unit.name == "@related")
    ).one()
    task = ward.task("8", "Rà soát thủ tục", leads=(ward.vhxh, related), due=date(2025, 3, 20))
    await browser.sign_in(ward.chair)
    page = (await browser.get(f"/tasks/{task.id}")).text
    still_open = page.split("còn lại")[1].split("</p>")[0]
    assert "các cán bộ liên quan" in still_open
    row = page.split('data-unit="@related"')[1].split("</tr>")[0]
    assert "<td>các cán bộ liên quan</td>" in row
    for raw in (">@related<", "@related,", ", @related"):
        assert raw not in page


async def test_the_dashboard_says_the_pseudo_units_still_open_in_words(
    browser: Browser, ward: Ward, session: Session
) -> None:
    related = session.exec(
        select(Unit).where(Unit.organization_id == ward.org.id, Unit.name == "@related")
    ).one()
    ward.task("9", "Rà soát thủ tục", leads=(ward.vhxh, related), due=date(2025, 3, 20))
    board = await browser.sign_in(ward.chair)
    row = board.text.split('data-code="9"')[1].split("</tr>")[0]
    assert "0/2 đơn vị đã xong" in row
    still_open = row.split("còn lại")[1]
    assert "các cán bộ liên quan" in still_open
    assert "@related" not in still_open
