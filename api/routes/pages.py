"""The web page for families and advocates: the intake at ``/``, the advice page, and the
downloads (letters, the calendar, the saved answers), all server-rendered HTML forms that
work without JavaScript.

Every page calls the same library as the API, through its face
(:class:`escalate.service.Escalate`: advice, letters, the calendar) on a case validated
by the same ``Case`` model, and shows the same problems beside the question they are
about. Nothing is stored: the case travels in the forms (POST bodies, never URLs), is
never logged, and no cookie or browser storage is used. Every page carries a strict
Content-Security-Policy (only this service's own CSS, JS and forms), the
not-legal-advice statement and, when the state is known, its parent center.

API keys: the pages are for people, whose browsers cannot send ``X-API-Key``; they are
outside ``/v1/`` and so not behind the key. A deployment that wants no pages sets
``ESCALATE_PAGES=false`` (see ``api.settings``) and they are not mounted.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

from escalate.errors import CaseError
from escalate.models import Case
from escalate.service import (
    CALENDAR_MEDIA_TYPE,
    FORMATS,
    MAX_ANSWER,
    BlankError,
    Escalate,
    long_date,
)
from escalate.service import choose_language as choose

from .. import limits
from ..deps import ServiceDep
from ..limits import OverBudget
from ..pages import PACKAGE as PAGES_PACKAGE
from ..pages import form as intake
from ..pages.text import (
    all_texts,
    error_message,
    languages,
    read_html,
    text_for,
    use_rules,
)
from .letters import write_letter_off_loop

router = APIRouter(include_in_schema=False)

ASSETS_PATH = "/pages-assets"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

_env = Environment(
    loader=PackageLoader(PAGES_PACKAGE, "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    extensions=["jinja2.ext.do"],
    trim_blocks=True,
    lstrip_blocks=True,
)


def check(rules_dir: Path | None = None) -> None:
    """Load and check the page's words (English and every language of ``rules_dir``) and
    compile its templates: a broken file raises here, at start-up, naming the file and
    the key (or the template and line)."""
    use_rules(rules_dir)
    all_texts()
    for name in _env.list_templates(extensions=["html"]):
        _env.get_template(name)


def assets() -> StaticFiles:
    """The page's CSS and JS, shipped in the package."""
    return StaticFiles(directory=str(resources.files(PAGES_PACKAGE) / "static"))


def _rule_lang(service: Escalate, lang: str) -> str:
    """The language of the rule texts for a page in ``lang``: the same when the rules
    speak it (escalate.i18n), otherwise English (the page's own words still in ``lang``)."""
    return service.rules_language(lang)


def _state_names(service: Escalate, lang: str) -> dict[str, str]:
    """Each state's name in the page's language, with its code."""
    codes = list(intake.QUESTIONS["state"].choices)
    names = service.state_names(codes, _rule_lang(service, lang))
    return {code: f"{names[code]} ({code})" if code in names else code for code in codes}


def _render(name: str, lang: str, service: Escalate, status: int = 200,
            state: str | None = None, **context: Any) -> HTMLResponse:
    chosen, words = text_for(lang)
    rules_lang = _rule_lang(service, chosen)
    info = service.state(state, rules_lang) if state else None
    disclaimer = service.disclaimer(rules_lang)
    said = service.words(chosen)
    html = _env.get_template(name).render(
        t=words, lang=chosen, languages=languages(), disclaimer=disclaimer, plain=said.plain,
        long_date=lambda date: long_date(date, chosen),
        parent_centers=info.parent_centers if info else [], assets=ASSETS_PATH,
        **context)
    html = read_html(html, said.read)
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def _problem_text(words: Mapping[str, Any], problem: intake.Problem) -> str:
    """A problem in the page's words: a date it cannot read says what to type; one in a
    history row names the row ("Step 2: the date cannot be read. ...")."""
    row, question = intake.question_of(problem.field)
    date_words = words["date_problems"].get(problem.type)
    if question is not None and question.kind in ("date", "dates") and date_words:
        what = words["row_date"] if row is not None else words["this_date"]
        message = str(date_words).format(what=what)
    else:
        message = error_message(words, problem.type, problem.message, problem.ctx)
    if row is not None:
        return str(words["history_problem"]).format(n=row + 1, message=message)
    return message


