"""Bigger rulebooks for the scaling measurement, built from the real one.

``rules/`` is copied to ``bench/_work/rules_x<N>/`` and each rule file ``NN_name.yaml``
gets ``N - 1`` renamed copies ``NN_name_c<k>.yaml`` whose rule ids end in ``_c<k>``, so
the result loads through the real loader and compiler. Two flavours:

- ``same-facts``: the copies derive and require the same facts as the originals (only
  the ids change), so the engine sees many rules with the same conditions;
- ``distinct-facts``: the copies also rename every fact they derive (``concern_open``
  becomes ``concern_open_c<k>``), so each copy is an independent chain of derivations,
  which is closer to a rulebook that really grew.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from escalate.rulebook import RULE_FILE

WORK = Path(__file__).resolve().parent / "_work"


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.width = 4096
    return yaml


def _rename_facts(when: Any, renames: dict[str, str]) -> Any:
    """``when`` with every required derived fact renamed (``any`` lists included)."""
    if isinstance(when, dict):
        return {renames.get(k, k): (_rename_facts(v, renames) if k == "any" else v)
                for k, v in when.items()}
    if isinstance(when, list):
        return [_rename_facts(item, renames) for item in when]
    return when


def build(source: Path, copies: int, flavour: str = "same-facts") -> Path:
    """A rulebook ``copies`` times the size of ``source``; returns its folder."""
    if flavour not in ("same-facts", "distinct-facts"):
        raise ValueError(f"unknown flavour {flavour!r}")
    target = WORK / f"rules_{flavour}_x{copies}"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    yaml = _yaml()
    files = sorted(p for p in source.iterdir() if RULE_FILE.match(p.name))
    originals = {p: yaml.load(p.read_text(encoding="utf-8")) for p in files}
    derived = {rule["derive"] for doc in originals.values() for rule in doc["rules"]
               if rule.get("derive")}
    for k in range(2, copies + 1):
        renames = ({name: f"{name}_c{k}" for name in derived}
                   if flavour == "distinct-facts" else {})
        for path, doc in originals.items():
            copy = dict(doc)
            copy["rules"] = []
            for rule in doc["rules"]:
                new = dict(rule)
                new["id"] = f"{rule['id']}_c{k}"
                if rule.get("derive"):
                    new["derive"] = renames.get(rule["derive"], rule["derive"])
                new["when"] = _rename_facts(rule["when"], renames)
                copy["rules"].append(new)
            out = io.StringIO()
            yaml.dump(copy, out)
            name = re.sub(r"\.yaml$", f"_c{k}.yaml", path.name)
            (target / name).write_text(out.getvalue(), encoding="utf-8")
    return target
