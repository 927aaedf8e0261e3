"""Reloading the rules while serving (issue 23, item 3): a reload whose rules pass every
scenario (the organization's and the built-in ones) switches the advice; one whose
scenarios fail, or whose rule files do not load, leaves the service answering exactly
as before, even under concurrent requests, and says why in /readyz, the reply, the log
and the metrics. POST /admin/reload needs an operator's key of its own. Under
`escalate serve --workers 2`, a reload asked of one worker reaches every worker through
the supervisor (SIGHUP), and every worker then answers with the new rules.

The rules folder is a copy the test edits: Oregon's due-process limit (two years in
rules/states/OR.yaml, which no built-in scenario pins) becomes three years, visible in
the deadline of an Oregon case and in rules_version.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings, SettingsError, load_settings
from bench.load import free_port, stop_group
from escalate import default_rules_dir

ADMIN_KEY = "operator-key-1"
OREGON_CASE = {
    "case_id": "oregon-1", "as_of": "2026-11-23", "state": "OR",
    "student": {"has_iep": True},
    "concern": {"topic": "implementation", "school_response": "no_response"},
    "violation": {"alleged": True, "date": "2026-03-01", "kind": "failure_to_implement"},
}
TWO_YEARS, THREE_YEARS = "2028-03-01", "2029-03-01"

OREGON_FEATURE = """\
Feature: Our Oregon practice
  Scenario: Oregon allows {years} for due process
    Given today is 2026-11-23
    And a student with an IEP
    And the family lives in Oregon
    And the parent is concerned about implementation of the IEP
    And the school did not respond
    And the district failed to implement the IEP on 2026-03-01
    When the advocate asks for advice
    Then the deadline for "due process" is {date}
"""


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """A copy of the built-in rules that a test may edit."""
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    return folder


def scenarios(tmp_path: Path, years: str, date: str) -> Path:
    """An organization's scenarios folder pinning Oregon's due-process date."""
    folder = tmp_path / "scenarios"
    folder.mkdir(exist_ok=True)
    (folder / "oregon.feature").write_text(OREGON_FEATURE.format(years=years, date=date),
                                           encoding="utf-8")
    return folder


def three_years_in_oregon(rules: Path) -> None:
    path = rules / "states" / "OR.yaml"
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"(due_process_limit:\n  - effective: 2006-10-13\n    value: )2\n",
                     r"\g<1>3\n", text)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


@pytest.fixture
def serve() -> Iterator[Callable[..., TestClient]]:
    """Start the app on given settings (its lifespan builds the rules, as in production)."""
    started: list[TestClient] = []

    def start(**settings: Any) -> TestClient:
        client = TestClient(create_app(Settings(**settings)), raise_server_exceptions=False)
        client.__enter__()
        started.append(client)
        return client

    yield start
    for client in started:
        client.__exit__(None, None, None)


def due_process(client: TestClient) -> tuple[str, str]:
    """The Oregon case's due-process deadline and the rules_version that answered."""
    response = client.post("/v1/advice", json=OREGON_CASE)
    assert response.status_code == 200, response.text
    body = response.json()
    due = next(d["due"] for d in body["deadlines"] if d["move"] == "due_process")
    return due, body["rules_version"]


def reload(client: TestClient, key: str | None = ADMIN_KEY) -> Any:
    return client.post("/admin/reload", headers={"X-Admin-Key": key} if key else {})


def reloads_counted(client: TestClient, outcome: str) -> float:
    text = client.get("/metrics").text
    found = re.search(rf'escalate_rules_reloads_total\{{outcome="{outcome}"\}} (\S+)', text)
    assert found, text
    return float(found.group(1))


# ------------------------------------------------------------------ accepted


def test_a_reload_whose_scenarios_pass_switches_the_advice(
        serve: Callable[..., TestClient], rules: Path, tmp_path: Path) -> None:
    # the organization's scenario pins the new limit: it fails on the old rules, passes
    # on the new ones, and runs with the built-in ones
    client = serve(rules_dir=rules, admin_keys=[ADMIN_KEY],
                   scenarios_dir=scenarios(tmp_path, "three years", THREE_YEARS))
    before, old_version = due_process(client)
    assert before == TWO_YEARS
    three_years_in_oregon(rules)
    assert due_process(client) == (TWO_YEARS, old_version)  # nothing changes by itself

    response = reload(client)

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["outcome"] == "accepted"
    assert report["failed_scenarios"] == []
    assert report["scenarios_run"] > 200  # the built-in ones ran too, and the Oregon one
    after, new_version = due_process(client)
    assert after == THREE_YEARS
    assert new_version != old_version
    assert report["rules_version"] == report["candidate_rules_version"] == new_version
    ready = client.get("/readyz").json()
    assert ready["rules_version"] == new_version
    assert ready["last_reload"]["outcome"] == "accepted"
    assert ready["reloading"] is False
    assert client.get("/v1/rules").json()["rules_version"] == new_version
    assert reloads_counted(client, "accepted") == 1
    assert f'escalate_rules_info{{rules_version="{new_version}"}} 1.0' in \
        client.get("/metrics").text


