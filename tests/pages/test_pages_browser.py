"""The web page in a real browser (Debian's headless Chromium under Playwright): a parent
fills the form for several shipped examples and sees the API's advice; the page works with
JavaScript off; keyboard-only use reaches every question in order; axe-core finds no
violations; downloads (letter, calendar, saved answers) work and the saved file resumes;
nothing is fetched from elsewhere and nothing is kept in the browser. Screenshots at
desktop and 375 px phone width go to tests/pages/screenshots/ (git-ignored)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from api.pages.form import HISTORY_FIELDS, QUESTIONS, values_from_data
from api.pages.text import text_for
from escalate import Advisor
from escalate.examples import example_cases
from escalate.models import Advice, Case

EXAMPLES = example_cases()
# several examples, spread over the shipped ones (whatever they are)
CHOSEN = sorted(EXAMPLES)[::5]
_, WORDS = text_for("en")
PHONE = {"width": 375, "height": 800}


def label(name: str) -> str:
    """The question's accessible name, as a screen reader says it."""
    words = str(WORDS["labels"][name])
    return f"{words} {WORDS['required_mark']}" if QUESTIONS[name].required else words


def fill_as_a_parent(page: Any, case: dict[str, Any]) -> None:
    """Answer the questions the way a person would: find each by its label, choose,
    tick or type; add rows for the steps already taken."""
    values, rows = values_from_data(case)
    for name, value in values.items():
        if name.startswith("history."):
            continue
        control = page.get_by_label(label(name), exact=True)
        kind = QUESTIONS[name].kind
        if kind == "checkbox":
            control.check()
        elif kind == "select":
            control.select_option(value)
        else:
            control.fill(value)
    for row in range(rows):
        group = page.get_by_role("group", name=WORDS["history_row"].format(n=row + 1))
        if group.count() == 0:
            page.get_by_role("button", name=WORDS["add_history_row"]).click()
        for field in HISTORY_FIELDS:
            value = values.get(f"history.{row}.{field}")
            if value is None:
                continue
            control = group.get_by_label(WORDS["labels"][f"history.{field}"], exact=True)
            if field == "date":
                control.fill(value)
            else:
                control.select_option(value)


def assert_shows(page: Any, advice: Advice) -> None:
    """The advice page shows this advice: summary, moves in order, dates, the ladder."""
    assert page.locator("#summary").inner_text().strip() == advice.summary
    shown = page.locator("li.move").evaluate_all("els => els.map(e => e.dataset.move)")
    assert shown == [r.move.value for r in advice.recommendations]
    titles = page.locator("li.move .move-title").all_inner_texts()
    assert titles == [r.title for r in advice.recommendations]
    dates = page.locator(".deadline-list li").evaluate_all(
        "els => els.map(e => [e.dataset.move, e.dataset.due])")
    assert dates == [[d.move.value, d.due.isoformat()] for d in advice.deadlines]
    ladder = page.locator(".ladder-list li").evaluate_all(
        "els => els.map(e => [e.dataset.move, e.dataset.status])")
    assert ladder == [[r.move.value, r.status]
                      for r in advice.ladder + advice.section_504_ladder]
    assert page.get_by_role("img", name=WORDS["ladder_title"]).count() == 1
    assert "not legal advice" in page.locator("body").inner_text().lower()


def axe_violations(page: Any) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"]]


