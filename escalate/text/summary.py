"""The summary at the top of every advice: what to do now, why, and the nearest date that
matters, in two or three plain sentences.

The words are a template, ``summary.yaml`` beside this module, over the case's template
variables plus ``next`` and ``nearest`` (see :data:`SUMMARY_VARIABLES`). It is checked
when the advisor is built: a broken summary stops start-up with the file and the key,
like a broken rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from jinja2.runtime import Context

from escalate.errors import RuleFileError, RuleProblem
from escalate.i18n.formats import date_text
from escalate.models import Deadline, Recommendation
from escalate.text.templates import Text, check, read_text_file
from escalate.text.variables import VARIABLES, Group, Variable, day_count, sample_contexts

SUMMARY_FILE = Path(__file__).with_name("summary.yaml")
KEY = "summary"

SUMMARY_VARIABLES: Mapping[str, Variable] = {
    **VARIABLES,
    "next": Variable("the first recommendation", {
        "given": "true when something is recommended",
        "title": "its title, e.g. 'Go up the chain of command'",
        "why": "the first sentence of its first reason",
        "count": "how many moves are recommended",
    }),
    "nearest": Variable("the nearest date still ahead", {
        "known": "true when a deadline is running",
        "due": "the date (YYYY-MM-DD), or empty",
        "days": "'98 days', or empty",
        "step": "the title of the step it belongs to, or empty",
        "citation": "the rule that sets it, or empty",
        "passed": "true when a date that matters has already passed (a window closed, a "
                  "duty overdue): the summary then never says that no deadline is running",
    }),
}

_NO_NEXT = Group(given=False, title="", why="", count=0)
_NO_DATE = Group(known=False, due="", days="", step="", citation="", passed=False)
_ONLY_PASSED = Group(known=False, due="", days="", step="", citation="", passed=True)


def first_sentence(text: str) -> str:
    """The first sentence of one of our own reasons (they never abbreviate with dots)."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


class SummaryWriter:
    """The summary template, checked once; :meth:`write` renders it for one advice."""

    def __init__(self, titles: Mapping[str, str], path: Path = SUMMARY_FILE, *,
                 translation: tuple[str, str] | None = None, lang: str = "en") -> None:
        """``translation``: (locale file, template) to use instead of ``path``'s English,
        checked the same way; ``lang`` picks the words of dates and counts."""
        self._titles = titles
        self._lang = lang
        problems: list[RuleProblem] = []
        file, item = (translation[0], "text.summary") if translation else (path.name, None)

        def report(message: str, name: str) -> None:
            problems.append(RuleProblem(file, message, item, KEY if item is None else "text"))

        if translation is not None:
            source: object = translation[1]
        else:
            raw = read_text_file(path)
            source = raw.get(KEY) if isinstance(raw, dict) else None
        if not isinstance(source, str):
            raise RuleFileError([RuleProblem(path.name, "required key is missing", None, KEY)])
        samples = []
        for values in sample_contexts(lang=lang):
            for nxt, nearest in ((_NO_NEXT, _NO_DATE), (_NO_NEXT, _ONLY_PASSED),
                                 (self._sample_next(), self._sample_date())):
                samples.append({**values, "next": nxt, "nearest": nearest})
        text = check(" ".join(source.split()), report, samples, SUMMARY_VARIABLES)
        if text is None or problems:
            raise RuleFileError(problems)
        self.text: Text = text

    @staticmethod
    def _sample_next() -> Group:
        return Group(given=True, title="Put the concern in writing",
                     why="The concern has not been put in writing yet.", count=1)

    @staticmethod
    def _sample_date() -> Group:
        return Group(known=True, due="2027-03-01", days="98 days", step="File a state complaint",
                     citation="34 CFR 300.153(c)", passed=False)

    def write(self, values: Context, recommendations: Sequence[Recommendation],
              deadlines: Sequence[Deadline]) -> str:
        """The summary for one advice; ``values`` is the case's rendering context."""
        first = recommendations[0] if recommendations else None
        nxt = _NO_NEXT if first is None else Group(
            given=True, title=first.title, why=first_sentence(first.reasons[0].text),
            count=len(recommendations))
        ahead = [d for d in deadlines if d.days_left >= 0]
        soonest = min(ahead, key=lambda d: d.days_left) if ahead else None
        passed = any(d.days_left < 0 or d.status in ("closed", "may_be_closed", "overdue")
                     for d in deadlines)
        nearest = Group(known=False, due="", days="", step="", citation="",
                        passed=passed) if soonest is None else Group(
            known=True, due=date_text(soonest.due, self._lang),
            days=day_count(soonest.days_left, self._lang),
            step=self._titles.get(soonest.move.value, soonest.move.value),
            citation=soonest.citation, passed=passed)
        values.vars["next"] = nxt
        values.vars["nearest"] = nearest
        return self.text.render(values)

