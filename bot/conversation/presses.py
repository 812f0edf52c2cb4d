"""A button pressed (or a numbered choice answered on Zalo): its token is redeemed for the
person who pressed it, then the action is done to what the token names."""

from dataclasses import replace
from datetime import datetime

from bot.conversation import acting, commanding, giving, lists, plan_import, texts, waiting
from bot.conversation.context import Turn
from bot.conversation.incoming import Press
from bot.conversation.intents import Intent, IntentKind
from bot.conversation.messages import (
    ASK_ACTION,
    ASK_DATE,
    ASK_PERCENT,
    ASK_REASON,
    NOT_UNDERSTOOD,
)
from locales import N_
from models import ActionToken, TokenSubject
from services.access import redeem_token
from services.conversing import flows
from services.conversing.flows import Flow
from services.conversing.replied import replied_tokens
from services.messages import Action, Reply, say
from services.tracking.dashboard import task_of_occurrence

CHOICE_EXPIRED = N_("This choice has expired. Please send the file again.")
_ASKS = {
    Action.PROGRESS: (Flow.PROGRESS, ASK_PERCENT),
    Action.BLOCKER: (Flow.BLOCKER, ASK_REASON),
    Action.EXTEND: (Flow.EXTENSION, ASK_DATE),
}


def on_press(turn: Turn, press: Press) -> list[Reply]:
    """Answer one pressed button."""
    action = press.action
    if action is Action.UNDO:
        return acting.take_back(turn, press.token)
    if action in (Action.APPROVE, Action.DENY):
        row = _redeem(turn, press.token, TokenSubject.EXTENSION)
        return texts.decide(turn, row, grant=action is Action.APPROVE)
    if action in (Action.CONFIRM, Action.CANCEL):
        row = _redeem_any(turn, press.token, TokenSubject.IMPORT, TokenSubject.GIVE)
        if row.subject is TokenSubject.GIVE:
            if action is Action.CANCEL:
                return [giving.dismiss(turn, row)]
            return [giving.confirm(turn, row)]
        if action is Action.CANCEL:
            return [plan_import.cancel_import(turn, row)]
        return [
            plan_import.confirm_plan(turn, row)
        ]  # `confirm_pending` refuses anyone but an admin
    if action is Action.PAGE:
        return lists.turn_page(turn, _redeem(turn, press.token, TokenSubject.PAGE))
    if action is Action.CHOOSE:
        return _choose(turn, _redeem(turn, press.token, TokenSubject.CHOICE))
    row = _redeem(turn, press.token, TokenSubject.OCCURRENCE)
    assert row.occurrence_id is not None
    return _on_task(turn, action, row.occurrence_id)


def _on_task(turn: Turn, action: Action, occurrence_id: int) -> list[Reply]:
    if action is Action.OPEN:  # a task chosen from a digest's "Chọn việc" list
        return [acting.offer_actions(turn, occurrence_id, ASK_ACTION)]
    if action is Action.DONE:
        return _in_place(turn, acting.act(turn, Intent(IntentKind.DONE), occurrence_id))
    if action is Action.RESOLVE:
        return acting.lift(turn, occurrence_id)
    if action is Action.REOPEN:
        task_id = task_of_occurrence(turn.session, turn.actor, occurrence_id)
        return [commanding.reopened(turn, task_id)]
    if action is Action.SNOOZE:
        return [acting.snooze_choices(turn, occurrence_id)]
    flow = _ASKS.get(action)
    if flow is None:
        return [say(NOT_UNDERSTOOD)]
    return [acting.ask(turn, flow[0], flow[1], occurrence_id)]


def _in_place(turn: Turn, replies: list[Reply]) -> list[Reply]:
    """Answer in the pressed message itself when it was the reminder of this one task (its
    buttons then give way to the undo button); a digest of several tasks keeps its other
    buttons, so the answer is a new message."""
    pressed = turn.incoming.message_id
    if pressed is None or len(replies) != 1:
        return replies
    shown = replied_tokens(
        turn.session, turn.clock, turn.actor, TokenSubject.OCCURRENCE,
        channel=turn.via, message_id=pressed,
    )  # fmt: skip
    if len(shown) != 1:
        return replies
    return [replace(replies[0], edit_of=pressed)]


def _choose(turn: Turn, row: ActionToken) -> list[Reply]:
    data = row.data
    occurrence_id = int(str(data["occurrence_id"]))
    if data.get("do") == "snooze":
        return acting.snooze_until(turn, occurrence_id, datetime.fromisoformat(str(data["until"])))
    current = turn.waiting
    if data.get("do") == "evidence":
        if current is None or current.flow is not Flow.WHICH:
            return [say(CHOICE_EXPIRED)]
        return waiting.from_file(turn, current, occurrence_id)
    flows.finish(turn.session, turn.chat)
    intent = acting.intent_from(data.get("intent"))
    return acting.act(turn, intent, occurrence_id, words=str(data.get("text", "")))


def _redeem_any(turn: Turn, token: str, *subjects: TokenSubject) -> ActionToken:
    return redeem_token(turn.session, turn.clock, turn.actor, token, *subjects)


def _redeem(turn: Turn, token: str, subject: TokenSubject) -> ActionToken:
    return redeem_token(turn.session, turn.clock, turn.actor, token, subject)
