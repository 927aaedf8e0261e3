"""The advocates' words and the contract's values they stand for.

One table per kind of value: moves (their ids and rungs from the catalogue,
rules/moves.yaml; their friendly names and past-tense phrases for the history from the
"Move names" table of features/README.md), sources (seed articles by title or file
name), states, the school's answers, outcomes, topics, the kinds of broken duty, ladder
statuses and the errors a bad request gets. Steps in ``steps.py`` look every word up
here, and a word that is not here fails the step with the nearest words that are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from escalate.models.case import catalogue_moves
from escalate.nearest import nearest_few
from escalate.resources import features_folder


@dataclass(frozen=True)
class Move:
    """A move as an advocate names it: friendly names, and what the parent 'did'."""

    id: str
    names: tuple[str, ...]
    did: str


GUIDE = features_folder() / "README.md"
_MOVE_ROW = re.compile(r"^\| `([a-z0-9_]+)` \| ([^|]+) \| ([^|]+) \|$", re.MULTILINE)


def _guide_moves() -> dict[str, Move]:
    """The advocates' names of each move: the "Move names" table of features/README.md."""
    text = GUIDE.read_text(encoding="utf-8")
    table = text[text.index("## Move names"):]
    table = table[:table.index("\n## ", 1)]
    return {found.group(1): Move(found.group(1),
                                 tuple(n.strip() for n in found.group(2).split(";")),
                                 found.group(3).strip())
            for found in _MOVE_ROW.finditer(table)}


CATALOGUE: tuple[tuple[str, int | None], ...] = tuple(catalogue_moves())
GUIDE_MOVES: dict[str, Move] = _guide_moves()
# The move names, in the catalogue's order; the first name is the one the guide shows. The
# move id and the API's own title are accepted too. A move the guide does not name yet is
# left out (a test names it).
MOVES: tuple[Move, ...] = tuple(GUIDE_MOVES[move] for move, _ in CATALOGUE
                                if move in GUIDE_MOVES)

# The ladder: the catalogue's rungs, in their order.
RUNGS: tuple[str, ...] = tuple(move for move, rung in sorted(
    ((m, r) for m, r in CATALOGUE if r is not None), key=lambda item: item[1]))


def _key(text: str) -> str:
    """Fold a name for lookup: case, spacing, quotes, a leading 'to' or article."""
    text = re.sub(r"\s+", " ", text.strip().strip('"').strip()).lower()
    text = re.sub(r"^to ", "", text)
    return re.sub(r"^(a|an|the) ", "", text)


MOVE_BY_NAME: dict[str, str] = {}
for _move in MOVES:
    for _name in (_move.id, *_move.names, _move.did):
        MOVE_BY_NAME.setdefault(_key(_name), _move.id)

MOVE_BY_DID: dict[str, str] = {m.did: m.id for m in MOVES}


class UnknownWord(LookupError):
    """A word the vocabulary does not know; the message lists the nearest ones."""


def suggest(word: str, known: list[str], n: int = 3) -> list[str]:
    """The nearest known words, best first."""
    return nearest_few(word, known, n=n, cutoff=0.45)


def _unknown(kind: str, word: str, known: list[str], where: str) -> UnknownWord:
    near = suggest(word, known) or suggest(word.lower(), [k.lower() for k in known])
    hint = ("Did you mean: " + ", ".join(f'"{k}"' for k in near) + "?") if near else ""
    return UnknownWord(
        f'"{word}" is not a {kind} the scenarios know. {hint} '
        f'The list is under "{where}" in features/README.md.'.replace("  ", " ")
    )


def move_id(name: str) -> str:
    """The move id for a friendly name, an API title or an id."""
    found = MOVE_BY_NAME.get(_key(name))
    if found is None:
        known = [n for m in MOVES for n in m.names]
        shown = re.sub(r"^to ", "", name.strip().strip('"'))
        raise _unknown("move name", shown, known, "Move names")
    return found


def move_name(move: str) -> str:
    """The friendly name the guide shows first for a move id."""
    for m in MOVES:
        if m.id == move:
            return m.names[0]
    return move


# ---------------------------------------------------------------- sources

