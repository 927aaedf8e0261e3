"""The command line: ``escalate advise``, ``letter``, ``calendar``, ``rules check``,
``rules translate-status`` (:mod:`.translations`), ``states``, ``serve``, and ``why-not``
(:mod:`.explain`). Every command goes through the library's face,
:class:`escalate.service.Escalate`, and loads only what it needs (``states`` and
``translate-status`` no engine; ``rules check`` everything start-up checks).

``advise CASE.json`` prints the summary and the first three moves (every move with
``--all``, the contract's JSON with ``--json``); ``letter MOVE CASE.json`` writes the
move's letter filled from the case (``--format md|docx|pdf``, ``-o FILE``; its blanks with
``--blanks FILE.json``, listed by ``--blanks-template``);
``calendar CASE.json`` writes the case's deadlines as an .ics file;
``triage CASES.jsonl`` lists a caseload most urgent first (:mod:`.triage`);
``scenarios run PATH...`` runs Gherkin scenarios (:mod:`.scenarios`);
``rules check [DIR]`` validates a rules folder exactly as start-up does (the engine
evaluating a generated case set included, escalate/proof.py) and exits 1 with the file,
rule id and key of every problem; ``rules schema [--out DIR]`` writes the JSON Schema of
every kind of rule-data file, for editors (escalate/editor_schemas.py); ``rules diff
[OLD] NEW --cases CASES.jsonl`` lists the cases whose advice another rules folder changes
(:mod:`.rulediff`; exit 0 none, 1 some, 2 nothing compared); ``serve`` runs
the HTTP API. Errors about a case name the field, never the value. Every command reads
``$ESCALATE_RULES_DIR`` when no folder is given; ``--version`` prints the package version
and the rules' version.

The library never imports the service: ``serve`` finds it through the
``escalate.commands`` entry point that the ``api`` package registers (pyproject.toml), so
an installation without the service says so instead of failing on an import.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from escalate import __version__
from escalate.advisor import RULES_DIR_ENV
from escalate.cli import common
from escalate.cli import explain as explain_cli
from escalate.cli import rulediff as rulediff_cli
from escalate.cli import scenarios as scenarios_cli
from escalate.cli import translations as translation_status
from escalate.cli import triage as triage_cli
from escalate.cli.common import EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, output, read_case
from escalate.cli.common import wrap as _wrap
from escalate.errors import EscalateError, RuleFileError
from escalate.i18n.formats import ENGLISH, LANGUAGES
from escalate.i18n.sources import cli_labels
from escalate.i18n.words import Words
from escalate.models import DISCLAIMER, Advice, Source
from escalate.service import (
    LOCAL_RULES_ENV,
    SCHEMA_HEADER,
    SCHEMA_KINDS,
    STATE_CODES,
    BlankError,
    NoLetterError,
    write_schemas,
)
from escalate.text.variables import day_count

COMMANDS_GROUP = common.COMMANDS_GROUP
RULES_HELP = f"rules folder (default: ${RULES_DIR_ENV}, else the built-in rules)"


TOP = 3  # moves shown without --all


def cli_label(words: Words, key: str, **values: object) -> str:
    """The label ``key`` of ``escalate/text/cli.yaml`` in the language of ``words`` (its
    English when the language has none), filled in."""
    return words.say(f"text.cli.{key}", cli_labels()[key]).format(**values)


def render_advice(advice: Advice, limit: int | None = TOP,
                  words: Words | None = None) -> str:
    """Advice as text a parent can read in a terminal: the summary, then the first
    ``limit`` moves (all of them with ``None``). The labels come from
    ``escalate/text/cli.yaml``, in the language of ``words`` (English by default)."""
    say = words or Words()

    def label(key: str, **values: object) -> str:
        return cli_label(say, key, **values)

    read = say.read  # the advice is one document: each term's English at its first use

    def status(code: str) -> str:
        key = f"status.{code}"
        return label(key) if key in cli_labels() else code

    lines = [label("heading_case" if advice.case_id else "heading",
                   case_id=advice.case_id, as_of=say.date(advice.as_of)), ""]
    if advice.summary:
        lines += [_wrap(read(advice.summary), ""), ""]
    if not advice.recommendations:
        lines.append(label("nothing"))
    shown = advice.recommendations if limit is None else advice.recommendations[:limit]
    for rec in shown:
        rung = (label("step_504", n=rec.section_504_step) if rec.section_504_step
                else label("rung", n=rec.rung) if rec.rung else label("companion"))
        raised = label("raised") if rec.raised else ""
        lines.append(label("item", priority=rec.priority, title=read(rec.title), rung=rung,
                           raised=raised))
        for reason in rec.reasons:
            lines.append(_wrap(read(reason.text), "     - "))
            lines.append("       " + label("source", source=source_line(reason.source, say)))
        lines.append("   " + label("how"))
        lines.extend(_wrap(read(step), "     * ") for step in rec.how)
        for deadline in rec.deadlines:
            lines.append("   " + label(
                "move_deadline" if deadline.days_left >= 0 else "move_deadline_passed",
                label=read(deadline.label), due=say.date(deadline.due),
                days=day_count(deadline.days_left, say.lang), citation=deadline.citation))
        lines.append("")
    hidden = len(advice.recommendations) - len(shown)
    if hidden:
        lines += [label("hidden_one" if hidden == 1 else "hidden", count=hidden), ""]
    if advice.deadlines:
        lines.append(label("deadlines"))
        for d in advice.deadlines:
            lines.append("  - " + label("deadline" if d.days_left >= 0 else "deadline_passed",
                                        label=read(d.label), due=say.date(d.due),
                                        status=status(d.status),
                                        days=day_count(d.days_left, say.lang),
                                        citation=d.citation))
            if d.note:
                lines.append(_wrap(read(d.note), "      "))
        lines.append("")
    if advice.warnings:
        lines.append(label("warnings"))
        lines.extend(_wrap(f"{read(w.text)} ({w.citation})", "  ! ")
                     for w in advice.warnings)
        lines.append("")
    on_504 = bool(advice.section_504_ladder)
    lines.append(label("ladder_504" if on_504 else "ladder"))
    lines.extend("  " + label("ladder_rung", rung=r.rung, title=read(r.title),
                              status=status(r.status))
                 for r in (advice.section_504_ladder if on_504 else advice.ladder))
    lines += ["", _wrap(read(advice.disclaimer or DISCLAIMER), "")]
    return "\n".join(lines)


def source_line(source: Source, words: Words | None = None) -> str:
    """A source as a person reads it: the article's title and section, or the regulation's
    short name and citation; never a file name. The quoting words come from
    ``escalate/text/cli.yaml`` (``source_document``, ``source_section``), in the language
    of ``words``; titles and citations stay as their sources give them."""
    say = words or Words()
    parts = []
    if source.title:
        parts.append(cli_label(say, "source_document", title=source.title) if source.document
                     else source.title)
    if source.section:
        parts.append(cli_label(say, "source_section", section=source.section))
    if source.citation and source.citation != source.title:
        parts.append(source.citation)
    return ", ".join(parts)


def _read_blanks(name: str | None) -> dict[str, str] | int:
    """The answers to a letter's blanks from a JSON object file (``--blanks``)."""
    if not name:
        return {}
    try:
        data = json.loads(Path(name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"escalate: cannot read the blanks file {name}: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        print("escalate: the blanks file must hold a JSON object of strings, by blank name",
              file=sys.stderr)
        return EXIT_USAGE
    return data


def _letter(args: argparse.Namespace) -> int:
    case = read_case(args.case)
    if isinstance(case, int):
        return case
    answers = _read_blanks(args.blanks)
    if isinstance(answers, int):
        return answers
    service = common.escalate_for(args.rules, args.local_rules)
    try:
        if args.blanks_template:
            left = service.letter_blanks(case, args.move, args.lang, answers)
            template = {b.name: answers.get(b.name, "") for b in left}
            print(json.dumps(template, indent=2, ensure_ascii=False))
            for blank in left:  # what each one is, on standard error
                choices = f" (one of: {', '.join(blank.choices)})" if blank.choices else ""
                print(f"  {blank.name}: {blank.label}{choices}", file=sys.stderr)
            return EXIT_OK
        letter = service.letter(case, args.move, args.format, args.lang, answers)
    except (NoLetterError, BlankError) as error:
        print(f"escalate: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not letter.recommended:
        print(cli_label(service.words(letter.letter.lang), "letter_not_recommended"),
              file=sys.stderr)
    return output(letter.content, args.output, args.format != "md")


def _calendar(args: argparse.Namespace) -> int:
    case = read_case(args.case)
    if isinstance(case, int):
        return case
    service = common.escalate_for(args.rules, args.local_rules)
    return output(service.calendar(case, args.lang), args.output, False)


def _advise(args: argparse.Namespace) -> int:
    case = read_case(args.case)
    if isinstance(case, int):
        return case
    service = common.escalate_for(args.rules, args.local_rules)
    explain = getattr(args, "explain", False)
    advice = service.advise(case, args.lang, explain=explain)
    if args.json:
        print(advice.model_dump_json(indent=2))
    else:
        words = service.words(advice.language)
        print(render_advice(advice, None if args.all else TOP, words)
              + ("\n\n" + explain_cli.explain_advice(
                  advice, words, getattr(args, "technical", False)) if explain else ""))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    # everything start-up checks
    service = common.escalate_for(args.dir, args.local_rules).start()
    directory, rulebook = service.base_dir, service.rulebook
    for line in service.local_changes():  # what the organization's own files change
        print(line)
    print(f"{directory}: {len(rulebook.rules)} rules, {len(rulebook.moves)} moves, "
          f"{len(rulebook.parameters)} parameters, {len(rulebook.deadlines)} deadlines, "
          f"{len(rulebook.states)} states, {len(service.letter_moves())} letters: OK "
          f"({rulebook.version})")
    for line in translation_status.summary_lines(service.locales):
        print(line)
    if getattr(args, "strict", False) and translation_status.has_gaps(service.locales):
        print("escalate: --strict: every text needs a current translation (see "
              "`escalate rules translate-status LANG`)", file=sys.stderr)
        return EXIT_PROBLEM
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    """Write the JSON Schema of every kind of rule-data file, and say which header puts
    each in an editor (rules/README.md)."""
    out = Path(args.out)
    try:
        write_schemas(out)
    except OSError as error:
        print(f"escalate: cannot write to {out}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    width = max(len(kind.file_name) for kind in SCHEMA_KINDS)
    print(f"{out}: {len(SCHEMA_KINDS)} schemas. Put the header line first in a file:")
    for kind in SCHEMA_KINDS:
        target = (out / kind.file_name).resolve().as_uri()
        print(f"  {kind.file_name:<{width}}  for {', '.join(kind.files)}")
        print(f"    {SCHEMA_HEADER.format(target)}")
    return EXIT_OK


def _facts(args: argparse.Namespace) -> int:
    """The fact vocabulary rules are written in (escalate/facts.py), as a list or as the
    Markdown table of rules/README.md. Needs no rulebook."""
    from escalate import facts  # noqa: PLC0415 - only this command reads the declarations

    if args.markdown:
        print(facts.markdown_table(), end="")
        return EXIT_OK
    for spec in facts.CASE_FACTS:
        values = {bool: "true/false", int: "a whole number"}.get(spec.kind) or "|".join(
            spec.values)
        source = f" ({spec.source})" if spec.source else ""
        print(f"{spec.name}: {values}: {spec.description}{source}")
    for family in facts.FAMILIES:
        print(f"{family.pattern}: {'|'.join(family.values)}: {family.description}")
    return EXIT_OK


def _translate_status(args: argparse.Namespace) -> int:
    service = common.escalate_for(args.rules, args.local_rules)
    return translation_status.print_status(service.locales, args.lang)


def _states(args: argparse.Namespace) -> int:
    # the rulebook and translations, no engine
    service = common.escalate_for(args.rules, args.local_rules)
    if args.code:
        info = service.state(args.code, args.lang)
        if info is None:
            print("escalate: no state or territory has that code; accepted: "
                  + ", ".join(STATE_CODES), file=sys.stderr)
            return EXIT_USAGE
        infos = [info]
    else:
        infos = service.states(args.lang).states
    if args.json:
        print("[" + ",\n".join(i.model_dump_json(indent=2) for i in infos) + "]")
    else:
        print("\n\n".join(service.render_state(i, args.lang) for i in infos))
        print("\n" + _wrap(service.disclaimer(args.lang), ""))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    run = common.service_command("serve")
    if run is None:
        return EXIT_PROBLEM
    if args.rules:
        os.environ[RULES_DIR_ENV] = str(Path(args.rules).resolve())
    if args.local_rules:  # the service's setting, read by every worker
        os.environ[LOCAL_RULES_ENV] = str(Path(args.local_rules).resolve())
    run(host=args.host, port=args.port, workers=args.workers)
    return EXIT_OK


class _VersionAction(argparse.Action):
    """``--version``: the package version and the version of the rules in use."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the package version "
                         "and the rules_version, then exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        try:
            service = common.escalate_for(None)
            rules = f"rules_version {service.rules_version} ({service.base_dir})"
        except EscalateError as error:
            rules = f"rules: {error}"
        print(f"escalate {__version__}\n{rules}")
        parser.exit(EXIT_OK)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="escalate",
        description="Suggests the next escalation step in a US special-education (IEP) "
                    "dispute. General information, not legal advice.")
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", required=True)

    advise = sub.add_parser("advise", help="advice for a case file (JSON)")
    advise.add_argument("case", help="path to a case JSON file, or - for standard input")
    advise.add_argument("--json", action="store_true", help="print the contract's JSON")
    advise.add_argument("--all", action="store_true",
                        help=f"show every recommended move (default: the first {TOP})")
    advise.add_argument("--rules", help=RULES_HELP)
    common.add_local_rules(advise)
    advise.add_argument("--lang", choices=LANGUAGES, default=ENGLISH,
                        help="the language of the advice (default: en)")
    advise.set_defaults(func=_advise)

    letter = sub.add_parser("letter", help="a letter for one move, filled from a case file")
    letter.add_argument("move", help="the move id, e.g. request_iep_meeting (see GET /v1/moves)")
    letter.add_argument("case", help="path to a case JSON file, or - for standard input")
    letter.add_argument("--format", choices=["md", "docx", "pdf"], default="md",
                        help="Markdown text (default), an editable .docx, or a PDF")
    letter.add_argument("-o", "--output", help="file to write (default: standard output)")
    letter.add_argument("--rules", help="rules folder (default: the built-in rules)")
    common.add_local_rules(letter)
    letter.add_argument("--lang", choices=LANGUAGES, default=ENGLISH,
                        help="the language of the letter (default: en; another language "
                        "comes with its English to send)")
    letter.add_argument("--blanks", metavar="FILE.json",
                        help="the answers to the letter's blanks, a JSON object by blank "
                        "name; with every blank answered the letter is final (no note, no "
                        "brackets)")
    letter.add_argument("--blanks-template", action="store_true",
                        help="print the letter's blanks as a JSON object to fill (what each "
                        "one is goes to standard error) and stop")
    letter.set_defaults(func=_letter)

    calendar = sub.add_parser("calendar", help="the case's deadlines as an .ics calendar")
    calendar.add_argument("case", help="path to a case JSON file, or - for standard input")
    calendar.add_argument("-o", "--output", help="file to write (default: standard output)")
    calendar.add_argument("--rules", help="rules folder (default: the built-in rules)")
    common.add_local_rules(calendar)
    calendar.add_argument("--lang", choices=LANGUAGES, default=ENGLISH,
                          help="the language of the events (default: en)")
    calendar.set_defaults(func=_calendar)

    rules = sub.add_parser("rules", help="work with rule files")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    check = rules_sub.add_parser("check", help="validate a rules folder as start-up does")
    check.add_argument("dir", nargs="?", help=RULES_HELP)
    common.add_local_rules(check)
    check.set_defaults(func=_check)
    schema = rules_sub.add_parser(
        "schema", help="write JSON Schema of every rule-data file, for editors")
    schema.add_argument("--out", default="schemas", metavar="DIR",
                        help="folder to write the schemas to (default: ./schemas)")
    schema.set_defaults(func=_schema)
    facts = rules_sub.add_parser("facts", help="the facts rules can test (escalate/facts.py)")
    facts.add_argument("--markdown", action="store_true",
                       help="print the table of rules/README.md")
    facts.set_defaults(func=_facts)
    translation_status.add_arguments(check, rules_sub, RULES_HELP).set_defaults(
        func=_translate_status)
    rulediff_cli.add_command(rules_sub)  # rules diff (escalate/cli/rulediff.py)

    states = sub.add_parser("states", help="each state's deadlines, cited and rated")
    states.add_argument("code", nargs="?", help="a state code, e.g. WI (default: all)")
    states.add_argument("--json", action="store_true", help="print JSON")
    states.add_argument("--lang", choices=LANGUAGES, default=ENGLISH,
                        help="the language of the notes (--json) and the disclaimer "
                        "(default: en)")
    states.add_argument("--rules", help="rules folder (default: the built-in rules)")
    common.add_local_rules(states)
    states.set_defaults(func=_states)

    explain_cli.add_commands(sub, advise)  # why-not, advise --explain (escalate/explain/)
    triage_cli.add_command(sub, RULES_HELP)  # a caseload at once (escalate/cli/triage.py)
    scenarios_cli.add_commands(sub, RULES_HELP)  # scenarios run (escalate/scenarios/)

    serve = sub.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--rules", help=RULES_HELP)
    common.add_local_rules(serve)
    serve.set_defaults(func=_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except BrokenPipeError:  # e.g. `escalate advise case.json | head`
        sys.stderr.close()
        return EXIT_OK
    except RuleFileError as error:
        print(f"escalate: {error}", file=sys.stderr)
        return EXIT_PROBLEM
    except EscalateError as error:
        print(f"escalate: {error}", file=sys.stderr)
        return EXIT_PROBLEM
    return code


if __name__ == "__main__":
    sys.exit(main())
