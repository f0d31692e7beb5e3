"""The date the law runs on: Beijing time, whatever the server's own time zone.

Deadlines, payment dates and "today" in court documents are Beijing dates. A server on UTC
would otherwise still be on yesterday until 08:00 in Jiaxing and refuse a payment made today.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    return datetime.now(BEIJING)


def today(at: datetime | None = None) -> date:
    """Beijing's calendar date now, or at the given aware moment."""
    return (at or now()).astimezone(BEIJING).date()
