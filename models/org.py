"""Organizations (wards), their units and aliases, and their officers."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.enums import Role, UnitKind
from models.types import StrEnumType, UtcDateTime


class Organization(SQLModel, table=True):
    """A ward or commune People's Committee: the tenant every other row belongs to."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    created_at: datetime = Field(sa_type=UtcDateTime())


class Unit(SQLModel, table=True):
    """A lead or coordinating body or role ("Công chức Văn hóa - Xã hội"), or a pseudo-unit."""

    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=300)
    kind: UnitKind = Field(
        default=UnitKind.BODY,
        sa_type=StrEnumType(UnitKind),
        sa_column_kwargs={"server_default": UnitKind.BODY.value},
    )
    external: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class UnitAlias(SQLModel, table=True):
    """Another printed form of a unit's name ("CCVHXH"); `folded` is the matching key."""

    __table_args__ = (UniqueConstraint("organization_id", "folded"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", index=True, ondelete="CASCADE")
    alias: str = Field(max_length=300)
    folded: str = Field(max_length=300)


class Officer(SQLModel, table=True):
    """A person of the organization: an officer, the chair or an admin of the office."""

    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    role: Role = Field(default=Role.OFFICER, sa_type=StrEnumType(Role))
    phone: str | None = Field(default=None, max_length=32)
    locale: str = Field(default="vi", max_length=8, sa_column_kwargs={"server_default": "vi"})
    active: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})
    is_demo: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    password_hash: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_type=UtcDateTime())


class OfficerUnit(SQLModel, table=True):
    """An officer's membership of a unit (an officer may serve several)."""

    officer_id: int = Field(foreign_key="officer.id", primary_key=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True, ondelete="CASCADE")
