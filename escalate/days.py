"""Counting days: calendar days, months and years, school days and business days.

A school day is a weekday that is not a US federal holiday (the ``holidays`` library) nor a
closure the case lists (``school_closures``: breaks, teacher workdays, snow days); a business
day is a weekday that is not a US federal holiday. The service does not know a district's
own calendar, so every label built on these says what was skipped.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

UNITS = ("days", "school_days", "business_days", "months", "years")
WEEKDAY_UNITS = ("school_days", "business_days")


@lru_cache(maxsize=64)
def federal_holidays(year: int) -> frozenset[dt.date]:
    """The US federal holidays of ``year``, observed days included."""
    return frozenset(holidays.country_holidays("US", years=year))


def is_business_day(day: dt.date) -> bool:
    """A weekday that is not a US federal holiday."""
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def is_school_day(day: dt.date, closures: frozenset[dt.date] = frozenset()) -> bool:
    """A business day on which the school is not closed."""
    return is_business_day(day) and day not in closures


def add_length(start: dt.date, amount: int, unit: str,
               closures: frozenset[dt.date] = frozenset()) -> dt.date:
    """``start`` plus ``amount`` of ``unit``. A year or month from the 29th/30th/31st ends on
    the last day of a shorter month (the earlier reading, never a day the family may not
    have)."""
    if unit == "years":
        return start + relativedelta(years=amount)
    if unit == "months":
        return start + relativedelta(months=amount)
    if unit in WEEKDAY_UNITS:
        day, left = start, amount
        while left > 0:
            day += dt.timedelta(days=1)
            if (is_school_day(day, closures) if unit == "school_days"
                    else is_business_day(day)):
                left -= 1
        return day
    return start + dt.timedelta(days=amount)