def _intake(service: Escalate, lang: str, values: Mapping[str, str], rows: int,
            problems: list[intake.Problem] | None = None, status: int = 200,
            notice: str | None = None) -> HTMLResponse:
    problems = problems or []
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    _, words = text_for(lang)
    for problem in problems:
        message = _problem_text(words, problem)
        if problem.field is None:
            general.append(message)
        else:
            by_field.setdefault(problem.field, []).append(message)
    if "as_of" not in values:
        values = {**values, "as_of": dt.date.today().isoformat()}
    moves = {m.id.value: m.title for m in service.moves(_rule_lang(service, lang))}
    return _render(
        "intake.html", lang, service, status, state=values.get("state") or None,
        sections=intake.QUESTION_SECTIONS, history=intake.HISTORY_QUESTIONS,
        history_fields=intake.HISTORY_FIELDS, rows=max(rows, intake.MIN_HISTORY_ROWS),
        values=values, errors=by_field, general_errors=general, notice=notice,
        option_words={"MoveId": moves, "state": _state_names(service, lang)})


def _lang(request: Request, form: Mapping[str, Any] | None = None) -> str:
    """The page's language: the form's or the address's ``lang`` (the language switch),
    else the browser's ``Accept-Language``, else English."""
    value = (form or {}).get("lang") or request.query_params.get("lang")
    if value:
        return str(value)
    return choose(None, request.headers.get("accept-language"))


class PageOverBudget(Exception):
    """A page's request over its budget (:mod:`api.limits`): ``key`` is the page text
    that says which bound, ``status`` 413 for bytes, else 422."""

    def __init__(self, key: str, status: int = 422) -> None:
        super().__init__(key)
        self.key = key
        self.status = status


# The values a budget message may name, all from api.limits.
_BOUNDS = {"fields": limits.MAX_FORM_FIELDS, "kib": limits.MAX_FORM_FIELD_BYTES // 1024,
           "rows": limits.MAX_HISTORY_ROWS, "chars": limits.MAX_LETTER_CHARS,
           "blocks": limits.MAX_LETTER_BLOCKS}
_DOWNLOADS = ("/letter", "/calendar", "/save")


