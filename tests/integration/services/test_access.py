"""Who may do what, for every use case: officer, other unit's officer, chair, admin, stranger
(an inactive officer) and another organization's chair."""

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from models import Channel, Officer, Role, Unit, UnitAlias
from services.access import admins_of, chairs_of
from services.errors import AdminOnly, ChairSetsDeadlines, NotAllowed, TaskNotFound
from services.people.invites import create_invite
from services.people.officers import add_officer
from services.people.units import add_unit, teach_alias
from services.reminding.recipients import People
from services.tracking.evidence import attach_evidence
from services.tracking.extensions import decide_extension, request_extension
from services.tracking.nudges import remind_now
from services.tracking.queries import open_blockers, overdue, summary, tasks_for
from services.tracking.tasks import (
    add_comment,
    mark_done,
    record_progress,
    report_blocker,
    resolve_blocker,
    snooze,
)
from tests.support.clock import FakeClock
from tests.support.ward import Ward

WEB = Channel.WEB
Action = Callable[[Session, FakeClock, Officer, int], object]


def _snooze(s: Session, c: FakeClock, a: Officer, o: int) -> object:
    return snooze(s, c, a, o, until=c.now() + timedelta(days=1), via=WEB)


def _extend(s: Session, c: FakeClock, a: Officer, o: int) -> object:
    return request_extension(s, c, a, o, until=date(2025, 4, 30), reason="chờ kinh phí", via=WEB)


def _evidence(s: Session, c: FakeClock, a: Officer, o: int) -> object:
    store = Path(s.info.setdefault("store", "/tmp/dondoc-evidence-test"))
    return attach_evidence(
        s, c, a, o, file_name="bb.pdf", content=b"%PDF", media_type=None, store=store, via=WEB
    )


ACTIONS: dict[str, Action] = {
    "done": lambda s, c, a, o: mark_done(s, c, a, o, via=WEB),
    "progress": lambda s, c, a, o: record_progress(s, c, a, o, percent=50, via=WEB),
    "blocker": lambda s, c, a, o: report_blocker(s, c, a, o, reason="thiếu kinh phí", via=WEB),
    "snooze": _snooze,
    "extension": _extend,
    "comment": lambda s, c, a, o: add_comment(s, c, a, o, text="đã họp", via=WEB),
    "evidence": _evidence,
}
ALLOWED = {"minh": True, "tuan": False, "lan": True, "ha": True, "stranger": False, "other": False}


@pytest.fixture
def world(session: Session, clock: FakeClock) -> tuple[Ward, int, dict[str, Officer]]:
    ward = Ward.build(session, clock)
    other = Ward.build(session, clock, name="Xã Tân Lập")
    task = ward.task("1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    stranger = ward.officer("minh").model_copy(update={"id": None})
    stranger.name, stranger.active = "Người lạ", False
    session.add(stranger)
    session.commit()
    people = dict(ward.people) | {"stranger": stranger, "other": other.chair}
    return ward, _occurrence(session, task.id), people


def _occurrence(session: Session, task_id: int | None) -> int:
    from sqlmodel import select

    from models import Occurrence

    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task_id)).one()
    assert occurrence.id is not None
    return occurrence.id


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("who", sorted(ALLOWED))
def test_officer_actions_follow_the_matrix(
    session: Session,
    clock: FakeClock,
    world: tuple[Ward, int, dict[str, Officer]],
    action: str,
    who: str,
    tmp_path: Path,
) -> None:
    _, occurrence_id, people = world
    session.info["store"] = str(tmp_path)
    if (who, action) == ("lan", "extension"):  # the chair re-dates with /doihan instead
        with pytest.raises(ChairSetsDeadlines):
            ACTIONS[action](session, clock, people[who], occurrence_id)
    elif ALLOWED[who]:
        ACTIONS[action](session, clock, people[who], occurrence_id)
    else:
        with pytest.raises(TaskNotFound):
            ACTIONS[action](session, clock, people[who], occurrence_id)


@pytest.mark.parametrize("who", sorted(ALLOWED))
def test_lists_show_only_what_each_role_may_see(
    session: Session, clock: FakeClock, world: tuple[Ward, int, dict[str, Officer]], who: str
) -> None:
    ward, _, people = world
    ward.task("2", "Đo đạc đất", unit=ward.dia_chinh, due=date(2025, 3, 1))
    codes = {i.code for i in tasks_for(session, people[who])}
    expected = {"minh": {"1"}, "tuan": {"2"}, "lan": {"1", "2"}, "ha": {"1", "2"}}
    assert codes == expected.get(who, set())
    late = {i.code for i in overdue(session, clock, people[who])}
    assert late == ({"2"} & expected.get(who, set()))


