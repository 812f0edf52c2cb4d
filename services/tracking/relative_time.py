"""The ward's local time: dates people mean are read in Asia/Ho_Chi_Minh, stored in UTC."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.clock import Clock

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def local_now(clock: Clock) -> datetime:
    """The clock's instant in Việt Nam."""
    return clock.now().astimezone(TIMEZONE)


def local_today(clock: Clock) -> date:
    """Today in Việt Nam."""
    return local_now(clock).date()
