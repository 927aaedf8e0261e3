"""What the whole suite shares: one advisor on the shipped rules per test process, and the
grouping that lets `make test` run the suite on every core (pytest-xdist, ``--dist
loadgroup``).

The advisor
    ``advisor`` (session) is the process-wide advisor of the library, ``get_advisor()``,
    when the rules in use are the shipped ones: every test that reads advice on the
    shipped rules, every app the tests build (``create_app(..., advisor=advisor)``) and
    every library call that falls back on ``get_advisor()`` share one compiled rulebook
    per worker. ``advisor_for(folder)`` gives one advisor per rulebook version (the hash
    of the folder's files), for tests that use an unmodified folder elsewhere. A test
    that edits a copy of the rules, or needs an advisor with its own engine memory,
    still builds its own (``Advisor.from_directory``, ``Advisor(rulebook, ...)``).

The groups
    With ``--dist loadgroup`` every test is sent to whichever worker is free, except the
    tests of one ``xdist_group``, which run on one worker, one after the other. Tests are
    grouped here, so that a new test needs no mark of its own:

    - a test that uses a module-scoped fixture (a server started once for its file, a
      wheel built once, a generated client) runs with the rest of its file, so the
      fixture is built once and not once per worker;
    - a test that drives the browser (``browser``, ``page``, ``live_server``) runs in the
      ``browser`` group: one Chromium and one page server for the whole run.

    A test may still name its own group with ``@pytest.mark.xdist_group("name")``.
    Servers listen on free ports (``bench.load.free_port``), files go to ``tmp_path``,
    environment changes go through ``monkeypatch``: nothing else is shared between
    workers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from escalate import Advisor, default_rules_dir, get_advisor
from escalate.advisor import configured_rules_dir
from escalate.rulebook import load

BROWSER_FIXTURES = frozenset({"browser", "page", "live_server"})
SHARED_SCOPES = frozenset({"module", "class", "package"})

_advisors: dict[tuple[Path, str], Advisor] = {}


def shared_advisor(folder: Path | str | None = None) -> Advisor:
    """One advisor per rules folder and rulebook version in this process: the library's
    own ``get_advisor()`` for the shipped rules, else one built once per version."""
    root = Path(folder or default_rules_dir()).resolve()
    if root == default_rules_dir().resolve() == configured_rules_dir().resolve():
        return get_advisor()
    rulebook = load(root)
    key = (root, rulebook.version)
    if key not in _advisors:
        _advisors[key] = Advisor(rulebook)
    return _advisors[key]


@pytest.fixture(scope="session")
def advisor() -> Advisor:
    """The advisor on the shipped rules, shared by every test that only reads advice."""
    return shared_advisor()


@pytest.fixture(scope="session")
def advisor_for() -> Callable[[Path | str], Advisor]:
    """An advisor on an unmodified rules folder, built once per rulebook version."""
    return shared_advisor


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
