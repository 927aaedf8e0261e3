"""The service with an organization's own rules (``ESCALATE_LOCAL_RULES``, issue 23 item 2):
the local rule changes the advice where it applies and nowhere else, its Spanish and its
letter are served, ``rules_version`` (answers, /readyz, /v1/rules) shows the local layer,
each override is logged at start-up, and a broken local file stops start-up naming the
local file, the id and the key. The output is general information, not legal advice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings, SettingsError, load_settings
from escalate import Advisor, Case, default_rules_dir
from escalate.errors import RuleFileError
from escalate.examples import example_cases
from escalate.i18n.sources import source_hash

ESCALATE_BIN = Path(sys.executable).parent / "escalate"
OUR_RULE = "our.records_before_services_meeting"
BECAUSE = ("Before talking about services for {{ child }}, read what the school has on "
           "file: the family may see and copy the education records.")
SPANISH = ("Antes de hablar de los servicios para {{ child }}, lea lo que la escuela tiene "
           "archivado: la familia puede ver y copiar los expedientes educativos (education "
           "records).")
RULE_FILE = f"""title: Our practice
rules:
  - id: {OUR_RULE}
    move: request_records
    when:
      concern.topic: services
      history.request_records: not_tried
    because: >
      {BECAUSE}
    source:
      citation: 34 CFR 300.613(a)
"""


def write_local(root: Path) -> Path:
    (root / "letters").mkdir(parents=True)
    (root / "locales" / "es").mkdir(parents=True)
    (root / "50_our_practice.yaml").write_text(RULE_FILE, encoding="utf-8")
    (root / "locales" / "es" / "texts.yaml").write_text(json.dumps({"entries": {
        f"rule.{OUR_RULE}.because": {"text": SPANISH, "source_hash": source_hash(BECAUSE)}}},
        ensure_ascii=False), encoding="utf-8")
    letter = (default_rules_dir() / "letters" / "request_records.yaml").read_text(
        encoding="utf-8")
    (root / "letters" / "request_records.yaml").write_text(letter.replace(
        'subject: "Request to review {{ childs }} education records"',
        'subject: "Our request to see {{ childs }} school records"'), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_local(tmp_path_factory.mktemp("local") / "ours")


@pytest.fixture(scope="module")
def served(local: Path) -> Iterator[TestClient]:
    """The service started as a deployment starts it: from its settings alone."""
    app = create_app(Settings(rules_dir=default_rules_dir(), local_rules=local))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def case(**concern: Any) -> dict[str, Any]:
    data = example_cases()["01_new_concern"]
    return {**data, "concern": {**data["concern"], **concern}}


def moves(answer: dict[str, Any]) -> dict[str, list[str]]:
    return {m["move"]: m["rules"] for m in answer["recommendations"]}


def test_the_local_rule_changes_the_advice_where_it_applies(
        served: TestClient, advisor: Advisor) -> None:
    answer = served.post("/v1/advice", json=case()).json()
    assert moves(answer)["request_records"] == [OUR_RULE]
    assert answer["rules_version"].startswith(advisor.rules_version + "+local:")
    other = served.post("/v1/advice", json=case(topic="evaluation")).json()
    assert OUR_RULE not in {r for rules in moves(other).values() for r in rules}
    built_in = advisor.advise(Case.model_validate(case(topic="evaluation"))).model_dump(mode="json")
    assert other["recommendations"] == built_in["recommendations"]


def test_rules_version_shows_the_local_layer_everywhere(
        served: TestClient, advisor: Advisor) -> None:
    ready = served.get("/readyz").json()
    listing = served.get("/v1/rules").json()
    assert ready["rules_version"] == listing["rules_version"] != advisor.rules_version
    assert ready["rules_version"].startswith(advisor.rules_version + "+local:")
    assert OUR_RULE in {rule["id"] for rule in listing["rules"]}


def test_the_local_spanish_and_letter_are_served(served: TestClient) -> None:
    spanish = served.post("/v1/advice?lang=es", json=case()).json()
    reasons = [r["text"] for m in spanish["recommendations"] if m["move"] == "request_records"
               for r in m["reasons"]]
    assert reasons and reasons[0].startswith("Antes de hablar de los servicios para Maya")
    letter = served.post("/v1/letters/request_records", json=case())
    assert letter.status_code == 200
    assert "Our request to see Maya's school records" in letter.text


def test_each_local_change_is_logged_at_start_up(
        local: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    with TestClient(create_app(Settings(local_rules=local))):
        pass
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()
             if line.startswith("{")]
    said = [line["message"] for line in lines if "local rules" in line.get("message", "")]
    assert f"local rules: 50_our_practice.yaml adds 1 rule(s): {OUR_RULE}" in said
    assert ("local rules: letters/request_records.yaml replaces the built-in file "
            "letters/request_records.yaml") in said


def test_a_broken_local_file_stops_start_up_naming_it(tmp_path: Path) -> None:
    (tmp_path / "50_ours.yaml").write_text(RULE_FILE.replace("because:", "becuase:"),
                                           encoding="utf-8")
    app = create_app(Settings(local_rules=tmp_path))
    with pytest.raises(RuleFileError) as raised, TestClient(app):
        pass  # pragma: no cover - start-up must fail before this
    assert (f"{tmp_path / '50_ours.yaml'} (local), id '{OUR_RULE}', key 'becuase'"
            in str(raised.value))


def test_escalate_serve_refuses_a_broken_local_file(tmp_path: Path) -> None:
    (tmp_path / "50_ours.yaml").write_text(RULE_FILE.replace("move:", "mvoe:"),
                                           encoding="utf-8")
    done = subprocess.run(
        [str(ESCALATE_BIN), "serve", "--host", "127.0.0.1", "--port", "0"],
        env={**os.environ, "ESCALATE_LOCAL_RULES": str(tmp_path)}, capture_output=True,
        text=True, timeout=120, check=False)
    assert done.returncode != 0
    assert f"{tmp_path / '50_ours.yaml'} (local), id '{OUR_RULE}', key 'mvoe'" in done.stderr


def test_the_setting_is_a_folder_or_blank(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    monkeypatch.setenv("ESCALATE_LOCAL_RULES", str(tmp_path / "nowhere"))
    with pytest.raises(SettingsError, match="ESCALATE_LOCAL_RULES"):
        load_settings()
    monkeypatch.setenv("ESCALATE_LOCAL_RULES", "  ")
    assert load_settings().local_rules is None
    monkeypatch.setenv("ESCALATE_LOCAL_RULES", str(tmp_path))
    assert load_settings().local_rules == tmp_path
