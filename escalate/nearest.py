"""The nearest name: what a "did you mean" suggests for a misspelt key, id or value.

One helper for the whole library (the data files' loader, :mod:`escalate.strict`, and the
case validation's messages, :func:`escalate.errors.did_you_mean`), so that a typo is
answered the same way everywhere. It is the standard library's
:func:`difflib.get_close_matches` (a ratio of matching characters), which needs no data.
It imports nothing of escalate, so every module may use it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.6  # how alike two names must be to be suggested (difflib's default)


def nearest(word: str, choices: Iterable[str], *, cutoff: float = CUTOFF) -> str | None:
    """The choice most like ``word`` (never ``word`` itself), or None."""
    found = difflib.get_close_matches(word, [c for c in choices if c != word], n=1,
                                      cutoff=cutoff)
    return found[0] if found else None


def nearest_few(word: str, choices: Iterable[str], *, n: int = 3,
                cutoff: float = CUTOFF) -> list[str]:
    """Up to ``n`` choices most like ``word``, the nearest first (a misspelt step of a
    scenario is answered with the few nearest phrasings of the catalogue)."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)
