"""Importing in two steps: the preview is kept in the database, confirmed by whoever previewed it
from any process on the same database, refused once expired, and never offered for nothing."""

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from locales import translate
from models import PendingImport, Plan, Role, Task
from models.db import make_engine
from plans.readers.errors import EmptyPlanFile
from services.errors import AdminOnly
from services.importing.imports import AlreadyImported, NothingToImport
from services.importing.labels import REVISION, revision_notice, stored_notice
from services.importing.pending import (
    PENDING_LIFETIME,
    PreviewExpired,
    cancel_pending,
    confirm_pending,
    preview,
)
from services.messages import render_text
from services.people.officers import add_officer
from services.people.organizations import create_organization
from services.reminding.housekeeping import forget_old
from tests.support.clock import FakeClock
from tests.support.ward import Ward, the_office


def _seed(data_dir: Path, prefix: str) -> bytes:
    return next((data_dir / "seeds").glob(f"{prefix}_*.txt")).read_bytes()


def _count(session: Session, model: type[Plan] | type[PendingImport]) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


def test_a_preview_is_kept_and_confirmed_by_another_process_on_the_same_database(
    engine: Engine, session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = Ward.build(session, clock)
    shown = preview(session, clock, ward.admin, file_name="kh.txt", content=_seed(data_dir, "000"))
    assert shown.draft.plan.number == "73/KH-UBND"
    assert shown.flagged  # seed 000 has a deadline before the plan's date
    assert _count(session, Plan) == 1  # only the ward's own plan: nothing stored yet

    other = make_engine(engine.url.render_as_string(hide_password=False))  # a second replica
    try:
        with Session(other) as elsewhere:
            admin = elsewhere.get(type(ward.admin), ward.admin.id)
            assert admin is not None
            outcome = confirm_pending(elsewhere, clock, admin, shown.pending_id)
            assert outcome.tracked == 11
            assert outcome.plan.source_name == "kh.txt"
    finally:
        other.dispose()

    session.expire_all()
    assert _count(session, PendingImport) == 0
    tasks = session.exec(select(Task).where(Task.plan_id == outcome.plan.id)).all()
    assert len(tasks) == len(shown.draft.tasks) + len(shown.draft.obligations)


def test_a_preview_cannot_be_confirmed_twice(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = Ward.build(session, clock)
    shown = preview(session, clock, ward.admin, file_name="kh.txt", content=_seed(data_dir, "001"))
    confirm_pending(session, clock, ward.admin, shown.pending_id)
    with pytest.raises(PreviewExpired):
        confirm_pending(session, clock, ward.admin, shown.pending_id)


def test_an_expired_preview_is_refused_then_purged(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = Ward.build(session, clock)
    shown = preview(session, clock, ward.admin, file_name="kh.txt", content=_seed(data_dir, "001"))
    clock.advance(seconds=PENDING_LIFETIME.total_seconds() + 1)

    with pytest.raises(PreviewExpired):
        confirm_pending(session, clock, ward.admin, shown.pending_id)
    session.rollback()
    assert forget_old(session, clock).ran

    assert _count(session, PendingImport) == 0
    assert _count(session, Plan) == 1


def test_a_new_preview_purges_the_expired_ones(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = Ward.build(session, clock)
    old = preview(session, clock, ward.admin, file_name="a.txt", content=_seed(data_dir, "001"))
    clock.advance(days=2)
    new = preview(session, clock, ward.admin, file_name="b.txt", content=_seed(data_dir, "002"))
    kept = session.exec(select(PendingImport.id)).all()
    assert kept == [new.pending_id]
    assert old.pending_id not in kept


def test_another_organization_or_another_admin_cannot_confirm(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = Ward.build(session, clock)
    elsewhere = Ward.build(session, clock, name="Phường Hòa Bình")
    colleague = add_officer(session, clock, ward.admin, "Đỗ Văn Nam", role=Role.ADMIN)
    shown = preview(session, clock, ward.admin, file_name="kh.txt", content=_seed(data_dir, "001"))

    for stranger in (elsewhere.admin, colleague):
        with pytest.raises(PreviewExpired):
            confirm_pending(session, clock, stranger, shown.pending_id)
        cancel_pending(session, clock, stranger, shown.pending_id)  # nothing to forget of theirs
    assert _count(session, PendingImport) == 1


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CHAIR])
def test_only_the_office_may_preview_or_confirm(
    session: Session, clock: FakeClock, data_dir: Path, role: Role
) -> None:
    ward = Ward.build(session, clock)
    someone = ward.chair if role is Role.CHAIR else ward.officer("minh")
    with pytest.raises(AdminOnly):
        preview(session, clock, someone, file_name="kh.txt", content=_seed(data_dir, "001"))
    shown = preview(session, clock, ward.admin, file_name="kh.txt", content=_seed(data_dir, "001"))
    with pytest.raises(AdminOnly):
        confirm_pending(session, clock, someone, shown.pending_id)


def test_the_same_file_again_is_refused_at_the_preview(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = Ward.build(session, clock)
    content = _seed(data_dir, "001")
    shown = preview(session, clock, ward.admin, file_name="a.txt", content=content)
    confirm_pending(session, clock, ward.admin, shown.pending_id)

    with pytest.raises(AlreadyImported):
        preview(session, clock, ward.admin, file_name="b.txt", content=content)
    assert _count(session, PendingImport) == 0


@pytest.mark.parametrize(
    ("content", "refusal"),
    [("Xin chào, đây không phải kế hoạch.".encode(), NothingToImport), (b"", EmptyPlanFile)],
)
def test_a_file_with_nothing_to_follow_up_is_refused_at_the_preview(
    session: Session, clock: FakeClock, content: bytes, refusal: type[Exception]
) -> None:
    ward = Ward.build(session, clock)
    with pytest.raises(refusal) as refused:
        preview(session, clock, ward.admin, file_name="thu.txt", content=content)
    if refusal is NothingToImport:
        assert refused.value.args[0].count("thu.txt") == 1  # the message names the file
    assert _count(session, PendingImport) == 0


def test_cancelling_forgets_the_preview(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = Ward.build(session, clock)
    shown = preview(session, clock, ward.admin, file_name="kh.txt", content=_seed(data_dir, "001"))
    cancel_pending(session, clock, ward.admin, shown.pending_id)
    assert _count(session, PendingImport) == 0
    with pytest.raises(PreviewExpired):
        confirm_pending(session, clock, ward.admin, shown.pending_id)


def test_the_command_line_office_previews_and_confirms_as_no_one(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    org = create_organization(session, clock, "Phường Hòa Bình")  # no admin yet
    office = the_office(session, clock, org)
    assert office.id is None
    shown = preview(session, clock, office, file_name="kh.txt", content=_seed(data_dir, "001"))
    assert session.exec(select(PendingImport.officer_id)).all() == [None]
    admin = add_officer(
        session, clock, the_office(session, clock, org), "Lê Thu Hà", role=Role.ADMIN
    )
    with pytest.raises(PreviewExpired):  # the office's preview is not hers
        confirm_pending(session, clock, admin, shown.pending_id)
    outcome = confirm_pending(session, clock, office, shown.pending_id)
    assert outcome.plan.id is not None


def test_a_revision_is_previewed_with_what_it_changes_and_stored_saying_so(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = Ward.build(session, clock)
    first = _seed(data_dir, "000")
    shown = preview(session, clock, ward.admin, file_name="v1.txt", content=first)
    confirm_pending(session, clock, ward.admin, shown.pending_id)
    revised = first.replace("Xây dựng Kế hoạch tuyên truyền".encode(), "Lập kế hoạch".encode())

    shown = preview(session, clock, ward.admin, file_name="v2.txt", content=revised)

    assert shown.revises == "73/KH-UBND"
    assert shown.diff is not None
    assert [change.code for change in shown.diff.changed] == ["1"]
    said = revision_notice(shown)
    assert said is not None
    assert render_text("vi", said) == (
        "Đây là bản mới của kế hoạch 73/KH-UBND: thêm 0, bỏ 0, sửa 1, giữ nguyên 10."
    )
    outcome = confirm_pending(session, clock, ward.admin, shown.pending_id)
    assert render_text("vi", stored_notice(outcome)).startswith(
        "✅ Đã nhập 73/KH-UBND là bản sửa đổi: thêm 0, bỏ 0, sửa 1, giữ nguyên 10"
    )


def test_a_kept_draft_that_no_longer_loads_is_read_again_from_the_kept_file(
    session: Session, clock: FakeClock, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ward = Ward.build(session, clock)
    shown = preview(session, clock, ward.admin, file_name="kh.txt", content=_seed(data_dir, "000"))
    row = session.get(PendingImport, shown.pending_id)
    assert row is not None
    row.draft = {"written by": "another version of dondoc"}
    session.add(row)
    session.commit()

    outcome = confirm_pending(session, clock, ward.admin, shown.pending_id)

    assert outcome.tracked == 11
    assert "the kept draft does not load" in caplog.text


def test_an_unnumbered_plan_revised_is_named_without_saying_plan_twice(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    """Seed 002 has no number: its title, "Kế hoạch về việc …", names it, without the word the
    sentence around it already says ("bản mới của kế hoạch Kế hoạch về việc …")."""
    ward = Ward.build(session, clock)
    first = _seed(data_dir, "002")
    shown = preview(session, clock, ward.admin, file_name="v1.txt", content=first)
    assert shown.draft.plan.number is None
    assert (shown.draft.plan.title or "").startswith("Kế hoạch về việc")
    confirm_pending(session, clock, ward.admin, shown.pending_id)
    revised = first.replace("Xử lý các vấn đề".encode(), "Giải quyết các vấn đề".encode())

    shown = preview(session, clock, ward.admin, file_name="v2.txt", content=revised)

    assert shown.revises is not None
    assert shown.revises.startswith("về việc duy trì, cải thiện")
    assert translate(
        "vi", REVISION, plan=shown.revises, added=0, removed=0, changed=1, unchanged=49
    ).startswith("Đây là bản mới của kế hoạch về việc duy trì")
