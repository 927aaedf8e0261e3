"""The state clocks' words as translatable texts: their ids and their English.

Two kinds of text, each one stable id (translated in ``rules/locales/<lang>/texts.yaml``):

- ``state.messages.<key>``: a sentence of ``messages.yaml`` (``check``, ``disputed``,
  ``units.school_days.one``, ``confidence.medium``, ...), with ``{placeholders}``;
- ``state.<XX>.<topic>.<effective>.note``: the ``note`` of one dated value in
  ``rules/states/XX.yaml``, for example ``state.WI.due_process_limit.2006-10-13.note``
  (topic and date name the value, so the id survives reordering the file);
  ``state.<XX>.note``: the file's own ``note`` about the state as a whole, if any;
- ``state.<XX>.name``: the state's name as the language writes it ("Carolina del Norte").

This module reads files only; it imports nothing of the languages, so that
:mod:`escalate.i18n.sources` (which lists these texts) and :mod:`escalate.states.clocks`
(which says them) can both use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from escalate.states.schema import TOPICS, StateFile
from escalate.strict import read_data

MESSAGE_PREFIX = "state.messages."


@lru_cache(maxsize=1)
def messages() -> dict[str, str]:
    """``messages.yaml`` flattened to ``check``, ``units.school_days.one``, ... (each
    sentence's whitespace collapsed)."""
    path = resources.files("escalate.states").joinpath("messages.yaml")
    loaded: Any = read_data(Path(str(path)))  # the strict loader (escalate/strict.py)
    assert isinstance(loaded, dict)
    return dict(_flatten(loaded, ""))


def _flatten(tree: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
    for key, value in tree.items():
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", " ".join(str(value).split())


def message_id(key: str) -> str:
    return MESSAGE_PREFIX + key


def note_id(code: str, topic: str, effective: dt.date) -> str:
    """The id of the note of ``code``'s value of ``topic`` that took effect on
    ``effective``."""
    return f"state.{code}.{topic}.{effective.isoformat()}.note"


def name_id(code: str) -> str:
    """The id of the state's name (``name`` in its file), as a reader of another language
    writes it: "Carolina del Norte"."""
    return f"state.{code}.name"


def place_key(code: str) -> str | None:
    """The key in messages.yaml of the full name of ``code`` when it has no state file (a
    territory, the BIE), or None."""
    key = f"places.{code}"
    return key if key in messages() else None


def state_names(states: Mapping[str, StateFile]) -> dict[str, str]:
    """Every state file's name, by id."""
    return {name_id(code): spec.name for code, spec in sorted(states.items())}


def state_note_id(code: str) -> str:
    """The id of the note about ``code`` as a whole."""
    return f"state.{code}.note"


def state_notes(states: Mapping[str, StateFile]) -> dict[str, str]:
    """Every note of the state files (the state's, each value's), by id, whitespace
    collapsed."""
    found: dict[str, str] = {}
    for code, spec in sorted(states.items()):
        if spec.note:
            found[state_note_id(code)] = " ".join(spec.note.split())
        for topic in TOPICS:
            for value in spec.topic(topic):
                if value.note:
                    found[note_id(code, topic, value.effective)] = " ".join(
                        value.note.split())
    return found
