"""The library's face: one object that the command line, the HTTP API and the pages use.

:class:`Escalate` answers every question an entry point asks (advice, explanations,
why-not reports, letters, calendars, the move, rule and state catalogues, the check of a
rules folder) for one rules folder, and owns what answering needs, each part built when
first used:

- the rulebook (:mod:`escalate.rulebook`) and its translations (:mod:`escalate.i18n`),
  all that ``escalate states`` and ``escalate rules translate-status`` load;
- the advisor (:mod:`escalate.advisor`: the engine, the ranking, the advice);
- the letters (:mod:`escalate.letters`), the calendar writers (:mod:`escalate.calendar`)
  and the explainer (:mod:`escalate.explain`), built beside the advisor from what they
  need, and kept with it.

:meth:`Escalate.from_directory` is start-up: it loads and checks everything a request
could need (rules, letters, translations, calendar words, questions), so that a broken
file stops start-up naming file, id and key, as ``escalate rules check`` does.
:func:`get_escalate` is the process-wide one for ``$ESCALATE_RULES_DIR`` (or the built-in
rules). :func:`check_scenarios` runs Gherkin scenarios (the organization's and the
built-in ones) against a service's client: the service accepts reloaded rules only when
they all pass.

The entry points import this module, :mod:`escalate.models` and :mod:`escalate.errors`;
the names they need from the rooms behind it are re-exported here. The one-way arrows of
the library are drawn in ARCHITECTURE.md. The output is general information, not legal
advice.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from escalate.advisor import Advisor, configured_rules_dir, default_rules_dir, get_advisor
from escalate.calendar import MEDIA_TYPE as CALENDAR_MEDIA_TYPE
from escalate.calendar import Calendars, calendars_for
from escalate.editor_schemas import HEADER as SCHEMA_HEADER
from escalate.editor_schemas import KINDS as SCHEMA_KINDS
from escalate.editor_schemas import write as write_schemas
from escalate.engine_memory import DEFAULT_SIZE as DEFAULT_ENGINE_CACHE_SIZE
from escalate.engine_memory import EngineMemory
from escalate.errors import RuleFileError
from escalate.examples import example_cases
from escalate.explain import Explainer, explainer_for
from escalate.explain.questions import Questions, load_questions
from escalate.i18n import ids
from escalate.i18n.formats import ENGLISH, LANGUAGES, long_date
from escalate.i18n.languages import PAGE_FILE, file_name, language_folder, languages
from escalate.i18n.locale import Locale, load_locales
from escalate.i18n.negotiate import choose as choose_language
from escalate.i18n.words import Words
from escalate.letters import (
    FORMATS,
    MAX_ANSWER,
    MEDIA_TYPES,
    Blank,
    BlankError,
    Format,
    Letter,
    LetterFile,
    LetterWriter,
    NoLetterError,
    blanks_of,
    compose,
    letters_for,
    pair_markdown,
    pdf_problem,
    write_letter,
)
from escalate.letters.book import load_letters
from escalate.letters.formats import render as render_letter
from escalate.models import (
    DISCLAIMER,
    Advice,
    Case,
    Explanation,
    MoveId,
    MoveInfo,
    RulesListing,
    StateInfo,
    StatesListing,
    TriageInvalid,
    WhyNot,
)
from escalate.resources import features_folder
from escalate.rulebook import Rulebook, load
from escalate.rulebook.layers import Layers, layer
from escalate.rulediff import RuleDiff, diff_lines
from escalate.rulediff import collect as collect_diff
from escalate.rulediff import start_worker as _start_diff_worker
from escalate.rulediff import work as _diff_work
from escalate.states import listing as state_listing
from escalate.strict import Problems, read_yaml
from escalate.triage import CHUNK as TRIAGE_CHUNK
from escalate.triage import Line, Packed, Pool, Triage, collect, default_jobs, packed_lines
from escalate.triage import chunks as _chunks

T = TypeVar("T")
STATE_CODES = state_listing.CODES


class Escalate:
    """Everything the entry points ask of one rules folder, each part loaded when first
    needed (thread-safe) and kept."""

    def __init__(self, rules_dir: Path | str | None = None, *,
                 local: Path | str | None = None, advisor: Advisor | None = None,
                 cache_size: int | None = None) -> None:
        """No rule is loaded yet: ``rules_dir`` (default ``$ESCALATE_RULES_DIR``, else the
        built-in rules) is read when a part is first needed. ``local``: an organization's
        own folder of rule files laid over it (:mod:`escalate.rulebook.layers`; its files
        are laid now, a local file that cannot be raises RuleFileError naming it).
        ``advisor``: a ready advisor to answer with (its rules folder and translations
        are used). ``cache_size``: how many engine answers the advisor remembers (see
        :class:`Advisor`)."""
        self.layers: Layers | None = None
        if advisor is not None:
            self.rules_dir = self.base_dir = advisor.rulebook.directory
        else:
            self.base_dir = Path(rules_dir) if rules_dir else configured_rules_dir()
            if local:
                self.layers = layer(self.base_dir, local)
            self.rules_dir = self.layers.folder if self.layers else self.base_dir
        self._cache_size = cache_size
        self._parts: dict[str, object] = {}
        if advisor is not None:
            self._parts.update(advisor=advisor, rulebook=advisor.rulebook,
                               locales=advisor.locales)
        self._lock = threading.RLock()

    @classmethod
    def from_directory(cls, rules_dir: Path | str | None = None, *,
                       local: Path | str | None = None,
                       cache_size: int | None = None) -> Escalate:
        """Start-up: lay the ``local`` folder (if any) over ``rules_dir``, then load,
        check and compile the rules with their letters, translations, calendar words and
        questions, proving the rulebook. Raises RuleFileError naming the file (a local
        one by its own path, marked "(local)"), id and key of every problem."""
        return cls(rules_dir, local=local, cache_size=cache_size).start()

    @classmethod
    def around(cls, advisor: Advisor) -> Escalate:
        """The face of a ready advisor (its letters, calendars and explainer are built
        when first used, and kept with the advisor)."""
        return cls(advisor=advisor)

    def _part(self, name: str, build: Callable[[], T]) -> T:
        found = self._parts.get(name)
        if found is None:
            with self._lock:
                found = self._parts.get(name)
                if found is None:
                    try:
                        found = self._parts[name] = build()
                    except RuleFileError as error:
                        raise self._named(error) from None
        part: T = found  # type: ignore[assignment]
        return part

    def start(self) -> Escalate:
        """Load and check every part a request could need; returns itself. The letters
        are read before the translations, so that a broken letter is reported as itself,
        not as the translations of it that no longer match."""
        try:
            rulebook = self.rulebook
            book = None if "advisor" in self._parts else load_letters(rulebook)
            letters_for(self.advisor, book)
            calendars_for(self.advisor)
            _ = self.questions
        except RuleFileError as error:
            raise self._named(error) from None
        return self

    def _named(self, error: RuleFileError) -> RuleFileError:
        """``error`` with each problem of a local file named by that file."""
        return self.layers.explain(error) if self.layers is not None else error

    # ------------------------------------------------------------ the parts

    @property
    def rulebook(self) -> Rulebook:
        """The loaded, validated rules (no engine, no translations)."""
        return self._part("rulebook", lambda: load(self.rules_dir))

    @property
    def locales(self) -> Mapping[str, Locale]:
        """Every language's translations, checked."""
        return self._part("locales", lambda: load_locales(self.rulebook))

    @property
    def advisor(self) -> Advisor:
        """The engine, the ranking and the advice."""
        return self._part("advisor", lambda: Advisor(
            self.rulebook, locales=self.locales, cache_size=self._cache_size))

    @property
    def questions(self) -> Questions:
        """The rules folder's questions (``questions.yaml``), checked."""
        return self._part("questions", lambda: load_questions(self.rulebook.directory))

    @property
    def letters(self) -> LetterWriter:
        """Every letter, in every language, checked."""
        return letters_for(self.advisor)

    @property
    def calendars(self) -> Calendars:
        """The calendar writers, one per language, checked."""
        return calendars_for(self.advisor)

    @property
    def explainer(self) -> Explainer:
        """Why-not reports and the questions that would change the advice."""
        return explainer_for(self.advisor, self.questions)

    @property
    def rules_version(self) -> str:
        """The version of the rules in use: a sha256 of the rules folder, and with a
        local folder ``+local:`` and a short hash of its files."""
        return self.rulebook.version

    def local_changes(self) -> list[str]:
        """What the local folder changes in the built-in rules, one line each (a
        heading, then each replacement and addition); empty without a local folder."""
        return self.layers.lines() if self.layers is not None else []

    @property
    def memory(self) -> EngineMemory:
        """The advisor's memory of engine answers (its counts feed /metrics)."""
        return self.advisor.memory

    # ------------------------------------------------------------ languages

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the rules' texts are written in, English first."""
        return tuple(self.locales)

    def rules_language(self, lang: str) -> str:
        """The language the rule texts come in for ``lang``: ``lang`` when the rules
        speak it, otherwise English."""
        return lang if lang in self.locales else ENGLISH

    def words(self, lang: str = ENGLISH) -> Words:
        """The translated texts of ``lang`` (English where a text has none)."""
        return Words(self.locales[self.rules_language(lang)])

    def text(self, text_id: str, english: str, lang: str = ENGLISH) -> str:
        """The text ``text_id`` in ``lang``, or ``english`` where it is not translated."""
        return self.locales[self.rules_language(lang)].text(text_id) or english

    def move_title(self, move: str, lang: str = ENGLISH) -> str:
        """A move's title in ``lang`` (its English where not translated; the id for an
        unknown move)."""
        spec = next((m for m in self.rulebook.moves if m.id == move), None)
        return self.text(ids.move_title(move), spec.title if spec else move, lang)

    def disclaimer(self, lang: str = ENGLISH) -> str:
        """"Information, not legal advice", in ``lang``."""
        return self.text("text.disclaimer", DISCLAIMER, lang)

    # ------------------------------------------------------------ advice

    def advise(self, case: Case, lang: str = ENGLISH, *, explain: bool = False) -> Advice:
        """The advice for ``case`` in ``lang``; with ``explain``, with the questions whose
        answer would change it (in the same language)."""
        if explain:
            return self.explainer.advise(case, lang)
        return self.advisor.advise(case, lang)

    def explain(self, case: Case, advice: Advice | None = None,
                lang: str = ENGLISH) -> Explanation:
        """The questions whose answer would change the advice for ``case``."""
        return self.explainer.explain(case, advice, lang)

    def why_not(self, case: Case, move: MoveId, advice: Advice | None = None,
                lang: str = ENGLISH) -> WhyNot:
        """Why ``move`` is, or is not, recommended for ``case``, in ``lang``."""
        return self.explainer.why_not(case, move, advice, lang)

    # ------------------------------------------------------------ a caseload

    def triage(self, lines: Iterable[Line], *, as_of: dt.date | None = None,
               lang: str = ENGLISH, jobs: int = 1,
               progress: Callable[[int], None] | None = None,
               check: Callable[[object], None] | None = None) -> Triage:
        """A caseload (numbered lines of JSON, one case each) triaged: one row per valid
        case from its advice, most urgent first, the invalid lines by number, the counts
        (:mod:`escalate.triage`). ``as_of``: the day every case is triaged for (default:
        each case's own). ``jobs`` over 1: that many worker processes, forked with the
        advisor their forkserver built once (``check`` then does not apply: it is for the
        service's bodies, which are triaged here, in one process). ``progress`` is told how
        many lines were done."""
        # English needs no translations loaded (with workers, the parent never loads them)
        disclaimer = DISCLAIMER if lang == ENGLISH else self.disclaimer(lang)
        if jobs > 1:  # the results sorted and counted as they come: no list of them all
            with Pool(str(self.rules_dir), jobs) as pool:
                return collect(pool.run(lines, as_of, lang, progress), as_of, disclaimer)
        return collect(self._triage_here(lines, as_of, lang, progress, check), as_of,
                       disclaimer)

    def _triage_here(self, lines: Iterable[Line], as_of: dt.date | None, lang: str,
                     progress: Callable[[int], None] | None,
                     check: Callable[[object], None] | None) -> Iterator[TriageInvalid | Packed]:
        for chunk in _chunks(lines):
            yield from packed_lines(self.advisor.advise, chunk, as_of, lang, check)
            if progress is not None:
                progress(len(chunk))

    def compare(self, candidate: Escalate, lines: Iterable[Line], *,
                as_of: dt.date | None = None, lang: str = ENGLISH, jobs: int = 1,
                progress: Callable[[int], None] | None = None,
                wording: bool = True) -> RuleDiff:
        """What answering with ``candidate``'s rules instead of these would change for a
        caseload (numbered lines of JSON, one case each): each case advised under both,
        the cases whose advice differs and what differs, in line order, the invalid lines
        by number, the counts (:mod:`escalate.rulediff`). The same for a reload candidate:
        ``current.compare(candidate, lines)``. ``as_of``: the day every case is advised
        for (default: each case's own). ``jobs`` over 1: that many worker processes, each
        building both advisors once from the two rules folders (in one process, the two
        services' own advisors answer). ``progress`` is told how many lines were done. Without
        ``wording``, a case counts as changed only when its steps, dates, warnings or
        ladder do, not when only the words of a reason or a date do."""
        versions = self.rules_version, candidate.rules_version  # both rulebooks load first
        if jobs > 1:
            folders = str(self.rules_dir), str(candidate.rules_dir)
            with Pool(folders, jobs, start=_start_diff_worker, work=_diff_work) as pool:
                results = list(pool.run(lines, as_of, lang, progress))
        else:
            results = []
            for chunk in _chunks(lines):
                results += diff_lines(self.advisor.advise, candidate.advisor.advise, chunk,
                                      as_of, lang)
                if progress is not None:
                    progress(len(chunk))
        return collect_diff(results, *versions, as_of,
                            DISCLAIMER if lang == ENGLISH else self.disclaimer(lang),
                            wording=wording)

    # ------------------------------------------------------------ letters, calendars

    def has_letter(self, move: str) -> bool:
        """Whether ``move`` is done in writing (it has a letter)."""
        return self.letters.get(move) is not None

    def letter_moves(self) -> list[str]:
        """The moves that have a letter, sorted."""
        return self.letters.moves

    def letter(self, case: Case, move: str, fmt: Format = "md", lang: str = ENGLISH,
               blanks: Mapping[str, str] | None = None) -> LetterFile:
        """The letter for ``move`` filled from ``case`` and the answers to its ``blanks``,
        in ``fmt`` and ``lang``. Raises NoLetterError, BlankError."""
        return write_letter(case, move, fmt, self.letters, lang, blanks)

    def compose_letter(self, case: Case, move: str, lang: str = ENGLISH,
                       blanks: Mapping[str, str] | None = None) -> Letter:
        """The letter as Markdown, not yet in a format (the API renders it in its pool:
        :meth:`letter_markdown` gives what to render)."""
        return compose(self.letters, case, move, lang=lang, answers=blanks)

    def letter_markdown(self, letter: Letter) -> str:
        """The Markdown of a composed letter, with its English after it when it has one."""
        return pair_markdown(letter, self.letters)

    def letter_blanks(self, case: Case, move: str, lang: str = ENGLISH,
                      blanks: Mapping[str, str] | None = None) -> list[Blank]:
        """The blanks ``move``'s letter leaves once ``blanks`` are answered."""
        return blanks_of(case, move, self.letters, lang, blanks)

    def calendar(self, case: Case, lang: str = ENGLISH) -> bytes:
        """The case's deadlines as an .ics file, in ``lang`` when its calendar words are
        translated (:meth:`calendar_language` says which)."""
        return self.calendars.write(case, self.advisor.advise, lang)

    def calendar_language(self, lang: str) -> str:
        """The language a calendar asked for in ``lang`` comes in."""
        return self.calendars.language(lang)

    # ------------------------------------------------------------ catalogues

    def moves(self, lang: str = ENGLISH) -> list[MoveInfo]:
        """The move catalogue, least adversarial first, in ``lang``."""
        return self.advisor.moves(lang)

    def rules(self) -> RulesListing:
        """The loaded rules in readable form."""
        return self.advisor.rules()

    def states(self, lang: str = ENGLISH) -> StatesListing:
        """Every state's deadlines, cited and rated, in ``lang`` (rulebook and
        translations only: no engine is built)."""
        return state_listing.listing(self.rulebook, self.words(lang))

    def state(self, code: str, lang: str = ENGLISH) -> StateInfo | None:
        """One state's deadlines (None: no state has that code)."""
        return state_listing.state_info(self.rulebook, code.upper(), self.words(lang))

    def state_names(self, codes: list[str], lang: str = ENGLISH) -> dict[str, str]:
        """The name in ``lang`` of each of ``codes`` the rules know, by code: a state's
        name, or a territory's or the BIE's in full (``places`` of the state messages)."""
        words = self.words(lang)
        names = {code: state_listing.place_name(self.rulebook, code, words) for code in codes}
        return {code: name for code, name in names.items() if name is not None}

    def render_state(self, info: StateInfo, lang: str = ENGLISH) -> str:
        """One state's deadlines as text for a terminal."""
        return state_listing.render(info, self.words(lang))