def test_a_reload_reads_the_local_rules_folder_as_start_up_does(
        serve: Callable[..., TestClient], tmp_path: Path) -> None:
    """The organization's own folder (ESCALATE_LOCAL_RULES) is laid over the rules at
    every reload as at start-up: a local Oregon file added after start-up answers once
    the reload passes, and rules_version says +local:."""
    local = tmp_path / "local"
    local.mkdir()
    client = serve(local_rules=local, admin_keys=[ADMIN_KEY],
                   scenarios_dir=scenarios(tmp_path, "three years", THREE_YEARS))
    before, old_version = due_process(client)
    assert before == TWO_YEARS
    (local / "states").mkdir()
    shutil.copy(default_rules_dir() / "states" / "OR.yaml", local / "states" / "OR.yaml")
    three_years_in_oregon(local)

    response = reload(client)

    assert response.status_code == 200, response.text
    after, new_version = due_process(client)
    assert after == THREE_YEARS
    assert "+local:" in new_version and new_version != old_version


# ------------------------------------------------------------------ refused


def test_a_reload_whose_scenario_fails_changes_no_answer_under_concurrent_requests(
        serve: Callable[..., TestClient], rules: Path, tmp_path: Path,
        examples: dict[str, dict[str, Any]]) -> None:
    client = serve(rules_dir=rules, admin_keys=[ADMIN_KEY],
                   scenarios_dir=scenarios(tmp_path, "two years", TWO_YEARS))
    cases = [OREGON_CASE, *examples.values()]
    expected = [client.post("/v1/advice", json=case).json() for case in cases]
    old_version = expected[0]["rules_version"]
    three_years_in_oregon(rules)

    answers: list[tuple[int, int, Any]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def ask(offset: int) -> None:
        i = offset
        while not stop.is_set():
            try:
                response = client.post("/v1/advice", json=cases[i % len(cases)])
                answers.append((i % len(cases), response.status_code, response.json()))
            except BaseException as error:  # noqa: BLE001 - counted: none expected
                errors.append(error)
            i += 1

    askers = [threading.Thread(target=ask, args=(n,)) for n in range(4)]
    for thread in askers:
        thread.start()
    outcome: dict[str, Any] = {}
    reloading = threading.Thread(target=lambda: outcome.update(response=reload(client)))
    reloading.start()
    while not client.get("/readyz").json()["reloading"] and reloading.is_alive():
        pass
    second = reload(client)  # while the first one runs: refused, not queued
    reloading.join()
    for _ in range(len(cases)):  # a few more answers after the refusal
        client.post("/v1/advice", json=OREGON_CASE)
    stop.set()
    for thread in askers:
        thread.join()

    assert second.status_code == 409, second.text
    assert "already running" in second.json()["detail"]
    response = outcome["response"]
    assert response.status_code == 422, response.text
    report = response.json()
    assert report["outcome"] == "scenarios_failed"
    assert report["rules_version"] == old_version
    assert report["candidate_rules_version"] not in (None, old_version)
    [failed] = report["failed_scenarios"]
    assert failed["file"].endswith("oregon.feature")
    assert failed["scenario"] == "Oregon allows two years for due process"
    assert failed["step"] == f'Then the deadline for "due process" is {TWO_YEARS}'

    assert errors == []
    assert answers, "no request was answered during the reload"
    changed = [i for i, status, body in answers if status != 200 or body != expected[i]]
    assert changed == []
    assert due_process(client) == (TWO_YEARS, old_version)
    ready = client.get("/readyz").json()
    assert ready["rules_version"] == old_version
    assert ready["last_reload"]["outcome"] == "scenarios_failed"
    assert ready["last_reload"]["failed_scenarios"] == report["failed_scenarios"]
    assert reloads_counted(client, "scenarios_failed") == 1
    assert reloads_counted(client, "accepted") == 0


def test_a_broken_rule_file_is_refused_naming_it_and_the_old_rules_answer(
        serve: Callable[..., TestClient], rules: Path) -> None:
    client = serve(rules_dir=rules, admin_keys=[ADMIN_KEY])
    before = due_process(client)
    path = rules / "05_mediation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("because:", "becuase:", 1),
                    encoding="utf-8")

    response = reload(client)

    assert response.status_code == 422, response.text
    report = response.json()
    assert report["outcome"] == "rules_refused"
    assert "05_mediation.yaml" in report["problem"]
    assert "becuase" in report["problem"]
    assert report["candidate_rules_version"] is None
    assert report["scenarios_run"] == 0
    assert due_process(client) == before
    assert client.get("/readyz").json()["last_reload"]["problem"] == report["problem"]
    assert reloads_counted(client, "rules_refused") == 1


