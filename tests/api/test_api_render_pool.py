"""PDF and .docx letters render in a bounded process pool (api/render.py): a letter over
its Markdown budget is refused before rendering; when every renderer is busy a request
is answered 503 with Retry-After at once; a document over the time limit is stopped and
answered 503; Markdown letters never wait for the pool."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from api.limits import MAX_LETTER_BLOCKS, OverBudget
from api.main import create_app
from api.render import RenderBusy, RenderPool
from api.settings import Settings
from escalate import Advisor, default_rules_dir
from escalate.examples import example_cases

CASE = example_cases()["02_unanswered_concern"]
LETTER = "/v1/letters/written_concern"


def _app(advisor: Advisor, **settings: Any) -> Any:
    return create_app(Settings(rules_dir=default_rules_dir(), log_level="WARNING",
                               **settings), advisor=advisor)


async def _post_all(app: Any, paths: list[str], body: Any) -> list[httpx.Response]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return list(await asyncio.gather(*(client.post(p, json=body) for p in paths)))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_letter_over_its_markdown_budget_is_refused_before_rendering(fmt: str) -> None:
    """A Markdown of "1.\\n" * 666 (2 KB) once took 4 s to render as a PDF: the pool
    refuses it before any renderer starts."""
    pool = RenderPool(1, 1, 5, 10)
    with pytest.raises(OverBudget) as caught:
        asyncio.run(pool.render("1.\n" * 666, "A letter", fmt, "en"))
    assert caught.value.kind == "letter_too_complex"
    assert caught.value.limit == MAX_LETTER_BLOCKS
    assert pool.in_flight == 0


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_list_like_summary_never_reaches_the_letter(advisor: Advisor, fmt: str) -> None:
    """The intake summary is not pasted into a letter (issue 21), so a summary of
    "1.\\n" * 666 leaves the letter as small as any other."""
    case = {**CASE, "concern": {**CASE["concern"], "summary": "1.\n" * 666}}
    letter, markdown = asyncio.run(_post_all(
        _app(advisor), [f"{LETTER}?format={fmt}", f"{LETTER}?format=md"], case))
    assert letter.status_code == 200 and markdown.status_code == 200
    assert "1.\n1." not in markdown.text


def test_when_every_renderer_is_busy_a_letter_gets_503_with_retry_after(
        advisor: Advisor) -> None:
    app = _app(advisor, render_workers=1, render_queue=0)
    answers = asyncio.run(_post_all(app, [f"{LETTER}?format=pdf"] * 6, CASE))
    statuses = sorted(a.status_code for a in answers)
    assert 200 in statuses and 503 in statuses, statuses
    assert set(statuses) == {200, 503}
    for busy in (a for a in answers if a.status_code == 503):
        assert int(busy.headers["Retry-After"]) >= 1
        assert "busy" in busy.json()["detail"]
        assert busy.headers["Cache-Control"] == "no-store"
    for letter in (a for a in answers if a.status_code == 200):
        assert letter.content.startswith(b"%PDF")


def test_a_letter_over_the_time_limit_is_stopped_and_answered_503(advisor: Advisor) -> None:
    # within the Markdown budget, but a long list: about a second of WeasyPrint (the
    # intake summary no longer reaches a letter, so the pool is given the Markdown itself)
    pool = RenderPool(1, 0, 0.01, 10)
    with pytest.raises(RenderBusy) as caught:
        asyncio.run(pool.render("1.\n" * 200, "A letter", "pdf", "en"))
    assert "0.01 seconds" in caught.value.message and caught.value.retry_after >= 1
    assert pool.in_flight == 0
    # the renderer was replaced: the next letter renders
    again, = asyncio.run(_post_all(_app(advisor), [f"{LETTER}?format=docx"], CASE))
    assert again.status_code == 200 and again.content.startswith(b"PK")
