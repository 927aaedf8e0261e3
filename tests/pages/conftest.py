"""Fixtures for the web page's tests: the app served on a free port in a thread, and
Debian's headless Chromium driven by Playwright (never a downloaded browser).

No browser: in CI (``CI`` set) the browser tests fail, loudly; elsewhere they are skipped
with the reason. Screenshots go to ``tests/pages/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from escalate import Advisor

SCREENSHOTS = Path(__file__).parent / "screenshots"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    """Debian's Chromium (``ESCALATE_CHROMIUM`` overrides)."""
    for candidate in (os.environ.get("ESCALATE_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="module")
def client(advisor: Advisor) -> Iterator[TestClient]:
    """The app over HTTP in process (no browser)."""
    with TestClient(create_app(Settings(log_level="WARNING"), advisor=advisor)) as c:
        yield c


@pytest.fixture(scope="session")
def live_server(advisor: Advisor) -> Iterator[str]:
    """The app on 127.0.0.1:<free port>, in a thread, for the whole session."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(Settings(log_level="WARNING"), advisor=advisor)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the page server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium under Playwright, for one test file: Playwright's sync API
    keeps an event loop running in the test thread while it is open, and a test that
    runs after it on the same worker (``asyncio.run``) must not find one."""
    path = chromium_path()
    if path is None:
        message = ("Debian's chromium is not installed (apt-get install chromium "
                   "chromium-driver fonts-liberation; .ci/run does this)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, headless=True,
                                              args=BROWSER_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no shared state) at desktop width."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
