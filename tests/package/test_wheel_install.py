"""The wheel on its own: built from this checkout, installed into a fresh virtual
environment outside the repository, and used as a new user would, with no repository in
sight: `escalate advise`, `escalate rules check`, `python -m escalate --version`, and a
served POST /v1/advice.

Slow by nature (a venv and the dependencies' install, ~1 min the first time, pip's cache
after that), so everything shares one module-scoped installation.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.load import free_port, post_json, stop_group

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "examples" / "02_unanswered_concern.json"
INSTALL_TIMEOUT_S = 900


class Installed:
    """A fresh venv with the wheel installed, and a clean environment to run it in."""

    def __init__(self, home: Path, source: Path) -> None:
        self.home = home
        self.source = source
        self.bin = home / "venv" / "bin"
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("ESCALATE_", "PYTHON", "VIRTUAL_ENV"))}

    def run(self, *args: str, env: dict[str, str] | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.bin / args[0]), *args[1:]], cwd=self.home,
                              env={**self.env, **(env or {})}, input=stdin,
                              capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    home = tmp_path_factory.mktemp("wheel-user")
    dist = home / "dist"
    # Build from a copy of the sources, so that no build/ left in the checkout by an
    # earlier build can add stale files to the wheel.
    source = tmp_path_factory.mktemp("source") / "escalate"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache",
        ".hypothesis", "_work", "screenshots"))  # the browser tests may be writing these
    # A subfolder of rules/ that no release has yet: it must ship like any other.
    (source / "rules" / "subfolder_probe").mkdir()
    (source / "rules" / "subfolder_probe" / "probe.txt").write_text("ships\n")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(dist), str(source)],
                   check=True, timeout=INSTALL_TIMEOUT_S, capture_output=True)
    wheels = list(dist.glob("escalate-*.whl"))
    assert len(wheels) == 1, wheels
    subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True,
                   timeout=120, cwd=home)
    done = subprocess.run([str(home / "venv" / "bin" / "python"), "-m", "pip", "install",
                           # no .pyc written at install: Python compiles what it imports
                           # (the dependencies' whole trees were a third of this test)
                           "--quiet", "--no-compile", str(wheels[0])], cwd=home,
                          capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return Installed(home, source)


def test_the_installed_package_is_not_the_checkout(installed: Installed) -> None:
    done = installed.run("python", "-c", "import escalate, escalate_api; "
                         "print(escalate.__file__); print(escalate_api.__file__)")
    assert done.returncode == 0, done.stderr
    for path in done.stdout.split():
        assert Path(path).is_relative_to(installed.home / "venv"), path


def test_the_wheel_installs_only_names_of_its_own(installed: Installed) -> None:
    """Nothing but escalate-prefixed top-level packages: an integrator's own ``api``
    package never collides with the service (issue 20)."""
    wheel = next((installed.home / "dist").glob("escalate-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
    packages = {t for t in tops if not t.endswith((".dist-info", ".data"))}
    assert packages and all(t.startswith("escalate") for t in packages), packages


def test_every_rule_and_example_file_ships(installed: Installed) -> None:
    """Every file under rules/ (subfolders included, even a new one) and examples/ is in
    the wheel."""
    done = installed.run("python", "-c", "from escalate.resources import *; "
                         "print(rules_folder()); print(examples_folder())")
    assert done.returncode == 0, done.stderr
    rules, examples = (Path(line) for line in done.stdout.split())
    assert (rules / "subfolder_probe" / "probe.txt").read_text() == "ships\n"
    for source, shipped in ((installed.source / "rules", rules),
                            (installed.source / "examples", examples)):
        wanted = {p.relative_to(source) for p in source.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts}
        assert wanted, source
        missing = sorted(str(p) for p in wanted if not (shipped / p).is_file())
        assert not missing, f"not in the wheel: {missing}"


def test_advise_from_the_wheel(installed: Installed) -> None:
    done = installed.run("escalate", "advise", "-", "--json", stdin=CASE.read_text())
    assert done.returncode == 0, done.stderr
    advice = json.loads(done.stdout)
    assert advice["recommendations"], advice
    assert "not legal advice" in advice["disclaimer"]


def test_triage_page_from_the_wheel(installed: Installed) -> None:
    """The printable page's template ships (escalate/cli/templates/), and two worker
    processes start from the installed package."""
    caseload = json.dumps(json.loads(CASE.read_text())) + "\nnot a case\n"
    done = installed.run("escalate", "triage", "-", "--format", "html", "--jobs", "2",
                         stdin=caseload)
    assert done.returncode == 0, done.stderr
    assert "<table>" in done.stdout and "not legal advice" in done.stdout
    assert "line 2 skipped: not_json" in done.stderr and "not a case" not in done.stderr


def test_rules_check_and_version_from_the_wheel(installed: Installed) -> None:
    check = installed.run("escalate", "rules", "check")
    assert check.returncode == 0, check.stderr
    assert "OK" in check.stdout and "site-packages" in check.stdout
    version = installed.run("python", "-m", "escalate", "--version")
    assert version.returncode == 0, version.stderr
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert version.stdout.startswith(f"escalate {project['version']}\n")
    assert "rules_version sha256:" in version.stdout


def test_the_cli_honours_escalate_rules_dir(installed: Installed) -> None:
    missing = installed.home / "no-rules-here"
    for command in (("escalate", "rules", "check"),
                    ("escalate", "advise", str(CASE))):
        done = installed.run(*command, env={"ESCALATE_RULES_DIR": str(missing)})
        assert done.returncode == 1, command
        assert str(missing) in done.stderr, done.stderr


def _wait_ready(base: str, proc: subprocess.Popen[bytes], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server exited during start-up"
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise AssertionError("the served wheel was not ready in time")


@pytest.fixture(scope="module")
def served(installed: Installed) -> Iterator[str]:
    port = free_port()
    # An integrator's own package named ``api`` on the path: the service must not care.
    theirs = installed.home / "integrator"
    (theirs / "api").mkdir(parents=True, exist_ok=True)
    (theirs / "api" / "__init__.py").write_text(
        'raise ImportError("the integrator\'s own api package")\n')
    env = {**installed.env, "PYTHONPATH": str(theirs)}
    proc = subprocess.Popen([str(installed.bin / "escalate"), "serve", "--port", str(port)],
                            cwd=installed.home, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base, proc)
        yield base
    finally:
        stop_group(proc)


def test_served_advice_from_the_wheel(served: str) -> None:
    status, body = post_json(served + "/v1/advice", CASE.read_bytes())
    assert status == 200, body
    assert body["recommendations"]
    assert "not legal advice" in body["disclaimer"]


def test_the_docs_work_from_the_wheel_without_internet(served: str) -> None:
    with urllib.request.urlopen(served + "/docs", timeout=10) as page:  # noqa: S310
        html = page.read().decode()
    assert "https://" not in html and "/docs-assets/swagger-ui-bundle.js" in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        with urllib.request.urlopen(f"{served}/docs-assets/{asset}",  # noqa: S310
                                    timeout=10) as response:
            assert response.status == 200 and len(response.read()) > 1000


def test_the_web_page_works_from_the_wheel(served: str) -> None:
    """The page's templates, words, CSS and JS ship in the wheel (setup.py package_data)."""
    with urllib.request.urlopen(served + "/", timeout=10) as page:  # noqa: S310
        html = page.read().decode()
    assert "not legal advice" in html and 'name="concern.topic"' in html
    for asset in ("page.css", "page.js", "favicon.svg"):
        with urllib.request.urlopen(f"{served}/pages-assets/{asset}",  # noqa: S310
                                    timeout=10) as response:
            assert response.status == 200 and response.read()


