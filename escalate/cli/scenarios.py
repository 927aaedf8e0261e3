"""``escalate scenarios run PATH...``: an advocate's Gherkin scenarios, run against the
installed rules (or ``--rules DIR``) with the project's step vocabulary, no pytest.

Prints each scenario passed or failed (a failure with its step, what was expected and
what the advice said instead, in the catalogue's words), writes JUnit XML with
``--junit FILE``, and exits 0 when every scenario passed, 1 when one failed, 2 when a
path, a feature file or the rules could not be read. ``--builtin`` adds the scenarios
that ship with escalate. The service runs in process, found through the
``escalate.commands`` entry point ``scenarios`` (the library never imports it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from escalate.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USAGE,
    add_local_rules,
    service_command,
)
from escalate.errors import EscalateError
from escalate.resources import features_folder


def add_commands(sub: Any, rules_help: str) -> None:
    """``scenarios run`` on the command line's subcommands."""
    scenarios = sub.add_parser("scenarios", help="run Gherkin scenarios (.feature files)")
    scenarios_sub = scenarios.add_subparsers(dest="scenarios_command", required=True)
    run = scenarios_sub.add_parser(
        "run", help="run .feature files against the rules; exit 0 if all pass, 1 if one "
        "fails, 2 if a file or the rules cannot be read")
    run.add_argument("paths", nargs="*", metavar="PATH",
                     help=".feature files, or folders holding them")
    run.add_argument("--rules", help=rules_help)
    add_local_rules(run)
    run.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML")
    run.add_argument("--builtin", action="store_true",
                     help="also run the scenarios that ship with escalate")
    run.set_defaults(func=run_command)


def run_command(args: argparse.Namespace) -> int:
    from escalate.scenarios import runner  # the steps and the parser: only for this command

    paths = [Path(p) for p in args.paths]
    if args.builtin:
        paths.append(features_folder())
    if not paths:
        print("escalate: name .feature files or folders to run (or --builtin)",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        parsed = [s for path in runner.feature_files(paths) for s in runner.parse(path)]
    except runner.FeatureFileError as error:
        print(f"escalate: {error}", file=sys.stderr)
        return EXIT_USAGE
    in_process = service_command("scenarios")
    if in_process is None:
        return EXIT_PROBLEM
    rules = Path(args.rules).resolve() if args.rules else None
    if rules is not None and not rules.is_dir():
        print(f"escalate: --rules {args.rules}: not a folder of rule files", file=sys.stderr)
        return EXIT_USAGE
    local = Path(args.local_rules).resolve() if args.local_rules else None
    if local is not None and not local.is_dir():
        print(f"escalate: --local-rules {args.local_rules}: not a folder of local rule files",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        with in_process(rules, local) as client:
            result = runner.Run([runner.run_scenario(s, client) for s in parsed])
    except EscalateError as error:
        print(f"escalate: the rules did not load, no scenario ran: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(runner.text(result))
    if args.junit:
        try:
            Path(args.junit).write_bytes(runner.junit_xml(result))
        except OSError as error:
            print(f"escalate: cannot write {args.junit}: {error.strerror}", file=sys.stderr)
            return EXIT_USAGE
    return EXIT_PROBLEM if result.failed else EXIT_OK
