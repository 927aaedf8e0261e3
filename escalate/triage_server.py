"""The triage pool's forkserver: the advisor built once, before any worker is forked.

:class:`escalate.triage.Pool` starts its workers from a forkserver (a clean process that
has imported the library, never a copy of the caller's engine or threads). The forkserver
imports this module first; when ``$ESCALATE_TRIAGE_PRELOAD`` names a rules folder (the
pool sets it while the forkserver starts, and only then), the advisor of that folder is
built and proven here, once, warmed on one shipped example, and every worker forked
afterwards starts with it ready, instead of each spending seconds building its own. A
folder that does not load leaves :data:`ADVISOR` empty: each worker then builds its own
and reports the error the usual way; so does a worker that finds the folder changed since
the advisor was built (:func:`ready` compares every file's path, size and modification
time). The output is general information, not legal advice.
"""

from __future__ import annotations

import gc
import hashlib
import os
from pathlib import Path

from escalate.advisor import Advisor
from escalate.examples import example_cases
from escalate.models import Case

RULES_ENV = "ESCALATE_TRIAGE_PRELOAD"
# (the rules folder, resolved; its fingerprint when built; its advisor), or None
ADVISOR: tuple[str, str, Advisor] | None = None


def fingerprint(rules_dir: str) -> str:
    """Every file of the folder: its path, size and modification time, hashed."""
    digest = hashlib.sha256()
    for path in sorted(Path(rules_dir).rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def ready(rules_dir: str) -> Advisor | None:
    """The advisor built here for ``rules_dir``, if the folder is unchanged since."""
    if ADVISOR is None or ADVISOR[0] != rules_dir or ADVISOR[1] != fingerprint(rules_dir):
        return None
    return ADVISOR[2]


def _build(rules_dir: str) -> tuple[str, str, Advisor] | None:
    try:
        before = fingerprint(rules_dir)
        advisor = Advisor.from_directory(rules_dir)
    except Exception:  # noqa: BLE001 - a worker builds its own and reports the error
        return None
    try:  # what the first advice builds once (a folder of other moves may refuse it)
        for case in list(example_cases().values())[:1]:
            advisor.advise(Case.model_validate(case))
    except Exception:  # noqa: BLE001, S110 - the workers then build it on their first case
        pass
    return rules_dir, before, advisor


if _rules := os.environ.get(RULES_ENV):
    ADVISOR = _build(_rules)
    # The advisor is for the life of every worker forked from here: out of the garbage
    # collector's full passes (each would walk the whole rulebook), and the pages it sits
    # on are not written by those passes, so the workers keep sharing them.
    gc.collect()
    gc.freeze()