SCENARIOS = """\
Feature: An organization's own expectations

  Scenario: An unanswered concern leads to a meeting
    Given today is 2026-11-23
    And a student with an IEP
    And the parent is concerned about services
    And the school did not respond
    And the parent put the concern in writing on 2026-11-02 and got no response
    When the advocate asks for advice
    Then the next step is to request an IEP meeting

  Scenario: Due process is expected at once
    Given today is 2026-11-23
    And a student with an IEP
    When the advocate asks for advice
    Then the next step is to file for due process
"""


def test_scenarios_run_from_the_wheel(installed: Installed) -> None:
    """An advocate's scenarios, in a folder outside any checkout, run by the installed
    command: each passed or failed in words, JUnit XML, exit 1; the shipped ones pass."""
    folder = installed.home / "our-scenarios"
    folder.mkdir()
    (folder / "ours.feature").write_text(SCENARIOS, encoding="utf-8")
    done = installed.run("escalate", "scenarios", "run", str(folder), "--junit", "out.xml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "passed  An unanswered concern leads to a meeting" in done.stdout
    assert "FAILED  Due process is expected at once" in done.stdout
    assert 'Expected the next step to be "file for due process"' in done.stdout
    assert 'failures="1"' in (installed.home / "out.xml").read_text()
    shipped = installed.run("escalate", "scenarios", "run", "--builtin")
    assert shipped.returncode == 0, shipped.stdout[-3000:] + shipped.stderr


LOCAL_RULE = """\
title: "Our practice: the records before a meeting about services"
rules:
  - id: our.records_before_services_meeting
    move: request_records
    when:
      concern.topic: services
      history.request_records: not_tried
    because: >
      Before talking about services for {{ child }}, read what the school has on file.
    source:
      citation: 34 CFR 300.613(a)
"""


def test_local_rules_from_the_wheel(installed: Installed) -> None:
    """An organization's own rule folder, outside any checkout, changes the installed
    command's advice and its rules_version, and so does the installed service's setting
    (ESCALATE_LOCAL_RULES): the answers and /readyz say the local layer."""
    local = installed.home / "our-rules"
    local.mkdir(exist_ok=True)
    (local / "50_our_practice.yaml").write_text(LOCAL_RULE, encoding="utf-8")
    case = (ROOT / "examples" / "01_new_concern.json").read_text()
    plain = installed.run("escalate", "advise", "-", "--json", "--all", stdin=case)
    ours = installed.run("escalate", "advise", "-", "--json", "--all", "--local-rules",
                         str(local), stdin=case)
    assert plain.returncode == ours.returncode == 0, plain.stderr + ours.stderr
    before, after = json.loads(plain.stdout), json.loads(ours.stdout)
    assert after["rules_version"].startswith(before["rules_version"] + "+local:")
    assert "our.records_before_services_meeting" not in plain.stdout
    assert ["our.records_before_services_meeting"] in [
        m["rules"] for m in after["recommendations"] if m["move"] == "request_records"]
    check = installed.run("escalate", "rules", "check", "--local-rules", str(local))
    assert check.returncode == 0, check.stderr
    assert "50_our_practice.yaml adds 1 rule(s)" in check.stdout

    port = free_port()
    proc = subprocess.Popen([str(installed.bin / "escalate"), "serve", "--port", str(port)],
                            cwd=installed.home, env={**installed.env,
                                                     "ESCALATE_LOCAL_RULES": str(local)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base, proc)
        status, body = post_json(base + "/v1/advice", case.encode())
        with urllib.request.urlopen(base + "/readyz", timeout=10) as response:  # noqa: S310
            ready = json.loads(response.read())
    finally:
        stop_group(proc)
    assert status == 200, body
    assert body["rules_version"] == ready["rules_version"] == after["rules_version"]
    assert "request_records" in [m["move"] for m in body["recommendations"]]