async def _over_budget(request: Request, exc: Exception) -> Response:
    """The page's answer to a request over its budget, in the page's language: the
    intake with the message on top, or (for a download) the message as text."""
    assert isinstance(exc, PageOverBudget)
    lang = getattr(request.state, "page_lang", None) or _lang(request)
    _, words = text_for(lang)
    bounds = {**_BOUNDS, "kib": (limits.MAX_SAVED_FILE_BYTES if exc.key == "budget_file"
                                 else limits.MAX_FORM_FIELD_BYTES) // 1024}
    message = str(words[exc.key]).format(**bounds)
    service = getattr(request.app.state, "escalate", None)
    if request.url.path in _DOWNLOADS or service is None:
        return Response(message, status_code=exc.status,
                        media_type="text/plain; charset=utf-8", headers=PAGE_HEADERS)
    problem = intake.Problem(None, exc.key, message)
    return _intake(service, lang, {}, intake.MIN_HISTORY_ROWS, [problem], status=exc.status)


def install(app: FastAPI) -> None:
    """Mount the page on ``app``: its routes, its assets, and its answer to a request
    over the budget."""
    app.include_router(router)
    app.mount(ASSETS_PATH, assets(), name="pages-assets")
    app.add_exception_handler(PageOverBudget, _over_budget)


async def _form(request: Request) -> FormData:
    """The posted form, within the form budget (fields, bytes per field, one file)."""
    try:
        form = await request.form(max_files=limits.MAX_FORM_FILES,
                                  max_fields=limits.MAX_FORM_FIELDS,
                                  max_part_size=limits.MAX_FORM_FIELD_BYTES)
    except HTTPException as exc:  # Starlette's 400 for a form over these bounds
        if exc.status_code == 400:
            raise PageOverBudget("budget_form", 413) from None
        raise
    request.state.page_lang = _lang(request, _form_strings(form))  # for a refusal's words
    return form


def _case_from_json(text: str | bytes) -> tuple[dict[str, Any] | None, Case | None]:
    """A case's data (and the case, when valid) from a case_json field or a saved file:
    None for text that is not a JSON object; :class:`PageOverBudget` for one over the
    budget, before anything is built from it."""
    try:
        data = limits.load_json(text)
    except OverBudget:
        raise PageOverBudget("budget_case") from None
    except ValueError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    history = data.get("history")
    if isinstance(history, list) and len(history) > limits.MAX_HISTORY_ROWS:
        raise PageOverBudget("budget_rows")
    try:
        return data, Case.model_validate(data)
    except ValidationError:
        return data, None


def _history_rows(form: Mapping[str, str]) -> int:
    """How many history rows the posted form has, within the case's bound."""
    rows = intake.history_row_count(form)
    if rows > limits.MAX_HISTORY_ROWS:
        raise PageOverBudget("budget_rows")
    return rows


def _form_strings(form: Any) -> dict[str, str]:
    return {k: v for k, v in form.multi_items() if isinstance(v, str)}


@router.get("/", response_class=HTMLResponse)
async def intake_page(request: Request, service: ServiceDep) -> HTMLResponse:
    return _intake(service, _lang(request), {}, intake.MIN_HISTORY_ROWS)


@router.post("/", response_class=HTMLResponse)
async def intake_again(request: Request, service: ServiceDep) -> HTMLResponse:
    """The intake again: with one more history row ("add another step"), or filled from
    the case on the advice page ("change my answers")."""
    form = _form_strings(await _form(request))
    lang = _lang(request, form)
    if "case_json" in form:
        data, _ = _case_from_json(form["case_json"])
        values, rows = intake.values_from_data(data or {})
        return _intake(service, lang, values, _one_more(rows))
    rows = _history_rows(form)
    values = {k: v for k, v in form.items() if k in intake.QUESTIONS or k.startswith(
        "history.")}
    return _intake(service, lang, values, _one_more(rows))


def _one_more(rows: int) -> int:
    """The rows to show: one more for the next step, up to the case's bound."""
    return min(rows + 1, limits.MAX_HISTORY_ROWS)


@router.post("/resume", response_class=HTMLResponse)
async def resume(request: Request, service: ServiceDep) -> HTMLResponse:
    """The intake filled from a saved file; read in memory, never kept."""
    form = await _form(request)
    lang = _lang(request, _form_strings(form))
    upload = form.get("case_file")
    data = None
    if isinstance(upload, UploadFile):
        content = await upload.read(limits.MAX_SAVED_FILE_BYTES + 1)
        if len(content) > limits.MAX_SAVED_FILE_BYTES:
            raise PageOverBudget("budget_file", 413)
        data, _ = _case_from_json(content.decode("utf-8", errors="replace"))
    if data is None:
        _, words = text_for(lang)
        problem = intake.Problem("case_file", "bad_file", words["resume_bad_file"])
        return _intake(service, lang, {}, intake.MIN_HISTORY_ROWS, [problem], status=422)
    values, rows = intake.values_from_data(data)
    # the file itself is checked as the API checks a case (an unknown field included)
    history = data.get("history")
    count = len(history) if isinstance(history, list) else 0
    _, problems = intake.validate(intake.Parsed(data, list(range(count)), count))
    return _intake(service, lang, values, _one_more(rows), problems)


@router.post("/advice", response_class=HTMLResponse)
async def advice_page(request: Request, service: ServiceDep) -> HTMLResponse:
    form = _form_strings(await _form(request))
    lang = _lang(request, form)
    if "case_json" in form:  # the advice again, e.g. in another language
        data, _ = _case_from_json(form["case_json"])
        values, _rows = intake.values_from_data(data or {})
    else:
        _history_rows(form)
        values = {k: v for k, v in form.items() if k in intake.QUESTIONS or k.startswith(
            "history.")}
    parsed = intake.data_from_form(values)
    case, problems = intake.validate(parsed)
    if case is None:
        return _intake(service, lang, values, parsed.rows, problems, status=422)
    try:
        # on the event loop, as the API's advice: a bounded case, under a millisecond
        # with the engine's answer remembered (a thread hop cost about as much)
        advice = service.advise(case, _rule_lang(service, lang))
    except CaseError as exc:
        loc = [int(p) if p.isdigit() else p for p in exc.field_path.split(".")]
        problems = intake.problems_from(
            [{"loc": loc, "type": "case_error", "msg": exc.message}], parsed.history_rows)
        return _intake(service, lang, values, parsed.rows, problems, status=422)
    case_json = json.dumps(case.model_dump(mode="json", exclude_unset=True),
                           separators=(",", ":"))
    return _render(
        "advice.html", lang, service, state=case.state, advice=advice, case_json=case_json,
        formats=FORMATS,
        has_letter={r.move.value for r in advice.recommendations
                    if service.has_letter(r.move.value)})


def _problem(request: Request, form: Mapping[str, str], key: str) -> Response:
    """A download that cannot be made, said in the page's language."""
    _, words = text_for(_lang(request, form))
    return Response(str(words[key]), status_code=422, media_type="text/plain; charset=utf-8")


def _case_or_problem(request: Request, form: Mapping[str, str]) -> Case | Response:
    _, case = _case_from_json(form.get("case_json", ""))
    if case is None:
        return _problem(request, form, "download_bad_case")
    return case


@router.post("/letter")
async def letter_download(request: Request, service: ServiceDep) -> Response:
    form = _form_strings(await _form(request))
    case = _case_or_problem(request, form)
    if isinstance(case, Response):
        return case
    move, fmt = form.get("move", ""), form.get("format", "md")
    if not service.has_letter(move) or fmt not in FORMATS:
        return _problem(request, form, "download_no_letter")
    lang = _lang(request, form)
    answers = {k[len("blank."):]: v for k, v in form.items() if k.startswith("blank.")}
    if "answered" not in form:  # first the blanks, on a short form
        return await _blanks_form(request, service, form, case, move, fmt, answers, None)
    try:
        letter = await write_letter_off_loop(request, case, move, fmt, service,
                                             _rule_lang(service, lang), answers)
    except OverBudget:
        raise PageOverBudget("budget_letter") from None
    except BlankError as error:
        return await _blanks_form(request, service, form, case, move, fmt, {},
                                  error.message, status=422)
    return Response(letter.content, media_type=letter.media_type, headers={
        "Content-Disposition": f'attachment; filename="{letter.filename}"',
        "Cache-Control": "no-store"})


async def _blanks_form(request: Request, service: Escalate, form: Mapping[str, str],
                       case: Case, move: str, fmt: str, answers: Mapping[str, str],
                       problem: str | None, status: int = 200) -> Response:
    """The short form that asks a letter's blanks before its download."""
    lang = _lang(request, form)
    rules_lang = _rule_lang(service, lang)
    try:
        blanks = service.letter_blanks(case, move, rules_lang)  # the advice, on the loop
    except BlankError:
        blanks = []
    title = service.move_title(move, rules_lang)
    return _render("letter.html", lang, service, status=status, title=title,
                   case_json=form.get("case_json", ""), move=move, format=fmt,
                   blanks=blanks, answers=answers, problem=problem, max_answer=MAX_ANSWER)


@router.post("/calendar")
async def calendar_download(request: Request, service: ServiceDep) -> Response:
    form = _form_strings(await _form(request))
    case = _case_or_problem(request, form)
    if isinstance(case, Response):
        return case
    # on the event loop, as POST /v1/calendar: a case's few deadlines, about a millisecond
    ics = service.calendar(case, _rule_lang(service, _lang(request, form)))
    return Response(ics, media_type=CALENDAR_MEDIA_TYPE, headers={
        "Content-Disposition": 'attachment; filename="deadlines.ics"',
        "Cache-Control": "no-store"})


@router.post("/save")
async def save(request: Request) -> Response:
    """The answers as a JSON file (the case's own format, the API's request body): from the
    advice page's case, or from the intake's answers as they are, even unfinished."""
    form = _form_strings(await _form(request))
    if "case_json" in form:
        data, _ = _case_from_json(form["case_json"])
    else:
        _history_rows(form)
        data = intake.data_from_form(form).data
    body = json.dumps(data or {}, indent=2, ensure_ascii=False) + "\n"
    return Response(body, media_type="application/json", headers={
        "Content-Disposition": 'attachment; filename="escalate-case.json"',
        "Cache-Control": "no-store"})
