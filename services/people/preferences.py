"""An officer's own preferences: the language the bot speaks to them."""

from sqlmodel import Session

from locales import N_, SUPPORTED
from models import Officer
from services.errors import DomainError


class UnknownLanguage(DomainError):
    msgid = N_("I speak vi (Tiếng Việt) and en (English): choose one, e.g. /lang en.")


def set_locale(session: Session, actor: Officer, locale: str) -> Officer:
    """Speak `locale` ("vi" or "en") to `actor` from now on."""
    locale = locale.strip().lower()
    if locale not in SUPPORTED:
        raise UnknownLanguage()
    actor.locale = locale
    session.add(actor)
    session.commit()
    return actor
