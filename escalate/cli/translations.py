"""What each language still lacks: the lines ``escalate rules check`` prints, and
``escalate rules translate-status <lang>``, which lists every missing or stale id with its
English and the hash to record, ready to paste into ``rules/locales/<lang>/texts.yaml``::

    move.request_iee.title:
      text: <the translation>
      source_hash: 3f2a9c1b0d4e
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping

from ruamel.yaml import YAML

from escalate.cli.common import add_local_rules
from escalate.i18n.formats import ENGLISH, LANGUAGES
from escalate.i18n.languages import LOCALES_DIR
from escalate.i18n.locale import Locale


def summary_lines(locales: Mapping[str, Locale]) -> list[str]:
    """One line per language: how many texts it has, and what is missing or stale."""
    lines = []
    for lang, locale in locales.items():
        if lang == ENGLISH:
            continue
        total = len(locale.sources)
        missing = [g.id for g in locale.gaps if g.state == "missing"]
        stale = [g.id for g in locale.gaps if g.state == "stale"]
        line = f"{locale.file}: {total - len(locale.gaps)} of {total} texts translated"
        if missing:
            line += f"; missing: {', '.join(missing[:5])}" + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        if stale:
            line += "; stale (the English changed since): " + ", ".join(stale)
        lines.append(line)
    return lines


def has_gaps(locales: Mapping[str, Locale]) -> bool:
    return any(locale.gaps for locale in locales.values())


def print_status(locales: Mapping[str, Locale], lang: str) -> int:
    """Every gap of one language as YAML entries to translate (text: the English); the
    exit code (2 for a language the rules folder has no folder for)."""
    if lang == ENGLISH or lang not in locales:
        others = [code for code in locales if code != ENGLISH]
        print(f"escalate: no language {lang!r} in the rules folder's locales/; found: "
              + (", ".join(others) or "none") + f" (a language is a folder {LOCALES_DIR}/"
              "<lang>/)", file=sys.stderr)
        return 2
    locale = locales[lang]
    out = {gap.id: {"state": gap.state, "english": gap.english,
                    "source_hash": gap.source_hash} for gap in locale.gaps}
    print(f"# {locale.file}: {len(locale.gaps)} entries to translate or refresh. Copy each "
          "under 'entries:', replace 'english' by 'text' (the translation), drop 'state'.")
    if out:
        yaml = YAML(typ="safe", pure=True)
        yaml.default_flow_style = False
        yaml.width = 88
        yaml.dump(out, sys.stdout)
    return 0


def add_arguments(check: argparse.ArgumentParser,
                  rules_sub: argparse._SubParsersAction,  # type: ignore[type-arg]
                  rules_help: str) -> argparse.ArgumentParser:
    """``rules check --strict`` and the ``rules translate-status`` command's parser."""
    check.add_argument("--strict", action="store_true",
                       help="also fail when a translation is missing or stale (CI)")
    status: argparse.ArgumentParser = rules_sub.add_parser(
        "translate-status", help="list the texts a language lacks, with the English and the "
        "hash to record")
    status.add_argument("lang", help="a language of the rules folder (a folder of "
                        f"{LOCALES_DIR}/; the built-in rules: "
                        + ", ".join(lang for lang in LANGUAGES if lang != ENGLISH) + ")")
    status.add_argument("--rules", help=rules_help)
    add_local_rules(status)
    return status
