"""One strict loader for every data file (escalate/strict.py): a misspelt key in any file of
the rules folder, or of a language's folder, stops start-up with the same message, naming
the file, the id of the entry and the key, listing the accepted keys and suggesting the
nearest; a missing or unreadable file is a clean error, never a traceback.

And a language is one folder: a copy of ``locales/es`` under another code is a language of
the library and of the API without any change to Python.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from escalate import Advisor
from escalate.errors import RuleFileError, RuleProblem
from escalate.i18n.languages import languages
from escalate.service import Escalate

from .conftest import RulesCopy

# (file, the line's key as written, the misspelling, the id the problem must name, the
# accepted keys it must list besides the right one)
TYPOS = [
    ("01_written_concern.yaml", "    because: >", "    becuase: >",
     "written_concern.not_yet_in_writing", "because", ["move", "when", "source"]),
    ("moves.yaml", "    summary: >", "    sumary: >", "written_concern", "summary",
     ["title", "how", "sources"]),
    ("parameters.yaml", "    description: How long after a violation the state must",
     "    descripton: How long after a violation the state must", "state_complaint_window",
     "description", ["unit", "reference", "values"]),
    ("deadlines.yaml", "    starts: violation.date", "    strats: violation.date",
     "state_complaint_window", "starts", ["move", "label", "length"]),
    ("questions.yaml", "    ask: Does the child have an IEP", "    aks: Does the child have an IEP",
     "student.has_iep", "ask", ["whether", "answers", "topics"]),
    ("states/WI.yaml", "    citation: Wis. Stat. § 115.80(1)(a)1",
     "    citatoin: Wis. Stat. § 115.80(1)(a)1", "WI", "citation",
     ["confidence", "checked", "effective"]),
    ("parent_centers.yaml", "      kind: pti\n      url: null\n      confidence: medium\n"
     "      source:\n        https://abilitychicagoinfo",
     "      knid: pti\n      url: null\n      confidence: medium\n"
     "      source:\n        https://abilitychicagoinfo", "AL", "kind",
     ["name", "url", "confidence"]),
    ("letters/due_process.yaml", "subject:", "subjct:", "due_process", "subject",
     ["to", "body", "move"]),
    ("locales/es/texts.yaml", "    source_hash: 1e7b6f8f1c3f", "    source_hsh: 1e7b6f8f1c3f",
     "rule.written_concern.not_yet_in_writing.because", "source_hash", ["text"]),
    ("locales/es/phrases.yaml", "\noutcomes:\n", "\noutcomse:\n", None, "outcomes",
     ["topics", "letter_moves"]),
]


@pytest.mark.parametrize(("file", "old", "new", "item_id", "right", "others"), TYPOS,
                         ids=[t[0] for t in TYPOS])
def test_a_misspelt_key_is_named_with_file_id_key_and_the_nearest(
        rules_copy: RulesCopy, file: str, old: str, new: str, item_id: str | None,
        right: str, others: list[str]) -> None:
    text = rules_copy.text(file)
    assert old in text
    rules_copy.write(file, text.replace(old, new, 1))  # the first entry's key
    with pytest.raises(RuleFileError) as caught:
        Escalate.from_directory(rules_copy.root)  # the whole start-up: letters too
    typo = new.split(":")[0].strip().split("\n")[0]
    [problem] = [p for p in caught.value.problems if p.key == typo]
    assert (problem.file, problem.rule_id, problem.suggestion) == (file, item_id, right)
    accepted = problem.message.split("accepted keys are ")[1].split(", ")
    assert right in accepted and set(others) <= set(accepted)
    said = str(problem)
    assert said.startswith(f"{file}, " + (f"id {item_id!r}, " if item_id else "")
                           + f"key {typo!r}: ")
    assert f"unknown key {typo!r}; accepted keys are " in said
    assert said.endswith(f"(did you mean {right!r}?)")
    # the right key's absence is not reported again, nor a list emptied by the typo
    assert not any("is missing" in p.message or "at least" in p.message
                   for p in caught.value.problems), caught.value.problems


def test_the_same_typo_in_a_page_text_file_names_file_and_key(tmp_path: Path) -> None:
    from importlib import resources

    from api.pages.text import PageTextError, load_texts
    from escalate import default_rules_dir

    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    page = rules / "locales" / "es" / "page.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "\nadvice_title:", "\nadvice_tilte:", 1), encoding="utf-8")
    with pytest.raises(PageTextError) as caught:
        load_texts(resources.files("api.pages") / "text", rules)
    [problem] = caught.value.problems
    assert (problem.file, problem.key, problem.suggestion) == (
        "locales/es/page.yaml", "advice_tilte", "advice_title")
    assert "unknown key 'advice_tilte'" in problem.message


def test_a_missing_phrases_file_is_a_clean_error(rules_copy: RulesCopy) -> None:
    (rules_copy.root / "locales" / "es" / "phrases.yaml").unlink()
    with pytest.raises(RuleFileError) as caught:
        Escalate.from_directory(rules_copy.root)  # the whole start-up: letters too
    assert [str(p) for p in caught.value.problems] == ["locales/es/phrases.yaml: is missing"]


def test_a_yaml_syntax_error_names_the_line(rules_copy: RulesCopy) -> None:
    rules_copy.replace("questions.yaml", "\nquestions:\n", "\nquestions: [\n")
    problem: RuleProblem = rules_copy.start_problem()
    assert problem.file == "questions.yaml"
    assert problem.message.startswith("not valid YAML at line ")


def test_a_stray_file_in_locales_is_named(rules_copy: RulesCopy) -> None:
    rules_copy.write("locales/fr.yaml", "language: fr\nentries: {}\n")
    problem = rules_copy.start_problem()
    assert problem.file == "locales/fr.yaml" and "a folder named by its" in problem.message


def _second_language(rules_copy: RulesCopy, code: str) -> Path:
    """A copy of the Spanish folder under ``code`` (Babel must know the code: dates are
    written with its CLDR data)."""
    shutil.copytree(rules_copy.root / "locales" / "es", rules_copy.root / "locales" / code)
    rules_copy.replace(f"locales/{code}/texts.yaml", "\nlanguage: es\n", f"\nlanguage: {code}\n")
    return rules_copy.root


def test_a_new_language_folder_is_a_language_of_the_library(rules_copy: RulesCopy) -> None:
    root = _second_language(rules_copy, "pt")
    assert languages(root) == ("en", "es", "pt")
    advisor = Advisor.from_directory(root)
    assert list(advisor.locales) == ["en", "es", "pt"]
    assert advisor.locales["pt"].gaps == []
    assert advisor.locales["pt"].file == "locales/pt/texts.yaml"


def test_a_new_language_folder_is_a_language_of_the_api(rules_copy: RulesCopy) -> None:
    from api.main import create_app
    from api.settings import Settings

    root = _second_language(rules_copy, "pt")
    with TestClient(create_app(Settings(rules_dir=root))) as client:
        answered = client.get("/v1/moves?lang=pt")
        assert answered.status_code == 200
        assert answered.headers["content-language"] == "pt"
        assert client.get("/v1/moves", headers={"Accept-Language": "pt-BR"}).headers[
            "content-language"] == "pt"
        refused = client.get("/v1/moves?lang=fr")
        assert refused.status_code == 422
        [problem] = refused.json()["detail"]
        assert problem["loc"] == ["query", "lang"]
        assert "'en', 'es' or 'pt'" in problem["msg"]
        lang = next(p for p in client.get("/openapi.json").json()["paths"]["/v1/moves"][
            "get"]["parameters"] if p["name"] == "lang")
        assert lang["schema"]["anyOf"][0]["enum"] == ["en", "es", "pt"]
        page = client.get("/?lang=pt")
        assert page.status_code == 200 and 'lang="pt"' in page.text


ROOT = Path(__file__).resolve().parents[2]


def test_the_fast_loader_reads_every_shipped_file_as_the_pure_one_does() -> None:
    """The strict loader parses with ruamel.yaml's C scanner (ruamel.yaml.clib, a
    dependency); every YAML file escalate ships gives the same data, of the same types,
    as ruamel's pure-Python YAML 1.2 loader ("no" stays a string, dates are dates)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.main import CParser

    from escalate.strict import parse_yaml

    assert CParser is not None, "ruamel.yaml.clib is not installed"
    pure = YAML(typ="safe", pure=True)
    files = [path for folder in ("rules", "escalate", "api", "features")
             for path in sorted((ROOT / folder).rglob("*.yaml"))]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        expected = pure.load(text)
        got = parse_yaml(text)
        assert got == expected, path
        assert repr(got) == repr(expected), path  # same types (True is not 'yes')
    assert parse_yaml("a: no\nb: 2026-12-06\nc: 010\n") == pure.load(
        "a: no\nb: 2026-12-06\nc: 010\n")


def test_a_text_read_again_gives_a_copy_of_its_own() -> None:
    """The parse of a text already read is remembered, but a reader that changes its data
    does not change what the next reader gets."""
    from escalate.strict import parse_yaml

    text = "moves:\n  - id: written_concern\n    rung: 1\n"
    first = parse_yaml(text)
    first["moves"][0]["rung"] = 99
    first["added"] = True
    assert parse_yaml(text) == {"moves": [{"id": "written_concern", "rung": 1}]}
