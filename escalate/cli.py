"""The command line: ``escalate advise``, ``escalate rules check``, ``escalate states``,
``escalate serve``, and ``escalate why-not`` (registered from :mod:`escalate.explain.cli`).

``advise CASE.json`` prints readable advice (or the contract's JSON with ``--json``);
``rules check [DIR]`` validates a rules folder exactly as start-up does and exits 1 with
the file, rule id and key of every problem; ``serve`` runs the HTTP API. Errors about a
case name the field, never the value.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from pydantic import ValidationError

from escalate.advisor import Advisor, default_rules_dir
from escalate.errors import EscalateError, RuleFileError, did_you_mean
from escalate.explain import cli as explain_cli
from escalate.models import DISCLAIMER, Advice, Case

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, width=88, initial_indent=indent,
                         subsequent_indent=" " * len(indent))


def render_advice(advice: Advice) -> str:
    """Advice as text a parent can read in a terminal."""
    lines = [f"Advice{f' for {advice.case_id}' if advice.case_id else ''}, "
             f"as of {advice.as_of.isoformat()}", ""]
    if not advice.recommendations:
        lines.append("No step is recommended for these facts.")
    for rec in advice.recommendations:
        rung = f"rung {rec.rung}" if rec.rung else "companion move"
        raised = ", ranked early" if rec.raised else ""
        lines.append(f"{rec.priority}. {rec.title} ({rung}{raised})")
        for reason in rec.reasons:
            lines.append(_wrap(reason.text, "     - "))
            cited = ", ".join(p for p in (
                reason.source.document and (reason.source.document
                                            + (f', "{reason.source.section}"'
                                               if reason.source.section else "")),
                reason.source.citation) if p)
            lines.append(f"       Source: {cited}")
        lines.append("   How:")
        lines.extend(_wrap(step, "     * ") for step in rec.how)
        for deadline in rec.deadlines:
            lines.append(f"   Deadline: {deadline.label}: {deadline.due.isoformat()} "
                         f"({deadline.days_left} days; {deadline.citation})")
        lines.append("")
    if advice.deadlines:
        lines.append("Deadlines:")
        for d in advice.deadlines:
            lines.append(f"  - {d.label}: {d.due.isoformat()} ({d.status}, {d.days_left} days "
                         f"left; {d.citation})")
            if d.note:
                lines.append(_wrap(d.note, "      "))
        lines.append("")
    if advice.warnings:
        lines.append("Warnings:")
        lines.extend(_wrap(f"{w.text} ({w.citation})", "  ! ") for w in advice.warnings)
        lines.append("")
    lines.append("The ladder:")
    lines.extend(f"  {r.rung}. {r.title}: {r.status}" for r in advice.ladder)
    lines += ["", _wrap(DISCLAIMER, "")]
    return "\n".join(lines)


def _case_errors(error: ValidationError) -> str:
    out = ["The case is not valid:"]
    for item in error.errors(include_url=False):
        where = ".".join(str(p) for p in item["loc"]) or "(the case)"
        out.append(f"  - {where}: {item['msg']}{did_you_mean(item)}")
    return "\n".join(out)


def _advise(args: argparse.Namespace) -> int:
    path = Path(args.case)
    try:
        text = sys.stdin.read() if args.case == "-" else path.read_text(encoding="utf-8")
    except OSError as error:
        print(f"escalate: cannot read {args.case}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    try:
        case = Case.model_validate_json(text)
    except ValidationError as error:
        print(_case_errors(error), file=sys.stderr)
        return EXIT_PROBLEM
    advisor = Advisor.from_directory(args.rules or default_rules_dir())
    explain = getattr(args, "explain", False)
    advice = advisor.explainer.advise(case) if explain else advisor.advise(case)
    if args.json:
        print(advice.model_dump_json(indent=2))
    else:
        print(render_advice(advice) + ("\n\n" + explain_cli.explain_advice(advice)
                                       if explain else ""))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    directory = Path(args.dir) if args.dir else default_rules_dir()
    advisor = Advisor.from_directory(directory)
    rulebook = advisor.rulebook
    print(f"{directory}: {len(rulebook.rules)} rules, {len(rulebook.moves)} moves, "
          f"{len(rulebook.parameters)} parameters, {len(rulebook.deadlines)} deadlines, "
          f"{len(rulebook.states)} states: OK "
          f"({rulebook.version})")
    return EXIT_OK


def _states(args: argparse.Namespace) -> int:
    from escalate.states import listing

    advisor = Advisor.from_directory(args.rules or default_rules_dir())
    if args.code:
        info = listing.state_info(advisor.rulebook, args.code.upper())
        if info is None:
            print("escalate: no state or territory has that code; accepted: "
                  + ", ".join(listing.CODES), file=sys.stderr)
            return EXIT_USAGE
        infos = [info]
    else:
        infos = listing.listing(advisor.rulebook).states
    if args.json:
        print("[" + ",\n".join(i.model_dump_json(indent=2) for i in infos) + "]")
    else:
        print("\n\n".join(listing.render(i) for i in infos))
        print("\n" + _wrap(DISCLAIMER, ""))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from api.server import run

    if args.rules:
        import os

        os.environ["ESCALATE_RULES_DIR"] = str(Path(args.rules).resolve())
    run(host=args.host, port=args.port, workers=args.workers)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="escalate",
        description="Suggests the next escalation step in a US special-education (IEP) "
                    "dispute. General information, not legal advice.")
    sub = parser.add_subparsers(dest="command", required=True)

    advise = sub.add_parser("advise", help="advice for a case file (JSON)")
    advise.add_argument("case", help="path to a case JSON file, or - for standard input")
    advise.add_argument("--json", action="store_true", help="print the contract's JSON")
    advise.add_argument("--rules", help="rules folder (default: the built-in rules)")
    advise.set_defaults(func=_advise)

    rules = sub.add_parser("rules", help="work with rule files")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    check = rules_sub.add_parser("check", help="validate a rules folder as start-up does")
    check.add_argument("dir", nargs="?", help="rules folder (default: the built-in rules)")
    check.set_defaults(func=_check)

    states = sub.add_parser("states", help="each state's deadlines, cited and rated")
    states.add_argument("code", nargs="?", help="a state code, e.g. WI (default: all)")
    states.add_argument("--json", action="store_true", help="print JSON")
    states.add_argument("--rules", help="rules folder (default: the built-in rules)")
    states.set_defaults(func=_states)

    explain_cli.add_commands(sub, advise)  # why-not, advise --explain (escalate/explain/)

    serve = sub.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--rules", help="rules folder (default: the built-in rules)")
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
