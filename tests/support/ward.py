"""A ward to test against: people with names and roles, units, a plan and its tasks.

`Ward.build(session, clock)` makes "Phường Bắc Sơn" with the chair Lan, the admin Hà of Văn
phòng, the officers Minh (Văn hóa - Xã hội) and Tuấn (Địa chính - Xây dựng), and a plan to hang
tasks on:

    ward = Ward.build(session, clock)
    task = ward.task("1", "Tổ chức lễ hội", unit=ward.vhxh, due=date(2025, 3, 10))
    ward.officer("minh"), ward.chair, ward.admin, ward.bind(ward.chair, user_id="lan")
"""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from models import (
    AssignmentRole,
    Channel,
    ChannelIdentity,
    Occurrence,
    Officer,
    Organization,
    Plan,
    Role,
    Task,
    TaskAssignment,
    TaskStatus,
    Unit,
)
from services.clock import Clock
from services.people.officers import add_officer, office_actor
from services.people.organizations import create_organization
from services.people.units import add_unit

VHXH = "Công chức Văn hóa - Xã hội"
VAN_PHONG = "Văn phòng HĐND và UBND"
DIA_CHINH = "Công chức Địa chính - Xây dựng"

PEOPLE: dict[str, tuple[str, Role, tuple[str, ...]]] = {
    "lan": ("Trần Thị Lan", Role.CHAIR, ()),
    "ha": ("Lê Thu Hà", Role.ADMIN, (VAN_PHONG,)),
    "minh": ("Phạm Văn Minh", Role.OFFICER, (VHXH,)),
    "tuan": ("Đỗ Quang Tuấn", Role.OFFICER, (DIA_CHINH,)),
}


def the_office(session: Session, clock: Clock, org: Organization) -> Officer:
    """Who the office acts as at the command line: its first admin, else an unsaved admin."""
    return office_actor(session, clock, org, roles=(Role.ADMIN,), name="Văn phòng", locale="vi")


@dataclass
class Ward:
    """An organization with its people, units and one plan, built in a test's database."""

    session: Session
    clock: Clock
    org: Organization
    units: dict[str, Unit]
    people: dict[str, Officer]
    plan: Plan
    _positions: list[int] = field(default_factory=lambda: [0])

    @classmethod
    def build(cls, session: Session, clock: Clock, *, name: str = "Phường Bắc Sơn") -> "Ward":
        """A fresh ward named `name` (build two for cross-organization tests)."""
        org = create_organization(session, clock, name)
        office = the_office(session, clock, org)  # as at the command line: no admin yet
        units = {
            VHXH: add_unit(session, office, VHXH, aliases=("CCVHXH", "VHXH")),
            VAN_PHONG: add_unit(session, office, VAN_PHONG, aliases=("VP",)),
            DIA_CHINH: add_unit(session, office, DIA_CHINH, aliases=("CCĐCXD",)),
        }
        people = {
            key: add_officer(session, clock, office, full, unit_names=unit_names, role=role)
            for key, (full, role, unit_names) in PEOPLE.items()
        }
        assert org.id is not None
        plan = Plan(
            organization_id=org.id,
            title="Kế hoạch công tác năm 2025",
            number="12/KH-UBND",
            years=[2025],
            source_name="ke-hoach.txt",
            sha256=f"{org.id:064d}",
            imported_at=clock.now(),
        )
        session.add(plan)
        session.commit()
        session.refresh(plan)
        return cls(session=session, clock=clock, org=org, units=units, people=people, plan=plan)

    @property
    def chair(self) -> Officer:
        """Lan, the chair."""
        return self.people["lan"]

    @property
    def admin(self) -> Officer:
        """Hà, the admin of Văn phòng."""
        return self.people["ha"]

    @property
    def vhxh(self) -> Unit:
        """Công chức Văn hóa - Xã hội (Minh's unit)."""
        return self.units[VHXH]

    @property
    def dia_chinh(self) -> Unit:
        """Công chức Địa chính - Xây dựng (Tuấn's unit)."""
        return self.units[DIA_CHINH]

    @property
    def van_phong(self) -> Unit:
        """Văn phòng HĐND và UBND (Hà's unit)."""
        return self.units[VAN_PHONG]

    def officer(self, key: str) -> Officer:
        """An officer by first name key: "minh", "tuan" (also "lan", "ha")."""
        return self.people[key]

    def task(
        self,
        code: str,
        title: str,
        *,
        unit: Unit | None = None,
        leads: tuple[Unit, ...] = (),
        coordinators: tuple[Unit, ...] = (),
        due: date | None = None,
        dues: tuple[date, ...] = (),
        recurrence: str | None = None,
        status: TaskStatus = TaskStatus.OPEN,
    ) -> Task:
        """A task of the plan led by `unit` (default Văn hóa - Xã hội), or by each of `leads`,
        with one occurrence per due date (`due`, or each of `dues` for a recurring task)."""
        lead = unit or (leads[0] if leads else self.vhxh)
        self._positions[0] += 1
        assert self.plan.id is not None
        task = Task(
            plan_id=self.plan.id,
            code=code,
            position=self._positions[0],
            title=title,
            lead_text=lead.name,
            deadline_text="" if due is None else due.strftime("%d/%m/%Y"),
            deadline_kind="date" if due is not None else "unrecognised",
            due=due or (dues[-1] if dues else None),
            recurrence=recurrence,
            status=status,
        )
        self.session.add(task)
        self.session.flush()
        assert task.id is not None
        for lead_unit in leads or (lead,):
            self.session.add(
                TaskAssignment(task_id=task.id, unit_id=lead_unit.id, role=AssignmentRole.LEAD)
            )
        for unit_ in coordinators:
            self.session.add(
                TaskAssignment(task_id=task.id, unit_id=unit_.id, role=AssignmentRole.COORDINATOR)
            )
        for occurrence_due in dues or (due,):
            self.session.add(Occurrence(task_id=task.id, due=occurrence_due, status=status))
        self.session.commit()
        self.session.refresh(task)
        return task

    def bind(
        self,
        officer: Officer,
        *,
        user_id: str | None = None,
        channel: Channel = Channel.TELEGRAM,
    ) -> ChannelIdentity:
        """Bind a chat account to `officer` (user id and chat id alike, as in a private chat)."""
        assert officer.id is not None
        external = user_id or f"{channel.value}-{officer.id}"
        identity = ChannelIdentity(
            officer_id=officer.id,
            channel=channel,
            external_id=external,
            chat_id=external,
            bound_at=self.clock.now(),
        )
        self.session.add(identity)
        self.session.commit()
        self.session.refresh(identity)
        return identity
