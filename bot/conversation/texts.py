"""Free text, read once (`Turn.intent`): a question is answered, an action is done to the one
task it is about, and when that task is not clear the bot asks.

Which task a message is about: the task it names by code ("việc 7 xong rồi": that task, open or
closed, and never another; "việc 3 và 4 xong rồi" asks which of the two); else the task(s) of
the reminder it replies to; else the bot asks, listing the person's open tasks. A chair or an
admin answering an extension request decides it.
"""

import re
from dataclasses import replace
from typing import Final

from bot.conversation import acting, giving, lists, reporting
from bot.conversation.context import Turn
from bot.conversation.intents import ACTIONS, IntentKind
from bot.conversation.messages import (
    ASK_ACTION,
    ASK_DONE_OR_BLOCKED,
    DENIED_OK,
    GRANTED_OK,
    NAME_THE_TASK,
    NO_TASK,
    NOT_UNDERSTOOD,
    REMINDED,
    UNDO_TASK,
)
from bot.conversation.views import show_date
from models import ActionToken, TokenSubject
from plans.folding import fold, word_key
from plans.roman import QUARTER_NUMBERS, QUARTER_PATTERN
from services.access import is_manager
from services.conversing.replied import replied_tokens, tasks_replied_to
from services.messages import Button, Reply, Text, say
from services.tracking import asking, nudges, queries
from services.tracking.extensions import decide_extension
from services.tracking.giving import is_order

_DENY: Final = re.compile(
    r"\b(khong|chua|ko) (dong y|duyet|chap thuan|duoc)\b|\btu choi\b|\bdeny\b|\bgiu nguyen\b"
)
# A yes is a short message that only says yes ("ok em", "đồng ý nhé"): "ok để chị xem" is not.
_APPROVE: Final = re.compile(
    r"(dong y|duyet|chap thuan|nhat tri|approve|approved|ok|oke|okay|duoc|dc)"
    r"( (em|nhe|nha|a|roi|chi|anh|luon|cho em|cho gia han|gia han))*"
)
_QUARTER: Final = re.compile(QUARTER_PATTERN)
# "xong phần việc của em rồi", "đơn vị em xong rồi": the officer's own unit's share
_MY_SHARE: Final = re.compile(
    r"\b(phan( viec)?|don vi|ben|bo phan)( cua)? (em|toi|minh|chung em|chung toi)\b"
)
_HOW_MUCH: Final = re.compile(r"\bbao nhieu\b|\bti le\b|\bphan tram\b|\bmay phan\b")
_REMIND: Final = re.compile(
    r"(?i)\bnh[aắ]c\s+(?:l[aạ]i\s+)?(?:anh|ch[iị]|em|c[oô]|ch[uú]|b[aà]|[oô]ng)?\s*(.+)$"
)


def on_text(turn: Turn) -> list[Reply]:
    """Answer free text outside any flow."""
    decided = _answer_to_request(turn)
    if decided is not None:
        return decided
    kind = turn.intent.kind
    words = fold(turn.text)
    codes = asking.named_codes(turn.text)
    if is_manager(turn.actor) and reporting.asks_for_report(turn.text):
        # a message that names a task is about it: "báo cáo tiến độ việc 3" asks where task 3
        # stands, "gửi báo cáo quý 2" for a report
        return _status(turn) if codes else reporting.report(turn, turn.text)
    if is_manager(turn.actor) and is_order(turn.text) and turn.reply_to is None:
        return [giving.preview(turn, turn.text)]
    if kind is IntentKind.UNDO:
        return acting.take_back(turn, None)
    if kind is IntentKind.STATUS:
        return _status(turn)
    if kind is IntentKind.LIST_TASKS:
        return [lists.found_page(turn, 0, turn.text, late=False)]
    if kind is IntentKind.OVERDUE:
        return [lists.found_page(turn, 0, turn.text, late=True)]
    if kind is IntentKind.SUMMARY and codes:  # "tình hình việc 3": where task 3 stands
        return _status(turn)
    if kind is IntentKind.SUMMARY and _HOW_MUCH.search(words):
        return [lists.completion(turn, turn.text)]
    quarter = _QUARTER.search(words)
    if quarter is not None and kind in (IntentKind.SUMMARY, IntentKind.HELP, IntentKind.UNKNOWN):
        return [lists.quarter_page(turn, 0, str(QUARTER_NUMBERS[quarter.group(1)]))]
    if kind is IntentKind.SUMMARY:
        return [lists.summary(turn)]
    if kind is IntentKind.HELP:
        return lists.help_lines(turn)
    if kind is IntentKind.SNOOZE and is_manager(turn.actor):
        nudged = _nudge(turn)  # "nhắc anh Minh việc 3": Minh is reminded, nothing is snoozed
        if nudged is not None:
            return nudged
    named = codes[0] if codes else None
    each = [_named(turn, code) for code in codes]
    targets = [t for found in each for t in found] if codes else _replied(turn)
    if len(codes) > 1 and kind in ACTIONS:
        return _several(turn, codes, each)
    if kind is IntentKind.UNKNOWN:
        if len(targets) == 1 and (named or turn.reply_to is not None):
            return [acting.offer_actions(turn, targets[0], ASK_ACTION)]
        return [say(NOT_UNDERSTOOD)]
    assert kind in ACTIONS
    if not targets and named is None:
        if is_manager(turn.actor):
            return _managers_words(turn, kind)
        own = [item.occurrence_id for item in queries.items(turn.session, turn.actor)]
        if kind is IntentKind.BLOCKER and acting.RESOLVED.search(words):
            lifted = queries.open_blockers(turn.session, turn.actor)
            own = [item.occurrence_id for item in lifted] or own
        if not own:
            return [say(NO_TASK)]
        if kind is IntentKind.DONE and len(own) == 1 and _MY_SHARE.search(words):
            return acting.act(turn, turn.intent, own[0])  # the share of their one open task
        return [acting.ask_which(turn, own, turn.intent)]
    if kind is IntentKind.BLOCKER and acting.RESOLVED.search(words):
        blocked = {i.occurrence_id for i in queries.open_blockers(turn.session, turn.actor)}
        targets = [t for t in targets if t in blocked] or targets
    if not targets:
        return [say(NO_TASK)]
    if len(targets) > 1:
        return [acting.ask_which(turn, targets, turn.intent)]
    if turn.intent.unsure:
        return [acting.offer_actions(turn, targets[0], ASK_DONE_OR_BLOCKED)]
    return acting.act(turn, turn.intent, targets[0])


