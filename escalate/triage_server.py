"""The triage pool's forkserver: the advisor built once, before any worker is forked.

:class:`escalate.triage.Pool` starts its workers from a forkserver (a clean process that
has imported the library, never a copy of the caller's engine or threads). The forkserver
imports this module first; when ``$ESCALATE_TRIAGE_PRELOAD`` names a rules folder (the
pool sets it while the forkserver starts, and only then), the advisor of that folder is
built and proven here, once, warmed on one shipped example, and every worker forked
afterwards starts with it ready, instead of each spending seconds building its own. A
folder that does not load leaves :data:`ADVISOR` empty: each worker then builds its own
and reports the error the usual way. The output is general information, not legal advice.
"""

from __future__ import annotations

import os

from escalate.advisor import Advisor
from escalate.examples import example_cases
from escalate.models import Case

RULES_ENV = "ESCALATE_TRIAGE_PRELOAD"
# (the rules folder, resolved; its advisor), or None
ADVISOR: tuple[str, Advisor] | None = None


def _build(rules_dir: str) -> tuple[str, Advisor] | None:
    try:
        advisor = Advisor.from_directory(rules_dir)
    except Exception:  # noqa: BLE001 - a worker builds its own and reports the error
        return None
    try:  # what the first advice builds once (a folder of other moves may refuse it)
        for case in list(example_cases().values())[:1]:
            advisor.advise(Case.model_validate(case))
    except Exception:  # noqa: BLE001, S110 - the workers then build it on their first case
        pass
    return rules_dir, advisor


if _rules := os.environ.get(RULES_ENV):
    ADVISOR = _build(_rules)
