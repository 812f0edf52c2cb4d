"""An admin imports a plan file in chat: a preview, then confirm or cancel; a question meanwhile
keeps the preview, a second file replaces it. The preview is a pending import in the database
that the chat state names, so a conversation started afresh (a restart, a second replica)
confirms it."""

from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.conversation import messages
from bot.conversation.engine import Conversation
from bot.conversation.incoming import Incoming, IncomingFile
from models import ChatState, Officer, PendingImport, Plan, Role
from services.errors import AdminOnly
from services.messages import Action, render_lines
from tests.support.clock import FakeClock
from tests.support.conversing import bound, msgids, press, text, user
from tests.support.ward import Ward


async def test_admin_imports_a_plan_file_after_a_preview(
    conversation: Conversation, ward: Ward, data_dir: Path, fresh: Session
) -> None:
    bound(ward)
    seed = sorted((data_dir / "seeds").glob("000_*.txt"))[0]
    file = IncomingFile(file_name="ke-hoach.txt", content=seed.read_bytes())
    replies = await conversation.handle(Incoming(user=user("ha"), file=file))
    preview = replies[0]
    assert preview.lines[-1].msgid == "Import this plan?"
    shown = render_lines("vi", preview)
    assert "{" not in shown  # every line renders whole, flagged rows included
    assert "The deadline falls before the plan's date." in [line.msgid for line in preview.lines]
    confirm, cancel = preview.buttons[0]
    assert (confirm.action, cancel.action) == (Action.CONFIRM, Action.CANCEL)
    before = len(fresh.exec(select(Plan)).all())
    replies = await conversation.handle(press("ha", Action.CONFIRM, confirm.token))
    assert replies[0].lines[0].msgid.startswith("✅ Imported")
    assert len(fresh.exec(select(Plan)).all()) == before + 1
    replies = await conversation.handle(press("ha", Action.CONFIRM, confirm.token))
    assert msgids(replies) == ["This preview has expired. Please send the file again."]


async def test_a_new_version_of_a_plan_is_said_so_in_the_preview_and_when_stored(
    conversation: Conversation, ward: Ward, data_dir: Path
) -> None:
    """The chat says what the web page and the command line say of a revision."""
    bound(ward)
    first = next((data_dir / "seeds").glob("000_*.txt")).read_bytes()
    revised = first.replace("Xây dựng Kế hoạch tuyên truyền".encode(), "Lập kế hoạch".encode())
    said = []
    for name, content in (("v1.txt", first), ("v2.txt", revised)):
        file = IncomingFile(file_name=name, content=content)
        preview = (await conversation.handle(Incoming(user=user("ha"), file=file)))[0]
        stored = await conversation.handle(
            press("ha", Action.CONFIRM, preview.buttons[0][0].token)
        )
        said.append((render_lines("vi", preview), render_lines("vi", stored[0])))
    assert "bản mới" not in said[0][0]
    assert (
        "Đây là bản mới của kế hoạch 73/KH-UBND: thêm 0, bỏ 0, sửa 1, giữ nguyên 10."
        in (said[1][0])
    )
    assert "✅ Đã nhập 73/KH-UBND là bản sửa đổi: thêm 0, bỏ 0, sửa 1, giữ nguyên 10" in said[1][1]


async def test_an_admin_no_longer_an_admin_cannot_confirm_the_preview(
    conversation: Conversation, ward: Ward, data_dir: Path, fresh: Session
) -> None:
    # The chat checks no role: `confirm_pending` refuses, and nothing is stored.
    bound(ward)
    seed = sorted((data_dir / "seeds").glob("000_*.txt"))[0]
    file = IncomingFile(file_name="ke-hoach.txt", content=seed.read_bytes())
    confirm = (await conversation.handle(Incoming(user=user("ha"), file=file)))[0].buttons[0][0]
    ha = fresh.get(Officer, ward.admin.id)
    assert ha is not None
    ha.role = Role.OFFICER
    fresh.commit()
    before = len(fresh.exec(select(Plan)).all())
    replies = await conversation.handle(press("ha", Action.CONFIRM, confirm.token))
    assert msgids(replies) == [AdminOnly.msgid]
    assert len(fresh.exec(select(Plan)).all()) == before


