"""Which languages escalate speaks: English, and one folder per other language.

A language is a folder ``<rules>/locales/<lang>/`` (``<lang>`` a lower-case ISO 639 code,
``es``), holding everything that language says, each file checked at start-up:

- ``texts.yaml``: the translations of the rulebook's and the product's English texts, by
  stable id, each with the ``source_hash`` of the English it was made from
  (:mod:`escalate.i18n.locale`; missing and stale entries are reported);
- ``phrases.yaml``: the words for the case's coded values (:func:`escalate.text.phrases`);
- ``page.yaml``: the web page's words (the service's ``api/pages/text.py``; English, the
  reference, is ``api/pages/text/en.yaml``).

So adding a language is adding one folder: the list of languages is read from the folders
present, never written in code. English is the source of every text and has no folder.
This module imports nothing of escalate but the location of the built-in rules, so every
module may ask it.
"""

from __future__ import annotations

import re
from pathlib import Path

from escalate.resources import rules_folder

ENGLISH = "en"
LOCALES_DIR = "locales"
TEXTS_FILE = "texts.yaml"
PHRASES_FILE = "phrases.yaml"
PAGE_FILE = "page.yaml"
LANGUAGE_FILES = (TEXTS_FILE, PHRASES_FILE, PAGE_FILE)
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")

# The folder each language was last loaded from (escalate.i18n.locale.load_locales), so
# that the words of a language found in another rules folder are read from there.
_LOADED: dict[str, Path] = {}


def locales_folder(rules_dir: Path | None = None) -> Path:
    """``<rules>/locales`` (the built-in rules' when no folder is given)."""
    return (rules_dir if rules_dir is not None else rules_folder()) / LOCALES_DIR


def languages(rules_dir: Path | None = None) -> tuple[str, ...]:
    """English, then every language with a folder in ``<rules>/locales``, sorted."""
    folder = locales_folder(rules_dir)
    found = sorted(p.name for p in folder.iterdir()
                   if p.is_dir() and LANGUAGE_CODE.match(p.name)) if folder.is_dir() else []
    return (ENGLISH, *(lang for lang in found if lang != ENGLISH))


def language_folder(lang: str, rules_dir: Path | None = None) -> Path:
    """The folder of ``lang``: in ``rules_dir`` when given, else the one it was last loaded
    from, else the built-in rules'."""
    if rules_dir is None and lang in _LOADED:
        return _LOADED[lang]
    return locales_folder(rules_dir) / lang


def loaded_from(lang: str, folder: Path) -> None:
    """Record that ``lang`` was loaded from ``folder`` (its phrases are read there)."""
    _LOADED[lang] = folder


def loaded_folders() -> dict[str, Path]:
    """Where each language was last loaded from (to put back after a failed load)."""
    return dict(_LOADED)


def restore(folders: dict[str, Path]) -> None:
    """Put back what :func:`loaded_folders` returned."""
    _LOADED.clear()
    _LOADED.update(folders)


def file_name(lang: str, name: str) -> str:
    """How a problem names a language's file: ``locales/es/phrases.yaml``."""
    return f"{LOCALES_DIR}/{lang}/{name}"


# The languages of the built-in rules: the choices of the command line's --lang.
LANGUAGES: tuple[str, ...] = languages()
