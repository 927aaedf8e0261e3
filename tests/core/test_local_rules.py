"""An organization's own rules laid over the built-in ones (issue 23, item 2): a local
rule, a state value, a letter, a Spanish translation and a question change what a family
reads, each only where it applies; every override is said; a broken local file stops
start-up naming the local file, the id and the key; ``rules_version`` tells the layered
rules apart. The output is general information, not legal advice."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from escalate import Case, Escalate, default_rules_dir, get_escalate
from escalate import proof as proof_module
from escalate.cli import main
from escalate.compiler import Firing, reference_evaluation
from escalate.errors import RuleFileError
from escalate.examples import EXAMPLES_DIR
from escalate.i18n.sources import source_hash
from escalate.rulebook import layers

RULES = default_rules_dir()
ESCALATE = Path(sys.executable).parent / "escalate"
OUR_RULE = "our.records_before_services_meeting"
OUR_BECAUSE = ("Before talking about services for {{ child }}, read what the school has on "
               "file: the family may see and copy the education records.")
OUR_SPANISH = ("Antes de hablar de los servicios para {{ child }}, lea lo que la escuela "
               "tiene archivado: la familia puede ver y copiar los expedientes educativos "
               "(education records).")
OUR_QUESTION = "Is the school talking about moving the child to a different class or school?"
OUR_SUBJECT = "Our request to see {{ childs }} school records"


def our_rule_file(rule_id: str = OUR_RULE, because: str = OUR_BECAUSE) -> str:
    return f"""title: "Our practice: the records before a meeting about services"
rules:
  - id: {rule_id}
    move: request_records
    when:
      concern.topic: services
      history.request_records: not_tried
    because: >
      {because}
    source:
      citation: 34 CFR 300.613(a)
"""


def write_local(root: Path) -> Path:
    """A local folder with one of each kind of file an organization may add."""
    (root / "states").mkdir(parents=True)
    (root / "letters").mkdir()
    (root / "locales" / "es").mkdir(parents=True)
    (root / "README.md").write_text("Our own rules.\n", encoding="utf-8")  # left alone
    (root / "50_our_practice.yaml").write_text(our_rule_file(), encoding="utf-8")
    wisconsin = (RULES / "states" / "WI.yaml").read_text(encoding="utf-8")
    old = "    value: 1\n    unit: years\n    starts: district_notice\n"
    assert wisconsin.count(old) == 1
    (root / "states" / "WI.yaml").write_text(
        wisconsin.replace(old, old.replace("value: 1", "value: 2")), encoding="utf-8")
    letter = (RULES / "letters" / "request_records.yaml").read_text(encoding="utf-8")
    built_in_subject = 'subject: "Request to review {{ childs }} education records"'
    assert letter.count(built_in_subject) == 1
    (root / "letters" / "request_records.yaml").write_text(
        letter.replace(built_in_subject, f'subject: "{OUR_SUBJECT}"'), encoding="utf-8")
    (root / "locales" / "es" / "texts.yaml").write_text(json.dumps({"entries": {
        f"rule.{OUR_RULE}.because": {"text": OUR_SPANISH,
                                     "source_hash": source_hash(OUR_BECAUSE)}}},
        ensure_ascii=False), encoding="utf-8")
    (root / "questions.yaml").write_text(f"""questions:
  concern.placement_change_proposed:
    topics: [placement]
    whether: whether the school proposes to change the child's placement
    ask: {OUR_QUESTION}
    answers: {{true: "yes, a change of placement is proposed", false: "no"}}
""", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_local(tmp_path_factory.mktemp("local") / "ours")


@pytest.fixture(scope="module")
def ours(local: Path) -> Escalate:
    return Escalate.from_directory(local=local)


@pytest.fixture(scope="module")
def built_in() -> Escalate:
    return Escalate.from_directory()


def example(name: str, **changes: object) -> Case:
    data = json.loads((EXAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        target = data
        for part in path:
            target = target.setdefault(part, {})
        target[last] = value
    return Case.model_validate(data)


def moves(service: Escalate, case: Case) -> dict[str, list[str]]:
    return {r.move.value: r.rules for r in service.advise(case).recommendations}


# ---------------------------------------------------------------- a local rule


def test_a_local_rule_adds_its_move_where_its_conditions_hold(
        ours: Escalate, built_in: Escalate) -> None:
    case = example("01_new_concern")  # services, no records asked for yet
    assert "request_records" not in moves(built_in, case)
    advice = ours.advise(case)
    found = next(r for r in advice.recommendations if r.move.value == "request_records")
    assert found.rules == [OUR_RULE]
    assert found.reasons[0].text.startswith("Before talking about services for Maya")
    assert found.reasons[0].source.citation == "34 CFR 300.613(a)"


@pytest.mark.parametrize("changes", [
    {"concern__topic": "evaluation"},  # not about services
    {"history": [{"move": "request_records", "date": "2026-11-01", "outcome": "pending"}]},
], ids=["another-topic", "records-already-asked"])
def test_a_local_rule_changes_nothing_where_a_condition_fails(
        ours: Escalate, built_in: Escalate, changes: dict[str, object]) -> None:
    case = example("01_new_concern", **changes)
    assert OUR_RULE not in {r for rules in moves(ours, case).values() for r in rules}
    assert ours.advise(case).recommendations == built_in.advise(case).recommendations


def test_a_local_rule_with_a_built_in_id_replaces_that_rule(tmp_path: Path,
                                                           built_in: Escalate) -> None:
    (tmp_path / "50_ours.yaml").write_text(our_rule_file(
        "written_concern.not_yet_in_writing",
        "Our advocates ask every family to write to {{ child }}'s teacher first."),
        encoding="utf-8")
    service = Escalate.from_directory(local=tmp_path)
    assert ("50_ours.yaml replaces rule 'written_concern.not_yet_in_writing' of "
            "01_written_concern.yaml") in [line.strip() for line in service.local_changes()]
    rules = {r.id: r for r in service.rulebook.rules}
    assert rules["written_concern.not_yet_in_writing"].move == "request_records"
    # the other rules of the built-in file are still there
    assert "written_concern.discipline_gives_knowledge" in rules
    assert len(rules) == len(built_in.rulebook.rules)
    advice = service.advise(example("01_new_concern"))
    assert advice.next_move is not None and advice.next_move.move.value == "request_records"
    assert advice.next_move.reasons[0].text == (
        "Our advocates ask every family to write to Maya's teacher first.")
    # triage's worker processes read the same layered rules
    line = (EXAMPLES_DIR / "01_new_concern.json").read_text(encoding="utf-8")
    rows = service.triage([(1, line), (2, line)], jobs=2).rows
    assert [row.next_move.value for row in rows if row.next_move] == ["request_records"] * 2


# ---------------------------------------------------------------- a state value


def test_a_local_state_value_changes_that_states_clock_only(
        ours: Escalate, built_in: Escalate) -> None:
    def due(service: Escalate, case: Case) -> str:
        advice = service.advise(case)
        return next(str(d.due) for r in advice.recommendations for d in r.deadlines
                    if d.clock == "due_process_limit")

    wisconsin = example("14_wisconsin_notice_date")  # one year from the notice, built in
    assert due(built_in, wisconsin) == "2027-03-05"
    assert due(ours, wisconsin) == "2028-03-05"
    elsewhere = example("14_wisconsin_notice_date", state="MN")
    assert due(ours, elsewhere) == due(built_in, elsewhere)


# ---------------------------------------------------------------- letters, Spanish, questions


def test_a_local_letter_is_the_one_written(ours: Escalate, built_in: Escalate) -> None:
    case = example("01_new_concern")
    mine = ours.letter(case, "request_records").content.decode()
    assert "Our request to see Maya's school records" in mine
    assert "Our request" not in built_in.letter(case, "request_records").content.decode()
    # the other letters are the built-in ones
    assert (ours.letter(case, "mediation").content
            == built_in.letter(case, "mediation").content)


def test_a_local_spanish_translation_is_used(ours: Escalate) -> None:
    case = example("01_new_concern")
    spanish = ours.advise(case, "es")
    found = next(r for r in spanish.recommendations if r.move.value == "request_records")
    assert found.reasons[0].text.startswith("Antes de hablar de los servicios para Maya")
    assert f"rule.{OUR_RULE}.because" not in spanish.fallbacks
    english = ours.advise(case)
    assert any("Before talking about services" in r.text for m in english.recommendations
               for r in m.reasons)


def test_a_local_question_is_asked_in_its_words(ours: Escalate, built_in: Escalate) -> None:
    case = example("01_new_concern")
    assert OUR_QUESTION in ours.explain(case).model_dump_json()
    assert OUR_QUESTION not in built_in.explain(case).model_dump_json()
    # the other questions are the built-in ones
    assert ours.questions.questions["student.has_iep"] == \
        built_in.questions.questions["student.has_iep"]


# ---------------------------------------------------------------- said, versioned


def test_every_override_and_addition_is_said(ours: Escalate, local: Path) -> None:
    lines = [line.strip() for line in ours.local_changes()]
    assert lines[0].startswith(f"local rules {local.resolve()} over ")
    assert "3 override(s), 2 addition(s)" in lines[0]
    assert set(lines[1:]) == {
        f"50_our_practice.yaml adds 1 rule(s): {OUR_RULE}",
        "states/WI.yaml replaces the built-in file states/WI.yaml",
        "letters/request_records.yaml replaces the built-in file letters/request_records.yaml",
        f"locales/es/texts.yaml adds entry 'entries.rule.{OUR_RULE}.because'",
        "questions.yaml replaces entry 'questions.concern.placement_change_proposed' of the "
        "built-in questions.yaml",
    }
    assert Escalate().local_changes() == []


def test_rules_version_is_the_built_in_one_plus_the_local_files(
        tmp_path: Path, ours: Escalate, built_in: Escalate) -> None:
    assert "+local:" not in built_in.rules_version
    assert ours.rules_version.startswith(built_in.rules_version + "+local:")
    assert ours.advise(example("01_new_concern")).rules_version == ours.rules_version
    folder = write_local(tmp_path / "ours")
    before = Escalate(local=folder).rules_version
    assert before == ours.rules_version  # the same files, the same version
    (folder / "50_our_practice.yaml").write_text(our_rule_file(because="Read the records."),
                                                 encoding="utf-8")
    after = Escalate(local=folder).rules_version
    assert after != before and after.startswith(built_in.rules_version + "+local:")


# ---------------------------------------------------------------- broken local files


@pytest.mark.parametrize(("file", "text", "said"), [
    ("50_ours.yaml", our_rule_file().replace("    because:", "    becuase:"),
     "50_ours.yaml (local), id 'our.records_before_services_meeting', key 'becuase': "
     "rules.0: unknown key 'becuase'"),
    ("50_ours.yaml", our_rule_file().replace("topic: services", "topic: servics"),
     "50_ours.yaml (local), id 'our.records_before_services_meeting', key 'concern.topic'"),
    ("parameters.yaml", "parameters:\n  records_response_days:\n    description: x\n"
     "    unit: days\n    referenc: 34 CFR 300.613(a)\n    values: {2006-10-13: 30}\n",
     "parameters.yaml (local), id 'records_response_days', key 'referenc'"),
    ("states/WI.yaml", "code: WI\nname: Wisconsin\nnot_a_topic: 1\n",
     "states/WI.yaml (local), id 'WI', key 'not_a_topic'"),
    ("locales/es/texts.yaml", "entries:\n  rule.nothing.because: {text: hola, "
     "source_hash: 0123456789ab}\n",
     "locales/es/texts.yaml (local), id 'rule.nothing.because'"),
    ("questions.yaml", "questions:\n  student.has_iep: {whether: x, ask: y, answr: {}}\n",
     "questions.yaml (local), id 'student.has_iep', key 'answr'"),
    ("letters/mediation.yaml", "move: mediation\nto: x\nsubject: '{{ nope }}'\nbody: x\n",
     "letters/mediation.yaml (local), id 'mediation'"),
    ("notes/ours.yaml", "a: 1\n", "notes/ours.yaml (local): is not in a place of the "
     "rules folder"),
    ("50_ours.yaml", "rules: [\n", "50_ours.yaml (local): not valid YAML"),
], ids=["typo-in-rule", "bad-value", "typo-in-parameter", "typo-in-state", "unknown-text",
        "typo-in-question", "broken-letter", "unknown-place", "not-yaml"])
def test_a_broken_local_file_stops_start_up_naming_it(
        tmp_path: Path, file: str, text: str, said: str) -> None:
    (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / file).write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as raised:
        Escalate.from_directory(local=tmp_path)
    message = str(raised.value)
    assert f"{tmp_path / said}" in message, message
    assert str(default_rules_dir()) not in message  # never a built-in file's name


def test_the_same_broken_file_in_the_built_in_rules_is_named_as_built_in(
        tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "50_ours.yaml").write_text(our_rule_file().replace("because:", "becuase:"),
                                        encoding="utf-8")
    with pytest.raises(RuleFileError) as raised:
        Escalate.from_directory(rules)
    assert "  - 50_ours.yaml, id 'our.records_before_services_meeting', key 'becuase'" \
        in str(raised.value)


def test_a_local_folder_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="is not a folder of local rule files"):
        Escalate(local=tmp_path / "nowhere")


# ---------------------------------------------------------------- the command line


def test_the_command_line_takes_local_rules(local: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    case = str(EXAMPLES_DIR / "01_new_concern.json")
    assert main(["advise", case, "--json", "--all", "--local-rules", str(local)]) == 0
    advice = json.loads(capsys.readouterr().out)
    assert "+local:" in advice["rules_version"]
    assert "request_records" in [m["move"] for m in advice["recommendations"]]
    assert main(["rules", "check", "--local-rules", str(local)]) == 0
    out = capsys.readouterr().out
    assert "states/WI.yaml replaces the built-in file states/WI.yaml" in out
    assert "+local:" in out


def test_the_installed_command_runs_with_local_rules(local: Path, tmp_path: Path) -> None:
    """The ``escalate`` program itself, in a fresh process (nothing shared with the
    tests): the local folder changes the advice, and a broken one stops it, named."""
    case = str(EXAMPLES_DIR / "01_new_concern.json")
    done = subprocess.run([str(ESCALATE), "advise", case, "--all", "--local-rules",
                           str(local)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "Before talking about services for Maya" in done.stdout
    plain = subprocess.run([str(ESCALATE), "advise", case, "--all"], capture_output=True,
                           text=True, timeout=120, check=False)
    assert "Before talking about services" not in plain.stdout
    (tmp_path / "50_ours.yaml").write_text(our_rule_file().replace("move:", "mvoe:"),
                                           encoding="utf-8")
    broken = subprocess.run([str(ESCALATE), "rules", "check", "--local-rules",
                             str(tmp_path)], capture_output=True, text=True, timeout=120,
                            check=False)
    assert broken.returncode == 1
    assert (f"{tmp_path / '50_ours.yaml'} (local), id '{OUR_RULE}', key 'mvoe'"
            in broken.stderr)


# ---------------------------------------------------------------- proven, and scenarios


def test_the_layered_rulebook_is_proven_at_load(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Every load proves the rulebook (escalate/proof.py), the local rules with it: were
    the engine and the reference to disagree on a local rule, start-up would stop naming
    that rule and its local file (here the reference is made to forget it)."""
    probe = "our.proven_at_load"
    (tmp_path / "50_ours.yaml").write_text(our_rule_file(probe), encoding="utf-8")

    def forgetful(compiled: object, facts: object) -> Firing:
        found = reference_evaluation(compiled, facts)  # type: ignore[arg-type]
        return Firing([r for r in found.rules_fired if r != probe], found.facts_derived)

    monkeypatch.setattr(proof_module, "reference_evaluation", forgetful)
    with pytest.raises(RuleFileError) as caught:
        Escalate.from_directory(local=tmp_path)
    problem = caught.value.problems[0]
    assert problem.rule_id == probe
    assert problem.file == f"{tmp_path / '50_ours.yaml'} (local)"
    assert "disagree" in problem.message


