"""What the whole suite shares: one advisor on the shipped rules per test process, and the
grouping that lets `make test` run the suite on every core (pytest-xdist, ``--dist
loadgroup``).

The advisor
    ``advisor`` (session) is the process-wide advisor of the library, ``get_advisor()``,
    when the rules in use are the shipped ones: every test that reads advice on the
    shipped rules, every app the tests build (``create_app(..., advisor=advisor)``) and
    every library call that falls back on ``get_advisor()`` share one compiled rulebook
    per worker. ``advisor_for(folder)`` gives one advisor per rulebook version (the hash
    of the folder's files), and so does the command line (``escalate.cli.main``, through
    ``escalate.cli.common.escalate_for``) run in
    the test process. A test that edits a copy of the rules, or needs an advisor with its
    own engine memory, still builds its own (``Advisor.from_directory``,
    ``Advisor(rulebook, ...)``).

The groups
    With ``--dist loadgroup`` every test is sent to whichever worker is free, except the
    tests of one ``xdist_group``, which run on one worker, one after the other. Tests are
    grouped here, so that a new test needs no mark of its own:

    - a test that uses a module-scoped fixture (a server started once for its file, a
      wheel built once, a generated client) runs with the rest of its file, so the
      fixture is built once and not once per worker;
    - a test that drives the browser (``browser``, ``page``, ``live_server``) runs in the
      ``browser`` group: one worker opens Chromium (once per test file) and the page
      server (once).

    pytest stays below 9.2 (pyproject.toml): pytest 9.2's node ids drop the groups of
    pytest-xdist 3.8 (its issue 1386), and the tests that share a fixture would then be
    spread over the workers, building it twice or finding it fresh.

    A test may still name its own group with ``@pytest.mark.xdist_group("name")``.
    Servers listen on free ports (``bench.load.free_port``), files go to ``tmp_path``,
    environment changes go through ``monkeypatch``: nothing else is shared between
    workers.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import pytest

from escalate import Advisor, default_rules_dir, get_advisor
from escalate.advisor import configured_rules_dir
from escalate.cli import common
from escalate.engine_memory import configured_size
from escalate.rulebook import load
from escalate.service import Escalate, configured_local_rules

BROWSER_FIXTURES = frozenset({"browser", "page", "live_server"})
SHARED_SCOPES = frozenset({"module", "class", "package"})

KEPT_FOLDERS = 4  # advisors kept for folders other than the shipped rules (most recent)

_advisors: OrderedDict[tuple[Path, str], Advisor] = OrderedDict()


def shared_advisor(folder: Path | str | None = None) -> Advisor:
    """One advisor per rules folder and rulebook version in this process: the library's
    own ``get_advisor()`` for the shipped rules, else one built once per version (a
    folder edited since is a new version, so it is loaded afresh)."""
    root = Path(folder or default_rules_dir()).resolve()
    if root == default_rules_dir().resolve() == configured_rules_dir().resolve():
        return get_advisor()
    rulebook = load(root)
    key = (root, rulebook.version)
    if key in _advisors:
        _advisors.move_to_end(key)
        return _advisors[key]
    built = _advisors[key] = Advisor(rulebook)
    while len(_advisors) > KEPT_FOLDERS:
        _advisors.popitem(last=False)
    return built


class _SharedEscalate(Escalate):
    """The library's face the command line gets in the tests: its advisor is the shared
    advisor of the folder's rulebook version instead of one compiled again. The rulebook
    and translations load as in a real run first, so a broken folder fails with its own
    message."""

    @property
    def advisor(self) -> Advisor:
        def build() -> Advisor:
            # the engine memory's size from the environment, read as a real build reads
            # it (a bad $ESCALATE_ENGINE_CACHE_SIZE fails here too)
            size = configured_size() if self._cache_size is None else self._cache_size
            _ = self.locales
            shared = shared_advisor(self.rules_dir)
            if shared.memory.stats.size != size:
                return Advisor(self.rulebook, locales=self.locales, cache_size=size)
            return shared
        return self._part("advisor", build)


@pytest.fixture(scope="session")
def advisor() -> Advisor:
    """The advisor on the shipped rules, shared by every test that only reads advice."""
    return shared_advisor()


@pytest.fixture(scope="session")
def advisor_for() -> Callable[[Path | str], Advisor]:
    """An advisor on an unmodified rules folder, built once per rulebook version."""
    return shared_advisor


@pytest.fixture(autouse=True)
def _the_command_line_shares_the_advisor(monkeypatch: pytest.MonkeyPatch) -> None:
    """``escalate advise``, ``states``, ``rules check``... build an advisor per call; in the
    tests they share the one of their folder's rulebook version. A broken folder still
    fails to load, with its own message."""
    monkeypatch.setattr(common, "escalate_for", lambda rules, local=None: _SharedEscalate(
        rules or None, local=local or configured_local_rules()))


def _group(item: pytest.Item) -> str | None:
    """The xdist group a test must run in, or None to let it run on any worker."""
    names = set(getattr(item, "fixturenames", ()))
    if names & BROWSER_FIXTURES:
        return "browser"
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs if info is not None else {}
    for name in names:
        chosen = definitions.get(name)
        if chosen and chosen[-1].scope in SHARED_SCOPES:
            return item.nodeid.split("::", 1)[0]
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Group the tests that share a module-scoped fixture or the browser (see above);
    xdist reads the marks after this hook (``--dist loadgroup``)."""
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        group = _group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
