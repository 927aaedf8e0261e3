"""Dependencies the routes share: the settings, the library's face (the engine and
everything built beside it), and the API-key check.

The key is checked first by :class:`api.middleware.ApiKeyMiddleware`, before the body is
read; the dependency checks it again and is what documents the scheme in OpenAPI."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import APIKeyHeader

from escalate.service import Escalate

from .middleware import key_matches
from .settings import Settings

API_KEY_HEADER = "X-API-Key"

_api_key_header = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    description="One of the keys configured in ESCALATE_API_KEYS.",
)


async def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_escalate(request: Request) -> Escalate:
    """The library's face, started once (see the lifespan in ``api.main``).

    ``async`` so that FastAPI calls it on the event loop instead of sending it to the
    thread pool: the only pool hop per request is the evaluation itself."""
    service: Escalate | None = getattr(request.app.state, "escalate", None)
    if service is None:  # only before start-up finished; the lifespan guarantees it after
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "the rules are not loaded yet")
    return service


get_advisor = get_escalate  # the name embedding code and tests override (dependency_overrides)

SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[Escalate, Depends(get_escalate)]


async def require_api_key(
    settings: SettingsDep,
    key: Annotated[str | None, Depends(_api_key_header)],
) -> None:
    """Refuse the request with 401 unless it carries one of the configured keys."""
    if not settings.api_keys:
        return
    if not key:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            f"this service needs an API key: send it in the {API_KEY_HEADER} header",
            headers={"WWW-Authenticate": API_KEY_HEADER},
        )
    if not key_matches(key, settings.api_keys):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            f"the {API_KEY_HEADER} header does not match any key this service accepts",
            headers={"WWW-Authenticate": API_KEY_HEADER},
        )
