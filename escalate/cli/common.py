"""What every command of :mod:`escalate.cli` shares: the exit codes, reading a case (its
errors name the field, never the value), writing the output, and the library's face for
the rules folder a command names."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from escalate.errors import did_you_mean
from escalate.models import Case
from escalate.service import LOCAL_RULES_ENV, Escalate, configured_local_rules

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2

# The service's commands (``serve``, ``scenarios``) are found through this entry-point
# group, which the ``api`` package registers: the library never imports the service.
COMMANDS_GROUP = "escalate.commands"


def service_command(name: str) -> Callable[..., Any] | None:
    """The service's command ``name`` from the ``escalate.commands`` entry points, or
    None (said on stderr) when this installation has no HTTP service."""
    found = entry_points(group=COMMANDS_GROUP, name=name)
    if not found:
        print("escalate: this installation has no HTTP service (the escalate.commands "
              f"entry point '{name}' is missing); reinstall escalate", file=sys.stderr)
        return None
    command: Callable[..., Any] = next(iter(found)).load()
    return command


LOCAL_HELP = (f"your organization's own rule files, laid over the rules (default: "
              f"${LOCAL_RULES_ENV}, else none; rules/README.md, \"Your organization's own "
              "rules\")")


def add_local_rules(parser: Any) -> None:
    """``--local-rules DIR`` on a command that takes ``--rules``."""
    parser.add_argument("--local-rules", metavar="DIR", help=LOCAL_HELP)


def escalate_for(rules: str | None, local: str | None = None) -> Escalate:
    """The face of the rules folder ``rules`` (default ``$ESCALATE_RULES_DIR``, else the
    built-in rules) with the local folder ``local`` laid over it (default
    ``$ESCALATE_LOCAL_RULES``, else none); each part is loaded when the command first
    needs it. A local file that cannot be laid raises RuleFileError naming it."""
    return Escalate(rules or None, local=local or configured_local_rules())


def wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, width=88, initial_indent=indent,
                         subsequent_indent=" " * len(indent))


def case_errors(error: ValidationError) -> str:
    out = ["The case is not valid:"]
    for item in error.errors(include_url=False):
        where = ".".join(str(p) for p in item["loc"]) or "(the case)"
        out.append(f"  - {where}: {item['msg']}{did_you_mean(item)}")
    return "\n".join(out)


def read_case(name: str) -> Case | int:
    """The case in the file ``name`` (``-``: standard input), or an exit code."""
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as error:
        print(f"escalate: cannot read {name}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return Case.model_validate_json(text)
    except ValidationError as error:
        print(case_errors(error), file=sys.stderr)
        return EXIT_PROBLEM


def output(content: bytes, out: str | None, binary: bool) -> int:
    """Write to ``out`` (a file) or standard output; binary output never goes to a
    terminal."""
    if out:
        Path(out).write_bytes(content)
        return EXIT_OK
    if binary and sys.stdout.isatty():
        print("escalate: this format is binary; save it with -o FILE", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.buffer.write(content)
    sys.stdout.flush()
    return EXIT_OK