LOCAL_RULES_ENV = "ESCALATE_LOCAL_RULES"


def configured_local_rules() -> Path | None:
    """The local rules folder ``$ESCALATE_LOCAL_RULES`` names (None when unset or blank)."""
    configured = os.environ.get(LOCAL_RULES_ENV, "").strip()
    return Path(configured) if configured else None


def rules_folder(rules_dir: Path | str, local: Path | str | None = None) -> Path:
    """The folder the rules are read from: ``rules_dir``, or with ``local`` the folder
    laid from both (the same one :class:`Escalate` reads, made once per process)."""
    return layer(rules_dir, local).folder if local else Path(rules_dir)


@dataclass(frozen=True)
class FailedScenario:
    """A scenario that did not pass: where it is and the step that failed (the
    scenario's own words, never a family's case)."""

    file: str
    scenario: str
    line: int
    step: str


@dataclass(frozen=True)
class ScenarioCheck:
    """What running a set of scenarios found: how many ran, which failed, or the
    feature file that could not be read (then none ran)."""

    run: int = 0
    failed: tuple[FailedScenario, ...] = ()
    unreadable: str | None = None

    @property
    def passed(self) -> bool:
        return self.unreadable is None and not self.failed


def check_scenarios(paths: Iterable[Path], client: object, *,
                    builtin: bool = True) -> ScenarioCheck:
    """Run the ``.feature`` files under ``paths`` (and, with ``builtin``, the scenarios
    that ship with escalate) against the service behind ``client`` (``post`` as
    :class:`httpx.Client` has), as ``escalate scenarios run`` does. Every file is parsed
    before any scenario runs; one that cannot be read is reported, and nothing runs."""
    from escalate.scenarios import runner  # the steps and Gherkin: only when asked

    folders = [*paths, features_folder()] if builtin else list(paths)
    try:
        parsed = [s for path in runner.feature_files(folders) for s in runner.parse(path)]
    except runner.FeatureFileError as error:
        return ScenarioCheck(unreadable=str(error))
    done = [runner.run_scenario(scenario, client) for scenario in parsed]
    failed = tuple(
        FailedScenario(s.file, s.name, s.failure.line if s.failure else s.line,
                       str(s.failure) if s.failure else "")
        for s in done if not s.passed)
    return ScenarioCheck(run=len(done), failed=failed)