@pytest.mark.parametrize("who", sorted(ALLOWED))
def test_summary_and_reminding_are_for_the_chair_and_admin(
    session: Session, clock: FakeClock, world: tuple[Ward, int, dict[str, Officer]], who: str
) -> None:
    _, _, people = world
    actor = people[who]
    if who in ("lan", "ha"):
        assert summary(session, clock, actor).by_status
        assert remind_now(session, clock, actor, "Phạm Văn Minh").count == 1
    elif who == "other":
        assert summary(session, clock, actor).by_status == {}
        # the name resolves in the chair's own ward, whose Minh has no task
        assert remind_now(session, clock, actor, "Phạm Văn Minh").count == 0
    else:
        with pytest.raises(NotAllowed):
            summary(session, clock, actor)
        for name in ("Phạm Văn Minh", " "):  # refused before the name is read
            with pytest.raises(NotAllowed):
                remind_now(session, clock, actor, name)


@pytest.mark.parametrize("who", sorted(ALLOWED))
def test_only_a_manager_of_the_organization_decides_an_extension(
    session: Session, clock: FakeClock, world: tuple[Ward, int, dict[str, Officer]], who: str
) -> None:
    ward, occurrence_id, people = world
    _extend(session, clock, ward.officer("minh"), occurrence_id)
    from services.tracking.extensions import pending_request

    request_id = pending_request(session, occurrence_id)
    assert request_id is not None
    actor = people[who]
    if who in ("lan", "ha"):
        assert decide_extension(session, clock, actor, request_id, grant=True, via=WEB).granted
    elif who == "other":
        with pytest.raises(TaskNotFound):
            decide_extension(session, clock, actor, request_id, grant=True, via=WEB)
    else:
        with pytest.raises(NotAllowed):
            decide_extension(session, clock, actor, request_id, grant=True, via=WEB)


@pytest.mark.parametrize("who", sorted(ALLOWED))
def test_only_an_admin_invites(
    session: Session, clock: FakeClock, world: tuple[Ward, int, dict[str, Officer]], who: str
) -> None:
    _, _, people = world
    actor = people[who]
    if who == "ha":
        assert create_invite(session, clock, actor, "Phạm Văn Minh").code
    else:
        with pytest.raises(AdminOnly):
            create_invite(session, clock, actor, "Phạm Văn Minh")


OFFICE_ACTS: dict[str, Callable[[Session, FakeClock, Officer], object]] = {
    "unit": lambda s, c, a: add_unit(s, a, "Trạm Y tế"),
    "alias": lambda s, c, a: teach_alias(s, a, "TYT", "Công chức Văn hóa - Xã hội"),
    "officer": lambda s, c, a: add_officer(s, c, a, "Vũ Thị Mai", role=Role.ADMIN),
}


@pytest.mark.parametrize("act", sorted(OFFICE_ACTS))
@pytest.mark.parametrize("who", sorted(ALLOWED))
def test_only_an_admin_changes_the_offices_units_and_people(
    session: Session,
    clock: FakeClock,
    world: tuple[Ward, int, dict[str, Officer]],
    who: str,
    act: str,
) -> None:
    _, _, people = world
    before = _office_rows(session)
    if who == "ha":
        OFFICE_ACTS[act](session, clock, people[who])
        assert _office_rows(session) != before
    else:
        with pytest.raises(AdminOnly):
            OFFICE_ACTS[act](session, clock, people[who])
        assert _office_rows(session) == before


def _office_rows(session: Session) -> tuple[int, ...]:
    session.expire_all()
    return tuple(len(session.exec(select(table)).all()) for table in (Unit, UnitAlias, Officer))


def test_open_blockers_hide_other_units(
    session: Session, clock: FakeClock, world: tuple[Ward, int, dict[str, Officer]]
) -> None:
    _, occurrence_id, people = world
    report_blocker(session, clock, people["minh"], occurrence_id, reason="mưa bão", via=WEB)
    assert [i.reason for i in open_blockers(session, people["lan"])] == ["mưa bão"]
    assert open_blockers(session, people["tuan"]) == []
    resolve_blocker(session, clock, people["lan"], occurrence_id, via=WEB)
    assert open_blockers(session, people["lan"]) == []


@pytest.mark.parametrize(
    ("gone", "chairs", "admins"),
    [
        ((), ["lan"], ["ha"]),
        (("lan",), ["ha"], ["ha"]),  # no chair: the admins hear what is for the chair
        (("ha",), ["lan"], ["lan"]),  # no admin: the chair hears what is for the admins
        (("lan", "ha"), [], []),
    ],
)
def test_who_manages_a_ward_is_one_rule_for_one_ward_and_for_the_scan(
    session: Session,
    clock: FakeClock,
    gone: tuple[str, ...],
    chairs: list[str],
    admins: list[str],
) -> None:
    ward = Ward.build(session, clock)
    for key in gone:
        ward.people[key].active = False
    session.commit()
    org = ward.org.id
    assert org is not None
    ids = {key: officer.id for key, officer in ward.people.items()}
    expected = ([ids[k] for k in chairs], [ids[k] for k in admins])
    assert ([o.id for o in chairs_of(session, org)], [o.id for o in admins_of(session, org)]) == (
        expected
    )
    people = People.load(session, [org], [])
    assert (people.chairs_of(org), people.admins_of(org)) == expected
