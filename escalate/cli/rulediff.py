"""``escalate rules diff [OLD] NEW --cases CASES.jsonl``: what a change of rules does to a
caseload.

Each case of the caseload (JSON Lines, as ``escalate triage`` reads it: ``-`` for
standard input, a line that is not a case named on standard error by its number only) is
advised under the rules folder OLD and under NEW, through the face
(:meth:`escalate.service.Escalate.compare`). With one folder, OLD is the rules in use
(``$ESCALATE_RULES_DIR``, else the built-in rules) and NEW the candidate: what a reload
onto it would change. The output lists the cases whose advice changes, one entry each
(the first step old and new, the steps added or no longer advised, the dates added, gone
or moved, the warnings added, gone or reworded, the ladder's rungs), with the counts; or,
with ``--format json``, the same as data. A progress bar (tqdm, standard error) follows a
long run on a terminal.

Exit status, as diff(1): **0** no case's advice changes, **1** some case's advice
changes, **2** a folder, the caseload or an option could not be used (nothing compared).
The words come from ``escalate/text/cli.yaml`` (``diff_*``) and their translations. The
output is general information, not legal advice.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from escalate.cli import caseload, common
from escalate.cli.common import EXIT_OK, EXIT_PROBLEM, EXIT_USAGE
from escalate.errors import RuleFileError
from escalate.i18n.formats import ENGLISH, LANGUAGES
from escalate.i18n.sources import cli_labels
from escalate.i18n.words import Words
from escalate.models.rulediff import CaseChange, StepRef
from escalate.service import Escalate, RuleDiff

FORMATS = ("table", "json")
WIDTH = 88
SHOWN = 12  # hex digits of a rules_version a person needs to tell two apart


def label(words: Words, key: str, **values: object) -> str:
    """The label ``key`` of ``escalate/text/cli.yaml`` in the words' language."""
    return words.say(f"text.cli.{key}", cli_labels()[key]).format(**values)


def short(version: str) -> str:
    """A rules_version cut to what tells two apart: each of its parts (``sha256:...``,
    ``+local:...``) to 12 hex digits."""
    parts = []
    for part in version.split("+"):
        kind, colon, digest = part.rpartition(":")
        parts.append(f"{kind}{colon}{digest[:SHOWN]}")
    return "+".join(parts)


def _status(words: Words, code: str) -> str:
    key = f"status.{code}"
    return label(words, key) if key in cli_labels() else code


def parts(change: CaseChange, words: Words) -> list[str]:
    """What changes for one case, each part a phrase of the labels (titles and warnings
    quoted, since they hold commas)."""

    def quoted(text: str | None) -> str:
        return label(words, "diff_quoted", text=text) if text else label(words, "diff_no_step")

    def steps(refs: list[StepRef]) -> str:
        return ", ".join(quoted(s.title) for s in refs)

    out: list[str] = []
    first = change.first_step
    if first is not None:
        out.append(label(words, "diff_first_step", old=quoted(first.old_title),
                         new=quoted(first.new_title)))
    named = {first.old, first.new} if first else set()  # not said twice
    if added := [s for s in change.steps_added if s.move not in named]:
        out.append(label(words, "diff_steps_added", steps=steps(added)))
    if removed := [s for s in change.steps_removed if s.move not in named]:
        out.append(label(words, "diff_steps_removed", steps=steps(removed)))
    if change.order_changed:
        out.append(label(words, "diff_order"))
    for d in change.deadlines_added:
        out.append(label(words, "diff_date_added", label=d.label, due=words.date(d.due)))
    for d in change.deadlines_removed:
        out.append(label(words, "diff_date_removed", label=d.label, due=words.date(d.due)))
    for c in change.deadlines_changed:
        old, new = _status(words, c.old_status), _status(words, c.new_status)
        if c.old_due == c.new_due:
            out.append(label(words, "diff_date_status", label=c.label,
                             due=words.date(c.new_due), old=old, new=new))
        else:
            out.append(label(words, "diff_date_moved" if old == new
                             else "diff_date_moved_status", label=c.label,
                             old_due=words.date(c.old_due), new_due=words.date(c.new_due),
                             old=old, new=new))
    out += [label(words, "diff_warning_added", text=quoted(w.text))
            for w in change.warnings_added]
    out += [label(words, "diff_warning_removed", text=quoted(w.text))
            for w in change.warnings_removed]
    out += [label(words, "diff_warning_changed", text=quoted(w.new.text))
            for w in change.warnings_changed]
    out += [label(words, "diff_rung", rung=r.rung, title=r.title,
                  old=_status(words, r.old), new=_status(words, r.new))
            for r in change.ladder_changed]
    if change.steps_reworded:
        out.append(label(words, "diff_reworded", steps=steps(change.steps_reworded)))
    if change.other:
        out.append(label(words, "diff_other"))
    return out


def entry(change: CaseChange, words: Words) -> str:
    """One case's entry: its line and case id, then what changes, wrapped for a
    terminal."""
    head = label(words, "diff_case", line=change.line,
                 case=change.case_id or label(words, "diff_no_case_id"))
    return textwrap.fill(f"{head} {'; '.join(parts(change, words))}", width=WIDTH,
                         subsequent_indent="    ", break_on_hyphens=False)