@lru_cache(maxsize=4)
def _escalate_for(rules_dir: str, default: bool, local: str | None) -> Escalate:
    if default:
        return Escalate.around(get_advisor()).start()
    return Escalate(rules_dir, local=local).start()


def get_escalate(rules_dir: Path | str | None = None,
                 local: Path | str | None = None) -> Escalate:
    """The process-wide face of ``rules_dir`` (default ``$ESCALATE_RULES_DIR``, else the
    built-in rules; that one shares :func:`escalate.get_advisor`'s advisor) with the
    local folder ``local`` laid over it (default ``$ESCALATE_LOCAL_RULES``, else none),
    started once."""
    configured = configured_rules_dir()
    chosen = Path(rules_dir) if rules_dir else configured
    local_dir = Path(local) if local else configured_local_rules()
    return _escalate_for(str(chosen), chosen == configured and local_dir is None,
                         str(local_dir) if local_dir else None)


__all__ = [
    "CALENDAR_MEDIA_TYPE", "DEFAULT_ENGINE_CACHE_SIZE", "DISCLAIMER", "ENGLISH", "FORMATS",
    "LANGUAGES", "MAX_ANSWER", "MEDIA_TYPES", "PAGE_FILE", "STATE_CODES", "Advisor", "Blank",
    "BlankError", "Escalate", "LOCAL_RULES_ENV", "configured_local_rules", "rules_folder",
    "Format", "Letter", "LetterFile", "NoLetterError", "Problems",
    "TRIAGE_CHUNK", "Triage", "choose_language", "configured_rules_dir", "default_jobs",
    "default_rules_dir", "example_cases",
    "file_name", "get_escalate", "language_folder", "languages", "long_date", "pdf_problem",
    "read_yaml", "render_letter", "SCHEMA_HEADER", "SCHEMA_KINDS", "write_schemas",
    "FailedScenario", "ScenarioCheck", "check_scenarios",
    "RuleDiff",
]
