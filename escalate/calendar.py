"""The case's deadlines as a calendar (.ics, RFC 5545), built with the icalendar library.

One all-day event per deadline still ahead (a date already passed is in the advice's
warnings, not in a calendar), each naming the step it belongs to and the rule that sets
it, with a reminder a week before. The words come from ``text/calendar.yaml`` and their
translations, checked when :class:`Calendars` is built (at start-up). Event ids are
derived from the deadline, never from the child's name; nothing is logged or kept.

RFC 5545 (3.4, ``icalbody = calprops component``) wants at least one component in a
calendar: a case with no date ahead gets a calendar holding only a time-zone definition
for UTC, which is valid and adds nothing to the family's calendar.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from escalate.advisor import Advisor, get_advisor
from escalate.errors import RuleFileError, RuleProblem
from escalate.i18n import ids
from escalate.i18n.formats import ENGLISH, date_text
from escalate.models import Advice, Case
from escalate.rulebook import cited
from escalate.text.glosses import reading
from escalate.text.templates import Text, check, read_text_file
from escalate.text.variables import VARIABLES, Group, Variable, context, day_count, sample_contexts

if TYPE_CHECKING:
    from icalendar import Timezone

    from escalate.i18n.locale import Locale
    from escalate.rulebook import Rulebook

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
        "owner": "who acts by the date: family, district or state",
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
                             citation="34 CFR 300.153(c)", status="open", owner="family")
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

    def write(self, case: Case, advice: Advice, titles: Mapping[str, str],
              as_written: Mapping[str, str] | None = None) -> bytes:
        """The .ics for ``case`` and its ``advice``. ``as_written``: the language's names
        of the documents cited by title, back to the citation as the rules write it (the
        events' UIDs are the same in every language)."""
        from icalendar import Alarm, Calendar, Event

        calendar = Calendar()
        calendar.add("prodid", PRODUCT)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        values: dict[str, Any] = context(case, advice.deadlines, "reason", titles,
                                         lang=self.lang).full()
        stamp = dt.datetime.combine(case.as_of, dt.time(), tzinfo=dt.UTC)
        # the calendar is one document, its events in order: each term a family hears in
        # English has it at its first use (escalate/text/glosses.py); citations as written
        read = reading(self.lang)
        for deadline in advice.deadlines:
            if deadline.days_left < 0:
                continue
            step = titles.get(deadline.move.value, deadline.move.value)
            values["event"] = Group(label=deadline.label,
                                    due=date_text(deadline.due, self.lang),
                                    days=day_count(deadline.days_left, self.lang), step=step,
                                    citation=deadline.citation, status=deadline.status,
                                    owner=deadline.owner)
            event = Event()
            # the same date has the same UID in every language, so a calendar app that
            # imported the English file updates its events from the Spanish one
            citation = "; ".join((as_written or {}).get(part, part)
                                 for part in deadline.citation.split("; "))
            key = repr((deadline.move.value, citation, deadline.owner,
                        deadline.due.isoformat()))
            event.add("uid", f"{uuid.uuid5(_NAMESPACE, key)}@escalate")
            event.add("dtstamp", stamp)
            event.add("dtstart", deadline.due)
            event.add("dtend", deadline.due + dt.timedelta(days=1))
            summary = read(self.summary.render(values), [deadline.citation])
            event.add("summary", summary)
            event.add("description", read(self.description.render(values),
                                          [deadline.citation]))
            event.add("categories", [step])
            event.add("transp", "TRANSPARENT")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", dt.timedelta(days=-REMINDER_DAYS))
            event.add_component(alarm)
            calendar.add_component(event)
        if not calendar.subcomponents:
            calendar.add_component(_utc())
        ics: bytes = calendar.to_ical()
        return ics


def _utc() -> Timezone:
    """A VTIMEZONE for UTC: the one component of a calendar with no date in it."""
    from icalendar import Timezone, TimezoneStandard

    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(0))
    standard.add("tzoffsetto", dt.timedelta(0))
    standard.add("tzname", "UTC")
    zone = Timezone()
    zone.add("tzid", "UTC")
    zone.add_component(standard)
    return zone


class Calendars:
    """The calendar writers of one rulebook, one per language whose calendar words are
    translated (English for the others), each checked when this is built."""

    def __init__(self, rulebook: Rulebook, locales: Mapping[str, Locale]) -> None:
        self.rulebook = rulebook
        self.locales = locales
        self.english = CalendarWriter()
        self.writers: dict[str, CalendarWriter] = {ENGLISH: self.english}
        for lang, locale in locales.items():
            words = {key: locale.text(f"text.calendar.{key}") for key in KEYS}
            if lang != ENGLISH and all(words.values()):
                self.writers[lang] = CalendarWriter(
                    translation=(locale.file, {k: v or "" for k, v in words.items()}),
                    lang=lang)

    def language(self, lang: str) -> str:
        """The language a calendar asked for in ``lang`` comes in."""
        return self.writers.get(lang, self.english).lang

    def write(self, case: Case, advise: Callable[[Case, str], Advice],
              lang: str = ENGLISH) -> bytes:
        """The .ics for ``case``, in ``lang`` when its calendar words are translated (else
        in English, whole), from the advice ``advise`` gives in that language."""
        writer = self.writers.get(lang, self.english)
        locale = self.locales[writer.lang]
        titles = {m.id: locale.text(ids.move_title(m.id)) or m.title
                  for m in self.rulebook.moves}
        # a document cited by its title is named in the language (rulebook.cited)
        as_written = {} if writer.lang == ENGLISH else {
            named: key for key in self.rulebook.regulations
            if (named := cited(key, {key: locale.text(ids.regulation_title(key)) or key}))
            and named != key}
        return writer.write(case, advise(case, writer.lang), titles, as_written)


def calendars_for(advisor: Advisor | None = None) -> Calendars:
    """The calendar writers of ``advisor`` (the process-wide advisor by default), built
    and checked on first use and kept with the advisor."""
    chosen = advisor if advisor is not None else get_advisor()
    return chosen.part("calendars", lambda: Calendars(chosen.rulebook, chosen.locales))


def write_calendar(case: Case, advisor: Advisor | None = None, lang: str = "en") -> bytes:
    """The case's deadlines as an .ics file (the call tests and embedding code use; the CLI
    and the API go through :class:`escalate.service.Escalate`), in ``lang`` when its
    calendar words are translated, else in English, whole."""
    chosen = advisor if advisor is not None else get_advisor()
    return calendars_for(chosen).write(case, chosen.advise, lang)
