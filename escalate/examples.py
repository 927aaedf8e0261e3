"""The example cases shipped with the project, in ``examples/``.

They are used by the README, the OpenAPI examples and the tests, so one place loads them.
They ship inside the package (see :mod:`escalate.resources`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from escalate.resources import examples_folder

EXAMPLES_DIR = examples_folder()


@lru_cache(maxsize=1)
def example_cases() -> dict[str, dict[str, Any]]:
    """Every example case by its file stem (e.g. ``"02_unanswered_concern"``), sorted."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(EXAMPLES_DIR.glob("*.json"))
    }
