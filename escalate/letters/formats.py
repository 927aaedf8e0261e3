"""A letter in the formats people use: Markdown (plain text), .docx and PDF.

The letter is written in Markdown; markdown-it-py parses it once into tokens (raw HTML
switched off, so a case's free text can never become markup). From the tokens come:

- HTML for WeasyPrint, which makes a tagged PDF (PDF/UA-1: structure tags, the document
  language and title set) that never fetches anything: the only resources are the
  stylesheet below; any URL in the text is refused;
- an editable .docx built with python-docx: headings in Word's own heading styles,
  paragraphs, bullet and numbered lists, bold and italic, with the title and language in
  the document properties.

Every text is cleaned first (:func:`clean_text`): control characters, lone surrogates and
the non-characters U+FFFE/U+FFFF, which XML (and so .docx) cannot hold, are removed. A
letter can come as a **pair** (the family's language to read, English to send): each part
starts on its own page in the PDF and the .docx, under a heading that says which is which.
A **draft** (a letter with blanks left) is marked on every PDF page.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from escalate.errors import EscalateError
from escalate.models import DISCLAIMER
from escalate.text.summary import first_sentence

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

Format = Literal["md", "docx", "pdf"]
FORMATS: tuple[Format, ...] = ("md", "docx", "pdf")
MEDIA_TYPES: dict[Format, str] = {
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
LANGUAGE = "en-US"
LANGUAGE_TAGS = {"en": "en-US", "es": "es-US"}  # US English, US Spanish

# WeasyPrint logs what it cannot load or parse, quoting it; a letter holds a child's facts
# (a URL typed into a summary, say), so its log is switched off.
for _name in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(_name).disabled = True



@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    """The Markdown parser, built on first use (``import escalate`` loads no document
    library: python-docx, markdown-it and WeasyPrint are imported by the format that
    needs them)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

STYLESHEET = """
@page { size: Letter; margin: 2.2cm 2.4cm; }
body { font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.45; }
h1 { font-size: 15pt; margin: 0 0 0.6em; }
h2 { font-size: 12.5pt; margin: 1.2em 0 0.4em; }
p, li { margin: 0 0 0.55em; }
ul, ol { margin: 0 0 0.7em 1.2em; padding: 0; }
hr { border: 0; border-top: 1px solid #888; margin: 1.2em 0; }
blockquote { margin: 0 0 0.8em; padding: 0.5em 0.9em; background: #f1f1f1;
             border-left: 3px solid #777; }
"""


DRAFT_STYLE = """
@page { @top-center { content: "%s"; font: bold 9pt "DejaVu Sans", sans-serif;
                      color: #a00; } }
"""
_PAGE_BREAK = '<div style="break-before: page"></div>'
_PART_BREAK = "\n\n<!-- part -->\n\n"  # between the two letters of a pair

# XML 1.0 refuses C0 controls but tab, newline and carriage return; U+FFFE/U+FFFF are
# non-characters; a lone surrogate (JSON allows "\\ud800") cannot be encoded.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` without what a document cannot hold (control characters but tab and line
    breaks, DEL, lone surrogates, U+FFFE/U+FFFF)."""
    return _NOT_TEXT.sub("", text)


def join_parts(parts: Sequence[str]) -> str:
    """The Markdown of a pair of letters, each part kept whole (see :func:`split_parts`)."""
    return _PART_BREAK.join(part.strip() for part in parts) + "\n"


def split_parts(markdown: str) -> list[str]:
    return markdown.split(_PART_BREAK)


class FormatError(EscalateError):
    """A letter could not be turned into the asked format."""


def to_html(markdown: str, title: str, lang: str = "en", draft: str = "",
            langs: Sequence[str] = ()) -> str:
    """A standalone HTML document for the letter (language and title set). ``draft``, when
    given, is printed at the top of every page; ``langs`` are the languages of the parts of
    a pair (each part is marked with its own)."""
    from html import escape

    tag = LANGUAGE_TAGS.get(lang, LANGUAGE)
    parts = split_parts(markdown)
    rendered = []
    for index, part in enumerate(parts):
        body = _markdown().render(part)
        part_lang = langs[index] if index < len(langs) else lang
        if part_lang != lang:
            body = f'<div lang="{LANGUAGE_TAGS.get(part_lang, LANGUAGE)}">{body}</div>'
        rendered.append(body)
    style = STYLESHEET + (DRAFT_STYLE % draft.replace('"', "'").replace("\\", "")
                          if draft else "")
    return (f'<!DOCTYPE html><html lang="{tag}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{style}</style></head>"
            f"<body>{_PAGE_BREAK.join(rendered)}</body></html>")


def _no_fetching() -> Any:
    """A WeasyPrint URL fetcher that loads nothing: a letter never reaches outside (a URL
    in a case's text could otherwise make the service fetch it)."""
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError("a letter never loads outside resources")

    return NoFetching(allowed_protocols=())


def to_pdf(markdown: str, title: str, lang: str = "en", draft: str = "",
           langs: Sequence[str] = ()) -> bytes:
    """A tagged PDF (PDF/UA-1) of the letter, its language set."""
    from weasyprint import HTML

    document = HTML(string=to_html(markdown, title, lang, draft, langs),
                    url_fetcher=_no_fetching())
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True,
                                    custom_metadata=False)
    return pdf


