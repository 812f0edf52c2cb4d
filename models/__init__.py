"""SQLModel tables, the engine factory and the Alembic migrations. No business rules beyond
constraints."""

from sqlmodel import SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# The tables hold rows, not input to validate (a table model's __init__ validates nothing):
# pydantic builds a model's validator only if one is asked for, not the 27 tables' at each
# start (~30 ms of every command).
SQLModel.model_config["defer_build"] = True

import models.board  # noqa: E402, F401 - its tables in the metadata
from models.chat import ChannelIdentity, ChatState, Invite  # noqa: E402
from models.enums import (  # noqa: E402
    CLOSED_STATUSES,
    AssignmentRole,
    Channel,
    EventKind,
    OutboxKind,
    OutboxState,
    Role,
    TaskKind,
    TaskStatus,
    UnitKind,
)
from models.events import TaskEvent  # noqa: E402
from models.imports import PendingImport  # noqa: E402
from models.inbound import InboundUpdate  # noqa: E402
from models.org import Officer, OfficerUnit, Organization, Unit, UnitAlias  # noqa: E402
from models.outbox import Outbox  # noqa: E402
from models.plans import (  # noqa: E402
    Occurrence,
    Plan,
    PlanResponsibility,
    Share,
    Task,
    TaskAssignment,
)
from models.policy import CalendarDay, ReminderPolicy  # noqa: E402
from models.prompts import NumberedPrompt  # noqa: E402
from models.reminders import ItemKind, ReminderItem  # noqa: E402
from models.sign_in import SignInHold, WebSession  # noqa: E402
from models.tokens import ActionToken, TokenKey, TokenSubject  # noqa: E402
from models.web import WebMessage  # noqa: E402

__all__ = [
    "CLOSED_STATUSES",
    "ActionToken",
    "AssignmentRole",
    "CalendarDay",
    "Channel",
    "ChannelIdentity",
    "ChatState",
    "EventKind",
    "InboundUpdate",
    "Invite",
    "ItemKind",
    "NumberedPrompt",
    "Occurrence",
    "Officer",
    "OfficerUnit",
    "Organization",
    "Outbox",
    "OutboxKind",
    "OutboxState",
    "PendingImport",
    "Plan",
    "PlanResponsibility",
    "ReminderItem",
    "ReminderPolicy",
    "Role",
    "Share",
    "SignInHold",
    "Task",
    "TaskAssignment",
    "TaskEvent",
    "TaskKind",
    "TaskStatus",
    "TokenKey",
    "TokenSubject",
    "Unit",
    "UnitAlias",
    "UnitKind",
    "WebMessage",
    "WebSession",
]