def no_overflow(page: Any) -> bool:
    return bool(page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


@pytest.mark.parametrize("stem", CHOSEN)
def test_a_parent_filling_the_form_sees_the_apis_advice(
        page: Any, live_server: str, advisor: Advisor, stem: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server + "/")
    fill_as_a_parent(page, EXAMPLES[stem])
    page.get_by_role("button", name=WORDS["submit_advice"]).click()
    page.wait_for_url(live_server + "/advice")
    assert_shows(page, advisor.advise(Case.model_validate(EXAMPLES[stem])))
    assert all(url.startswith(live_server + "/") for url in requested), requested
    assert live_server + "/advice" in requested and not any("?" in url and "student" in url
                                                            for url in requested)
    storage = page.evaluate("[document.cookie, localStorage.length, sessionStorage.length]")
    assert storage == ["", 0, 0]


def test_the_page_works_with_javascript_off(browser: Any, live_server: str,
                                            advisor: Advisor) -> None:
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        assert page.evaluate  # the page renders without scripts
        rows = page.locator(".history-row").count()
        page.get_by_role("button", name=WORDS["add_history_row"]).click()  # the server adds
        assert page.locator(".history-row").count() == rows + 1
        stem = CHOSEN[-1]
        fill_as_a_parent(page, EXAMPLES[stem])
        page.get_by_role("button", name=WORDS["submit_advice"]).click()
        assert_shows(page, advisor.advise(Case.model_validate(EXAMPLES[stem])))
        with page.expect_download() as download:
            page.locator("#calendar, #save").first.click()
        assert Path(download.value.path()).read_bytes()
    finally:
        context.close()


def test_errors_are_announced_and_shown_beside_the_question(page: Any,
                                                            live_server: str) -> None:
    page.goto(live_server + "/")
    page.get_by_label(label("concern.topic"), exact=True).select_option("services")
    page.get_by_label(WORDS["labels"]["discipline.days_removed"], exact=True).fill("3")
    page.get_by_role("button", name=WORDS["submit_advice"]).click()
    alert = page.get_by_role("alert")
    assert WORDS["errors_title"] in alert.inner_text()
    # the page's script moves the focus to the summary once loaded: wait for it (up to
    # Playwright's 5 s) rather than read it the moment the summary is shown
    expect(page.locator("#error-summary")).to_be_focused()
    question = page.get_by_label(label("concern.school_response"), exact=True)
    assert question.get_attribute("aria-invalid") == "true"
    described = question.get_attribute("aria-describedby") or ""
    error_id = next(i for i in described.split() if i.endswith("-error"))
    assert page.locator(f"#{error_id}").inner_text() == WORDS["errors_missing"]
    # the answer given is kept
    assert page.get_by_label(WORDS["labels"]["discipline.days_removed"],
                             exact=True).input_value() == "3"
    assert axe_violations(page) == []


def test_keyboard_alone_reaches_every_question_in_order(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    expected = page.locator(
        "main input:not([type=hidden]), main select, main textarea, main button"
    ).evaluate_all("els => els.map(e => e.id || e.name || e.textContent.trim())")
    reached: list[str] = []
    # a date input takes three presses of Tab (month, day, year), all on the same control
    for _ in range(len(expected) * 3 + 12):
        page.keyboard.press("Tab")
        active = page.evaluate(
            "(() => { const e = document.activeElement; return e.closest('main') ? "
            "(e.id || e.name || e.textContent.trim()) : null; })()")
        if active is not None and (not reached or reached[-1] != active):
            reached.append(active)
        if len(reached) == len(expected):
            break
    assert reached == expected
    # and the advice can be asked for from the keyboard alone
    page.get_by_label(label("concern.topic"), exact=True).focus()
    page.keyboard.press("ArrowDown")
    page.get_by_label(label("concern.school_response"), exact=True).focus()
    page.keyboard.press("ArrowDown")
    page.get_by_role("button", name=WORDS["submit_advice"]).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/advice")
    assert page.locator("#summary").inner_text()


def test_axe_finds_no_violations_and_screenshots(page: Any, live_server: str,
                                                 screenshots: Path) -> None:
    stem = next((s for s in sorted(EXAMPLES) if "section_504" in s), CHOSEN[0])
    problems: dict[str, list[str]] = {}
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text)
            if message.type in ("error", "warning") else None)
    for width, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(live_server + "/")
        problems[f"intake {width}"] = axe_violations(page)
        assert no_overflow(page), f"the intake is cut off at {width} width"
        page.screenshot(path=str(screenshots / f"intake-{width}.png"), full_page=True)
        fill_as_a_parent(page, EXAMPLES[stem])
        page.get_by_role("button", name=WORDS["submit_advice"]).click()
        page.wait_for_url("**/advice")
        problems[f"advice {width}"] = axe_violations(page)
        assert no_overflow(page), f"the advice is cut off at {width} width"
        page.screenshot(path=str(screenshots / f"advice-{width}.png"), full_page=True)
    assert problems == {name: [] for name in problems}
    assert not [c for c in console if "Content Security Policy" in c], console
    # the scan does see a problem when there is one: a control without a label
    page.evaluate("document.querySelector('main').append(document.createElement('input'))")
    assert any(v.startswith("label:") for v in axe_violations(page))


def test_on_a_phone_the_first_screen_shows_the_next_step_and_its_date(
        page: Any, live_server: str, advisor: Advisor, screenshots: Path) -> None:
    # a case whose next step has a date ahead
    stem = next(s for s in sorted(EXAMPLES)
                if any(d.days_left >= 0 for d in advisor.advise(
                    Case.model_validate(EXAMPLES[s])).next_move.deadlines))
    advice = advisor.advise(Case.model_validate(EXAMPLES[stem]))
    page.set_viewport_size({"width": 375, "height": 667})  # a small phone's first screen
    page.goto(live_server + "/")
    fill_as_a_parent(page, EXAMPLES[stem])
    page.get_by_role("button", name=WORDS["submit_advice"]).click()
    page.wait_for_url("**/advice")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshots / "advice-phone-first-screen.png"))

    def on_first_screen(selector: str) -> bool:
        box = page.locator(selector).bounding_box()
        return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 667

    assert page.locator(".next-step .next-move").inner_text() == advice.next_move.title
    for selector in (".next-step .next-move", ".next-step .next-date",
                     ".next-step .short-notice"):
        assert on_first_screen(selector), selector
    assert WORDS["short_disclaimer"] in page.locator(".next-step .short-notice").inner_text()
    # the whole statement is still on the page, below the next step
    notice = page.locator("#notice")
    assert "not legal advice" in notice.inner_text()
    assert notice.bounding_box()["y"] > page.locator(".next-step").bounding_box()["y"]
    page.locator(".next-step .short-notice a").click()
    assert page.evaluate("location.hash") == "#notice"