PDF_CHECK_TEXT = "# escalate\n\nThis one-line letter checks that PDF letters can be made here."


@lru_cache(maxsize=1)
def pdf_problem() -> str | None:
    """None when this process can make PDF letters, else what stops it (the exception's
    class and first line: e.g. the system library WeasyPrint could not load).

    A one-line PDF is rendered the first time this is called and the answer is kept for
    the life of the process: WeasyPrint loads Pango, HarfBuzz's subsetter and a font only
    when it first renders, so a machine or image without them imports fine and fails on
    the first PDF letter. The service calls this once at start-up (``/readyz`` reports
    it); no request renders it again."""
    try:
        pdf = to_pdf(PDF_CHECK_TEXT, "escalate", "en")
    except Exception as exc:  # noqa: BLE001 - any failure means no PDF letters here
        first = (str(exc).splitlines() or [""])[0][:200]
        return f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return None if pdf.startswith(b"%PDF-") else "the renderer did not produce a PDF"


# ---------------------------------------------------------------- .docx

def _set_language(document: Any, tag: str = LANGUAGE) -> None:
    """Mark the default text language (spell checking, screen readers)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _add_inline(paragraph: Any, token: Token) -> None:
    bold = italic = False
    for child in token.children or []:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline", "html_inline"):
            run = paragraph.add_run(child.content)
            run.bold, run.italic = bold or None, italic or None
        elif child.type == "softbreak":
            paragraph.add_run(" ")
        elif child.type == "hardbreak":
            paragraph.add_run().add_break()


def _walk(document: Any, tokens: Sequence[Token]) -> None:
    lists: list[str] = []
    style: str | None = None
    quote = False
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            style = {"h1": "Heading 1", "h2": "Heading 2"}.get(token.tag, "Heading 3")
        elif kind == "bullet_list_open":
            lists.append("List Bullet")
        elif kind == "ordered_list_open":
            lists.append("List Number")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "blockquote_open":
            quote = True
        elif kind == "blockquote_close":
            quote = False
        elif kind == "hr":
            document.add_paragraph("_" * 40)
        elif kind == "inline":
            if style is not None:
                paragraph = document.add_paragraph(style=style)
                style = None
            elif lists:
                paragraph = document.add_paragraph(style=lists[-1])
            elif quote:
                paragraph = document.add_paragraph(style="Intense Quote")
            else:
                paragraph = document.add_paragraph()
            _add_inline(paragraph, token)
        elif kind in ("fence", "code_block"):
            document.add_paragraph(token.content)


def to_docx(markdown: str, title: str, lang: str = "en", draft: str = "",
            langs: Sequence[str] = ()) -> bytes:
    """An editable Word document of the letter, its language set (a draft keeps its blanks
    visible to edit; the parts of a pair each start on a new page)."""
    from docx import Document

    tag = LANGUAGE_TAGS.get(lang, LANGUAGE)
    document = Document()
    document.core_properties.title = title
    document.core_properties.language = tag
    document.core_properties.author = ""
    document.core_properties.comments = first_sentence(DISCLAIMER)  # 255 characters at most
    _set_language(document, tag)
    for index, part in enumerate(split_parts(markdown)):
        if index:
            document.add_page_break()  # type: ignore[no-untyped-call]
        _walk(document, _markdown().parse(part))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


RENDERERS: dict[Format, Callable[[str, str, str, str, Sequence[str]], bytes]] = {
    "md": lambda markdown, _title, _lang, _draft, _langs: markdown.replace(
        _PART_BREAK, "\n\n---\n\n").encode("utf-8"),
    "docx": to_docx,
    "pdf": to_pdf,
}


def render(markdown: str, title: str, fmt: Format, lang: str = "en", draft: str = "",
           langs: Sequence[str] = ()) -> bytes:
    """The letter as bytes in ``fmt``, marked as written in ``lang``; ``draft`` is the
    mark of a letter with blanks left (printed on every PDF page); ``langs`` the language
    of each part of a pair."""
    return RENDERERS[fmt](clean_text(markdown), clean_text(title), lang, clean_text(draft),
                          langs)
