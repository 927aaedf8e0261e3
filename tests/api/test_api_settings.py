"""Settings come from ESCALATE_* variables; a bad value or a broken rulebook stops
start-up with a message that names what is wrong."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings, SettingsError, load_settings
from escalate import Advisor, RuleFileError, default_rules_dir

ESCALATE_BIN = Path(sys.executable).parent / "escalate"


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("ESCALATE_"):
            monkeypatch.delenv(name)
    settings = load_settings()
    assert settings.rules_dir == default_rules_dir()
    assert settings.max_body_bytes == 1_048_576
    assert settings.api_keys == []
    assert settings.cors_origins == []
    assert settings.log_level == "INFO"
    assert settings.frame_ancestors == "'none'"


def test_frame_ancestors_take_none_self_or_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    for given, written in [("none", "'none'"), ("'self'", "'self'"),
                           ("https://Intake.Example.org/ self",
                            "https://intake.example.org 'self'"),
                           ("https://a.example:8443,https://*.b.example",
                            "https://a.example:8443 https://*.b.example")]:
        monkeypatch.setenv("ESCALATE_FRAME_ANCESTORS", given)
        assert load_settings().frame_ancestors == written


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATE_API_KEYS", " k1, k2 ,,")
    monkeypatch.setenv("ESCALATE_CORS_ORIGINS", "https://intake.example.org,http://localhost:3000")
    monkeypatch.setenv("ESCALATE_LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.api_keys == ["k1", "k2"]
    assert settings.cors_origins == ["https://intake.example.org", "http://localhost:3000"]
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ESCALATE_MAX_BODY_BYTES", "0"),
        ("ESCALATE_MAX_BODY_BYTES", "-5"),
        ("ESCALATE_MAX_BODY_BYTES", "a lot"),
        ("ESCALATE_LOG_LEVEL", "chatty"),
        ("ESCALATE_RULES_DIR", "/nonexistent/rules"),
        ("ESCALATE_FRAME_ANCESTORS", "*"),
        ("ESCALATE_FRAME_ANCESTORS", "intake.example.org"),
        ("ESCALATE_FRAME_ANCESTORS", "https://a.example; script-src *"),
        ("ESCALATE_FRAME_ANCESTORS", "'none' https://a.example"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=variable):
        load_settings()
    with pytest.raises(SettingsError, match=variable):
        create_app()


def test_cors_allows_only_the_configured_origins(advisor: Advisor) -> None:
    settings = Settings(cors_origins=["https://intake.example.org"])
    with TestClient(create_app(settings, advisor=advisor)) as client:
        allowed = client.get("/healthz", headers={"Origin": "https://intake.example.org"})
        other = client.get("/healthz", headers={"Origin": "https://evil.example.com"})
    assert allowed.headers["access-control-allow-origin"] == "https://intake.example.org"
    assert "access-control-allow-origin" not in other.headers


@pytest.fixture
def broken_rules(tmp_path: Path) -> Path:
    """A copy of the shipped rules with one rule file that is not valid YAML."""
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    victim = sorted(p for p in rules.glob("*.yaml") if p.name != "parameters.yaml")[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\n  - id: [broken\n", encoding="utf-8")
    return rules


def test_a_broken_rules_dir_stops_start_up(broken_rules: Path) -> None:
    app = create_app(Settings(rules_dir=broken_rules))
    with pytest.raises(RuleFileError), TestClient(app):
        pass  # pragma: no cover - start-up must fail before this


def _serve(env_changes: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_changes}
    return subprocess.run(
        [str(ESCALATE_BIN), "serve", "--host", "127.0.0.1", "--port", "0", "--workers", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_escalate_serve_refuses_a_bad_setting(tmp_path: Path) -> None:
    result = _serve({"ESCALATE_MAX_BODY_BYTES": "0"})
    assert result.returncode != 0
    assert "ESCALATE_MAX_BODY_BYTES" in result.stderr


def test_escalate_serve_refuses_a_broken_rules_dir(broken_rules: Path) -> None:
    result = _serve({"ESCALATE_RULES_DIR": str(broken_rules)})
    assert result.returncode != 0
    assert "did not load" in result.stderr


def test_the_factory_builds_its_own_engine_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, advisor: Advisor
) -> None:
    for name in list(os.environ):
        if name.startswith("ESCALATE_"):
            monkeypatch.delenv(name)
    # What `uvicorn --factory api.main:create_app` does in each worker.
    with TestClient(create_app()) as client:
        ready = client.get("/readyz").json()
        assert client.app.state.advisor is not advisor  # type: ignore[attr-defined]
    assert ready == {"status": "ready", "rules_version": advisor.rules_version,
                     "pdf_letters": True, "reloading": False, "last_reload": None}


def test_the_module_level_app_is_built_on_first_access() -> None:
    import api.main

    assert api.main.app is api.main.app
    assert api.main.app.title == "escalate"


def test_a_blank_rules_dir_means_the_built_in_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """As for the command line (escalate.configured_rules_dir)."""
    monkeypatch.setenv("ESCALATE_RULES_DIR", "  ")
    assert load_settings().rules_dir == default_rules_dir()


def test_the_limits_are_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("HEADER_TIMEOUT_S", "2.5"), ("BODY_TIMEOUT_S", "7"),
                        ("KEEP_ALIVE_TIMEOUT_S", "3"), ("MAX_CONNECTIONS", "9"),
                        ("DRAIN_BYTES", "0")):
        monkeypatch.setenv(f"ESCALATE_{name}", value)
    settings = load_settings()
    assert (settings.header_timeout_s, settings.body_timeout_s, settings.keep_alive_timeout_s,
            settings.max_connections, settings.drain_bytes) == (2.5, 7.0, 3, 9, 0)
    monkeypatch.setenv("ESCALATE_MAX_CONNECTIONS", "0")
    with pytest.raises(SettingsError, match="ESCALATE_MAX_CONNECTIONS"):
        load_settings()
