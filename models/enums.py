"""The string enums of the data model: each value is what the database stores."""

from enum import StrEnum
from typing import Final


class Role(StrEnum):
    """What an officer may do across the organization."""

    OFFICER = "officer"
    CHAIR = "chair"
    ADMIN = "admin"


class Channel(StrEnum):
    """Where a person is reached."""

    TELEGRAM = "telegram"
    ZALO = "zalo"
    WEB = "web"
    CONSOLE = "console"


class UnitKind(StrEnum):
    """A real body, or one of the pseudo-units that plans name without naming anyone."""

    BODY = "body"
    ALL = "all"
    RELATED = "related"


class TaskKind(StrEnum):
    """A row of the plan's table, or a duty the plan states in its text (a periodic report)."""

    TASK = "task"
    OBLIGATION = "obligation"
    DUTY = "duty"
    """A standing duty "Tổ chức thực hiện" gives a unit, in a plan without a task table."""


class TaskStatus(StrEnum):
    """Where a task (or one occurrence of it) stands."""

    OPEN = "open"
    DONE = "done"
    BLOCKED = "blocked"
    AWAITING_DIRECTION = "awaiting_direction"
    CANCELLED = "cancelled"


CLOSED_STATUSES: Final = frozenset((TaskStatus.DONE, TaskStatus.CANCELLED))
"""Done or cancelled: nothing is left to do, to remind or to count as open (for a task, an
occurrence or a unit's share of one)."""


class AssignmentRole(StrEnum):
    """Leads the task (chủ trì) or coordinates (phối hợp)."""

    LEAD = "lead"
    COORDINATOR = "coordinator"


class EventKind(StrEnum):
    """What happened to a task; the history is append-only."""

    CREATED = "created"
    UPDATED = "updated"
    DONE = "done"
    REOPENED = "reopened"
    PROGRESS = "progress"
    BLOCKER_REPORTED = "blocker_reported"
    BLOCKER_RESOLVED = "blocker_resolved"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_GRANTED = "extension_granted"
    EXTENSION_DENIED = "extension_denied"
    SNOOZED = "snoozed"
    COMMENT = "comment"
    EVIDENCE = "evidence"
    REMINDED = "reminded"
    CANCELLED = "cancelled"
    UNDONE = "undone"


class OutboxKind(StrEnum):
    """Why a message is sent."""

    REMINDER = "reminder"
    DIGEST = "digest"
    ESCALATION = "escalation"
    REPLY = "reply"
    REPORT = "report"
    NOTICE = "notice"


class OutboxState(StrEnum):
    """A message's way through the dispatcher."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"
