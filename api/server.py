"""Run the service under uvicorn (``escalate serve`` calls :func:`run`)."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from api.main import create_app
from api.settings import SettingsError, load_settings
from escalate import Advisor, RuleFileError

FACTORY = "api.main:create_app"


def run(host: str, port: int, workers: int) -> None:
    """Serve on ``host:port`` with ``workers`` processes, until interrupted.

    The settings and the rulebook are checked here first, so that a bad value or a rule
    file that does not load stops start-up with one clear message (exit status 1) rather
    than a worker traceback. With one worker, the engine built by that check serves the
    requests; with several, uvicorn starts each worker from the factory and each worker
    builds its own engine (the service keeps no state, so workers share nothing).
    """
    if workers < 1:
        raise SystemExit("escalate serve: --workers must be 1 or more")
    try:
        settings = load_settings()
        advisor = Advisor.from_directory(settings.rules_dir)
    except (SettingsError, RuleFileError) as exc:
        raise SystemExit(f"escalate serve: cannot start: {exc}") from None

    # One worker: serve the engine just built. Several: each worker runs the factory.
    target: FastAPI | str = create_app(settings, advisor=advisor) if workers == 1 else FACTORY
    del advisor
    uvicorn.run(
        target,
        host=host,
        port=port,
        workers=workers,
        factory=workers > 1,
        access_log=False,  # api.logging writes the access log, without query strings
        log_level=settings.log_level.lower(),
        server_header=False,
    )