def _several(turn: Turn, codes: list[str], each: list[list[int]]) -> list[Reply]:
    """Several tasks named at once: "việc 3 và 4 xong rồi" closes each, in one message with a
    "↩️ Việc N" button for each (on Zalo, numbers 1 and 2: one meaning each); any other action
    ("việc 3 được 80%, việc 4 xong") is not guessed: the bot asks which task, then offers that
    task's actions."""
    if turn.intent.kind is not IntentKind.DONE or any(len(found) != 1 for found in each):
        return [acting.ask_which(turn, [t for found in each for t in found], None)]
    lines: list[Text] = []
    rows: list[tuple[Button, ...]] = []
    for code, found in zip(codes, each, strict=True):
        for reply in acting.act(turn, turn.intent, found[0]):
            lines += reply.lines
            rows += [
                (replace(button, label=Text(UNDO_TASK, {"code": code})),)
                for button in reply.all_buttons()
            ]
    return [Reply(lines=tuple(lines), buttons=tuple(rows))]


def _named(turn: Turn, code: str) -> list[int]:
    """The occurrences a change to task `code` is about; `TaskNotFound` when the person may
    see no task with that code."""
    return asking.acted_on(turn.session, turn.actor, code)


def _replied(turn: Turn) -> list[int]:
    if turn.reply_to is None:
        return []
    return tasks_replied_to(
        turn.session, turn.clock, turn.actor, channel=turn.via, message_id=turn.reply_to
    )


def _status(turn: Turn) -> list[Reply]:
    """A question about where things stand: a task's status, or the open blockers, or how much
    is done; never a change."""
    codes = asking.named_codes(turn.text)
    if codes:
        targets = [t for named in codes for t in asking.acted_on(turn.session, turn.actor, named)]
    else:
        targets = _replied(turn)
    if targets:
        lines = [line for target in targets[:5] for line in acting.status_lines(turn, target)]
        return [Reply(lines=tuple(lines))]
    topic = turn.intent.topic
    quarter = _QUARTER.search(fold(turn.text))
    if quarter is not None and topic is None:
        return [lists.quarter_page(turn, 0, str(QUARTER_NUMBERS[quarter.group(1)]))]
    if topic is IntentKind.BLOCKER:
        return [lists.blockers_page(turn, 0)]
    if topic is IntentKind.DONE and is_manager(turn.actor):
        return [lists.completion(turn, turn.text)]
    if topic in (IntentKind.DONE, IntentKind.PROGRESS):
        return [lists.tasks_page(turn, 0, "")]
    return [say(NAME_THE_TASK)]


def _nudge(turn: Turn) -> list[Reply] | None:
    """A manager's "nhắc anh Minh (làm việc 3)" when it names one of the organization's people:
    they are reminded now. None when no person is named ("nhắc chị chiều nay")."""
    found = _REMIND.search(turn.text)
    if found is None:
        return None
    nudged = nudges.remind_named(
        turn.session, turn.clock, turn.actor, found.group(1).strip(" .!?")
    )
    return None if nudged is None else [say(REMINDED, count=nudged.count, name=nudged.officer)]


def _managers_words(turn: Turn, kind: IntentKind) -> list[Reply]:
    """The chair's and the office's words that name no task: "vướng mắc" lists the open
    blockers, "nhắc Minh" reminds him now; an action needs the task named or replied to."""
    if kind is IntentKind.BLOCKER:
        return [lists.blockers_page(turn, 0)]
    named = _REMIND.search(turn.text)
    if kind is IntentKind.SNOOZE and named is not None:
        name = named.group(1).strip(" .!?")
        nudged = nudges.remind_now(turn.session, turn.clock, turn.actor, name)
        return [say(REMINDED, count=nudged.count, name=nudged.officer)]
    return [say(NAME_THE_TASK)]


def _answer_to_request(turn: Turn) -> list[Reply] | None:
    """“Đồng ý” or “không đồng ý” in reply to an extension request decides it."""
    if turn.reply_to is None or not is_manager(turn.actor):
        return None
    folded = word_key(turn.text)
    grant = False if _DENY.search(folded) else True if _APPROVE.fullmatch(folded) else None
    if grant is None:
        return None
    requests = replied_tokens(
        turn.session, turn.clock, turn.actor, TokenSubject.EXTENSION,
        channel=turn.via, message_id=turn.reply_to,
    )  # fmt: skip
    return decide(turn, requests[0], grant=grant) if requests else None


def decide(turn: Turn, row: ActionToken, *, grant: bool) -> list[Reply]:
    """The chair's (or an admin's) answer to the extension request `row` names."""
    assert row.event_id is not None
    decision = decide_extension(
        turn.session, turn.clock, turn.actor, row.event_id, grant=grant, via=turn.via
    )
    msgid = GRANTED_OK if decision.granted else DENIED_OK
    params = {
        "code": decision.task.code,
        "date": show_date(decision.until),
        "officer": decision.requester,
    }
    return [Reply(lines=(Text(msgid, params),))]
