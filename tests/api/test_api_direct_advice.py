"""The advice route's direct answer (api.routes.advice.AdviceRoute) changes nothing a
client can see.

A valid case asked in the common way is answered without FastAPI's dependency solving.
Differential: the same app with the direct answer turned off (``app.state`` flag) gives
the same status, body and headers for every way of asking: no query, ``lang``,
``Accept-Language``, a language the rules do not speak, ``explain``, an unknown query,
repeated ``lang``, with API keys configured (right, wrong, missing key), and a dependency
override still reaches the route.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_advisor
from api.main import create_app
from api.routes.advice import DIRECTLY
from api.settings import Settings
from escalate import Advisor, default_rules_dir
from escalate.models import EXAMPLE_CASE

KEY = "k-direct-0123456789"
ASKED: list[tuple[str, dict[str, str]]] = [
    ("/v1/advice", {}),
    ("/v1/advice?lang=es", {}),
    ("/v1/advice?lang=en", {"Accept-Language": "es"}),
    ("/v1/advice", {"Accept-Language": "es-US,es;q=0.9"}),
    ("/v1/advice", {"Accept-Language": "fr"}),
    ("/v1/advice?lang=xx", {}),
    ("/v1/advice?lang=", {}),
    ("/v1/advice?lang=es&lang=en", {}),
    ("/v1/advice?explain=true&lang=es", {}),
    ("/v1/advice?other=1", {}),
]
HEADERS = ("content-type", "content-language", "content-length", "cache-control",
           "x-escalate-notice", "www-authenticate")


def _client(advisor: Advisor, directly: bool, keys: list[str]) -> TestClient:
    app = create_app(Settings(rules_dir=default_rules_dir(), api_keys=keys), advisor=advisor)
    setattr(app.state, DIRECTLY, directly)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(params=[[], [KEY]], ids=["open", "keys"], scope="module")
def pair(request: pytest.FixtureRequest, advisor: Advisor
         ) -> Iterator[tuple[TestClient, TestClient]]:
    with _client(advisor, True, request.param) as direct, \
            _client(advisor, False, request.param) as stock:
        yield direct, stock


def _seen(client: TestClient, path: str, headers: dict[str, str],
          body: Any = EXAMPLE_CASE) -> tuple[int, Any, dict[str, str | None]]:
    response = client.post(path, json=body, headers=headers)
    return (response.status_code, response.json(),
            {name: response.headers.get(name) for name in HEADERS})


@pytest.mark.parametrize(("path", "headers"), ASKED)
@pytest.mark.parametrize("key", [KEY, "wrong", None])
def test_every_way_of_asking_gets_the_same_answer(
        pair: tuple[TestClient, TestClient], path: str, headers: dict[str, str],
        key: str | None) -> None:
    direct, stock = pair
    sent = {**headers, **({"X-API-Key": key} if key else {})}
    assert _seen(direct, path, sent) == _seen(stock, path, sent)


def test_the_direct_answer_is_the_advice_in_the_language_asked(
        pair: tuple[TestClient, TestClient]) -> None:
    direct, _ = pair
    status, body, headers = _seen(direct, "/v1/advice?lang=es", {"X-API-Key": KEY})
    assert status == 200 and body["language"] == "es"
    assert headers["content-language"] == "es"
    assert body["next_move"] is not None and body["disclaimer"]


def test_a_dependency_override_still_reaches_the_advice(advisor: Advisor) -> None:
    class Refusing:
        rules_version = advisor.rules_version

        def advise(self, case: Any, lang: str = "en", *, explain: bool = False) -> Any:
            raise RuntimeError("overridden")

    with _client(advisor, True, []) as client:
        app = client.app
        assert isinstance(app, FastAPI)
        app.dependency_overrides[get_advisor] = lambda: Refusing()
        try:
            assert client.post("/v1/advice", json=EXAMPLE_CASE).status_code == 500
        finally:
            app.dependency_overrides.clear()
        assert client.post("/v1/advice", json=EXAMPLE_CASE).status_code == 200