def test_the_content_security_policy_blocks_inline_and_outside_scripts(
        page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    page.evaluate("""() => {
        const inline = document.createElement('script');
        inline.textContent = 'window.ranInline = true;';
        document.body.append(inline);
    }""")
    assert page.evaluate("window.ranInline === undefined")


def test_downloads_and_resuming_from_the_saved_file(page: Any, live_server: str,
                                                    advisor: Advisor,
                                                    tmp_path: Path) -> None:
    stem = next(s for s in sorted(EXAMPLES)
                if advisor.advise(Case.model_validate(EXAMPLES[s])).deadlines)
    page.goto(live_server + "/")
    fill_as_a_parent(page, EXAMPLES[stem])
    page.get_by_role("button", name=WORDS["submit_advice"]).click()
    page.wait_for_url("**/advice")

    with page.expect_download() as ics:
        page.get_by_role("button", name=WORDS["calendar_submit"]).click()
    calendar = Path(ics.value.path()).read_text(encoding="utf-8")
    assert calendar.startswith("BEGIN:VCALENDAR")
    first = advisor.advise(Case.model_validate(EXAMPLES[stem])).deadlines[0]
    assert first.due.strftime("%Y%m%d") in calendar or first.days_left < 0

    with page.expect_download() as saved:
        page.get_by_role("button", name=WORDS["save_submit"]).click()
    saved_path = tmp_path / "answers.json"
    saved.value.save_as(saved_path)
    assert Case.model_validate(json.loads(saved_path.read_text())) == \
        Case.model_validate(EXAMPLES[stem])

    letter_form = page.locator("form.letter").first
    advice_url = page.url
    # the letter button asks the letter's blanks on a short form first
    letter_form.get_by_role("button", name=WORDS["letter_formats"]["pdf"]).click()
    page.wait_for_url("**/letter")
    assert page.get_by_role("heading", level=1).inner_text().startswith(WORDS["blanks_title"])
    assert axe_violations(page) == []  # the blanks form is as accessible as the rest
    for field in page.locator("form.blanks input[name^='blank.']").all():
        field.fill("Ana # [x](y)")
    for choice in page.locator("form.blanks select").all():
        choice.select_option(index=1)
    with page.expect_download() as pdf:
        page.get_by_role("button", name=WORDS["blanks_submit"]).click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    page.locator("form.blanks input[name=format]").evaluate("e => e.value = 'docx'")
    with page.expect_download() as docx:
        page.get_by_role("button", name=WORDS["blanks_submit"]).click()
    assert Path(docx.value.path()).read_bytes().startswith(b"PK")
    page.locator("form.blanks input[name=format]").evaluate("e => e.value = 'md'")
    with page.expect_download() as md:
        page.get_by_role("button", name=WORDS["blanks_submit"]).click()
    text = Path(md.value.path()).read_text(encoding="utf-8")
    assert "not legal advice" in text.lower() and "Before you send" not in text  # final
    assert advice_url.endswith("/advice")


    # later, in a fresh browser session: upload the file, see the answers, get the advice
    page.context.clear_cookies()
    page.goto(live_server + "/")
    page.get_by_label(WORDS["resume_label"]).set_input_files(str(saved_path))
    page.get_by_role("button", name=WORDS["resume_submit"]).click()
    topic = EXAMPLES[stem]["concern"]["topic"]
    assert page.get_by_label(label("concern.topic"), exact=True).input_value() \
        == topic
    page.get_by_role("button", name=WORDS["submit_advice"]).click()
    assert_shows(page, advisor.advise(Case.model_validate(EXAMPLES[stem])))


def test_with_javascript_a_step_row_is_added_in_the_page_and_submitted(
        page: Any, live_server: str, advisor: Advisor) -> None:
    page.goto(live_server + "/")
    requested: list[str] = []  # pages asked for (not the icon the browser fetches late)
    page.on("request", lambda request: requested.append(request.url)
            if request.is_navigation_request() else None)
    rows = page.locator(".history-row").count()
    page.get_by_role("button", name=WORDS["add_history_row"]).click()
    assert page.locator(".history-row").count() == rows + 1 and requested == []
    new = page.get_by_role("group", name=WORDS["history_row"].format(n=rows + 1))
    assert page.evaluate("document.activeElement.name") == f"history.{rows}.move"
    case = {"as_of": "2026-11-23", "concern": {"topic": "services",
                                               "school_response": "refused"},
            "history": [{"move": "written_concern", "date": "2026-10-01",
                         "outcome": "refused"}]}
    page.get_by_label(label("concern.topic"), exact=True).select_option("services")
    page.get_by_label(label("concern.school_response"), exact=True).select_option("refused")
    page.get_by_label(label("as_of"), exact=True).fill("2026-11-23")
    new.get_by_label(WORDS["labels"]["history.move"], exact=True).select_option(
        "written_concern")
    new.get_by_label(WORDS["labels"]["history.date"], exact=True).fill("2026-10-01")
    new.get_by_label(WORDS["labels"]["history.outcome"], exact=True).select_option("refused")
    page.get_by_role("button", name=WORDS["submit_advice"]).click()
    assert_shows(page, advisor.advise(Case.model_validate(case)))
