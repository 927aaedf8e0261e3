"""The vocabulary, the guide and the features agree with each other.

- every example line in the guide's step catalogue matches exactly one registered step,
  and every registered step has an example there;
- every step of every feature matches exactly one registered step, with known move names;
- the word tables cover the contract's values and are all listed in the guide;
- every move, rung and seed article is exercised by a tagged scenario, and a scenario's
  move tags name moves the scenario actually talks about.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pytest_bdd.parser import FeatureParser, Step
from pytest_bdd.steps import step_function_context_registry

from escalate.models import MoveId, SchoolResponse, Topic, ViolationKind
from escalate.scenarios import words
from escalate.scenarios.catalogue import GUIDE, Example, examples

from .conftest import markers
from .steps import VOCABULARY, Phrase

FEATURES = Path(__file__).resolve().parents[2] / "features"
GUIDE_TEXT = GUIDE.read_text(encoding="utf-8")


def matching(kind: str, text: str) -> list[Phrase]:
    return [p for p in VOCABULARY if p.kind == kind and p.matches(text)]


def check_values(phrase: Phrase, text: str) -> None:
    """The names inside a step resolve: moves, states, sources."""
    match = re.fullmatch(phrase.pattern, text)
    assert match is not None
    groups = match.groupdict()
    for key in ("move", "first", "second"):
        if groups.get(key):
            words.move_id(groups[key])
    if groups.get("duty"):
        words.duty_move(groups["duty"])
    if groups.get("state"):
        words.state_code(groups["state"])


def feature_files() -> list[Path]:
    return sorted(FEATURES.glob("**/*.feature"))


def scenarios() -> Iterator[tuple[Path, object, list[Step]]]:
    """Every scenario, once per example row, with its rendered steps."""
    for path in feature_files():
        feature = FeatureParser(str(path.parent), path.name).parse()
        for template in feature.scenarios.values():
            contexts = [c for ex in template.examples for c in ex.as_contexts()] or [{}]
            for context in contexts:
                yield path, template, template.render(context).steps


# ---------------------------------------------------------------- catalogue


def test_each_catalogue_example_is_on_the_line_a_failure_names() -> None:
    """A failure says "features/README.md line N": line N holds that example, and the
    catalogue has examples of Given, When and Then steps."""
    lines = GUIDE_TEXT.splitlines()
    found = examples()
    assert {e.kind for e in found} == {p.kind for p in VOCABULARY}
    for example in found:
        assert example.text in lines[example.line - 1], example


@pytest.mark.parametrize("example", examples(), ids=str)
def test_each_catalogue_example_matches_exactly_one_step(example: Example) -> None:
    found = matching(example.kind, example.text)
    assert len(found) == 1, (
        f"features/README.md line {example.line}: {example} matches "
        f"{len(found)} registered steps: {[p.pattern for p in found]}"
    )
    check_values(found[0], example.text)


def test_every_registered_step_is_in_the_catalogue() -> None:
    listed = examples()
    missing = [f"{p.kind}: {p.pattern}" for p in VOCABULARY
               if not any(e.kind == p.kind and p.matches(e.text) for e in listed)]
    assert not missing, "steps with no example in features/README.md:\n" + "\n".join(missing)


def test_the_vocabulary_is_what_pytest_bdd_knows() -> None:
    registered = {(c.type, c.parser.name) for c in step_function_context_registry.values()}
    assert {(p.kind, p.pattern) for p in VOCABULARY} <= registered
    assert len({(p.kind, p.pattern) for p in VOCABULARY}) == len(VOCABULARY)


# ---------------------------------------------------------------- features


def test_every_feature_step_is_in_the_vocabulary() -> None:
    problems = []
    for path, _template, steps in scenarios():
        for step in steps:
            found = matching(step.type, step.name)
            if len(found) != 1:
                problems.append(f"{path.name}:{step.line_number} {step.type} {step.name} "
                                f"matches {len(found)} steps")
                continue
            try:
                check_values(found[0], step.name)
                table = step.datatable.raw() if step.datatable else []
                if table and [c.strip() for c in table[0]][:1] in (["move"], ["rung"]):
                    for row in table[1:]:
                        words.move_id(row[0])
            except words.UnknownWord as exc:
                problems.append(f"{path.name}:{step.line_number} {exc}")
    assert not problems, "\n".join(problems)


def test_scenario_names_are_unique_in_each_feature() -> None:
    for path in feature_files():
        names = re.findall(r"^\s*Scenario(?: Outline)?:\s*(.+?)\s*$", path.read_text(),
                           flags=re.MULTILINE)
        dupes = [n for n, count in Counter(names).items() if count > 1]
        assert not dupes, f"{path.name} repeats scenario names: {dupes}"


def test_the_features_follow_the_ladder() -> None:
    names = [p.name for p in feature_files()]
    for i, move in enumerate(words.RUNGS, 1):
        assert any(n.startswith(f"{i:02d}_") and move.split("_")[-1] in n for n in names), move
    # Every feature file is listed in the guide's table (not counted: adding one is fine).
    rung_files = {n for n in names if n[:2].isdigit() and 1 <= int(n[:2]) <= len(words.RUNGS)}
    for name in (n for n in names if n not in rung_files):  # the rungs: one row
        assert f"`{name}`" in GUIDE_TEXT, f"{name} is not listed in features/README.md"


# ---------------------------------------------------------------- words


def test_the_guide_names_exactly_the_catalogue_moves() -> None:
    catalogue = [move for move, _ in words.CATALOGUE]
    assert sorted(catalogue) == sorted(m.value for m in MoveId)
    unnamed = [move for move in catalogue if move not in words.GUIDE_MOVES]
    assert not unnamed, ("add a row to the \"Move names\" table of features/README.md "
                         f"for: {unnamed}")
    assert set(words.GUIDE_MOVES) <= set(catalogue), set(words.GUIDE_MOVES) - set(catalogue)
    assert all(m.names and m.did for m in words.MOVES)


def test_the_rungs_are_the_catalogue_rungs(client: TestClient) -> None:
    rungs = [m["id"] for m in client.get("/v1/moves").json() if m["kind"] == "rung"]
    assert list(words.RUNGS) == rungs
    assert words.move_id("due process") == "due_process"


def test_no_move_name_stands_for_two_moves() -> None:
    seen: dict[str, str] = {}
    for move in words.MOVES:
        for name in (move.id, *move.names, move.did):
            key = words._key(name)
            assert seen.setdefault(key, move.id) == move.id, f"{name!r} is ambiguous"


def test_the_word_tables_cover_the_contract_values() -> None:
    assert set(words.SCHOOL_RESPONSES.values()) == {v.value for v in SchoolResponse}
    assert set(words.TOPICS.values()) == {v.value for v in Topic}
    assert set(words.VIOLATIONS.values()) == {v.value for v in ViolationKind}


def test_the_guide_lists_every_word() -> None:
    phrases = [*words.SCHOOL_RESPONSES, *words.TOPICS, *words.OUTCOMES, *words.VIOLATIONS,
               *words.PLANS, *words.PROBLEMS, *words.STATUSES,
               *words.CHILD_PLANS, *words.SPECIAL_CIRCUMSTANCES, *words.MANIFESTATION_RESULTS,
               *words.MEETINGS, *words.DUTIES]
    missing = [p for p in phrases if f"`{p}`" not in GUIDE_TEXT]
    missing += [c for c in words.OUTCOME_CELLS if f"`{c}`" not in GUIDE_TEXT]
    assert not missing, f"not listed in features/README.md: {missing}"


def test_the_guide_source_table_is_the_source_table() -> None:
    for file, titles in words.SEEDS.items():
        row = re.search(rf"^\| `seed_{file[:3]}` \| `{re.escape(file)}` \| (.+) \|$",
                        GUIDE_TEXT, flags=re.MULTILINE)
        assert row is not None, file
        assert [n.strip() for n in row.group(1).split(";")] == list(titles), file


# ---------------------------------------------------------------- tags and coverage


def _scenario_tags() -> list[tuple[str, set[str], set[str], str]]:
    """(name, scenario tags, scenario + feature tags, text) for every scenario template."""
    found = []
    for path in feature_files():
        feature = FeatureParser(str(path.parent), path.name).parse()
        for template in feature.scenarios.values():
            text = " ".join(s.name for s in template.steps)
            for ex in template.examples:
                text += " " + " ".join(" ".join(row) for row in ex.examples)
            for step in template.steps:
                if step.datatable:
                    text += " " + " ".join(" ".join(r) for r in step.datatable.raw())
            found.append((f"{path.name}: {template.name}", set(template.tags),
                          set(template.tags) | set(feature.tags), text))
    return found


def test_every_tag_is_registered() -> None:
    known = set(markers())
    used = {tag for _, _, tags, _ in _scenario_tags() for tag in tags}
    assert used <= known, f"unregistered tags: {used - known}"


def test_every_move_rung_and_article_has_a_scenario() -> None:
    used = Counter(tag for _, _, tags, _ in _scenario_tags() for tag in tags)
    wanted = ([m.id for m in words.MOVES] + [f"rung_{i}" for i in range(1, len(words.RUNGS) + 1)]
              + [f"seed_{f[:3]}" for f in words.SEEDS])
    assert not [t for t in wanted if not used[t]], [t for t in wanted if not used[t]]


def test_every_article_the_rules_cite_is_cited_by_a_scenario(client: TestClient) -> None:
    rules = client.get("/v1/rules").json()["rules"]
    in_rules = {r["source"]["document"] for r in rules if r["source"].get("document")}
    text = " ".join(p.read_text() for p in feature_files())
    cited = {words.seed_file(s) for s in re.findall(r'cites "([^"]+)"', text)}
    assert in_rules <= cited, f"articles the rules cite but no scenario checks: {in_rules - cited}"


def test_move_tags_name_moves_the_scenario_talks_about() -> None:
    problems = []
    for name, own_tags, _, text in _scenario_tags():
        folded = words._key(text)
        for tag in own_tags & {m.id for m in words.MOVES}:
            move = next(m for m in words.MOVES if m.id == tag)
            spoken = [words._key(n) for n in (*move.names, move.did)]
            if not any(s in folded for s in spoken):
                problems.append(f"{name}: tagged @{tag} but never mentions it")
    assert not problems, "\n".join(problems)
