"""``escalate triage CASES.jsonl``: a caseload at once, most urgent first.

Reads one case a line (JSON Lines; ``-`` for standard input), triages it through the face
(:meth:`escalate.service.Escalate.triage`: every core by default, ``--jobs N`` to choose)
and writes the list as a table for a terminal, CSV, JSON or a printable HTML page
(``--format``). A line that is not a case is named on standard error by its number only,
and skipped; the run goes on. On a terminal, a progress bar (tqdm, on standard error)
follows a long run. The words come from ``escalate/text/cli.yaml`` (``triage_*``) and
their translations; the page is the template ``templates/triage.html``. The output is
general information, not legal advice.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from functools import lru_cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, Template, select_autoescape

from escalate.cli import caseload, common
from escalate.cli.common import EXIT_OK, add_local_rules
from escalate.i18n.formats import ENGLISH, LANGUAGES
from escalate.i18n.sources import cli_labels
from escalate.i18n.words import Words
from escalate.service import Triage

FORMATS = ("table", "csv", "json", "html")


def label(words: Words, key: str, **values: object) -> str:
    """The label ``triage_<key>`` of ``escalate/text/cli.yaml`` in the words' language."""
    full = f"triage_{key}"
    return words.say(f"text.cli.{full}", cli_labels()[full]).format(**values)


def _columns(words: Words) -> list[str]:
    return [label(words, f"col_{c}") for c in
            ("urgency", "case", "line", "next", "date", "days", "whose", "warnings")]


def _cells(result: Triage, words: Words) -> list[dict[str, Any]]:
    """Each row as the words a person reads."""
    cells = []
    for row in result.rows:
        near = row.nearest
        cells.append({
            "class": row.urgency,
            "urgency": label(words, f"urgency_{row.urgency}"),
            "case": row.case_id or label(words, "no_case_id"),
            "line": row.line,
            "next": row.next_move_title or label(words, "nothing"),
            "date": words.date(near.due) if near else label(words, "none"),
            "days": near.days_left if near else "",
            "whose": label(words, f"kind_{near.kind}") if near else "",
            "warnings": [w.text for w in row.warnings],
        })
    return cells


def _heading(result: Triage, words: Words) -> dict[str, str]:
    s = result.summary
    as_of = words.date(s.as_of) if s.as_of else label(words, "each_own")
    return {
        "title": label(words, "title"),
        "as_of": label(words, "as_of", as_of=as_of),
        "summary": label(words, "summary", cases=s.cases, closing_7=s.closing_within_7,
                         closing_30=s.closing_within_30, late=s.districts_late),
        "invalid": label(words, "invalid", lines=", ".join(str(i.line) for i in result.invalid))
        if result.invalid else "",
    }


def render_table(result: Triage, words: Words) -> str:
    """The list for a terminal: one line per case, its warnings indented below."""
    head = _heading(result, words)
    columns = _columns(words)[:-1]
    cells = _cells(result, words)
    keys = ("urgency", "case", "line", "next", "date", "days", "whose")
    widths = [max([len(columns[i])] + [len(str(c[k])) for c in cells])
              for i, k in enumerate(keys)]
    lines = [head["title"], head["as_of"], head["summary"], ""]
    lines.append("  ".join(col.ljust(w) for col, w in zip(columns, widths, strict=True))
                 .rstrip())
    for c in cells:
        lines.append("  ".join(str(c[k]).ljust(w) for k, w in zip(keys, widths, strict=True))
                     .rstrip())
        lines.extend(common.wrap(text, "    ! ") for text in c["warnings"])
    if head["invalid"]:
        lines += ["", head["invalid"]]
    lines += ["", common.wrap(result.summary.disclaimer, "")]
    return "\n".join(lines) + "\n"


def render_csv(result: Triage, words: Words) -> str:
    """One row per case (the warnings' texts joined by ' | '), headers in the language."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_columns(words))
    for c in _cells(result, words):
        writer.writerow([c["urgency"], c["case"], c["line"], c["next"], c["date"], c["days"],
                         c["whose"], " | ".join(c["warnings"])])
    return out.getvalue()


def render_json(result: Triage) -> str:
    """The contract's shapes: the summary, the rows most urgent first, the invalid lines."""
    return "".join(json_pieces(result))


