"""The chat decides no role itself: each list and command asks a use case, which refuses with
the error the web's page or form gets for the same thing (`officers_for`, `units_for`,
`office_of`, `tasks_for`), at the same step."""

from datetime import date

from bot.conversation import messages
from bot.conversation.engine import Conversation
from services.errors import AdminOnly, NotAllowed
from tests.support.conversing import bound, msgids, text
from tests.support.ward import Ward


async def test_an_officer_narrows_overdue_work_as_his_question_does(
    conversation: Conversation, ward: Ward
) -> None:
    """/quahan CCVHXH lists Minh's unit's overdue work, as "CCVHXH có gì quá hạn?" does (it was
    refused: only the command checked the role, over what he may see anyway)."""
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 1))
    replies = await conversation.handle(text("minh", "/quahan CCVHXH"))
    assert msgids(replies)[0] == messages.TITLE_FOUND_LATE
    assert [line.params.get("code") for line in replies[0].lines[1:]] == ["1"]


async def test_who_may_read_what_is_the_use_cases_to_say(
    conversation: Conversation, ward: Ward
) -> None:
    bound(ward)
    asked = {
        ("minh", "/canbo"): [NotAllowed.msgid],
        ("minh", "/donvi"): [NotAllowed.msgid],
        ("minh", "/viec Tuấn"): [NotAllowed.msgid],
        ("minh", "/giaolai 1 Phòng không có"): [NotAllowed.msgid],  # before the unit is read
        ("lan", "/nhap"): [AdminOnly.msgid],  # the web's import page refuses her too
        ("ha", "/nhap"): [messages.IMPORT_HOWTO],
    }
    for (who, words), expected in asked.items():
        assert msgids(await conversation.handle(text(who, words))) == expected, words
    for words, title in (("/canbo", messages.TITLE_OFFICERS), ("/donvi", messages.TITLE_UNITS)):
        assert msgids(await conversation.handle(text("lan", words)))[0] == title, words
