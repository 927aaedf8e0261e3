"""The work budget of one request, checked before the work: every bound in one place.

A request that costs its sender almost nothing must not cost the service much: a 500 KB
file of 125,000 empty history rows, 75,000 unknown keys, a letter whose summary is
``"1.\\n" * 666``. Each is refused here, with a 413 or 422 naming the bound and what is
accepted, before it is validated, rendered or turned into a page.

Where the bounds live:

- the case's own bounds are the ``Field`` constraints of :class:`escalate.models.Case`
  (every list has ``max_length``, every string has ``max_length``); the bounds below that
  follow from them are computed from the model, never restated;
- the bounds of a deployment (body bytes, render pool, timeouts, connections) are
  settings (:mod:`api.settings`), each an ``ESCALATE_*`` variable;
- the structural bounds below are the rest: generous for any real case (which has tens
  of history rows, not thousands), far below what would cost the service.

The README lists them all ("Limits").
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterator
from typing import Any

from markdown_it import MarkdownIt
from pydantic import BaseModel

from escalate.models import Case

# --- a case's JSON (the API's bodies, the page's case_json and saved files) ----------

# Object keys in one JSON body, counted at every level. A case with every section filled
# and 100 history rows has about 350.
MAX_JSON_KEYS = 1_000
# Nesting of objects and arrays (a case nests 3 deep: case -> history -> entry).
MAX_JSON_DEPTH = 8


def _list_bounds(model: type[BaseModel]) -> Iterator[int]:
    """The ``max_length`` of every list field of ``model`` and of the models inside it."""
    for info in model.model_fields.values():
        annotation = info.annotation
        union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
        args = typing.get_args(annotation) if union else (annotation,)
        for arg in args:
            if typing.get_origin(arg) is list:
                for meta in info.metadata:
                    if getattr(meta, "max_length", None) is not None:
                        yield int(meta.max_length)
                inner = typing.get_args(arg)[0]
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    yield from _list_bounds(inner)
            elif isinstance(arg, type) and issubclass(arg, BaseModel):
                yield from _list_bounds(arg)


# Items in one JSON array: the longest list a case allows (school_closures).
MAX_JSON_ARRAY_ITEMS = max(_list_bounds(Case))
# History rows a case may have, and so the most the intake page shows.
MAX_HISTORY_ROWS = next(int(m.max_length) for m in Case.model_fields["history"].metadata
                        if getattr(m, "max_length", None) is not None)

# --- a caseload (POST /v1/triage): one case a line, within the body bound of the settings

# Cases (non-blank lines) in one request: a day's intake queue; bigger caseloads are sent
# in several requests or triaged with `escalate triage` on every core.
MAX_TRIAGE_LINES = 2_000
NDJSON_TYPES = ("application/x-ndjson", "application/jsonl", "application/ndjson")


def triage_lines(text: str) -> list[tuple[int, str]]:
    """The numbered lines of a caseload body, or :class:`OverBudget` (422) naming the
    bound when it has more cases than one request may carry. Counted before any work."""
    # "\n" only: a JSON string may hold U+2028 and the like, which splitlines() would cut
    lines = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    if len(lines) > MAX_TRIAGE_LINES:
        raise OverBudget("too_many_lines", MAX_TRIAGE_LINES,
                         f"the body has more than {MAX_TRIAGE_LINES} cases (non-blank "
                         "lines); send at most that many per request")
    return lines


# --- the page's forms ------------------------------------------------------------------

# A saved case file (``/resume``): a full case is a few KB.
MAX_SAVED_FILE_BYTES = 64 * 1024
# One form field (a case_json travels in one) and the fields of one form: the intake has
# about 45 questions and 3 per history row.
MAX_FORM_FIELD_BYTES = 64 * 1024
MAX_FORM_FIELDS = 500
MAX_FORM_FILES = 1

# --- a letter's Markdown, before it is rendered as PDF or .docx ------------------------

# The shipped letters are at most ~4,100 characters and ~150 block tokens, 4 levels deep.
MAX_LETTER_CHARS = 20_000
MAX_LETTER_BLOCKS = 600
MAX_LETTER_NESTING = 8

# --- logs and metrics ------------------------------------------------------------------

# A client-chosen field (method, path, user agent) in a log line is cut to this.
MAX_LOGGED_FIELD = 200

ACCEPTED_CHARSET = "utf-8"
# What a body in another encoding is told (the words FastAPI's own path gives bytes that
# do not decode; api.errors).
UTF8_ONLY = "JSON decode error: the body must be UTF-8 encoded JSON"
# Parsed as escalate.letters.formats parses a letter (CommonMark, no raw HTML).
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


class OverBudget(Exception):
    """A request over one bound: which (``kind``), the bound (``limit``), and a message
    saying what is accepted (never the value sent). ``status`` is 413 for bytes, else 422.
    """

    def __init__(self, kind: str, limit: int, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.kind = kind
        self.limit = limit
        self.message = message
        self.status = status


def check_json(data: Any) -> None:
    """Raise :class:`OverBudget` when decoded JSON has more keys, deeper nesting or longer
    arrays than a case can. Iterative, and stops at the first bound passed."""
    keys = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
            keys += len(value)
            if keys > MAX_JSON_KEYS:
                raise OverBudget("too_many_keys", MAX_JSON_KEYS,
                                 f"the JSON has more than {MAX_JSON_KEYS} object keys; a "
                                 "case has far fewer (only the fields of the case model)")
        elif isinstance(value, list):
            children = value
            if len(value) > MAX_JSON_ARRAY_ITEMS:
                raise OverBudget("too_many_items", MAX_JSON_ARRAY_ITEMS,
                                 f"a JSON array has more than {MAX_JSON_ARRAY_ITEMS} items; "
                                 f"a case's lists hold at most that many (history at most "
                                 f"{MAX_HISTORY_ROWS})")
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            raise OverBudget("too_deep", MAX_JSON_DEPTH,
                             f"the JSON nests more than {MAX_JSON_DEPTH} levels deep; a "
                             "case nests 3")
        stack.extend((child, depth + 1) for child in children)


def decode_utf8(body: bytes) -> str:
    """The body as text, or :class:`OverBudget` when it is not UTF-8 (JSON is UTF-8: RFC
    8259 section 8.1; UTF-16 and UTF-32 are refused, not guessed)."""
    try:
        return body.decode(ACCEPTED_CHARSET)
    except UnicodeDecodeError:
        raise OverBudget("json_invalid", 0, UTF8_ONLY) from None


def load_json(body: bytes | str) -> Any:
    """Decode a JSON body within the budget: UTF-8 text, then :func:`check_json`.

    Raises :class:`OverBudget`, or ``ValueError`` for text that is not JSON."""
    text = decode_utf8(body) if isinstance(body, bytes) else body
    try:
        data = json.loads(text)
    except RecursionError:
        raise OverBudget("too_deep", MAX_JSON_DEPTH,
                         f"the JSON nests more than {MAX_JSON_DEPTH} levels deep; a case "
                         "nests 3") from None
    check_json(data)
    return data


def check_letter(markdown: str) -> None:
    """Raise :class:`OverBudget` when a letter's Markdown is longer or has more structure
    than any letter needs, before it is rendered (a PDF's time grows with its blocks)."""
    if len(markdown) > MAX_LETTER_CHARS:
        raise OverBudget("letter_too_long", MAX_LETTER_CHARS,
                         f"the letter would be over {MAX_LETTER_CHARS} characters; shorten "
                         "the case's free text (concern.summary)")
    tokens = _MARKDOWN.parse(markdown)
    if len(tokens) > MAX_LETTER_BLOCKS or \
            max((t.level for t in tokens), default=0) > MAX_LETTER_NESTING:
        raise OverBudget("letter_too_complex", MAX_LETTER_BLOCKS,
                         f"the letter would have over {MAX_LETTER_BLOCKS} blocks (paragraphs, "
                         "list items, headings) or nest over "
                         f"{MAX_LETTER_NESTING} deep; write the case's free text "
                         "(concern.summary) as a few sentences")
