"""Counting days: calendar days, months and years, school days and business days.

A school day is a weekday that is not a US federal holiday (the ``holidays`` library) nor a
closure the case lists (``school_closures``: breaks, teacher workdays, snow days); a business
day is a weekday that is not a US federal holiday. The service does not know a district's
own calendar, so every label built on these says what was skipped.

Massachusetts sets its evaluation clock in "school working days" (603 CMR 28.05(1), (7)).
Its regulation defines "day" (a calendar day) and "school day" (a day students attend for
instruction; 603 CMR 28.02), and no other unit: ``school_working_days`` is that unit under
its own name, so every sentence names it as the regulation does, and it is counted as
school days are (the note of the state's value says so, and to check the district's
calendar).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

UNITS = ("days", "school_days", "school_working_days", "business_days", "months", "years")
# A run of days without school is bounded by the closures a case may list (400 at most)
# and the weekends and holidays around them; no longer run is looked for.
_LONGEST_RUN = 800
WEEKDAY_UNITS = ("school_days", "school_working_days", "business_days")
SCHOOL_UNITS = ("school_days", "school_working_days")  # counted on the school's days


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
            if (is_school_day(day, closures) if unit in SCHOOL_UNITS
                    else is_business_day(day)):
                left -= 1
        return day
    return start + dt.timedelta(days=amount)


def units_between(start: dt.date, end: dt.date, unit: str,
                  closures: frozenset[dt.date] = frozenset()) -> int:
    """How many days of ``unit`` (days, or a weekday unit: school or business days) fall
    after ``start`` up to and including ``end``: the inverse of :func:`add_length` for those
    units; 0 when ``end`` is not after ``start``."""
    if unit not in WEEKDAY_UNITS:
        return max((end - start).days, 0)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_school_day(day, closures) if unit in SCHOOL_UNITS else is_business_day(day):
            count += 1
    return count


def _no_school_run(day: dt.date, closures: frozenset[dt.date]) -> tuple[dt.date, dt.date, int]:
    """The run of consecutive days without school around ``day`` (weekends, federal
    holidays, the case's closures): its first and last day, and how many of its days are
    weekdays, the school days the break takes away."""
    first = last = day
    for _ in range(_LONGEST_RUN):
        if is_school_day(first - dt.timedelta(days=1), closures):
            break
        first -= dt.timedelta(days=1)
    for _ in range(_LONGEST_RUN):
        if is_school_day(last + dt.timedelta(days=1), closures):
            break
        last += dt.timedelta(days=1)
    weekdays = sum(1 for n in range((last - first).days + 1)
                   if (first + dt.timedelta(days=n)).weekday() < 5)
    return first, last, weekdays


def add_days_skipping_breaks(start: dt.date, amount: int, closures: frozenset[dt.date],
                             longer_than: int) -> tuple[dt.date, int]:
    """``start`` plus ``amount`` calendar days, not counting the days of a break without
    school longer than ``longer_than`` school days; and how many days were skipped.

    California counts its 60 days for an evaluation plan "not counting days between the
    pupil's regular school sessions, terms, or days of school vacation in excess of five
    schooldays", the count starting again when school reconvenes (Cal. Educ. Code
    56344(a)). A break is a run of days without school (weekends, US federal holidays and
    the closures the case lists); its length in school days is the number of weekdays in
    it. A break of five school days or fewer is counted like any other day.
    """
    day, left, skipped = start, amount, 0
    while left > 0:
        day += dt.timedelta(days=1)
        if not is_school_day(day, closures):
            _, last, weekdays = _no_school_run(day, closures)
            if weekdays > longer_than:
                skipped += (last - day).days + 1
                day = last
                continue
        left -= 1
    return day, skipped
