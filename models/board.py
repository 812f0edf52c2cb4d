"""What the chair's dashboard keeps between loads, shared by every replica: each
organization's change stamp, and the last board rendered for each way of looking at it.

The stamp is not written by the code: triggers (migration 0014) raise an organization's
`version` whenever a row the dashboard reads changes, in the same transaction, whatever wrote
it (a use case, the command line, a bench's raw SQL). On PostgreSQL they fire at commit
(deferred), once per organization and transaction, so a stamp's row lock is held for the commit
only. A stored board is served only for the current version, the same local day and the same
build of the code.
"""

from datetime import date

from sqlalchemy import Text
from sqlmodel import Field, SQLModel


class BoardStamp(SQLModel, table=True):
    """How many committed transactions changed what an organization's dashboard shows."""

    organization_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    version: int = 0


class BoardCache(SQLModel, table=True):
    """The last dashboard rendered for one organization and view (role and language), with the
    stamp, the day and the build it was made for."""

    organization_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    view: str = Field(primary_key=True, max_length=32)
    build: str = Field(max_length=32)
    day: date
    version: int
    html: str = Field(sa_type=Text)
