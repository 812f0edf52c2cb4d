"""Acting on a task from free text, a flow's answer, a choice or a file: classify, find the task,
ask what is missing, call the use case."""

import base64
import re
from datetime import datetime, timedelta
from typing import Final

from bot.conversation import flows
from bot.conversation.flows import Flow, Waiting
from bot.conversation.incoming import IncomingFile
from bot.conversation.intents import (
    ACTIONS,
    Intent,
    IntentKind,
    classify,
    relative_day,
    snooze_until,
)
from bot.conversation.lists import Lists
from bot.conversation.messages import (
    ASK_ACTION,
    ASK_DATE,
    ASK_DATE_AGAIN,
    ASK_DONE_OR_BLOCKED,
    ASK_PERCENT,
    ASK_PERCENT_AGAIN,
    ASK_REASON,
    ASK_WHEN,
    ASK_WHEN_AGAIN,
    ASK_WHICH,
    BLOCKER_OK,
    CANCELLED,
    CHOICE_LABEL,
    CHOICE_LINE,
    DENIED_OK,
    DONE_OK,
    EVIDENCE_OK,
    EVIDENCE_WHICH,
    EXTENSION_OK,
    GRANTED_OK,
    NAME_THE_TASK,
    NO_TASK,
    NOT_UNDERSTOOD,
    PROGRESS_OK,
    REMINDED,
    RESOLVED_OK,
    SNOOZE_CHOICES,
    SNOOZE_OK,
)
from bot.conversation.plan_import import preview_plan
from bot.conversation.turn import _EIGHT, _as_list, _intent_from, _intent_json
from bot.conversation.views import (
    show_date,
)
from locales import N_
from models import (
    ActionToken,
    Role,
    TokenSubject,
)
from plans.folding import fold
from plans.relative import TIMEZONE
from services.access import access_occurrence, is_manager
from services.errors import EmptyText
from services.messages import Action, Button, Reply, Text, say, task_buttons
from services.tracking import queries
from services.tracking.evidence import attach_evidence
from services.tracking.extensions import decide_extension, request_extension
from services.tracking.tasks import (
    mark_done,
    record_progress,
    report_blocker,
    resolve_blocker,
    snooze,
)

MAX_CHOICES: Final = 8
CANCEL_WORDS: Final = frozenset(("huy", "thoi", "cancel", "bo qua", "khong", "stop"))
BARE_KEYWORDS: Final = frozenset(("vuong", "vuong mac", "kho khan", "bao vuong", "stuck"))

