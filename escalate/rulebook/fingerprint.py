"""A rules folder's ``rules_version``: one hash over every data file that shapes the
advice, and, for a folder layered from the built-in rules and an organization's own
(:mod:`escalate.rulebook.layers`), the built-in version with a short hash of the local
files (``sha256:<built-in>+local:<12 hex>``), recorded in the layered folder's
``layers.json``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from escalate.rulebook.names import TEXT_DIR

# Written by escalate.rulebook.layers into the folder it layers: where each file came
# from and the version to report. Not a YAML file: the loaders never read it as data.
LAYERS_FILE = "layers.json"
LOCAL_MARK = "+local:"


def digest_files(root: Path, files: list[Path]) -> str:
    """The sha256 of ``files``: each one's name (relative to ``root``) and bytes."""
    digest = hashlib.sha256()
    for path in files:
        name = path.relative_to(root) if path.is_relative_to(root) else path.name
        digest.update(str(name).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def folder_version(root: Path) -> str:
    """The version of a plain rules folder: the rules folder with its subfolders (states,
    letters, translations) and the product's own words (escalate/text)."""
    files = [*sorted(root.rglob("*.yaml")), *sorted(TEXT_DIR.glob("*.yaml"))]
    return "sha256:" + digest_files(root, files)


def rules_version(root: Path) -> str:
    """The version a rules folder reports: a layered folder's recorded one (the built-in
    version plus the local files' hash), else :func:`folder_version`."""
    manifest = root / LAYERS_FILE
    if manifest.is_file():
        recorded = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        if isinstance(recorded, str) and LOCAL_MARK in recorded:
            return recorded
    return folder_version(root)
