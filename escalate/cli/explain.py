"""The explanation commands, registered on ``escalate``'s parser by :mod:`escalate.cli`.

- ``escalate why-not MOVE CASE.json`` prints why a move is, or is not, recommended
  (``--json`` for the API's JSON; ``--lang es`` in Spanish);
- ``escalate advise --explain CASE.json`` adds the questions that would change the advice
  (in the advice's language, ``--lang``).

Both print what a family reads; ``--technical`` adds the rule ids, conditions and case
fields, for intake tools.

Errors about a case name the field, never the value.
"""

from __future__ import annotations

import argparse

from escalate.cli import common
from escalate.cli.common import EXIT_OK, add_local_rules, read_case
from escalate.explain.render import render_explanation, render_why_not
from escalate.i18n.formats import ENGLISH, LANGUAGES
from escalate.i18n.words import Words
from escalate.models import Advice, MoveId


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                 advise: argparse.ArgumentParser) -> None:
    """Add ``why-not`` to the subcommands and ``--explain`` to ``advise``."""
    advise.add_argument("--explain", action="store_true",
                        help="add the questions whose answer would change the advice")
    advise.add_argument("--technical", action="store_true",
                        help="with --explain: add the case fields and what was not tried, "
                        "for intake tools")
    why = sub.add_parser("why-not", help="why a move is, or is not, recommended for a case")
    why.add_argument("move", choices=[m.value for m in MoveId], metavar="MOVE",
                     help="a move id (see GET /v1/moves), e.g. due_process")
    why.add_argument("case", help="path to a case JSON file, or - for standard input")
    why.add_argument("--json", action="store_true", help="print the API's JSON")
    why.add_argument("--rules", help="rules folder (default: the built-in rules)")
    add_local_rules(why)
    why.add_argument("--lang", choices=LANGUAGES, default=ENGLISH,
                     help="the language of the report (default: en)")
    why.add_argument("--technical", action="store_true",
                     help="add the rules and conditions behind the report, for intake tools")
    why.set_defaults(func=_why_not)


def explain_advice(advice: Advice, words: Words | None = None, technical: bool = False
                   ) -> str:
    """The text ``advise --explain`` prints after the advice (empty without one), its
    labels in the language of ``words``; ``technical`` adds the part for intake tools."""
    return (render_explanation(advice.explanation, words, technical)
            if advice.explanation else "")


def _why_not(args: argparse.Namespace) -> int:
    case = read_case(args.case)
    if isinstance(case, int):
        return case
    service = common.escalate_for(args.rules, args.local_rules)
    report = service.why_not(case, MoveId(args.move), lang=args.lang)
    print(report.model_dump_json(indent=2) if args.json
          else render_why_not(report, service.words(report.language), args.technical))
    return EXIT_OK
