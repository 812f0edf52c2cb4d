"""A plan dated beyond the calendar in chat: the preview flags its rows naming the phrase, says
in one line that it cannot be stored, and offers only ❌; nothing is stored."""

from pathlib import Path

from sqlmodel import Session, select

from bot.conversation.engine import Conversation
from bot.conversation.incoming import Incoming, IncomingFile
from models import Plan
from plans.flags import FLAG_SENTENCES
from plans.storable import BEYOND_CALENDAR
from services.messages import Action, render_lines
from tests.support.conversing import bound, msgids, press, user
from tests.support.ward import Ward


async def test_a_plan_dated_beyond_the_calendar_is_flagged_and_offers_no_confirmation(
    conversation: Conversation, ward: Ward, data_dir: Path, fresh: Session
) -> None:
    bound(ward)
    seed = sorted((data_dir / "seeds").glob("001_*.txt"))[0]
    content = seed.read_text("utf-8").replace("2025", "9999").encode("utf-8")
    file = IncomingFile(file_name="ke-hoach.txt", content=content)
    preview = (await conversation.handle(Incoming(user=user("ha"), file=file)))[0]
    flagged = [line for line in preview.lines if line.msgid == FLAG_SENTENCES[BEYOND_CALENDAR]]
    assert flagged
    assert {"phrase", "year"} <= set(flagged[0].params)
    before = len(fresh.exec(select(Plan)).all())
    said = render_lines("vi", preview)
    assert "mà lịch của dondoc tính được: phải sửa" in said
    assert said.splitlines()[-1].startswith("Chưa lưu gì: “")  # in place of "Nhập kế hoạch này?"
    [[cancel]] = preview.buttons  # nothing to confirm
    assert cancel.action is Action.CANCEL
    replies = await conversation.handle(press("ha", Action.CANCEL, cancel.token))
    msgids(replies)  # translated
    assert len(fresh.exec(select(Plan)).all()) == before
