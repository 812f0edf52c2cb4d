"""What the chair's dashboard keeps between loads, shared by every replica: each
organization's change stamp, and the last board rendered for each way of looking at it.

The stamp is not written by the code: triggers (migration 0014) raise an organization's
`version` whenever a row the dashboard reads changes, in the same transaction, whatever wrote
it (a use case, the command line, a bench's raw SQL). On PostgreSQL they fire at commit
(deferred), once per organization and transaction, so a stamp's row lock is held for the commit
only. A stored board is served only for the current version, the same local day and the same
build of the code.
"""

from sqlalchemy import Column, Date, Integer, String, Table, Text
from sqlmodel import SQLModel

# Core tables, not SQLModel classes: only bare SQL reads and writes them
# (services/tracking/board_store.py), and a class costs every command a few milliseconds.
board_stamp = Table(
    "boardstamp",
    SQLModel.metadata,
    Column("organization_id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
)
"""How many committed transactions changed what an organization's dashboard shows."""

board_cache = Table(
    "boardcache",
    SQLModel.metadata,
    Column("organization_id", Integer, primary_key=True, autoincrement=False),
    Column("view", String(32), primary_key=True),
    Column("build", String(32), nullable=False),
    Column("day", Date, nullable=False),
    Column("version", Integer, nullable=False),
    Column("html", Text, nullable=False),
)
"""The last dashboard rendered for one organization and view (role and language), with the
stamp, the day and the build it was made for."""
