"""The language of a response: ``?lang=`` or the ``Accept-Language`` header.

``lang`` accepts only the languages the rules folder speaks (English and one folder per
other language in ``rules/locales/``, :mod:`escalate.i18n.languages`; the shipped rules:
``en``, ``es``): anything else is a 422 naming ``lang`` and listing them, as a value
outside an enum is. ``Accept-Language`` is negotiated (:mod:`escalate.i18n.negotiate`) and
falls back to English without error. The chosen language is said back in the
``Content-Language`` header (and, for advice, in ``language``). The OpenAPI document lists
the languages found as the enum of ``lang`` (:func:`spoken`, used by :mod:`api.openapi`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError

from escalate.service import choose_language as choose
from escalate.service import languages, rules_folder

LANG_DESCRIPTION = (
    "The language of the answer: `en` (English, the default) or `es` (Spanish). Without "
    "it the `Accept-Language` header is used (a language escalate does not speak gives "
    "English). Anything the language does not translate yet is said in English, whole, "
    "and listed in `fallbacks`.")


def spoken(app: FastAPI) -> tuple[str, ...]:
    """The languages of the app's rules folder (its advisor's, else the settings'), read
    once per app."""
    found: tuple[str, ...] | None = getattr(app.state, "languages", None)
    if found is None:
        advisor = getattr(app.state, "advisor", None)
        settings = app.state.settings
        folder = advisor.rulebook.directory if advisor is not None \
            else rules_folder(settings.rules_dir, settings.local_rules)
        found = languages(folder)
        app.state.languages = found
    return found


def expected(names: tuple[str, ...]) -> str:
    """``'en' or 'es'``, ``'en', 'es' or 'xx'``: the accepted values as a literal's
    message lists them."""
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


async def chosen_language(
    request: Request,
    lang: Annotated[str | None, Query(
        description=LANG_DESCRIPTION, examples=["es"])] = None,
    accept_language: Annotated[str | None, Header(
        description="Used when `lang` is not given, e.g. `es-US,es;q=0.9,en;q=0.5`.",
        examples=["es-US,es;q=0.9"])] = None,
) -> str:
    names = spoken(request.app)
    if lang is not None and lang not in names:
        raise RequestValidationError([{
            "type": "literal_error", "loc": ("query", "lang"),
            "msg": f"Input should be {expected(names)}", "input": lang,
            "ctx": {"expected": expected(names)}}])
    return choose(lang, accept_language, names)


LanguageDep = Annotated[str, Depends(chosen_language)]
