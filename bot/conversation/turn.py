"""One update being answered: who, in which session, with which clock; and the helpers every
part of the answer shares (tokens, the task a message is about)."""

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from sqlmodel import Session, col, select

from bot.conversation.incoming import Incoming
from bot.conversation.intents import (
    Intent,
    IntentKind,
)
from locales import DEFAULT_LOCALE
from models import (
    ActionToken,
    Officer,
    Organization,
    Outbox,
    TokenSubject,
)
from plans.folding import fold
from services.access import access_occurrence, is_manager
from services.clock import Clock
from services.tokens import issue_token, redeem_token
from services.tracking import queries
from services.tracking.tasks import (
    TaskRef,
)

_TASK_CODE: Final = re.compile(
    r"\b(?:viec|task|nhiem vu|muc|stt)\s*(?:so\s*)?([0-9ivx]+(?:\.[0-9a-z]+)*)\b"
)


@dataclass(frozen=True, slots=True)
class Settings:
    """What the conversation needs from the configuration."""

    bot_username: str | None
    evidence_dir: Path
    default_locale: str = DEFAULT_LOCALE


class TurnBase:
    """One update being answered, inside one session."""

    def __init__(
        self, session: Session, clock: Clock, settings: Settings, incoming: Incoming
    ) -> None:
        self.session = session
        self.clock = clock
        self.settings = settings
        self.incoming = incoming
        self.user = incoming.user
        self.via = incoming.user.channel
        self._actor: Officer | None = None

    @property
    def actor(self) -> Officer:
        assert self._actor is not None
        return self._actor

    # --- helpers ---------------------------------------------------------------------------

    def _targets(self) -> list[int]:
        """The occurrences a free-text action is about: those of the reminder replied to, else
        the officer's own open ones (a chair or admin must reply to a message)."""
        reply_to = self.incoming.reply_to
        if reply_to is not None:
            return self._replied_occurrences(reply_to)
        if is_manager(self.actor):
            return []
        return [item.occurrence_id for item in queries.items(self.session, self.actor)]

    def _named(self, text: str) -> list[int]:
        """The open occurrences of the task a message names by its code ("xong việc 2.1")."""
        found = _TASK_CODE.search(fold(text))
        if found is None:
            return []
        code = found.group(1).upper()
        return [
            item.occurrence_id
            for item in queries.items(self.session, self.actor)
            if item.code.upper() == code
        ]

    def _replied_occurrences(self, reply_to: str) -> list[int]:
        ids: list[int] = []
        for row in self._replied_tokens(reply_to, TokenSubject.OCCURRENCE):
            if row.occurrence_id is not None and row.occurrence_id not in ids:
                ids.append(row.occurrence_id)
        open_ = {item.occurrence_id for item in queries.items(self.session, self.actor)}
        return [i for i in ids if i in open_] or ids

    def _replied_tokens(self, reply_to: str, subject: TokenSubject) -> list[ActionToken]:
        """The live tokens of `subject` addressed to the actor in the message replied to, in the
        order the message shows them."""
        rows = self.session.exec(
            select(Outbox).where(
                Outbox.platform_message_id == reply_to,
                Outbox.officer_id == self.actor.id,
                Outbox.channel == self.incoming.user.channel,
            )
        ).all()
        tokens = list(dict.fromkeys(token for row in rows for token in _tokens_in(row.payload)))
        if not tokens:
            return []
        found = self.session.exec(
            select(ActionToken).where(
                col(ActionToken.token).in_(tokens),
                ActionToken.officer_id == self.actor.id,
                ActionToken.subject == subject,
                col(ActionToken.expires_at) > self.clock.now(),
            )
        ).all()
        return sorted(found, key=lambda r: tokens.index(r.token))

    def _redeem(self, token: str, subject: TokenSubject) -> ActionToken:
        return redeem_token(self.session, self.clock, self.actor, token, subject)

    def _occurrence_token(self, occurrence_id: int) -> str:
        return issue_token(
            self.session, self.clock, self.actor, TokenSubject.OCCURRENCE,
            occurrence_id=occurrence_id,
        )  # fmt: skip

    def _choice(self, data: dict[str, object]) -> str:
        return issue_token(self.session, self.clock, self.actor, TokenSubject.CHOICE, data=data)

    def _ref(self, occurrence_id: int) -> TaskRef:
        occurrence, task = access_occurrence(self.session, self.actor, occurrence_id)
        return TaskRef.of(occurrence, task)

    def _org(self) -> Organization:
        org = self.session.get(Organization, self.actor.organization_id)
        assert org is not None
        return org


class _Turner:
    """Issues the token of another page of a list (addressed to whoever asked)."""

    def __init__(self, turn: "TurnBase", view: str, args: dict[str, object]) -> None:
        self._turn = turn
        self._view = view
        self._args = args

    def __call__(self, page: int) -> str:
        token = issue_token(
            self._turn.session,
            self._turn.clock,
            self._turn.actor,
            TokenSubject.PAGE,
            data={"view": self._view, "page": page, **self._args},
        )
        self._turn.session.commit()
        return token


_EIGHT: Final = datetime.min.time().replace(hour=8)


def _tokens_in(payload: object) -> list[str]:
    """Every button token a reminder's payload carries (digest items, buttons)."""
    found: list[str] = []
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key == "token" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(_tokens_in(value))
    elif isinstance(payload, list):
        for value in payload:
            found.extend(_tokens_in(value))
    return found


def _intent_json(intent: Intent) -> dict[str, object]:
    return {
        "kind": intent.kind.value,
        "percent": intent.percent,
        "date": intent.date.isoformat() if intent.date else None,
        "reason": intent.reason,
        "until": intent.until.isoformat() if intent.until else None,
    }


def _intent_from(data: object) -> Intent:
    if not isinstance(data, dict):
        return Intent(IntentKind.UNKNOWN)
    from datetime import date

    percent = data.get("percent")
    day = data.get("date")
    until = data.get("until")
    reason = data.get("reason")
    return Intent(
        IntentKind(str(data.get("kind", "unknown"))),
        percent=int(percent) if isinstance(percent, int) else None,
        date=date.fromisoformat(day) if isinstance(day, str) else None,
        reason=reason if isinstance(reason, str) else None,
        until=datetime.fromisoformat(until) if isinstance(until, str) else None,
    )


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
