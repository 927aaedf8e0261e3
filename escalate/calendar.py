"""The case's deadlines as a calendar (.ics, RFC 5545), built with the icalendar library.

One all-day event per deadline still ahead (a date already passed is in the advice's
warnings, not in a calendar), each naming the step it belongs to and the rule that sets
it, with a reminder a week before. The words come from ``text/calendar.yaml``, checked
when the advisor is built. Event ids are derived from the deadline, never from the
child's name; nothing is logged or kept.

RFC 5545 (3.4, ``icalbody = calprops component``) wants at least one component in a
calendar: a case with no date ahead gets a calendar holding only a time-zone definition
for UTC, which is valid and adds nothing to the family's calendar.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneStandard

from escalate.errors import RuleFileError, RuleProblem
from escalate.i18n.formats import date_text
from escalate.models import Advice, Case
from escalate.text.templates import Text, check, read_text_file
from escalate.text.variables import VARIABLES, Group, Variable, context, day_count, sample_contexts

if TYPE_CHECKING:
    from escalate.advisor import Advisor

CALENDAR_FILE = Path(__file__).parent / "text" / "calendar.yaml"
MEDIA_TYPE = "text/calendar; charset=utf-8"
PRODUCT = "-//escalate//deadlines//EN"
REMINDER_DAYS = 7
_NAMESPACE = uuid.UUID("5f1d6c1e-7a4b-4a53-9d1e-2f7f3c6b9a10")

CALENDAR_VARIABLES: Mapping[str, Variable] = {
    **VARIABLES,
    "event": Variable("one deadline", {
        "label": "what the date is, e.g. 'State complaint window closes'",
        "due": "the date (YYYY-MM-DD)",
        "days": "'98 days' from as_of",
        "step": "the title of the step it belongs to",
        "citation": "the rule that sets it",
        "status": "open or closing (30 days or fewer left)",
    }),
}
KEYS = ("summary", "description")


class CalendarWriter:
    """The event templates, checked once; :meth:`write` makes one case's calendar."""

    def __init__(self, path: Path = CALENDAR_FILE, *,
                 translation: tuple[str, Mapping[str, str]] | None = None,
                 lang: str = "en") -> None:
        """``translation``: (locale file, {key: template}) to use instead of ``path``'s
        English, checked the same way; ``lang`` picks the words of dates and counts."""
        problems: list[RuleProblem] = []
        self.lang = lang
        file = translation[0] if translation else path.name
        if translation is not None:
            raw: Any = dict(translation[1])
        else:
            raw = read_text_file(path)
        sample_event = Group(label="State complaint window closes", due="2027-03-01",
                             days="98 days", step="File a state complaint",
                             citation="34 CFR 300.153(c)", status="open")
        samples = [{**values, "event": sample_event} for values in sample_contexts(lang=lang)]
        texts: dict[str, Text] = {}
        for key in KEYS:
            source = raw.get(key) if isinstance(raw, dict) else None
            if not isinstance(source, str):
                problems.append(RuleProblem(file, "required key is missing", None, key))
                continue

            def report(message: str, name: str, key: str = key) -> None:
                problems.append(RuleProblem(
                    file, message, f"text.calendar.{key}" if translation else None,
                    "text" if translation else key))

            text = check(" ".join(source.split()), report, samples, CALENDAR_VARIABLES)
            if text is not None:
                texts[key] = text
        if problems:
            raise RuleFileError(problems)
        self.summary, self.description = texts["summary"], texts["description"]

    def write(self, case: Case, advice: Advice, titles: Mapping[str, str]) -> bytes:
        """The .ics for ``case`` and its ``advice``."""
        calendar = Calendar()
        calendar.add("prodid", PRODUCT)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        values: dict[str, Any] = context(case, advice.deadlines, "reason", titles,
                                         lang=self.lang).full()
        stamp = dt.datetime.combine(case.as_of, dt.time(), tzinfo=dt.UTC)
        for deadline in advice.deadlines:
            if deadline.days_left < 0:
                continue
            step = titles.get(deadline.move.value, deadline.move.value)
            values["event"] = Group(label=deadline.label,
                                    due=date_text(deadline.due, self.lang),
                                    days=day_count(deadline.days_left, self.lang), step=step,
                                    citation=deadline.citation, status=deadline.status)
            event = Event()
            # the same date has the same UID in every language, so a calendar app that
            # imported the English file updates its events from the Spanish one
            key = repr((deadline.move.value, deadline.citation, deadline.owner,
                        deadline.due.isoformat()))
            event.add("uid", f"{uuid.uuid5(_NAMESPACE, key)}@escalate")
            event.add("dtstamp", stamp)
            event.add("dtstart", deadline.due)
            event.add("dtend", deadline.due + dt.timedelta(days=1))
            event.add("summary", self.summary.render(values))
            event.add("description", self.description.render(values))
            event.add("categories", [step])
            event.add("transp", "TRANSPARENT")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", self.summary.render(values))
            alarm.add("trigger", dt.timedelta(days=-REMINDER_DAYS))
            event.add_component(alarm)
            calendar.add_component(event)
        if not calendar.subcomponents:
            calendar.add_component(_utc())
        ics: bytes = calendar.to_ical()
        return ics


def _utc() -> Timezone:
    """A VTIMEZONE for UTC: the one component of a calendar with no date in it."""
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(0))
    standard.add("tzoffsetto", dt.timedelta(0))
    standard.add("tzname", "UTC")
    zone = Timezone()
    zone.add("tzid", "UTC")
    zone.add_component(standard)
    return zone


def write_calendar(case: Case, advisor: Advisor | None = None, lang: str = "en") -> bytes:
    """The case's deadlines as an .ics file (the one call the CLI, API and tests use), in
    ``lang`` when its calendar words are translated, else in English, whole."""
    from escalate.advisor import get_advisor

    chosen = advisor if advisor is not None else get_advisor()
    writer = chosen.calendars.get(lang, chosen.calendar)
    locale = chosen.locales[writer.lang]
    titles = {m.id: locale.text(f"move.{m.id}.title") or m.title
              for m in chosen.rulebook.moves}
    return writer.write(case, chosen.advise(case, writer.lang), titles)
