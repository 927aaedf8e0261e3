"""Which language a request asks for: ``lang`` first, else the ``Accept-Language`` header.

The header is read as RFC 9110 says (comma-separated tags, each with an optional ``q``
weight; ``es-US`` asks for Spanish); the match against the languages escalate speaks is
Babel's :func:`babel.core.negotiate_locale`. A header that names none of them gives
English, never an error (browsers send many languages); only an explicit ``lang`` that is
not one of them is refused, by the caller's validation.
"""

from __future__ import annotations

from collections.abc import Sequence

from babel.core import negotiate_locale

from escalate.i18n.formats import ENGLISH, LANGUAGES


def preferred(header: str | None) -> list[str]:
    """The header's language tags, most wanted first (q=0 dropped, '*' ignored)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            if param.lower().startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, index, tag.replace("_", "-")))
    return [tag for _, _, tag in sorted(ranked)]


def choose(lang: str | None, accept_language: str | None,
           spoken: Sequence[str] = LANGUAGES) -> str:
    """The language to answer in: ``lang`` when given (already validated), else the best
    match of the header among ``spoken`` (the rules folder's languages,
    :func:`escalate.i18n.languages.languages`), else English."""
    if lang:
        return lang
    tags = preferred(accept_language)
    # Babel matches 'es-US' to 'es' (its aliases and the language part of a tag).
    found = negotiate_locale([t.split("-")[0].lower() for t in tags], list(spoken))
    return found if found is not None and found in spoken else ENGLISH
