"""POST /admin/reload: an operator asks the service to reload its rules (as SIGHUP does).

The new rules answer only if they load and every scenario passes, the organization's
(``ESCALATE_SCENARIOS_DIR``) and the built-in ones (:mod:`api.reload`). For operators,
not part of the advice contract: outside ``/v1/`` and the OpenAPI document (like
``/metrics``), and guarded by keys of its own, ``ESCALATE_ADMIN_KEYS`` in ``X-Admin-Key``
(an intake tool's API key cannot change the rules; an open deployment's rules still
cannot be changed by anyone). Answers:

- 200 with the report: the new rules passed and now answer;
- 422 with the report: refused (a rule file does not load, a scenario failed, a feature
  file is unreadable); the rules that answered before still answer;
- 202: under ``escalate serve --workers N`` the supervisor was asked to have every worker
  reload; each worker's ``/readyz`` then says its outcome;
- 409: a reload is already running in this worker (never queued);
- 403: reloading over HTTP is off (``ESCALATE_ADMIN_KEYS`` unset); 401: the key is
  missing or wrong.
"""

from __future__ import annotations

import os

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse

from ..middleware import key_matches
from ..reload import RELOAD_SIGNAL, Reloader, supervisor_pid
from ..settings import Settings

ADMIN_KEY_HEADER = "X-Admin-Key"
RELOAD_PATH = "/admin/reload"

router = APIRouter(tags=["admin"], include_in_schema=False)


def _refuse(code: int, detail: str, **headers: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=code, headers=headers or None)


@router.post(RELOAD_PATH)
async def reload_rules(request: Request) -> JSONResponse:
    """Reload the rules if they pass the scenarios; answer this worker's outcome."""
    settings: Settings = request.app.state.settings
    if not settings.admin_keys:
        return _refuse(status.HTTP_403_FORBIDDEN,
                       "reloading the rules over HTTP is off: set ESCALATE_ADMIN_KEYS to the "
                       "operators' keys (or send SIGHUP to the service)")
    key = request.headers.get(ADMIN_KEY_HEADER)
    if not key:
        return _refuse(status.HTTP_401_UNAUTHORIZED,
                       f"reloading the rules needs an operator's key: send it in the "
                       f"{ADMIN_KEY_HEADER} header", **{"WWW-Authenticate": ADMIN_KEY_HEADER})
    if not key_matches(key, settings.admin_keys):
        return _refuse(status.HTTP_401_UNAUTHORIZED,
                       f"the {ADMIN_KEY_HEADER} header does not match any key in "
                       f"ESCALATE_ADMIN_KEYS", **{"WWW-Authenticate": ADMIN_KEY_HEADER})
    reloader: Reloader | None = request.app.state.reloader
    if reloader is None:
        return _refuse(status.HTTP_503_SERVICE_UNAVAILABLE,
                       "the service has not finished starting", **{"Retry-After": "1"})
    if reloader.running:
        return _refuse(status.HTTP_409_CONFLICT,
                       "a reload is already running in this worker; /readyz will say "
                       "its outcome")
    supervisor = supervisor_pid()
    if supervisor is not None:  # several workers: each reloads, told by the supervisor
        os.kill(supervisor, RELOAD_SIGNAL)
        return JSONResponse({"detail": "every worker is reloading the rules; each "
                             "worker's /readyz says its outcome"},
                            status_code=status.HTTP_202_ACCEPTED)
    report = await reloader.reload()
    if report is None:
        return _refuse(status.HTTP_409_CONFLICT,
                       "a reload is already running in this worker; /readyz will say "
                       "its outcome")
    code = status.HTTP_200_OK if report.outcome == "accepted" \
        else status.HTTP_422_UNPROCESSABLE_CONTENT
    return JSONResponse(report.model_dump(mode="json"), status_code=code)
