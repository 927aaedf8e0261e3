"""`escalate rules schema`: JSON Schema of every rule-data file, from the loader's own models,
so that an advocate's editor completes keys and marks a typo'd one (rules/README.md)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from escalate.cli import main
from escalate.editor_schemas import HEADER, KINDS, kind_of, schema
from escalate.errors import RuleFileError
from escalate.rulebook import load
from escalate.strict import parse_yaml

from .conftest import RulesCopy

RULES = Path(__file__).resolve().parents[2] / "rules"


def as_editor_reads(value: Any) -> Any:
    """A YAML document as the YAML language server hands it to JSON Schema: every key is
    text (``true:`` is the key "true"), dates are their ISO text."""
    if isinstance(value, dict):
        return {_text(key): as_editor_reads(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_editor_reads(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _text(key: Any) -> str:
    if isinstance(key, bool):
        return json.dumps(key)
    return key.isoformat() if isinstance(key, dt.date) else str(key)


def editor_errors(path: Path, root: Path) -> list[str]:
    kind = kind_of(path.relative_to(root).as_posix())
    assert kind is not None, path
    document = as_editor_reads(parse_yaml(path.read_text(encoding="utf-8")))
    validator = jsonschema.Draft202012Validator(schema(kind))
    return [error.message for error in validator.iter_errors(document)]


SHIPPED = sorted(p for p in RULES.rglob("*.yaml") if p.name != "page.yaml")


def test_every_kind_is_a_valid_json_schema() -> None:
    for kind in KINDS:
        jsonschema.Draft202012Validator.check_schema(schema(kind))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(RULES).as_posix())
def test_the_schema_accepts_every_shipped_rule_file(path: Path) -> None:
    assert editor_errors(path, RULES) == []


def test_every_kind_of_file_in_the_rules_has_a_schema() -> None:
    kinds = {kind_of(p.relative_to(RULES).as_posix()).name  # type: ignore[union-attr]
             for p in SHIPPED}
    assert kinds == {kind.name for kind in KINDS}


@pytest.mark.parametrize(("name", "old", "new", "typo"), [
    ("01_written_concern.yaml", "    because:", "    becuase:", "becuase"),
    ("states/WI.yaml", "citation:", "citatoin:", "citatoin"),
    ("parameters.yaml", "    reference:", "    refrence:", "refrence"),
])
def test_the_schema_and_the_loader_both_reject_a_typod_key(
        tmp_path: Path, name: str, old: str, new: str, typo: str) -> None:
    copy = RulesCopy(tmp_path / "rules")
    text = copy.text(name)
    assert old in text
    copy.write(name, text.replace(old, new, 1))
    errors = editor_errors(copy.root / name, copy.root)
    assert any(repr(typo) in error for error in errors), errors
    with pytest.raises(RuleFileError) as caught:
        load(copy.root)
    assert any(p.key and typo in p.key or typo in p.message for p in caught.value.problems)


def test_rules_schema_writes_every_schema_and_its_header(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "schemas"
    assert main(["rules", "schema", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    for kind in KINDS:
        written = json.loads((out / kind.file_name).read_text(encoding="utf-8"))
        assert written == schema(kind)
        assert HEADER.format((out / kind.file_name).resolve().as_uri()) in said
