"""The dashboard's on-time rates read every current plan together, and count as each plan's
report counts: the same tallies as `by_unit` and `by_officer` of each plan's snapshot, added
up (a plan without a table counted by its duties, replaced and hand-given plans left out)."""

from collections import defaultdict
from datetime import date

from sqlmodel import Session, select

from models import Channel, Occurrence, Officer, Plan, TaskKind
from reports.figures import Tally, by_officer, by_unit, combine
from services.reporting.overview import on_time_rates
from services.reporting.snapshots import snapshot_of
from services.tracking.plans import current_plans
from services.tracking.queries import occurrence_rows
from services.tracking.tasks import mark_done, report_blocker
from tests.support.clock import FakeClock
from tests.support.ward import Ward


def _plan(ward: Ward, number: str, *, superseded_by: int | None = None) -> Plan:
    assert ward.org.id is not None
    plan = Plan(
        organization_id=ward.org.id,
        title=f"Kế hoạch {number}",
        number=number,
        years=[2025],
        source_name=f"{number}.txt",
        sha256=number.rjust(64, "0"),
        imported_at=ward.clock.now(),
        superseded_by_id=superseded_by,
    )
    ward.session.add(plan)
    ward.session.commit()
    ward.plan = plan
    return plan


def _close(session: Session, clock: FakeClock, officer: Officer, task_id: int | None) -> None:
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task_id)).one()
    assert occurrence.id is not None
    mark_done(session, clock, officer, occurrence.id, via=Channel.WEB)


def _the_reports_way(session: Session, clock: FakeClock, ward: Ward) -> tuple[Tally, ...]:
    units: dict[str, list[Tally]] = defaultdict(list)
    officers: dict[str, list[Tally]] = defaultdict(list)
    for plan in current_plans(session, ward.chair.organization_id):
        snapshot = snapshot_of(session, clock, ward.chair, plan)
        for tally in by_unit(snapshot):
            units[tally.name].append(tally)
        for tally in by_officer(snapshot):
            officers[tally.name].append(tally)
    return (
        *(combine(name, parts) for name, parts in units.items()),
        *(combine(name, parts) for name, parts in sorted(officers.items())),
    )


def test_the_rates_count_every_current_plan_as_its_report_does(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    early = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    _close(session, clock, ward.officer("minh"), early.id)
    ward.task("2", "Báo cáo tháng", due=date(2025, 2, 28))  # overdue on 03/03
    late = ward.task("3", "Đo đạc", unit=ward.dia_chinh, due=date(2025, 2, 20))
    _close(session, clock, ward.officer("tuan"), late.id)
    ward.task("4", "Rà soát", leads=(ward.vhxh, ward.dia_chinh), due=date(2025, 2, 25))
    blocked = ward.task("5", "Sửa nhà văn hoá", unit=ward.van_phong, due=date(2025, 3, 31))
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == blocked.id)).one()
    assert occurrence.id is not None
    report_blocker(
        session, clock, ward.officer("ha"), occurrence.id, reason="chưa có kinh phí",
        via=Channel.TELEGRAM,
    )  # fmt: skip
    second = _plan(ward, "20/KH-UBND")
    ward.task("1", "Tuyên truyền", unit=ward.van_phong, due=date(2025, 1, 15))
    _plan(ward, "21/KH-UBND")  # its only task is a duty
    duty = ward.task("1", "Thường trực", unit=ward.dia_chinh, due=date(2025, 2, 1))
    duty.kind = TaskKind.DUTY
    session.add(duty)
    session.commit()
    _plan(ward, "19/KH-UBND", superseded_by=second.id)
    ward.task("1", "Việc của bản cũ", due=date(2025, 1, 10))

    rates = on_time_rates(session, clock, ward.chair)
    # the dashboard's way: with the occurrences it read for its lists, in their order
    found = occurrence_rows(session, ward.chair, open_only=False)
    shown = on_time_rates(session, clock, ward.chair, occurrences=[o for o, _, _ in found][::-1])

    assert (*rates.units, *rates.officers) == _the_reports_way(session, clock, ward)
    assert shown == rates
    names = {tally.name: tally for tally in rates.units}
    assert names[ward.dia_chinh.name].assigned == 3  # Đo đạc, its share of Rà soát, the duty
    assert names[ward.van_phong.name].blocked == 1
