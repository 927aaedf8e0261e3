"""The ids of the rulebook's translatable texts, each written once.

A translation (``rules/locales/<lang>/texts.yaml``) keys every text by an id made from
the thing it words: ``move.<id>.title``, ``rule.<id>.because``, ``deadline.<id>.label``...
The sources of the texts (:mod:`escalate.i18n.sources`) and every writer that says one
make the id here, so that an id is spelt in one place. This module imports nothing.
"""

from __future__ import annotations


def rule_because(rule: str) -> str:
    """A rule's reason (its ``because``)."""
    return f"rule.{rule}.because"


def exception_because(name: str) -> str:
    """The reason an exception to the ladder's order gives."""
    return f"exception.{name}.because"


def move_title(move: str) -> str:
    """A move's name."""
    return f"move.{move}.title"


def move_summary(move: str, plan: str | None = None) -> str:
    """A move's summary; ``plan``: the wording for a child on that plan."""
    return f"move.{move}.for_plan.{plan}.summary" if plan else f"move.{move}.summary"


def move_how(move: str, step: int, plan: str | None = None) -> str:
    """Step ``step`` (from 1) of a move's how-to; ``plan`` as for :func:`move_summary`."""
    return (f"move.{move}.for_plan.{plan}.how.{step}" if plan
            else f"move.{move}.how.{step}")


def move_situation(move: str, situation: str, part: str, step: int | None = None) -> str:
    """A move's ``part`` (title, summary, how) in a situation a rule names; ``step``
    (from 1) for the how-to."""
    base = f"move.{move}.for_situation.{situation}.{part}"
    return f"{base}.{step}" if step is not None else base


def regulation_title(citation: str) -> str:
    """A regulation's short name."""
    return f"regulation.{citation}.title"


def deadline_label(clock: str) -> str:
    """A clock's label in the deadlines an advice shows."""
    return f"deadline.{clock}.label"


def deadline_overdue(clock: str) -> str:
    """The sentence for a duty past its date."""
    return f"deadline.{clock}.overdue"
