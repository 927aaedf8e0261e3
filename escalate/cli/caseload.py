"""Reading a caseload on the command line, shared by ``escalate triage`` and ``escalate
rules diff``: the file of cases (JSON Lines; ``-`` for standard input) as numbered lines,
the day asked for, the number of worker processes, the progress bar (tqdm, on standard
error, on a terminal and for a long run) and the lines skipped, named on standard error by
number and kind only, never by their content."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Iterator
from typing import IO

from tqdm import tqdm

from escalate.cli.common import EXIT_USAGE
from escalate.models.triage import TriageInvalid
from escalate.service import TRIAGE_CHUNK, default_jobs

# Lines from which a progress bar is worth showing (a few seconds of work on one core).
PROGRESS_FROM = 500
UNREADABLE = "\ufffd"  # a line that is not UTF-8: never JSON, so named not_json


def numbered(stream: IO[bytes]) -> Iterator[tuple[int, str]]:
    """The stream's lines, numbered from 1, decoded (a line that is not UTF-8 is read as
    one that is not JSON)."""
    for number, raw in enumerate(stream, start=1):
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError:
            yield number, UNREADABLE


def count(name: str) -> int:
    with open(name, "rb") as stream:
        return sum(1 for _ in stream)


def open_cases(name: str) -> tuple[IO[bytes], int | None] | int:
    """The caseload ``name`` opened and its number of lines (None for standard input), or
    an exit code (said on standard error)."""
    try:
        stream: IO[bytes] = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115
        return stream, None if name == "-" else count(name)
    except OSError as error:
        print(f"escalate: cannot read {name}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE


def day(text: str | None) -> dt.date | None | int:
    """``--as-of``: the day asked for (None: each case's own), or an exit code."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        print("escalate: --as-of must be a date, YYYY-MM-DD", file=sys.stderr)
        return EXIT_USAGE


def jobs(requested: int, total: int | None) -> int | None:
    """``--jobs``: every core by default, never more workers than the file has chunks
    (each costs seconds to start); None when the number asked for is not one (said)."""
    chosen = requested or default_jobs()
    if chosen < 1:
        print("escalate: --jobs must be 1 or more", file=sys.stderr)
        return None
    if total is not None:
        chosen = max(1, min(chosen, -(-total // TRIAGE_CHUNK)))
    return chosen


def open_for_workers(name: str, requested: int
                     ) -> tuple[IO[bytes], int | None, int] | int:
    """The caseload ``name`` opened (:func:`open_cases`), its number of lines and the
    worker processes for it (:func:`jobs`), or an exit code (said; the file closed)."""
    opened = open_cases(name)
    if isinstance(opened, int):
        return opened
    stream, total = opened
    chosen = jobs(requested, total)
    if chosen is None:
        stream.close()
        return EXIT_USAGE
    return stream, total, chosen


def progress_bar(total: int | None) -> tqdm[None]:
    """A bar on standard error, for a terminal and a long (or unknown) run only."""
    show = sys.stderr.isatty() and (total is None or total >= PROGRESS_FROM)
    return tqdm(total=total, unit="case", disable=not show, file=sys.stderr, leave=False)


def report_invalid(invalid: Iterable[TriageInvalid]) -> None:
    """Each line skipped, by number and kind only: never the line's content."""
    for line in invalid:
        print(f"escalate: line {line.line} skipped: {line.error}", file=sys.stderr)