SCENARIO = """\
Feature: Our practice

  Scenario: The family asks for the records before a meeting about services
    Given today is 2026-11-23
    And a student with an IEP
    And the parent is concerned about services
    And the school has not answered yet
    When the advocate asks for advice
    Then "request the education records" is recommended
"""


def test_an_organizations_scenario_runs_against_its_local_rules(
        local: Path, tmp_path: Path) -> None:
    """In a process of its own: the command loads the service (escalate_api) through its
    entry point, which the tests' own ``api`` must not meet in one process."""
    (tmp_path / "ours.feature").write_text(SCENARIO, encoding="utf-8")

    def scenarios(*options: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(ESCALATE), "scenarios", "run", str(tmp_path), *options],
                              capture_output=True, text=True, timeout=300, check=False)

    ours = scenarios("--local-rules", str(local))
    assert ours.returncode == 0, ours.stdout + ours.stderr
    assert "passed  The family asks for the records" in ours.stdout
    built_in = scenarios()  # the built-in rules alone
    assert built_in.returncode == 1
    assert "FAILED  The family asks for the records" in built_in.stdout


def test_no_writable_temporary_folder_is_said(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only container without a writable /tmp: start-up says what to mount."""
    (tmp_path / "50_ours.yaml").write_text(our_rule_file("our.nowhere_to_lay"),
                                           encoding="utf-8")

    def read_only(**_: object) -> str:
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(layers.tempfile, "mkdtemp", read_only)
    with pytest.raises(RuleFileError, match="no writable temporary folder.*set TMPDIR"):
        Escalate(local=tmp_path)


def test_a_local_file_with_a_built_in_name_replaces_the_whole_file(tmp_path: Path) -> None:
    """The organization keeps one rule of 17_language_access.yaml: the other goes, with
    its translations (the Spanish of a rule that no longer exists would not load), and
    the change says which rules went."""
    built_in = RULES / "17_language_access.yaml"
    text = built_in.read_text(encoding="utf-8")
    kept = text[:text.index("  - id: interpreter.section_504_family")]
    (tmp_path / built_in.name).write_text(kept, encoding="utf-8")
    service = Escalate(local=tmp_path)
    ids = {r.id for r in service.rulebook.rules}
    assert "interpreter.family_needs_one" in ids
    assert "interpreter.section_504_family" not in ids
    assert "rule.interpreter.section_504_family.because" not in service.locales["es"].texts
    assert ("17_language_access.yaml replaces the built-in file 17_language_access.yaml, "
            "without its rule(s) interpreter.section_504_family") in [
        line.strip() for line in service.local_changes()]


def test_the_process_wide_face_reads_the_setting(
        local: Path, ours: Escalate, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATE_LOCAL_RULES", str(local))
    assert get_escalate().rules_version == ours.rules_version
    monkeypatch.setenv("ESCALATE_LOCAL_RULES", "")
    assert "+local:" not in get_escalate().rules_version
