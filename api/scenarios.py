"""The service in process, for ``escalate scenarios run``: the scenarios' When steps post
their case to it exactly as an intake tool would post to a deployed service.

The command line finds this through the ``escalate.commands`` entry point ``scenarios``
(pyproject.toml), so the library never imports the service. The service is the real
app (:func:`~.main.create_app`) on the given rules folder, its settings from the
``ESCALATE_*`` environment, quieter (warnings only) and without API keys: nothing
leaves the process, driven by Starlette's test client over httpx.

:func:`api.main.candidate_client` is the same for a service already built: a reload's
candidate rules (:mod:`api.reload`) are run against the scenarios before they answer
anyone.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .main import create_app
from .settings import load_settings

with warnings.catch_warnings():  # Starlette's nag about httpx: httpx is what it drives
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@contextmanager
def in_process(rules_dir: Path | None = None,
               local_rules: Path | None = None) -> Iterator[TestClient]:
    """A client of the service started on ``rules_dir`` (else the configured rules), with
    the organization's ``local_rules`` laid over them (else the configured ones); the
    service stops when the block ends. A rulebook that does not load raises its error
    (file, id, key) here, before any scenario runs."""
    overrides: dict[str, Any] = {"log_level": "WARNING", "api_keys": []}
    if rules_dir is not None:
        overrides["rules_dir"] = rules_dir
    if local_rules is not None:
        overrides["local_rules"] = local_rules
    app = create_app(load_settings(**overrides))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