SEEDS: dict[str, tuple[str, ...]] = {
    "000_c0dd2bf839966c6b.txt": (
        "Best Practices for Advocates Working With School Districts on IEP Disputes",
        "Best Practices for Advocates", "seed 000"),
    "001_f36458208edd6cca.txt": (
        "IEP Advocacy Moves for Parents", "IEP Advocacy Moves for Parents - Part 1",
        "seed 001"),
    "002_8efd07ff756fe2bf.txt": (
        "Building a More Collaborative Relationship",
        "Special Education Advocacy: Building a More Collaborative Relationship",
        "seed 002"),
    "003_37fd9ab441a04927.txt": ("IEP Collaboration Techniques", "seed 003"),
    "004_d13444436078de3e.txt": (
        "How to Advocate for an IEP When the School Says No", "When the School Says No",
        "seed 004"),
}

SEED_BY_NAME: dict[str, str] = {}
for _file, _titles in SEEDS.items():
    for _title in (_file, _file[:3], *_titles):
        SEED_BY_NAME[_title.lower().replace("–", "-")] = _file


def seed_file(name: str) -> str | None:
    """The seed file a friendly title, 'seed 001', '001' or the file name stands for."""
    return SEED_BY_NAME.get(name.strip().lower().replace("–", "-"))


def seed_title(document: str | None) -> str:
    """The short title of a seed file, for messages."""
    if document in SEEDS:
        return SEEDS[document][0]
    return document or ""


def _fold_citation(text: str) -> str:
    text = re.sub(r"34\s*C\.?F\.?R\.?\s*(part\s*)?", "", text, flags=re.IGNORECASE)
    return re.sub(r"[\s§]+", "", text).lower()


def cites(citation: str | None, wanted: str) -> bool:
    """Whether a reason's citation includes the regulation asked for.

    '34 CFR 300.502' matches '34 CFR 300.502(b)(2)'; '300.50' does not match '300.502'.
    """
    if not citation:
        return False
    want = _fold_citation(wanted)
    return bool(want) and re.search(re.escape(want) + r"(?![\d.])", _fold_citation(citation)) \
        is not None


# ---------------------------------------------------------------- the case's words

SCHOOL_RESPONSES: dict[str, str] = {
    "has not answered yet": "none_yet",
    "agreed": "agreed",
    "only partly agreed": "partially_agreed",
    "refused the request": "refused",
    "did not respond": "no_response",
    'said "we don\'t do that here"': "policy_claim",
    "said staff have to check with a supervisor": "needs_supervisor",
    "proposed an alternative": "proposed_alternative",
    "said RTI must come first": "rti_required_first",
}

TOPICS: dict[str, str] = {
    "eligibility": "eligibility",
    "the evaluation": "evaluation",
    "services": "services",
    "placement": "placement",
    "goals": "goals",
    "implementation of the IEP": "implementation",
    "discipline": "discipline",
    "safety": "safety",
    "staffing": "staffing",
    "scheduling": "scheduling",
    "something else": "other",
}

# How a move the parent made turned out, in the history sentence.
OUTCOMES: dict[str, str] = {
    "got no response": "no_response",
    "was refused": "refused",
    "it ended without agreement": "refused",
    "it only partly resolved the concern": "partially_resolved",
    "it resolved the concern": "resolved",
    "is waiting for the outcome": "pending",
}

# ... and in the 'outcome' column of a history table.
OUTCOME_CELLS: dict[str, str] = {
    "no response": "no_response",
    "refused": "refused",
    "ended without agreement": "refused",
    "partly resolved": "partially_resolved",
    "resolved": "resolved",
    "pending": "pending",
}

VIOLATIONS: dict[str, str] = {
    "failed to implement the IEP": "failure_to_implement",
    "skipped a required procedure": "procedural",
    "missed a legal timeline": "timeline",
    "did not evaluate as the law requires": "evaluation",
    "discriminated against the student because of the disability": "discrimination",
    "broke another legal duty": "other",
}

PLANS: dict[str, dict[str, bool]] = {
    "with an IEP": {"has_iep": True},
    "with a 504 plan": {"has_504_plan": True},
    "with an IEP and a 504 plan": {"has_iep": True, "has_504_plan": True},
    "with a 504 plan and no IEP": {"has_iep": False, "has_504_plan": True},
    "without an IEP": {"has_iep": False},
    "without an IEP or a 504 plan": {"has_iep": False, "has_504_plan": False},
}

