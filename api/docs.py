"""The interactive API documentation, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served
from assets installed with the service, so that they work with no internet.

The JavaScript and CSS come from the ``fastapi-offline`` package, which ships Swagger UI
and ReDoc builds inside its wheel; they are served under ``/docs-assets``. Each page gets
a Content-Security-Policy that allows scripts only from this service plus the one inline
script the page holds (by its sha256), no frames, no forms and no other origin.
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

ASSETS_PATH = "/docs-assets"
ASSETS_PACKAGE = "fastapi_offline"

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _assets_folder() -> Path:
    folder = files(ASSETS_PACKAGE) / "static"
    if not isinstance(folder, Path) or not folder.is_dir():
        raise RuntimeError(f"the {ASSETS_PACKAGE} package has no static folder of "
                           "Swagger UI and ReDoc assets; reinstall escalate")
    return folder


def content_security_policy(html: str) -> str:
    """A CSP for ``html``: this origin only, plus each inline script by its hash.

    Styles may be inline (both viewers set element styles); ReDoc renders in a worker
    made from a ``blob:`` URL; images may be ``data:`` URLs (Swagger UI's icons).
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html))
    return ("default-src 'none'; "
            f"script-src 'self' {hashes}".rstrip() + "; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
            "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'none'")


def _page(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"Content-Security-Policy": content_security_policy(html)})


def install_docs(app: FastAPI) -> None:
    """Serve ``/docs``, ``/redoc`` and their assets on ``app`` (built with
    ``docs_url=None, redoc_url=None``)."""
    app.mount(ASSETS_PATH, StaticFiles(directory=_assets_folder()), name="docs-assets")
    title = f"{app.title}: API documentation"
    openapi_url = app.openapi_url or "/openapi.json"
    swagger = get_swagger_ui_html(
        openapi_url=openapi_url, title=title,
        swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
    ).body
    redoc = get_redoc_html(
        openapi_url=openapi_url, title=title,
        redoc_js_url=f"{ASSETS_PATH}/redoc.standalone.js",
        redoc_favicon_url=f"{ASSETS_PATH}/favicon.png", with_google_fonts=False,
    ).body

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return _page(bytes(swagger).decode())

    @app.get("/redoc", include_in_schema=False)
    async def redoc_page() -> HTMLResponse:
        return _page(bytes(redoc).decode())