def _nested(value: Any, depth: int) -> str:
    # json.dumps(indent=1) of a value nested ``depth`` levels down: JSON strings hold no
    # raw newline, so every line break is one of the layout's
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)


def json_pieces(result: Triage) -> Iterator[str]:
    """The JSON output a row at a time (equal to ``json.dumps`` of the whole with
    ``indent=1``), so a caseload of 100,000 is never one object in memory."""
    yield '{\n "summary": ' + _nested(result.summary.model_dump(mode="json"), 1) + ","
    for name, items in (("rows", result.rows.dumps()),
                        ("invalid", (i.model_dump(mode="json") for i in result.invalid))):
        first = True
        for item in items:
            yield ("\n" if first else ",\n") + (f' "{name}": [\n' if first else "") + \
                "  " + _nested(item, 2)
            first = False
        yield (f'\n "{name}": []' if first else "\n ]") + ("," if name == "rows" else "")
    yield "\n}\n"


@lru_cache(maxsize=1)
def _template() -> Template:
    source = files("escalate.cli").joinpath("templates/triage.html").read_text("utf-8")
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return env.from_string(source)


def render_html(result: Triage, words: Words) -> str:
    """A page an intake worker can print: the counts, the list, the disclaimer."""
    return _template().render(lang=words.lang, columns=_columns(words),
                              rows=_cells(result, words),
                              disclaimer=result.summary.disclaimer, **_heading(result, words))


def run(args: argparse.Namespace) -> int:
    as_of = caseload.day(args.as_of)
    if isinstance(as_of, int):
        return as_of
    opened = caseload.open_for_workers(args.cases, args.jobs)
    if isinstance(opened, int):
        return opened
    stream, total, jobs = opened
    service = common.escalate_for(args.rules, args.local_rules)
    with stream, caseload.progress_bar(total) as bar:
        result = service.triage(caseload.numbered(stream), as_of=as_of, lang=args.lang,
                                jobs=jobs, progress=bar.update)
    caseload.report_invalid(result.invalid)
    # English labels need no translations loaded (the workers did the advice)
    words = Words() if args.lang == ENGLISH else service.words(args.lang)
    if args.format == "json":  # a piece at a time: a long caseload is never one string
        return _write(json_pieces(result), args.output)
    text = (render_table(result, words) if args.format == "table"
            else render_csv(result, words) if args.format == "csv"
            else render_html(result, words))
    return common.output(text.encode("utf-8"), args.output, False)


def _write(pieces: Iterator[str], out: str | None) -> int:
    """Write ``pieces`` to the file ``out``, or standard output, as they come."""
    with (open(out, "wb") if out else nullcontext(sys.stdout.buffer)) as stream:  # noqa: SIM115
        for piece in pieces:
            stream.write(piece.encode("utf-8"))
        stream.flush()
    return EXIT_OK


def add_command(sub: Any, rules_help: str) -> None:
    triage = sub.add_parser("triage", help="a caseload (JSON Lines), most urgent first")
    triage.add_argument("cases", help="a file of cases, one JSON object a line (- for "
                        "standard input)")
    triage.add_argument("--as-of", help="the day to triage every case for, YYYY-MM-DD "
                        "(default: each case's own as_of, else today)")
    triage.add_argument("--format", choices=FORMATS, default="table",
                        help="a table (default), CSV, JSON, or a printable HTML page")
    triage.add_argument("--jobs", type=int, default=0,
                        help="worker processes (default: every core)")
    triage.add_argument("-o", "--output", help="file to write (default: standard output)")
    triage.add_argument("--rules", help=rules_help)
    add_local_rules(triage)
    triage.add_argument("--lang", choices=LANGUAGES, default=ENGLISH,
                        help="the language of the list (default: en)")
    triage.set_defaults(func=run)
