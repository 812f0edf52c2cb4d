"""The dashboard rendered once and served to every chair of the ward until something it shows
changes: the stamp the database raises on every such write (`models/board.py`), and the board
last rendered for it, shared by the replicas."""

from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from models import Officer
from services.access import require_manager

_STORED = text(
    "SELECT s.version, c.html FROM (SELECT :org AS organization_id) AS o"
    " LEFT JOIN boardstamp s ON s.organization_id = o.organization_id"
    " LEFT JOIN boardcache c ON c.organization_id = o.organization_id AND c.view = :view"
    " AND c.build = :build AND c.day = :day AND c.version = s.version"
)
_KEEP = text(
    "INSERT INTO boardcache (organization_id, view, build, day, version, html)"
    " VALUES (:org, :view, :build, :day, :version, :html)"
    " ON CONFLICT (organization_id, view) DO UPDATE SET build = excluded.build,"
    " day = excluded.day, version = excluded.version, html = excluded.html"
    " WHERE boardcache.version <= excluded.version"
)


def board_version(session: Session, organization_id: int) -> int:
    """The organization's change stamp: raised by every committed write the dashboard shows."""
    found = session.execute(
        text("SELECT version FROM boardstamp WHERE organization_id = :org"),
        {"org": organization_id},
    ).scalar()
    return int(found or 0)


def stored_board(
    session: Session, actor: Officer, view: str, day: date, build: str
) -> tuple[int, str | None]:
    """The organization's stamp now, and the board stored for `view` if it was rendered at that
    stamp, on `day`, by `build` (chair and admins); one statement."""
    require_manager(actor)
    row = session.execute(
        _STORED,
        {"org": actor.organization_id, "view": view, "build": build, "day": day},
    ).one()
    return int(row[0] or 0), row[1]


def keep_board(
    session: Session, actor: Officer, view: str, day: date, build: str, version: int, html: str
) -> None:
    """Store the board rendered for `view` from figures read after stamp `version` (a board of
    an older stamp never replaces a newer one)."""
    require_manager(actor)
    session.execute(
        _KEEP,
        {
            "org": actor.organization_id,
            "view": view,
            "build": build,
            "day": day,
            "version": version,
            "html": html,
        },
    )
    session.commit()