def test_an_unreadable_scenario_file_refuses_the_reload(
        serve: Callable[..., TestClient], rules: Path, tmp_path: Path) -> None:
    folder = scenarios(tmp_path, "two years", TWO_YEARS)
    client = serve(rules_dir=rules, admin_keys=[ADMIN_KEY], scenarios_dir=folder)
    (folder / "notes.feature").write_text("these are not scenarios\n", encoding="utf-8")

    response = reload(client)

    assert response.status_code == 422, response.text
    assert response.json()["outcome"] == "scenarios_unreadable"
    assert "notes.feature" in response.json()["problem"]
    assert reloads_counted(client, "scenarios_unreadable") == 1


# ------------------------------------------------------------------ who may reload


def test_reloading_over_http_is_off_unless_admin_keys_are_set(
        serve: Callable[..., TestClient]) -> None:
    client = serve(rules_dir=default_rules_dir(), api_keys=["intake-key"])

    response = client.post("/admin/reload", headers={"X-Admin-Key": "anything",
                                                      "X-API-Key": "intake-key"})

    assert response.status_code == 403
    assert "ESCALATE_ADMIN_KEYS" in response.json()["detail"]
    assert client.get("/readyz").json()["last_reload"] is None


def test_reloading_needs_an_operators_key_not_an_intake_key(
        serve: Callable[..., TestClient]) -> None:
    client = serve(rules_dir=default_rules_dir(), api_keys=["intake-key"],
                   admin_keys=[ADMIN_KEY])

    missing = client.post("/admin/reload", headers={"X-API-Key": "intake-key"})
    wrong = client.post("/admin/reload", headers={"X-Admin-Key": "intake-key"})

    for response in (missing, wrong):
        assert response.status_code == 401
        assert "X-Admin-Key" in response.json()["detail"]
        assert response.headers["WWW-Authenticate"] == "X-Admin-Key"
    assert "intake-key" not in wrong.text
    assert client.get("/readyz").json()["last_reload"] is None
    assert reloads_counted(client, "accepted") == 0


def test_admin_keys_and_the_scenarios_folder_are_checked_at_start(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as blank:
        load_settings(admin_keys=" , ")
    assert "ESCALATE_ADMIN_KEYS" in str(blank.value)
    with pytest.raises(SettingsError) as missing:
        load_settings(scenarios_dir=tmp_path / "nowhere")
    assert "ESCALATE_SCENARIOS_DIR" in str(missing.value)
    assert load_settings(scenarios_dir="  ").scenarios_dir is None


# ------------------------------------------------------------------ several workers

WAIT_S = 240  # the bound on a slow, shared machine: start-up and a reload in each worker
INFO = re.compile(r'escalate_rules_info\{rules_version="([^"]+)"\} 1\.0')
WORKER = re.compile(r'escalate_worker_info\{pid="(\d+)"\}')


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATE_")}
    env.update(ESCALATE_RULES_DIR=str(rules), ESCALATE_ADMIN_KEYS=ADMIN_KEY,
               ESCALATE_LOG_LEVEL="WARNING", ESCALATE_PAGES="false")
    port = free_port()
    command = [str(Path(sys.executable).parent / "escalate"), "serve", "--host",
               "127.0.0.1", "--port", str(port), "--workers", "2"]
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            yield f"http://127.0.0.1:{port}", rules
        finally:
            stop_group(proc)


def versions_by_worker(base: str, workers: int = 2) -> dict[str, str]:
    """Each worker's pid and the rules it answers with, from /metrics on fresh
    connections (the kernel spreads them over the workers' sockets)."""
    seen: dict[str, str] = {}
    deadline = time.monotonic() + WAIT_S
    while len(seen) < workers and time.monotonic() < deadline:
        try:
            text = httpx.get(base + "/metrics", timeout=10).text
        except httpx.TransportError:
            time.sleep(0.5)
            continue
        pid, version = WORKER.search(text), INFO.search(text)
        if pid and version:
            seen[pid.group(1)] = version.group(1)
    return seen


def test_a_reload_asked_of_one_worker_switches_every_worker(
        two_workers: tuple[str, Path]) -> None:
    base, rules = two_workers
    before = versions_by_worker(base)
    assert len(before) == 2, "both workers did not answer"
    [old_version] = set(before.values())
    three_years_in_oregon(rules)

    response = httpx.post(base + "/admin/reload", headers={"X-Admin-Key": ADMIN_KEY},
                          timeout=30)

    assert response.status_code == 202, response.text
    assert "every worker" in response.json()["detail"]
    deadline = time.monotonic() + WAIT_S
    after: dict[str, str] = {}
    while time.monotonic() < deadline:
        after = versions_by_worker(base)
        if set(after) == set(before) and old_version not in after.values():
            break
        time.sleep(2)
    assert set(after) == set(before), "a worker was replaced instead of reloading"
    [new_version] = set(after.values())
    assert new_version != old_version
    for _ in range(8):  # whichever worker answers: the new rules, the new deadline
        body = httpx.post(base + "/v1/advice", json=OREGON_CASE, timeout=30).json()
        assert body["rules_version"] == new_version
        assert next(d["due"] for d in body["deadlines"]
                    if d["move"] == "due_process") == "2029-03-01"
