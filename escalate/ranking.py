"""Ranking: the order in which the advice lists the moves the engine recommended.

The engine decides *which* moves are recommended; this module only orders them
(``shared/design/ladder.md`` sections 1 and 11). Least adversarial first, as the move
catalogue (``rules/moves.yaml``) lists them, inside seven groups taken in this order:

0. **closing** -- a family filing window that closes within 30 days, or that may already
   have closed on a date the case did not give: the claim is lost unless it is filed, so
   that move leads whatever rung the family has reached, the gentler steps beside it
   (section 12). The rules decide this from the ``window.<move>`` and ``clock.<id>``
   facts (the ``window_closing`` exception); nothing here reads a clock;
1. **first** -- a proceeding is pending (a due process complaint, an expedited hearing):
   its own preparation and protections come before anything else (section 9);
2. **urgent** -- discipline that changes placement or a safety risk. The catalogue lists
   the manifestation determination before the principal and the expedited hearing, so in
   a discipline case it comes first and the expedited hearing follows it (section 8);
3. **lead** -- moves that come before the next step: when the school agreed or the concern
   was resolved, confirming and writing down the agreement, so a formal step about a past
   violation is never first (section 11); and the interpreter a family needs to take part
   in anything else (section 10);
4. **next** -- the next step of the ordinary climb: the least adversarial rung (on the
   Section 504 track, 504 step; for a child with no plan and a suspected disability, the
   written evaluation request) recommended by a rule that is not an exception;
5. **at once** -- moves the rung-skipping exceptions make available at once (an IEE on a
   disputed evaluation, a state complaint for a broken duty);
6. **the rest** -- companion moves, and due process when the school keeps refusing: it is
   available without mediation, but two refusals do not put it ahead of the next informal
   rung or another meeting with other people (seed 003; section 11).

An exception's group is its ``rank`` in ``rules/moves.yaml``; a move takes the earliest
group any of its rules gives it. Nothing here adds or removes a recommendation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from escalate.rulebook import Rule, Rulebook

CLOSING, FIRST, URGENT, LEAD, NEXT, AT_ONCE, REST = range(7)
SECTION_504 = "section_504"
_BY_RANK = {"closing": CLOSING, "first": FIRST, "urgent": URGENT, "lead": LEAD,
            "at_once": AT_ONCE, "available": REST}
# Groups whose moves are ranked ahead of the ladder order ("raised" in the advice).
RAISED = frozenset({CLOSING, FIRST, URGENT, LEAD, AT_ONCE})


@dataclass(frozen=True)
class Ranked:
    """One recommended move, its group, and the rules that recommended it."""

    move: str
    group: int
    rules: tuple[Rule, ...]

    @property
    def raised(self) -> bool:
        return self.group in RAISED


def _exception_group(rulebook: Rulebook, rules: Sequence[Rule]) -> int | None:
    groups = [_BY_RANK[rulebook.exceptions[r.exception].rank] for r in rules if r.exception]
    return min(groups) if groups else None


def _is_step(rulebook: Rulebook, move: str, plan: str) -> bool:
    """A step of the ordinary climb: a rung, a step of the Section 504 track for a child on
    it, or a move marked ``climb`` (the written evaluation request that opens the IDEA
    track for a child with no plan)."""
    spec = rulebook.move(move)
    return (spec.rung is not None or spec.climb
            or (plan == SECTION_504 and spec.section_504_step is not None))


def rank(rulebook: Rulebook, by_move: Mapping[str, Sequence[Rule]],
         plan: str = "iep") -> list[Ranked]:
    """The recommended moves in the order the advice lists them."""
    exception_group = {m: _exception_group(rulebook, rules) for m, rules in by_move.items()}

    def before_next(move: str) -> bool:
        group = exception_group[move]
        return group is not None and group < NEXT

    steps = [m for m, rules in by_move.items()
             if _is_step(rulebook, m, plan) and not before_next(m)
             and any(r.exception is None for r in by_move[m])]
    next_step = min(steps, key=rulebook.rank) if steps else None

    def group(move: str) -> int:
        found = exception_group[move]
        if found is not None and found < NEXT:
            return found
        if move == next_step:
            return NEXT
        return found if found is not None else REST

    ordered = sorted(by_move, key=lambda m: (group(m), rulebook.rank(m)))
    return [Ranked(m, group(m), tuple(by_move[m])) for m in ordered]
