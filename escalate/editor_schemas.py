"""JSON Schema for every kind of rule-data file, for the editors of people who write rules.

``escalate rules schema [--out DIR]`` writes one ``<kind>.schema.json`` per kind of file a
rules folder holds (:data:`KINDS`), generated from the very pydantic models the strict
loader (:mod:`escalate.strict`) validates those files with, so the schema and the loader
cannot disagree on a key: an editor running the YAML language server with the header ::

    # yaml-language-server: $schema=<DIR>/rule-file.schema.json

completes the keys of a rule file and marks a typo'd or missing key as you type.
``rules/README.md`` lists the kinds and the header of each. The schema checks the shape
(keys, types, required entries); what only the whole rulebook can check (an unknown move or
fact, a rule the engine cannot evaluate) is still for ``escalate rules check``.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from escalate.explain.questions import QuestionsFile
from escalate.i18n.locale import _LocaleFile as LocaleTextsFile
from escalate.letters.book import LayoutSpec, LetterSpec
from escalate.rulebook import DeadlinesFile, MovesFile, ParametersFile, RuleFileSpec
from escalate.states.centers import ParentCentersFile
from escalate.states.schema import StateFile
from escalate.text.variables import _Phrases as PhrasesFile

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SUFFIX = ".schema.json"
HEADER = "# yaml-language-server: $schema={}"


@dataclass(frozen=True)
class SchemaKind:
    """One kind of rule-data file: its schema's name, the model the loader validates it
    with, and which files of a rules folder it is for (glob patterns, from the folder)."""

    name: str
    model: type[BaseModel]
    files: tuple[str, ...]
    about: str

    @property
    def file_name(self) -> str:
        return self.name + SUFFIX


KINDS: tuple[SchemaKind, ...] = (
    SchemaKind("rule-file", RuleFileSpec, ("[0-9][0-9]_*.yaml",),
               "a rule file (NN_name.yaml): its rules, each with when, because, source"),
    SchemaKind("moves", MovesFile, ("moves.yaml",),
               "the catalogue of moves, the source documents and the exceptions"),
    SchemaKind("parameters", ParametersFile, ("parameters.yaml",),
               "every number, dated and cited, with per-state overrides"),
    SchemaKind("deadlines", DeadlinesFile, ("deadlines.yaml",),
               "which date starts which clock, and which clocks close a move"),
    SchemaKind("questions", QuestionsFile, ("questions.yaml",),
               "the intake questions, one per fact a family can answer"),
    SchemaKind("state", StateFile, ("states/*.yaml",),
               "one state's or territory's values, dated, cited and rated"),
    SchemaKind("parent-centers", ParentCentersFile, ("parent_centers.yaml",),
               "the parent centers of every state code"),
    SchemaKind("letter-layout", LayoutSpec, ("letters/layout.yaml",),
               "the layout every letter shares"),
    SchemaKind("letter", LetterSpec, ("letters/*.yaml",),
               "one move's letter"),
    SchemaKind("locale-texts", LocaleTextsFile, ("locales/*/texts.yaml",),
               "a language's translations of the rules' texts"),
    SchemaKind("locale-phrases", PhrasesFile, ("locales/*/phrases.yaml",),
               "a language's words for the case's coded values"),
)


def schema(kind: SchemaKind) -> dict[str, Any]:
    """The JSON Schema of one kind of file (draft 2020-12), as the loader validates it."""
    body = kind.model.model_json_schema(mode="validation")
    return {"$schema": DRAFT, "$id": kind.file_name, "title": body.pop("title", kind.name),
            "description": kind.about, **body}


def kind_of(relative: str) -> SchemaKind | None:
    """The kind of the file at ``relative`` (a path inside a rules folder, with ``/``);
    None for a file the loader does not validate with a model (the page's words)."""
    for kind in KINDS:  # listed so that the first match is the right one
        if any(fnmatch.fnmatchcase(relative, pattern) for pattern in kind.files):
            return kind
    return None


def write(out: Path) -> list[Path]:
    """Write every kind's schema into ``out`` (created if needed); returns the files."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = out / kind.file_name
        path.write_text(json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        written.append(path)
    return written