async def test_a_preview_names_the_plan_only_by_what_it_states(
    conversation: Conversation, ward: Ward, data_dir: Path
) -> None:
    bound(ward)
    seed = sorted((data_dir / "seeds").glob("003_*.txt"))[0]  # states no title, no number
    file = IncomingFile(file_name="bao-cao.txt", content=seed.read_bytes())
    preview = (await conversation.handle(Incoming(user=user("ha"), file=file)))[0]
    assert preview.lines[0].msgid == "📄 {file_name} (the plan states no title or number)"
    assert "—" not in render_lines("vi", preview).splitlines()[0]


async def test_a_second_plan_sent_while_a_preview_waits_replaces_it(
    conversation: Conversation, ward: Ward, data_dir: Path, fresh: Session
) -> None:
    bound(ward)
    first, second = (
        IncomingFile(
            file_name=f"{stem}.txt",
            content=next((data_dir / "seeds").glob(f"{stem}_*.txt")).read_bytes(),
        )
        for stem in ("000", "001")
    )
    old = (await conversation.handle(Incoming(user=user("ha"), file=first)))[0]
    new = (await conversation.handle(Incoming(user=user("ha"), file=second)))[0]
    assert new.lines[-1].msgid == "Import this plan?"
    assert "001.txt" in render_lines("vi", new).splitlines()[0]
    before = len(fresh.exec(select(Plan)).all())
    replies = await conversation.handle(press("ha", Action.CONFIRM, old.buttons[0][0].token))
    assert msgids(replies) == ["This preview has expired. Please send the file again."]
    replies = await conversation.handle(press("ha", Action.CONFIRM, new.buttons[0][0].token))
    assert replies[0].lines[0].msgid.startswith("✅ Imported")
    assert len(fresh.exec(select(Plan)).all()) == before + 1


async def test_admin_can_cancel_an_import(
    conversation: Conversation, ward: Ward, data_dir: Path, fresh: Session
) -> None:
    bound(ward)
    seed = sorted((data_dir / "seeds").glob("001_*.txt"))[0]
    file = IncomingFile(file_name="kh.txt", content=seed.read_bytes())
    replies = await conversation.handle(Incoming(user=user("ha"), file=file))
    cancel = replies[0].buttons[0][1]
    before = len(fresh.exec(select(Plan)).all())
    replies = await conversation.handle(press("ha", Action.CANCEL, cancel.token))
    assert msgids(replies) == ["Import cancelled: nothing was stored."]
    assert len(fresh.exec(select(Plan)).all()) == before


async def test_a_question_during_a_preview_keeps_the_preview(
    conversation: Conversation, ward: Ward, data_dir: Path
) -> None:
    bound(ward)
    seed = sorted((data_dir / "seeds").glob("001_*.txt"))[0]
    file = IncomingFile(file_name="kh.txt", content=seed.read_bytes())
    preview = (await conversation.handle(Incoming(user=user("ha"), file=file)))[0]
    replies = await conversation.handle(text("ha", "còn gì quá hạn?"))
    assert msgids(replies)[0] == messages.TITLE_OVERDUE
    replies = await conversation.handle(text("ha", "ok"))
    assert msgids(replies) == ["Please press ✅ Confirm or ❌ Cancel under the preview."]
    confirm = preview.buttons[0][0]
    replies = await conversation.handle(press("ha", Action.CONFIRM, confirm.token))
    assert replies[0].lines[0].msgid.startswith("✅ Imported")


# --- the pending import: in the database, named by the chat state ---------------------------