def render_table(result: RuleDiff, words: Words, old: str, new: str) -> str:
    """The heading, the counts, one entry per changed case, the lines skipped, the
    disclaimer."""
    s = result.summary
    lines = [label(words, "diff_title"),
             label(words, "diff_old_rules", folder=old,
                   version=short(s.old_rules_version)),
             label(words, "diff_new_rules", folder=new,
                   version=short(s.new_rules_version)),
             label(words, "diff_as_of", as_of=words.date(s.as_of)) if s.as_of
             else label(words, "diff_each_own"),
             label(words, "diff_summary", changed=s.changed, cases=s.cases,
                   first_step=s.first_step_changed, deadlines=s.deadlines_changed,
                   warnings=s.warnings_changed), ""]
    if not result.changes:
        lines += [label(words, "diff_no_change"), ""]
    for change in result.changes:
        lines.append(entry(change, words))
    if result.changes:
        lines.append("")
    if result.invalid:
        lines += [label(words, "diff_invalid",
                        lines=", ".join(str(i.line) for i in result.invalid)), ""]
    lines.append(common.wrap(s.disclaimer, ""))
    return "\n".join(lines) + "\n"


def render_json(result: RuleDiff) -> str:
    """The counts, the changed cases in line order, the invalid lines (by number)."""
    return json.dumps({
        "summary": result.summary.model_dump(mode="json"),
        "changes": [c.model_dump(mode="json") for c in result.changes],
        "invalid": [i.model_dump(mode="json") for i in result.invalid],
    }, ensure_ascii=False, indent=1) + "\n"


def _services(args: argparse.Namespace) -> tuple[Escalate, Escalate]:
    """OLD and NEW: two folders; the rules in use and NEW; or, with ``--local-rules``,
    the rules in use (or the one folder given) without and with that local folder."""
    if args.local_rules:
        base = args.folders[0] if args.folders else None
        return common.escalate_for(base), common.escalate_for(base, args.local_rules)
    old_dir, new_dir = args.folders if len(args.folders) == 2 else (None, args.folders[0])
    return common.escalate_for(old_dir), common.escalate_for(new_dir)


def folder(service: Escalate) -> str:
    """The rules a person named: the folder, and the local folder laid over it."""
    if service.layers is not None:
        return f"{service.base_dir} + {service.layers.local}"
    return str(service.rules_dir)


def run(args: argparse.Namespace) -> int:
    most = 1 if args.local_rules else 2
    if not 1 - bool(args.local_rules) <= len(args.folders) <= most:
        print("escalate: rules diff compares two rules folders: OLD NEW, or NEW alone "
              "(against the rules in use), or the rules in use (or one folder) without "
              "and with --local-rules DIR", file=sys.stderr)
        return EXIT_USAGE
    as_of = caseload.day(args.as_of)
    if isinstance(as_of, int):
        return as_of
    try:  # both rulebooks load before any case is read: a broken one is said first
        old_service, new_service = _services(args)
        _ = old_service.rules_version, new_service.rules_version
    except RuleFileError as error:
        print(f"escalate: {error}", file=sys.stderr)
        return EXIT_USAGE
    opened = caseload.open_for_workers(args.cases, args.jobs)
    if isinstance(opened, int):
        return opened
    stream, total, jobs = opened
    try:
        with stream, caseload.progress_bar(total) as bar:
            result = old_service.compare(new_service, caseload.numbered(stream), as_of=as_of,
                                         lang=args.lang, jobs=jobs, progress=bar.update,
                                         wording=not args.ignore_wording)
    except RuleFileError as error:  # the engine refused a rulebook (its proof)
        print(f"escalate: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenProcessPool:  # the same, in a worker (which printed why)
        print("escalate: a worker could not load the rules; check each folder with "
              "`escalate rules check DIR`", file=sys.stderr)
        return EXIT_USAGE
    caseload.report_invalid(result.invalid)
    words = Words() if args.lang == ENGLISH else old_service.words(args.lang)
    text = (render_json(result) if args.format == "json"
            else render_table(result, words, folder(old_service), folder(new_service)))
    code = common.output(text.encode("utf-8"), args.output, False)
    return code if code != EXIT_OK else EXIT_PROBLEM if result.changes else EXIT_OK


def add_command(rules_sub: Any) -> None:
    diff = rules_sub.add_parser(
        "diff", help="which cases of a caseload (JSON Lines) another rules folder would "
        "advise differently",
        description="Advise each case under two rules folders and list the cases whose "
        "advice changes. Exit status: 0 no change, 1 some advice changes, 2 a folder, the "
        "caseload or an option could not be used.")
    diff.add_argument("folders", nargs="*", metavar="FOLDER",
                      help="OLD NEW: two rules folders; or NEW alone, compared with the "
                      "rules in use ($ESCALATE_RULES_DIR, else the built-in rules); with "
                      "--local-rules, none (the rules in use) or one")
    common.add_local_rules(diff)
    diff.add_argument("--cases", required=True, help="a file of cases, one JSON object a "
                      "line (- for standard input)")
    diff.add_argument("--as-of", help="the day to advise every case for, YYYY-MM-DD "
                      "(default: each case's own as_of, else today)")
    diff.add_argument("--ignore-wording", action="store_true",
                      help="count a case as changed only when its steps, dates, warnings "
                      "or ladder change, not when only the words of a reason or a date do")
    diff.add_argument("--format", choices=FORMATS, default="table",
                      help="one entry per changed case (default), or JSON")
    diff.add_argument("--jobs", type=int, default=0,
                      help="worker processes (default: every core)")
    diff.add_argument("-o", "--output", help="file to write (default: standard output)")
    diff.add_argument("--lang", choices=LANGUAGES, default=ENGLISH,
                      help="the language of the list and of the advice compared "
                      "(default: en)")
    diff.set_defaults(func=run)

