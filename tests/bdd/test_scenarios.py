"""Every scenario in ``features/`` (or in $ESCALATE_FEATURES_DIR, for the tests of the
failure messages), bound to the shared step vocabulary in ``conftest.py``."""

from __future__ import annotations

import os

from pytest_bdd import scenarios

scenarios(os.environ.get("ESCALATE_FEATURES_DIR", "."))
