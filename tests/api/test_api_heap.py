"""A served process settles its heap once started, and again after a reload (api.heap):
the start-up heap is kept out of the garbage collector's full passes, an app built
elsewhere (a test, an embedding) leaves the host's collector alone, and the rules a reload
replaces are freed, not frozen for good."""

from __future__ import annotations

import gc
import shutil
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from escalate import default_rules_dir
from tests.api.test_api_reload import (
    ADMIN_KEY,
    OREGON_CASE,
    THREE_YEARS,
    reload,
    scenarios,
    three_years_in_oregon,
)


@pytest.fixture(autouse=True)
def thawed() -> Iterator[None]:
    """Each test starts and ends with nothing frozen (the test process is shared)."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_served_app_settles_its_heap_once_started() -> None:
    with TestClient(create_app(Settings(), settle_heap=True)) as client:
        assert client.get("/readyz").status_code == 200
        frozen = gc.get_freeze_count()
        # the rules, the templates, the texts: tens of thousands of objects
        assert frozen > 20_000
        service = client.app.state.escalate  # type: ignore[attr-defined]
        assert service is not None
        assert client.post("/v1/advice", json=OREGON_CASE).status_code == 200


def test_an_app_built_elsewhere_leaves_the_collector_alone() -> None:
    with TestClient(create_app(Settings())) as client:
        assert client.get("/readyz").status_code == 200
        assert gc.get_freeze_count() == 0


def test_a_reload_frees_the_old_rules_and_settles_the_new(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    settings = Settings(rules_dir=rules, admin_keys=[ADMIN_KEY],
                        scenarios_dir=scenarios(tmp_path, "three years", THREE_YEARS))
    with TestClient(create_app(settings, settle_heap=True)) as client:
        old = weakref.ref(client.app.state.escalate.advisor)  # type: ignore[attr-defined]
        three_years_in_oregon(rules)
        response = reload(client)
        assert response.status_code == 200 and response.json()["outcome"] == "accepted"
        assert gc.get_freeze_count() > 20_000  # the new rules settled
        assert old() is None  # the old rules were collected, not kept frozen
