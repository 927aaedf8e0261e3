"""Fixtures for the HTTP service tests: settings, the engine, and a TestClient on the app.

The app is built with ``create_app(settings, advisor=...)`` so that one compiled rulebook
serves every test; ``app.dependency_overrides`` swaps in failing engines where a test
needs one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from escalate import Advisor, default_rules_dir
from escalate.examples import example_cases


class FailingAdvisor:
    """An engine that fails on every case, with a message quoting the case (as a careless
    library might): the service must not pass that message on."""

    def __init__(self, real: Advisor, error: type[Exception]) -> None:
        self.real = real
        self.error = error
        self.rules_version = real.rules_version

    def advise(self, case: Any, lang: str = "en") -> Any:
        raise self.error(f"could not advise on {case.student.name!r}: {case!r}")

    def moves(self) -> Any:
        raise self.error("moves failed")

    def rules(self) -> Any:
        raise self.error("rules failed")


@pytest.fixture
def settings() -> Settings:
    return Settings(rules_dir=default_rules_dir())


def _make_client(settings: Settings, advisor: Any) -> TestClient:
    return TestClient(create_app(settings, advisor=advisor), raise_server_exceptions=False)


@pytest.fixture
def make_client() -> Callable[[Settings, Any], TestClient]:
    """Build a TestClient on a fresh app; enter it (``with``) to run the lifespan."""
    return _make_client


@pytest.fixture
def client(settings: Settings, advisor: Advisor) -> Iterator[TestClient]:
    with _make_client(settings, advisor) as test_client:
        yield test_client


@pytest.fixture
def failing_advisor(advisor: Advisor) -> Callable[[type[Exception]], FailingAdvisor]:
    """Build an engine that raises the given error on every call."""
    return lambda error: FailingAdvisor(advisor, error)


@pytest.fixture
def app(client: TestClient) -> FastAPI:
    assert isinstance(client.app, FastAPI)
    return client.app


@pytest.fixture(scope="session")
def examples() -> dict[str, dict[str, Any]]:
    cases = example_cases()
    assert cases, "examples/ holds no example cases"
    return cases