def _conversation(engine: Engine, clock: FakeClock, tmp_path: Path) -> Conversation:
    return Conversation(
        engine, clock, evidence_dir=tmp_path / "evidence", bot_username="dondoc_bot", wall=clock
    )


def _file(data_dir: Path, stem: str) -> IncomingFile:
    seed = next((data_dir / "seeds").glob(f"{stem}_*.txt"))
    return IncomingFile(file_name=f"{stem}.txt", content=seed.read_bytes())


async def test_the_chat_state_names_the_pending_import_and_holds_no_file(
    engine: Engine, clock: FakeClock, tmp_path: Path, ward: Ward, data_dir: Path, fresh: Session
) -> None:
    bound(ward)
    before = _conversation(engine, clock, tmp_path)
    preview = (await before.handle(Incoming(user=user("ha"), file=_file(data_dir, "000"))))[0]

    [state] = fresh.exec(select(ChatState)).all()
    [pending] = fresh.exec(select(PendingImport)).all()
    assert set(state.data) == {"pending", "sha256"}
    assert state.data["pending"] == pending.id
    assert pending.officer_id == ward.admin.id

    after = _conversation(engine, clock, tmp_path)  # the bot restarted
    replies = await after.handle(press("ha", Action.CONFIRM, preview.buttons[0][0].token))

    assert replies[0].lines[0].msgid.startswith("✅ Imported")
    fresh.expire_all()
    assert fresh.exec(select(PendingImport)).all() == []
    assert fresh.exec(select(ChatState)).all() == []
    assert len(fresh.exec(select(Plan)).all()) == 2  # the ward's own plan and this one


async def test_a_second_file_forgets_the_first_preview(
    engine: Engine, clock: FakeClock, tmp_path: Path, ward: Ward, data_dir: Path, fresh: Session
) -> None:
    bound(ward)
    conversation = _conversation(engine, clock, tmp_path)
    await conversation.handle(Incoming(user=user("ha"), file=_file(data_dir, "000")))
    await conversation.handle(Incoming(user=user("ha"), file=_file(data_dir, "001")))

    [pending] = fresh.exec(select(PendingImport)).all()
    assert pending.file_name == "001.txt"


async def test_cancelling_forgets_the_pending_import(
    engine: Engine, clock: FakeClock, tmp_path: Path, ward: Ward, data_dir: Path, fresh: Session
) -> None:
    bound(ward)
    conversation = _conversation(engine, clock, tmp_path)
    preview = (await conversation.handle(Incoming(user=user("ha"), file=_file(data_dir, "001"))))[
        0
    ]
    replies = await conversation.handle(press("ha", Action.CANCEL, preview.buttons[0][1].token))

    assert msgids(replies) == ["Import cancelled: nothing was stored."]
    assert fresh.exec(select(PendingImport)).all() == []


async def test_a_file_with_nothing_to_follow_up_is_refused_before_any_button(
    engine: Engine, clock: FakeClock, tmp_path: Path, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    conversation = _conversation(engine, clock, tmp_path)
    empty = IncomingFile(file_name="thu.txt", content="Kính gửi các đồng chí.".encode())

    replies = await conversation.handle(Incoming(user=user("ha"), file=empty))

    assert [reply.buttons for reply in replies] == [()]
    assert "nothing to follow up" in replies[0].lines[0].msgid
    assert fresh.exec(select(PendingImport)).all() == []


async def test_saying_cancel_during_a_preview_forgets_the_pending_import(
    engine: Engine, clock: FakeClock, tmp_path: Path, ward: Ward, data_dir: Path, fresh: Session
) -> None:
    bound(ward)
    conversation = _conversation(engine, clock, tmp_path)
    await conversation.handle(Incoming(user=user("ha"), file=_file(data_dir, "001")))

    replies = await conversation.handle(text("ha", "huỷ"))

    assert msgids(replies) == [messages.CANCELLED]
    assert fresh.exec(select(PendingImport)).all() == []