_RESOLVED: Final = re.compile(
    r"\b(het|khong con|da go|go xong|da giai quyet|giai quyet xong|xu ly xong)( duoc)? "
    r"(vuong|kho khan)"
    r"|\b(vuong|kho khan)( \w+)? (da|duoc) (go|giai quyet|xu ly)"
)
_DENY: Final = re.compile(
    r"\b(khong|chua|ko) (dong y|duyet|chap thuan|duoc)\b|\btu choi\b|\bdeny\b|\bgiu nguyen\b"
)
# A yes is a short message that only says yes ("ok em", "đồng ý nhé"): "ok để chị xem" is not.
_APPROVE: Final = re.compile(
    r"(dong y|duyet|chap thuan|nhat tri|approve|approved|ok|oke|okay|duoc|dc)"
    r"( (em|nhe|nha|a|roi|chi|anh|luon|cho em|cho gia han|gia han))*"
)
_QUERIES: Final = frozenset(
    (IntentKind.LIST_TASKS, IntentKind.OVERDUE, IntentKind.SUMMARY, IntentKind.HELP)
)
_FLOW_KINDS: Final = {
    Flow.PROGRESS: IntentKind.PROGRESS,
    Flow.BLOCKER: IntentKind.BLOCKER,
    Flow.EXTENSION: IntentKind.EXTENSION,
    Flow.SNOOZE: IntentKind.SNOOZE,
}
_QUARTERS: Final = {"1": 1, "2": 2, "3": 3, "4": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER: Final = re.compile(r"\bquy (1|2|3|4|iv|iii|ii|i)\b")
_REMIND: Final = re.compile(
    r"(?i)\bnh[aắ]c\s+(?:l[aạ]i\s+)?(?:anh|ch[iị]|em|c[oô]|ch[uú]|b[aà]|[oô]ng)?\s*(.+)$"
)


class Acting(Lists):
    """Officer actions of a turn."""

    def _ask(
        self, flow: Flow, msgid: str, occurrence_id: int, data: dict[str, object] | None = None
    ) -> Reply:
        _, task = access_occurrence(self.session, self.actor, occurrence_id)
        flows.start(
            self.session,
            self.clock,
            self.user,
            flow,
            {"occurrence_id": occurrence_id, **(data or {})},
        )
        return say(msgid, code=task.code, title=task.title)

    def _snooze_choices(self, occurrence_id: int) -> Reply:
        _, task = access_occurrence(self.session, self.actor, occurrence_id)
        now = self.clock.now()
        local = now.astimezone(TIMEZONE)
        tomorrow = datetime.combine(local.date() + timedelta(days=1), _EIGHT, TIMEZONE)
        monday = datetime.combine(
            local.date() + timedelta(days=7 - local.weekday()), _EIGHT, TIMEZONE
        )
        moments = {"hours": now + timedelta(hours=2), "tomorrow": tomorrow, "monday": monday}
        buttons = tuple(
            Button(
                Action.CHOOSE,
                self._choice({"do": "snooze", "occurrence_id": occurrence_id,
                              "until": moments[key].isoformat()}),
                Text(label),
            )
            for label, key in SNOOZE_CHOICES
        )  # fmt: skip
        flows.start(
            self.session, self.clock, self.user, Flow.SNOOZE, {"occurrence_id": occurrence_id}
        )
        return Reply(
            lines=(Text(ASK_WHEN, {"code": task.code, "title": task.title}),), buttons=(buttons,)
        )

    def _choose(self, row: ActionToken) -> list[Reply]:
        data = row.data
        occurrence_id = int(str(data["occurrence_id"]))
        if data.get("do") == "snooze":
            until = datetime.fromisoformat(str(data["until"]))
            return self._snooze(occurrence_id, until)
        waiting = flows.current(self.session, self.clock, self.user)
        if data.get("do") == "evidence":
            if waiting is None or waiting.flow is not Flow.WHICH:
                return [say(N_("This choice has expired. Please send the file again."))]
            return self._evidence_from_flow(waiting, occurrence_id)
        intent = _intent_from(data.get("intent"))
        text = str(data.get("text", ""))
        flows.finish(self.session, self.user)
        return self._act(intent, occurrence_id, text)

    # --- free text and flows ---------------------------------------------------------------

    def _decide(self, row: ActionToken, *, grant: bool) -> list[Reply]:
        """The chair's (or an admin's) answer to the extension request `row` names."""
        assert row.event_id is not None
        decision = decide_extension(
            self.session, self.clock, self.actor, row.event_id, grant=grant, via=self.via
        )
        msgid = GRANTED_OK if decision.granted else DENIED_OK
        return [
            say(
                msgid,
                code=decision.task.code,
                date=show_date(decision.until),
                officer=decision.requester,
            )
        ]

    def _answer_to_request(self, text: str) -> list[Reply] | None:
        """“Đồng ý” or “không đồng ý” in reply to an extension request decides it."""
        if self.incoming.reply_to is None or not is_manager(self.actor):
            return None
        folded = " ".join(re.findall(r"[a-z0-9]+", fold(text)))
        grant = False if _DENY.search(folded) else True if _APPROVE.fullmatch(folded) else None
        if grant is None:
            return None
        requests = self._replied_tokens(self.incoming.reply_to, TokenSubject.EXTENSION)
        return self._decide(requests[0], grant=grant) if requests else None

    def _free_text(self, text: str) -> list[Reply]:
        decided = self._answer_to_request(text)
        if decided is not None:
            return decided
        intent = classify(text, now=self.clock.now())
        kind = intent.kind
        if kind is IntentKind.LIST_TASKS:
            return [self._tasks_page(0, "")]
        if kind is IntentKind.OVERDUE:
            return [self._overdue_page(0)]
        quarter = _QUARTER.search(fold(text))
        if quarter is not None and kind in (
            IntentKind.SUMMARY,
            IntentKind.HELP,
            IntentKind.UNKNOWN,
        ):
            return [self._quarter_page(0, str(_QUARTERS[quarter.group(1)]))]
        if kind is IntentKind.SUMMARY:
            return [self._summary()]
        if kind is IntentKind.HELP:
            return self._help()
        targets = self._named(text) or self._targets()
        if kind is IntentKind.UNKNOWN:
            if len(targets) == 1 and self.incoming.reply_to is not None:
                return [self._offer_actions(targets[0], ASK_ACTION)]
            return [say(NOT_UNDERSTOOD)]
        assert kind in ACTIONS
        if kind is IntentKind.BLOCKER and _RESOLVED.search(fold(text)):
            targets = [t for t in targets if t in self._blocked()]
        if not targets and is_manager(self.actor):
            return self._managers_words(kind, text)
        if not targets:
            return [say(NO_TASK)]
        if len(targets) > 1:
            return [self._ask_which(targets, intent, text)]
        if intent.unsure:
            return [self._offer_actions(targets[0], ASK_DONE_OR_BLOCKED)]
        return self._act(intent, targets[0], text)

    def _blocked(self) -> set[int]:
        return {item.occurrence_id for item in queries.open_blockers(self.session, self.actor)}

    def _managers_words(self, kind: IntentKind, text: str) -> list[Reply]:
        """The chair's and the office's questions in words: "vướng mắc gì?" lists the open
        blockers, "nhắc Minh" reminds him now; an action needs the task named or replied to."""
        if kind is IntentKind.BLOCKER:
            return [self._blockers_page(0)]
        named = _REMIND.search(text)
        if kind is IntentKind.SNOOZE and named is not None:
            name = named.group(1).strip(" .!?")
            count = queries.remind_now(self.session, self.clock, self.actor, name)
            officer = queries.find_officer(self.session, self._org(), name)
            return [say(REMINDED, count=count, name=officer.name)]
        return [say(NAME_THE_TASK)]

    def _continue(self, waiting: Waiting, text: str) -> list[Reply]:
        if fold(text).strip(" .!") in CANCEL_WORDS:
            flows.finish(self.session, self.user)
            return [say(CANCELLED)]
        data = waiting.data
        other = classify(text, now=self.clock.now()).kind
        if waiting.flow is Flow.IMPORT:
            if other in _QUERIES:
                return self._free_text(text)  # the preview keeps waiting for its button
            return [say(N_("Please press ✅ Confirm or ❌ Cancel under the preview."))]
        if other in _QUERIES or (other in ACTIONS and other is not _expects(waiting)):
            flows.finish(self.session, self.user)  # the person moved on: answer what they say
            return self._free_text(text)
        if waiting.flow is Flow.WHICH:
            return self._which_answer(waiting, text)
        occurrence_id = int(str(data["occurrence_id"]))
        now = self.clock.now()
        if waiting.flow is Flow.PROGRESS:
            percent = classify(text, now=now).percent
            bare = re.fullmatch(r"\s*(\d{1,3})\s*%?\s*", text)
            if percent is None and bare is not None:
                percent = int(bare.group(1))
            if percent is None or percent > 100:
                return [say(ASK_PERCENT_AGAIN)]
            return self._act(Intent(IntentKind.PROGRESS, percent=percent), occurrence_id, text)
        if waiting.flow is Flow.BLOCKER:
            return self._act(Intent(IntentKind.BLOCKER, reason=text), occurrence_id, text)
        if waiting.flow is Flow.EXTENSION:
            day = relative_day(text, now=now)
            if day is None:
                return [say(ASK_DATE_AGAIN)]
            reason = classify(text, now=now).reason or text
            return self._act(
                Intent(IntentKind.EXTENSION, date=day, reason=reason), occurrence_id, text
            )
        assert waiting.flow is Flow.SNOOZE
        until = snooze_until(text, now=now)
        if until is None:
            return [say(ASK_WHEN_AGAIN)]
        return self._snooze(occurrence_id, until)

    def _which_answer(self, waiting: Waiting, text: str) -> list[Reply]:
        choices = [int(str(i)) for i in _as_list(waiting.data.get("choices"))]
        number = re.fullmatch(r"\s*(\d{1,2})\s*\.?\s*", text)
        if number is None or not 1 <= int(number.group(1)) <= len(choices):
            return [say(N_("Please reply with a number from 1 to {count}."), count=len(choices))]
        occurrence_id = choices[int(number.group(1)) - 1]
        if waiting.data.get("file") is not None:
            return self._evidence_from_flow(waiting, occurrence_id)
        flows.finish(self.session, self.user)
        intent = _intent_from(waiting.data.get("intent"))
        return self._act(intent, occurrence_id, str(waiting.data.get("text", "")))

    def _ask_which(
        self,
        targets: list[int],
        intent: Intent | None,
        text: str,
        *,
        file: dict[str, object] | None = None,
    ) -> Reply:
        shown = targets[:MAX_CHOICES]
        refs = [self._ref(occurrence_id) for occurrence_id in shown]
        data: dict[str, object] = {"choices": shown, "text": text}
        if intent is not None:
            data["intent"] = _intent_json(intent)
        if file is not None:
            data["file"] = file
        flows.start(self.session, self.clock, self.user, Flow.WHICH, data)
        lines = [Text(EVIDENCE_WHICH if file else ASK_WHICH)]
        buttons = []
        for n, ref in enumerate(refs, start=1):
            lines.append(Text(CHOICE_LINE, {"n": n, "code": ref.code, "title": ref.title}))
            payload: dict[str, object] = {"occurrence_id": ref.occurrence_id, "text": text}
            if file is not None:
                payload["do"] = "evidence"
            elif intent is not None:
                payload["intent"] = _intent_json(intent)
            buttons.append(
                (
                    Button(
                        Action.CHOOSE,
                        self._choice(payload),
                        Text(CHOICE_LABEL, {"n": n, "code": ref.code}),
                    ),
                )
            )
        self.session.commit()
        return Reply(lines=tuple(lines), buttons=tuple(buttons))

    def _offer_actions(self, occurrence_id: int, msgid: str) -> Reply:
        ref = self._ref(occurrence_id)
        token = self._occurrence_token(occurrence_id)
        self.session.commit()
        return Reply(
            lines=(Text(msgid, {"code": ref.code, "title": ref.title}),),
            buttons=task_buttons(token),
        )

    # --- acting ----------------------------------------------------------------------------

    def _act(self, intent: Intent, occurrence_id: int, text: str) -> list[Reply]:
        session, clock, actor, via = self.session, self.clock, self.actor, self.via
        kind = intent.kind
        if kind is IntentKind.DONE:
            ref = mark_done(session, clock, actor, occurrence_id, via=via)
            flows.finish(session, self.user)
            return [say(DONE_OK, code=ref.code, title=ref.title)]
        if kind is IntentKind.PROGRESS:
            if intent.percent is None:
                return [self._ask(Flow.PROGRESS, ASK_PERCENT, occurrence_id)]
            comment = text if text and not re.fullmatch(r"\s*\d{1,3}\s*%?\s*", text) else None
            ref = record_progress(
                session, clock, actor, occurrence_id, percent=intent.percent, comment=comment,
                via=via,
            )  # fmt: skip
            flows.finish(session, self.user)
            return [say(PROGRESS_OK, code=ref.code, title=ref.title, percent=intent.percent)]
        if kind is IntentKind.BLOCKER and _RESOLVED.search(fold(text)):
            ref = resolve_blocker(session, clock, actor, occurrence_id, note=text, via=via)
            flows.finish(session, self.user)
            return [say(RESOLVED_OK, code=ref.code, title=ref.title)]
        if kind is IntentKind.BLOCKER:
            reason = (intent.reason or "").strip()
            if not reason or fold(reason).strip(" .:!") in BARE_KEYWORDS:
                return [self._ask(Flow.BLOCKER, ASK_REASON, occurrence_id)]
            ref = report_blocker(session, clock, actor, occurrence_id, reason=reason, via=via)
            flows.finish(session, self.user)
            return [say(BLOCKER_OK, code=ref.code, reason=reason)]
        if kind is IntentKind.EXTENSION:
            if intent.date is None:
                return [self._ask(Flow.EXTENSION, ASK_DATE, occurrence_id)]
            ref = request_extension(
                session, clock, actor, occurrence_id, until=intent.date,
                reason=intent.reason or text or "—", via=via,
            )  # fmt: skip
            flows.finish(session, self.user)
            return [say(EXTENSION_OK, code=ref.code, date=show_date(intent.date))]
        assert kind is IntentKind.SNOOZE
        if intent.until is None:
            return [self._snooze_choices(occurrence_id)]
        return self._snooze(occurrence_id, intent.until)

    def _snooze(self, occurrence_id: int, until: datetime) -> list[Reply]:
        ref = snooze(
            self.session, self.clock, self.actor, occurrence_id, until=until, via=self.via
        )
        flows.finish(self.session, self.user)
        when = until.astimezone(TIMEZONE).strftime("%H:%M %d/%m/%Y")
        return [say(SNOOZE_OK, code=ref.code, when=when)]

    # --- files -----------------------------------------------------------------------------

    def _file(self, file: IncomingFile) -> list[Reply]:
        if (
            self.actor.role is Role.ADMIN
            and self.incoming.reply_to is None
            and flows.current(self.session, self.clock, self.user) is None
        ):
            return [preview_plan(self.session, self.clock, self.actor, self.user, file)]
        targets = self._targets()
        if not targets:
            return [say(NO_TASK)]
        if len(targets) == 1:
            return self._evidence(targets[0], file.file_name, file.content, file.media_type)
        stored: dict[str, object] = {
            "name": file.file_name,
            "media_type": file.media_type,
            "content": base64.b64encode(file.content).decode("ascii"),
        }
        return [self._ask_which(targets, None, "", file=stored)]

    def _evidence_from_flow(self, waiting: Waiting, occurrence_id: int) -> list[Reply]:
        stored = waiting.data.get("file")
        if not isinstance(stored, dict):
            raise EmptyText()
        flows.finish(self.session, self.user)
        return self._evidence(
            occurrence_id,
            str(stored.get("name", "file")),
            base64.b64decode(str(stored.get("content", ""))),
            None if stored.get("media_type") is None else str(stored["media_type"]),
        )

    def _evidence(
        self, occurrence_id: int, name: str, content: bytes, media_type: str | None
    ) -> list[Reply]:
        ref = attach_evidence(
            self.session, self.clock, self.actor, occurrence_id, file_name=name,
            content=content, media_type=media_type, store=self.settings.evidence_dir,
            via=self.via,
        )  # fmt: skip
        return [say(EVIDENCE_OK, file_name=name, code=ref.code)]


def _expects(waiting: Waiting) -> IntentKind | None:
    """The kind of message a flow waits for (a "which task" flow: the kind it was asked for)."""
    if waiting.flow is Flow.WHICH:
        return _intent_from(waiting.data.get("intent")).kind
    return _FLOW_KINDS.get(waiting.flow)
