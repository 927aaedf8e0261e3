"""A broken rulebook stops the service at start-up, with its message; it never half-loads.

The loader's own unit tests live in tests/core; these check the service level: the app's
start-up (lifespan) and ``escalate serve``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from escalate import EscalateError, default_rules_dir

from ._support import ESCALATE_BIN, free_port

RULE_FILE = "01_written_concern.yaml"
FIRST_ID = "id: written_concern.not_yet_in_writing"


def _edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def _write(name: str, text: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_text(text, encoding="utf-8")


def _remove(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


# (what is broken, how to break it, words the message must contain)
BROKEN: list[tuple[str, Callable[[Path], None], list[str]]] = [
    ("invalid YAML", _write("20_broken.yaml", "rules: [\n  - id: x\n"),
     ["20_broken.yaml", "not valid YAML"]),
    ("unknown key", _edit(RULE_FILE, "    because:", "    becuase: typo\n    because:"),
     [RULE_FILE, "becuase"]),
    ("unknown fact", _edit(RULE_FILE, "history.written_concern: not_tried",
                           "history.writen_concern: not_tried"),
     [RULE_FILE, "history.writen_concern", "history.written_concern"]),
    ("value the fact cannot take", _edit(RULE_FILE, "history.written_concern: not_tried",
                                         "history.written_concern: maybe"),
     [RULE_FILE, "maybe"]),
    ("unknown move", _edit(RULE_FILE, "move: written_concern", "move: writen_concern"),
     [RULE_FILE, "writen_concern"]),
    ("duplicate rule id", _edit(RULE_FILE, "id: written_concern.discipline_gives_knowledge",
                                "id: written_concern.not_yet_in_writing"),
     [RULE_FILE, "duplicate rule id"]),
    ("rule without a source", _edit(RULE_FILE, "    source:\n      document: 001_f36458208edd6c"
                                    "ca.txt\n      section: Put it in Writing\n", ""),
     [RULE_FILE, "source"]),
    ("requires a fact no rule derives", _edit(RULE_FILE, "concern_open: true",
                                              "concern_opened: true"),
     [RULE_FILE, "concern_opened"]),
    ("unknown parameter", _edit("00_derived_facts.yaml", "{at_least: consistent_refusals}",
                                "{at_least: consistent_refusal}"),
     ["00_derived_facts.yaml", "consistent_refusal"]),
    ("unknown template variable", _edit("03_chain_of_command.yaml", "{{ childs }} team",
                                        "{{ chlids }} team"),
     ["03_chain_of_command.yaml", "chain_of_command.after_failed_meeting", "because",
      "chlids", "childs"]),
    ("template syntax error", _edit("03_chain_of_command.yaml", "{{ childs }} team",
                                    "{{ childs team"),
     ["03_chain_of_command.yaml", "chain_of_command.after_failed_meeting", "because",
      "syntax"]),
    ("unknown variable in a letter", _edit("letters/request_iee.yaml",
                                           "{{ child }} at public expense",
                                           "{{ chld }} at public expense"),
     ["letters/request_iee.yaml", "request_iee", "subject", "chld"]),
    ("badly named rule file", _write("my rules.yaml", "title: x\nrules: []\n"),
     ["my rules.yaml", "unexpected file name"]),
    ("empty rule file", _write("20_empty.yaml", ""), ["20_empty.yaml"]),
    ("missing moves.yaml", _remove("moves.yaml"), ["moves.yaml", "missing"]),
    ("missing parameters.yaml", _remove("parameters.yaml"), ["parameters.yaml"]),
]


def _broken_folder(tmp_path: Path, breaker: Callable[[Path], None]) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    breaker(folder)
    return folder


@pytest.mark.parametrize(("kind", "breaker", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_the_app_does_not_start_on_a_broken_rulebook(
        tmp_path: Path, kind: str, breaker: Callable[[Path], None], words: list[str]) -> None:
    folder = _broken_folder(tmp_path, breaker)
    app = create_app(Settings(rules_dir=folder))
    client = TestClient(app)
    with pytest.raises(EscalateError) as caught:
        client.__enter__()  # runs the lifespan: start-up must fail
    message = str(caught.value)
    for word in words:
        assert word in message, f"{kind}: {word!r} missing from: {message}"
    assert getattr(app.state, "advisor", None) is None  # nothing half-loaded is served


def _port_is_listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("index", [1, 2, 7, 11])
def test_escalate_serve_exits_with_the_message(tmp_path: Path, index: int) -> None:
    kind, breaker, words = BROKEN[index]
    folder = _broken_folder(tmp_path, breaker)
    port = free_port()
    done = subprocess.run(
        [str(ESCALATE_BIN), "serve", "--rules", str(folder), "--host", "127.0.0.1", "--port",
         str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0, f"{kind}: escalate serve started on a broken rulebook"
    for word in words:
        assert word in done.stderr, f"{kind}: {word!r} missing from: {done.stderr}"
    assert "Traceback" not in done.stderr
    assert not _port_is_listening(port)


def test_escalate_serve_refuses_a_folder_that_is_not_there(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(ESCALATE_BIN), "serve", "--rules", str(tmp_path / "nowhere"), "--port",
         str(free_port())], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "nowhere" in done.stderr
