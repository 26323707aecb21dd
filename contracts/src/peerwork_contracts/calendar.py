"""Effective dates (``occurred_at``) are calendar days in France."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

FRANCE = ZoneInfo("Europe/Paris")


def today() -> date:
    return datetime.now(FRANCE).date()