# What the child has, in "Given the child has ...".
CHILD_PLANS: dict[str, dict[str, bool]] = {
    "an IEP": {"has_iep": True},
    "a 504 plan and no IEP": {"has_iep": False, "has_504_plan": True},
    "an IEP and a 504 plan": {"has_iep": True, "has_504_plan": True},
    "no IEP and no 504 plan": {"has_iep": False, "has_504_plan": False},
}

# Why a removal falls under 34 CFR 300.530(g), in "Given the removal was for ...".
SPECIAL_CIRCUMSTANCES: dict[str, str] = {
    "a weapon": "weapon",
    "drugs": "drugs",
    "a serious bodily injury": "serious_bodily_injury",
}

# What the manifestation determination found.
MANIFESTATION_RESULTS: dict[str, str] = {
    "was caused by the disability": "manifestation",
    "was not caused by the disability": "not_manifestation",
}

# Meetings that can be "scheduled" (a pending request in the history).
MEETINGS: dict[str, str] = {
    "an IEP meeting": "request_iep_meeting",
    "a 504 meeting": "request_504_meeting",
}

# The district's (or the state's) duties, by the name an advocate gives them, and the move
# whose deadline carries the date. Any move name is accepted too.
DUTIES: dict[str, str] = {
    "the annual IEP review": "request_iep_meeting",
    "the three-year reevaluation": "request_reevaluation",
    "the initial evaluation": "request_evaluation",
    "the records": "request_records",
    "the manifestation determination": "request_manifestation_determination",
    "the resolution meeting": "prepare_resolution_meeting",
    "the decision on the state complaint": "request_complaint_decision",
}


def duty_move(name: str) -> str:
    """The move whose deadline carries a duty named as an advocate would, or by move name."""
    for phrase, move in DUTIES.items():
        if _key(phrase) == _key(name):
            return move
    if _key(name) in MOVE_BY_NAME:
        return MOVE_BY_NAME[_key(name)]
    known = [*DUTIES, *(n for m in MOVES for n in m.names)]
    raise _unknown("duty or move name", name.strip().strip('"'), known, "Deadlines and warnings")


STATUSES: tuple[str, ...] = ("tried", "resolved", "next", "available", "ahead", "closed")

# What the service says about a refused field, in words, and the error types that say it.
PROBLEMS: dict[str, tuple[str, ...]] = {
    "is not a field the service knows": ("extra_forbidden",),
    "is missing": ("missing",),
    "is after the day of the advice": ("date_after_as_of",),
    "is not one of the allowed values": ("enum", "literal_error"),
    "must be a number": ("int_type", "int_parsing", "int_from_float"),
    "must be true or false": ("bool_type", "bool_parsing"),
    "must be text": ("string_type",),
    "is not a real date": ("value_error", "date_type", "date_parsing",
                           "date_from_datetime_parsing"),
    "is outside the dates the service accepts": ("date_out_of_range",),
    "must be filled in": ("model_attributes_type", "model_type", "dict_type"),
    "is out of range": ("greater_than_equal", "less_than_equal", "greater_than", "less_than",
                        "string_too_long", "too_long"),
}

STATES: dict[str, str] = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC",
    "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL",
    "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
    "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI",
    "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT",
    "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ",
    "New Mexico": "NM", "New York": "NY", "North Carolina": "NC", "North Dakota": "ND",
    "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA",
    "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN",
    "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA",
    "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY", "American Samoa": "AS",
    "Guam": "GU", "the Northern Mariana Islands": "MP", "Puerto Rico": "PR",
    "the U.S. Virgin Islands": "VI", "a Bureau of Indian Education school": "BIE",
}  # fmt: skip


def state_code(name: str) -> str:
    """The state code for a state's name or its code."""
    name = name.strip()
    codes = set(STATES.values())
    if name.upper() in codes:
        return name.upper()
    for full, code in STATES.items():
        if full.lower() == name.lower():
            return code
    raise _unknown("state", name, list(STATES), "Places")


def choice(pattern_values: Iterable[str]) -> str:
    """A regex alternation of the given phrases, longest first."""
    return "|".join(re.escape(v) for v in sorted(pattern_values, key=len, reverse=True))
