"""An organization's own rules, layered over the built-in ones.

A local folder mirrors the layout of ``rules/``; :func:`layer` lays it over a rules
folder (the built-in one by default) and writes the result to a private folder of this
process, which every loader then reads as it reads ``rules/`` (the rulebook, the proof,
the letters, the translations, the questions, the page's words, triage's workers). The
local files go through the same strict loader as the built-in ones; a problem in one is
said with the local file's own path, marked ``(local)``.

How a local file combines with the built-in ones (rules/README.md, "Your organization's
own rules"):

- a rule file (``NN_name.yaml``): with the name of a built-in file it replaces that
  file; with a new name it adds its rules; a rule whose id is a built-in rule's id
  replaces that rule (the built-in file keeps its other rules). A built-in rule that no
  longer exists loses its translations too;
- a file that is one thing (``states/XX.yaml``, ``letters/<move>.yaml``): replaces the
  built-in file of that name, or is added;
- a table (``parameters.yaml``, ``questions.yaml``, ``moves.yaml``, ``deadlines.yaml``,
  ``parent_centers.yaml``, ``letters/layout.yaml``, ``locales/<lang>/*.yaml``): merged
  section by section: in a section that is a table of named entries (``parameters:``,
  ``entries:``, ``questions:``...) each local entry replaces the built-in entry of that
  name, whole, or is added; in a list of entries with ids (``deadlines:``, ``moves:``) the
  same by id; any other key (a title, a sentence) replaces the built-in value;
- a YAML file anywhere else is refused (the folder names the places); files that are not
  YAML (a README) are left alone.

Every replacement and addition is a :class:`Change`, said at start-up, by ``escalate
rules check`` and in ``rules_version``: the built-in version plus ``+local:`` and a short
hash of the local files (:mod:`escalate.rulebook.fingerprint`). The law a local rule
cites is the organization's to get right; a local file that does not load stops start-up
like a built-in one. The layered folder is written under the system's temporary folder
(``$TMPDIR``; a read-only container needs a writable ``/tmp``) and removed when the
process ends.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, TypeGuard

from ruamel.yaml import YAML

from escalate.errors import RuleFileError, RuleProblem
from escalate.i18n.ids import rule_because
from escalate.rulebook.fingerprint import (
    LAYERS_FILE,
    LOCAL_MARK,
    digest_files,
    folder_version,
)
from escalate.rulebook.names import DATA_FILES, RULE_FILE, SPECIAL_FILES
from escalate.strict import Problems, read_yaml

LOCAL = "(local)"
LETTERS, STATES, LOCALES = "letters", "states", "locales"
TABLES = (*SPECIAL_FILES, *DATA_FILES, f"{LETTERS}/layout.yaml")
PLACES = ("NN_name.yaml (a rule file)", ", ".join(TABLES), "states/XX.yaml",
          "letters/<move>.yaml", "locales/<lang>/texts.yaml, phrases.yaml or page.yaml")
YAML_SUFFIXES = (".yaml", ".yml")
_DUMP = YAML(typ="safe", pure=True)
_DUMP.allow_unicode = True
_DUMP.width = 4096
# Block style only: a flow mapping whose plain scalar ends in "?" (a question) is read
# back by ruamel's pure parser but not by the C one the strict loader uses.
_DUMP.default_flow_style = False
# Bumped when the way files are combined changes (a layered folder is made afresh).
FORMAT = 2


@dataclass(frozen=True)
class Change:
    """One thing a local file does to the built-in rules."""

    file: str  # the local file, relative to the local folder ("states/WI.yaml")
    kind: Literal["replaces", "adds"]
    what: str  # "the built-in file", "rule 'x' of 05_mediation.yaml", "entry 'p' of ..."

    def __str__(self) -> str:
        return f"{self.file} {self.kind} {self.what}"


@dataclass(frozen=True)
class Layers:
    """The built-in folder, the local folder, and the layered folder made of both."""

    base: Path
    local: Path
    folder: Path
    version: str
    changes: tuple[Change, ...]
    # each layered file a local file shaped: its relative path -> the entry ids and
    # top-level keys it gave (empty: the whole file is the local one)
    local_parts: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def overrides(self) -> tuple[Change, ...]:
        """The changes that replace something built in."""
        return tuple(c for c in self.changes if c.kind == "replaces")

    @property
    def additions(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind == "adds")

    def lines(self) -> list[str]:
        """What the local folder changes, one line each (start-up, ``rules check``)."""
        head = (f"local rules {self.local} over {self.base}: "
                f"{len(self.overrides)} override(s), {len(self.additions)} addition(s)")
        return [head, *(f"  {change}" for change in self.changes)]

    def local_name(self, problem: RuleProblem) -> str | None:
        """The local file a problem of the layered folder is in, or None (a built-in
        file's own entry)."""
        rel = problem.file
        if rel not in self.local_parts:
            return None
        parts = self.local_parts[rel]
        if not parts or problem.rule_id in parts or (
                problem.rule_id is None and problem.key in parts):
            return f"{self.local / rel} {LOCAL}"
        return None

    def explain(self, error: RuleFileError) -> RuleFileError:
        """``error`` with each problem of a local file named by the local file."""
        problems = []
        for problem in error.problems:
            name = self.local_name(problem)
            problems.append(problem if name is None else replace(problem, file=name))
        return RuleFileError(problems)


def layer(base: Path | str, local: Path | str) -> Layers:
    """``local`` laid over the rules folder ``base``, made once per process for the same
    files. Raises RuleFileError naming each local file that cannot be layered (not
    readable YAML, not in a place the rules folder has, not shaped as its file)."""
    base_dir, local_dir = Path(base).resolve(), Path(local).resolve()
    if not local_dir.is_dir():
        raise RuleFileError([RuleProblem(str(local_dir), "is not a folder of local rule "
                                         "files")])
    files = _local_files(local_dir)
    base_version = folder_version(base_dir)
    local_hash = digest_files(local_dir, files)
    key = (str(base_dir), base_version, str(local_dir), local_hash)
    with _LOCK:
        found = _MADE.get(key)
        # made afresh if its folder went (a cleaner of /tmp on a long-running host)
        if found is None or not (found.folder / LAYERS_FILE).is_file():
            found = _MADE[key] = _make(base_dir, local_dir, files, base_version, local_hash)
    return found


_LOCK = threading.Lock()
_MADE: dict[tuple[str, str, str, str], Layers] = {}


def _local_files(local: Path) -> list[Path]:
    """The YAML files of the local folder (hidden files and folders left out)."""
    return sorted(p for p in local.rglob("*") if p.is_file() and p.suffix in YAML_SUFFIXES
                  and not any(part.startswith(".") for part in p.relative_to(local).parts))


def _make(base: Path, local: Path, files: list[Path], base_version: str,
          local_hash: str) -> Layers:
    problems = Problems()
    try:
        folder = Path(tempfile.mkdtemp(prefix="escalate-rules-"))
    except OSError as error:  # a read-only container without a writable /tmp
        raise RuleFileError([RuleProblem(
            f"{local} {LOCAL}", "cannot be laid over the rules: no writable temporary "
            f"folder ({error.__class__.__name__}); set TMPDIR to one, or mount a tmpfs at "
            "/tmp (deploy/compose.yaml, deploy/kubernetes.yaml)")]) from None
    atexit.register(shutil.rmtree, folder, True)
    shutil.copytree(base, folder, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", LAYERS_FILE))
    builder = _Builder(base, local, folder, problems)
    rule_files = [p for p in files if p.parent == local and RULE_FILE.match(p.name)]
    builder.rules(rule_files)
    builder.drop_translations()  # before the local translations are laid over them
    for path in files:
        if path not in rule_files:
            builder.place(path)
    if problems.problems:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuleFileError(problems.problems)
    version = f"{base_version}{LOCAL_MARK}{local_hash[:12]}"
    (folder / LAYERS_FILE).write_text(json.dumps({
        "format": FORMAT, "version": version, "built_in": str(base), "local": str(local),
        "changes": [str(c) for c in builder.changes]}, indent=2), encoding="utf-8")
    return Layers(base, local, folder, version, tuple(builder.changes), builder.parts)


class _Builder:
    """Lays the local files one by one into the copy of the built-in folder."""

    def __init__(self, base: Path, local: Path, folder: Path, problems: Problems) -> None:
        self.base, self.local, self.folder, self.problems = base, local, folder, problems
        self.changes: list[Change] = []
        self.parts: dict[str, frozenset[str]] = {}
        self.removed_rules: set[str] = set()

    def name(self, path: Path) -> str:
        return f"{path} {LOCAL}"

    def laid(self, path: Path) -> Any:
        """The data of a file of the rules folder (as laid so far); None, the problem
        recorded under its own name, when it cannot be read."""
        rel = path.relative_to(self.folder if path.is_relative_to(self.folder)
                               else self.base).as_posix()
        return read_yaml(path, self.problems, rel)

    def read(self, path: Path) -> Any:
        """A local file's data (None: the problem is recorded)."""
        before = len(self.problems)
        raw = read_yaml(path, self.problems, self.name(path))
        if raw is None and len(self.problems) == before:
            self.problems.add(self.name(path), "is empty")
        return raw

    # ------------------------------------------------------------ rule files

    def rules(self, paths: list[Path]) -> None:
        """Local rule files: the name of a built-in file replaces that file; the id of a
        built-in rule replaces that rule; anything else adds."""
        local_ids: dict[str, str] = {}  # rule id -> the local file giving it
        given: dict[str, list[str]] = {}
        for path in paths:
            given[path.name] = _rule_ids(self.read(path))
            for rule_id in given[path.name]:
                local_ids.setdefault(rule_id, path.name)
        built_in_ids: set[str] = set()
        for path in sorted(p for p in self.base.iterdir() if RULE_FILE.match(p.name)):
            raw = self.laid(path)
            ids = _rule_ids(raw)
            built_in_ids |= set(ids)
            if path.name in given:  # the whole file is replaced
                gone = [i for i in ids if i not in local_ids]
                self.removed_rules |= set(gone)
                self.changes.append(Change(path.name, "replaces", f"the built-in file "
                                           f"{path.name}" + (", without its rule(s) "
                                                             + ", ".join(gone) if gone else "")))
                continue
            taken = [i for i in ids if i in local_ids]
            for rule_id in taken:
                self.changes.append(Change(local_ids[rule_id], "replaces",
                                           f"rule {rule_id!r} of {path.name}"))
            if not taken:
                continue
            rest = [r for r in raw["rules"] if not (isinstance(r, Mapping)
                                                    and r.get("id") in local_ids)]
            if rest:
                self.write(self.folder / path.name, {**raw, "rules": rest})
            else:  # every rule of the file is replaced: the file goes
                (self.folder / path.name).unlink()
        for path in paths:
            shutil.copyfile(path, self.folder / path.name)
            self.parts[path.name] = frozenset()
            added = [i for i in given[path.name] if i not in built_in_ids]
            if added:
                self.changes.append(Change(path.name, "adds", f"{len(added)} rule(s): "
                                           + ", ".join(added)))

    def drop_translations(self) -> None:
        """A built-in rule that no longer exists takes its translations with it."""
        gone = {rule_because(r) for r in self.removed_rules}
        if not gone:
            return
        for path in sorted((self.folder / LOCALES).glob("*/texts.yaml")):
            data = self.laid(path)
            entries = data.get("entries") if isinstance(data, Mapping) else None
            if isinstance(entries, Mapping) and gone & set(entries):
                data["entries"] = {k: v for k, v in entries.items() if k not in gone}
                self.write(path, data)

    # ------------------------------------------------------------ other files

    def place(self, path: Path) -> None:
        """One local file that is not a rule file, by where it is."""
        rel = path.relative_to(self.local).as_posix()
        parts = rel.split("/")
        if rel in TABLES or (len(parts) == 3 and parts[0] == LOCALES
                             and (self.base / rel).is_file()):
            self.table(path, rel)
        elif len(parts) == 1 or (len(parts) == 2 and parts[0] in (STATES, LETTERS)) or (
                len(parts) == 3 and parts[0] == LOCALES):
            # a state, a letter, a new language's file; an unexpected name at the top is
            # named by the rules folder's own check
            self.whole(path, rel)
        else:
            self.problems.add(self.name(path), "is not in a place of the rules folder; a "
                              "local folder mirrors rules/: " + "; ".join(PLACES))

    def whole(self, path: Path, rel: str) -> None:
        if self.read(path) is None:
            return
        target = self.folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        self.parts[rel] = frozenset()
        self.changes.append(Change(rel, "replaces", f"the built-in file {rel}")
                            if (self.base / rel).is_file() else Change(rel, "adds", "a file"))

    def table(self, path: Path, rel: str) -> None:
        """A table merged section by section into the built-in one (as laid so far)."""
        raw = self.read(path)
        if raw is None:
            return
        if not isinstance(raw, Mapping):
            self.problems.add(self.name(path), f"must be a mapping of keys, like {rel}")
            return
        target = self.folder / rel
        if not target.is_file():
            self.whole(path, rel)
            return
        current = self.laid(target)
        if not isinstance(current, Mapping):  # the rules folder's own file is broken
            return
        merged = dict(current)
        given: set[str] = set()
        for raw_key, value in raw.items():
            key = str(raw_key)
            old = merged.get(key)
            if isinstance(old, Mapping) and isinstance(value, Mapping):
                merged[key] = {**old, **value}
                for name in value:
                    given.add(str(name))
                    self.entry(rel, f"{key}.{name}", name in old, old.get(name) != value[name])
            elif _by_id(old) and _by_id(value):
                merged[key] = _merge_by_id(old, value)
                before = {item["id"]: item for item in old}
                for item in value:
                    given.add(str(item["id"]))
                    self.entry(rel, f"{key}.{item['id']}", item["id"] in before,
                               before.get(item["id"]) != item)
            else:
                merged[key] = value
                given.add(key)
                self.entry(rel, key, old is not None, old != value)
        self.parts[rel] = frozenset(given)
        self.write(target, merged)

    def entry(self, rel: str, name: str, existed: bool, differs: bool) -> None:
        if not existed:
            self.changes.append(Change(rel, "adds", f"entry {name!r}"))
        elif differs:
            self.changes.append(Change(rel, "replaces", f"entry {name!r} of the built-in "
                                       f"{rel}"))

    def write(self, path: Path, data: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            _DUMP.dump(data, out)


def _rule_ids(raw: Any) -> list[str]:
    """The ids of a rule file's rules (none when it is not shaped as one: the loader
    reports it)."""
    rules = raw.get("rules") if isinstance(raw, Mapping) else None
    if not isinstance(rules, list):
        return []
    return [r["id"] for r in rules if isinstance(r, Mapping) and isinstance(r.get("id"), str)]


def _by_id(value: Any) -> TypeGuard[list[Any]]:
    return isinstance(value, list) and bool(value) and all(
        isinstance(i, Mapping) and isinstance(i.get("id"), str) for i in value)


def _merge_by_id(old: list[Any], new: list[Any]) -> list[Any]:
    """``old`` with each item of ``new`` in place of the item of the same id, the others
    appended."""
    fresh = {i["id"]: i for i in new}
    merged = [fresh.pop(i["id"], i) for i in old]
    return merged + list(fresh.values())
