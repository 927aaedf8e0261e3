"""A TestClient on the app, to check that the probed paths exist."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from escalate import Advisor, default_rules_dir


@pytest.fixture(scope="module")
def client(advisor: Advisor) -> Iterator[TestClient]:
    app = create_app(Settings(rules_dir=default_rules_dir()), advisor=advisor)
    with TestClient(app) as test_client:
        yield test_client
