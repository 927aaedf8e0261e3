"""The engine's memory (escalate.engine_memory) never changes the advice.

Differential: an advisor that remembers the engine's answers and one that asks the engine
every time give identical advice on thousands of generated cases, asked in a stream with
exact repeats and near-repeats (one detail changed: a date a day later, a flag flipped,
another state), so that remembered answers are really served and must still be right.
The memory's key is the engine's whole input, derived from the compiled rulebook; it is
bounded, thread-safe, hands out copies and belongs to one rulebook.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalate import Advisor, cli, default_rules_dir
from escalate.engine_memory import SIZE_ENV, EngineMemory, configured_size
from escalate.examples import EXAMPLES_DIR, example_cases
from escalate.models import Case

from .cases import STATES, valid_case_dicts

STREAMS = 80  # hypothesis examples; each is a stream of CASES_PER_STREAM cases
CASES_PER_STREAM = 25


@pytest.fixture(scope="module")
def fresh() -> Advisor:
    """Asks the engine for every case (memory off)."""
    return Advisor.from_directory(default_rules_dir(), cache_size=0)


@pytest.fixture(scope="module")
def remembering() -> Advisor:
    """A small memory, so that answers are also evicted and asked again."""
    return Advisor.from_directory(default_rules_dir(), cache_size=64)


def _near_repeat(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The same case with one detail changed, as a second intake of one family might."""
    case = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items()}
    change = rng.randrange(5)
    if change == 0:
        case["as_of"] = (dt.date.fromisoformat(case["as_of"])
                         + dt.timedelta(days=rng.choice([1, 7, 30]))).isoformat()
    elif change == 1:
        case["student"]["has_iep"] = not case["student"].get("has_iep", False)
    elif change == 2:
        case["state"] = rng.choice(STATES)
    elif change == 3 and case.get("discipline"):
        days = case["discipline"].get("days_removed", 0)
        case["discipline"]["days_removed"] = days + 1 if days < 30 else days - 1
    else:
        case["concern"]["placement_change_proposed"] = not case["concern"].get(
            "placement_change_proposed", False)
    case["case_id"] = f"near-{rng.randrange(10**6)}"
    return case


@settings(max_examples=STREAMS, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(originals=st.lists(valid_case_dicts(), min_size=4, max_size=8),
       seed=st.integers(0, 2**32 - 1))
def test_remembered_advice_is_the_fresh_advice(fresh: Advisor, remembering: Advisor,
                                               originals: list[dict[str, Any]],
                                               seed: int) -> None:
    rng = random.Random(seed)
    stream = list(originals)
    while len(stream) < CASES_PER_STREAM:
        pick = rng.choice(originals)
        stream.append(pick if rng.random() < 0.5 else _near_repeat(pick, rng))
    rng.shuffle(stream)
    for data in stream:
        case = Case.model_validate(data)
        assert remembering.advise(case) == fresh.advise(case)


def test_the_stream_really_served_remembered_answers(remembering: Advisor) -> None:
    """Guards the test above: it must have exercised hits, misses and evictions."""
    stats = remembering.memory.stats
    assert stats.hits > 500
    assert stats.misses > 150
    assert stats.entries == stats.size == 64


def test_the_key_is_the_engines_whole_input(advisor: Advisor) -> None:
    """Every fact the compiled rules test is in the key, the clocks' and the state
    thresholds' facts included, and changing any one of them changes the key."""
    names = list(advisor.compiled.fact_types)
    for family in ("threshold.", "window.", "duty.", "history.", "student."):
        assert any(n.startswith(family) for n in names), family
    facts, _ = advisor.facts_for(Case.model_validate(
        {"as_of": "2026-11-23", "student": {"has_iep": True},
         "concern": {"topic": "other", "school_response": "none_yet"}}))
    key = advisor.compiled.engine_key(facts)
    assert len(key) == len(names)
    for name in names:
        changed = dict(facts)
        value = facts[name]
        changed[name] = (not value if isinstance(value, bool)
                         else value + 1 if isinstance(value, int) else value + "_other")
        assert advisor.compiled.engine_key(changed) != key, name


def test_answers_are_copies(advisor: Advisor) -> None:
    memory = EngineMemory(advisor.compiled, advisor.engine.evaluate, 4)
    facts, _ = advisor.facts_for(Case.model_validate(
        {"as_of": "2026-11-23", "student": {"has_iep": True},
         "concern": {"topic": "services", "school_response": "refused"}}))
    first = memory.firing(facts)
    expected = (list(first.rules_fired), list(first.facts_derived))
    assert expected[0]
    first.rules_fired.clear()
    first.facts_derived.append("tampered")
    again = memory.firing(facts)
    assert (again.rules_fired, again.facts_derived) == expected
    assert memory.stats.hits == 1


def test_the_memory_is_bounded_and_belongs_to_one_rulebook() -> None:
    small = Advisor.from_directory(default_rules_dir(), cache_size=8)
    for days in range(40):
        small.advise(Case.model_validate(
            {"as_of": "2026-11-23", "student": {"has_iep": True},
             "concern": {"topic": "discipline", "school_response": "none_yet"},
             "discipline": {"days_removed": days % 31, "consecutive_days": days // 31}}))
    assert small.memory.stats.entries == 8
    rebuilt = Advisor.from_directory(default_rules_dir(), cache_size=8)
    assert rebuilt.memory.stats.entries == 0


def test_many_threads_get_the_fresh_advice(fresh: Advisor) -> None:
    shared = Advisor.from_directory(default_rules_dir(), cache_size=64)
    cases = [Case.model_validate(c) for c in example_cases().values()]
    expected = [fresh.advise(c) for c in cases]
    jobs = [i % len(cases) for i in range(240)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda i: (i, shared.advise(cases[i])), jobs))
    assert all(advice == expected[i] for i, advice in got)
    stats = shared.memory.stats
    assert stats.hits + stats.misses == len(jobs)
    assert stats.entries <= len(cases)


def test_the_size_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(SIZE_ENV, raising=False)
    assert configured_size() == 16_384
    monkeypatch.setenv(SIZE_ENV, "100")
    assert configured_size() == 100
    assert Advisor.from_directory(default_rules_dir()).memory.stats.size == 100
    for bad in ("-1", "lots", "1.5"):
        monkeypatch.setenv(SIZE_ENV, bad)
        with pytest.raises(ValueError, match=SIZE_ENV):
            configured_size()
    monkeypatch.setenv(SIZE_ENV, "lots")
    example = sorted(EXAMPLES_DIR.glob("*.json"))[0]
    # the command line names the variable instead of failing with a traceback
    assert cli.main(["advise", str(example)]) != 0
    assert SIZE_ENV in capsys.readouterr().err


def _facts_of(advisor: Advisor, stream: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [advisor.facts_for(Case.model_validate(data))[0] for data in stream]


def test_answers_one_memory_learns_from_another_are_its_engines(advisor: Advisor) -> None:
    """The triage's workers share what their engines decided: a memory that takes in
    another's journal answers those inputs without asking its engine, with the answer
    its own engine gives; inputs it has not been told are still asked."""
    asked: list[int] = []

    def counting(facts: Any) -> Any:
        asked.append(1)
        return advisor.engine.evaluate(facts)

    teacher = EngineMemory(advisor.compiled, advisor.engine.evaluate, 64)
    pupil = EngineMemory(advisor.compiled, counting, 64)
    stream = list(example_cases().values())
    facts = _facts_of(advisor, stream)
    assert teacher.take_journal() == []  # no journal kept: nothing noted
    teacher.keep_journal()
    for one in facts[:10]:
        teacher.firing(one)
    journal = teacher.take_journal()
    assert journal and teacher.take_journal() == []  # taken: the journal starts again
    assert pupil.learn(journal) == len({key for key, _ in journal})
    assert pupil.learn(journal) == 0  # already held
    for one in facts[:10]:
        learned = pupil.firing(one)
        fresh = advisor.engine.evaluate(advisor.compiled.engine_fact(one))
        assert (learned.rules_fired, learned.facts_derived) == (fresh.rules_fired,
                                                               fresh.facts_derived)
    assert asked == [] and pupil.stats.hits == 10 and pupil.stats.misses == 0
    told = {key for key, _ in journal}
    for one in facts[10:]:
        pupil.firing(one)
    assert len(asked) == len({advisor.compiled.engine_key(f) for f in facts[10:]} - told)
    assert EngineMemory(advisor.compiled, counting, 0).learn(journal) == 0  # memory off


def test_a_triage_worker_hands_on_what_its_engine_decided(monkeypatch: pytest.MonkeyPatch,
                                                          advisor: Advisor) -> None:
    """The pool's sharing worker: told the other workers' answers first, it gives back
    only the answers its own engine gave for the chunk, and its rows are those of a
    worker told nothing; answers of another rulebook version are not taken in."""
    from escalate import triage

    lines = [(n, json.dumps(data)) for n, data in enumerate(example_cases().values(), 1)]
    alone = Advisor.from_directory(default_rules_dir(), cache_size=64)
    monkeypatch.setattr(triage, "_WORKER", alone)
    first_rows, first_learned = triage._work_sharing(lines[:10], None, "en", [])
    [(version, answers)] = first_learned
    assert version == alone.rules_version
    assert answers and alone.memory.stats.misses == len(answers)

    other = Advisor.from_directory(default_rules_dir(), cache_size=64)
    monkeypatch.setattr(triage, "_WORKER", other)
    rows, learned = triage._work_sharing(lines[:10], None, "en",
                                         [("sha256:another", answers)])
    assert other.memory.stats.misses == len(answers)  # another version: asked its engine
    assert [(v, len(a)) for v, a in learned] == [(version, len(answers))]

    third = Advisor.from_directory(default_rules_dir(), cache_size=64)
    monkeypatch.setattr(triage, "_WORKER", third)
    rows, learned = triage._work_sharing(lines[:10], None, "en", first_learned)
    assert learned == [] and third.memory.stats.misses == 0
    assert rows == first_rows
    rows, learned = triage._work_sharing(lines[10:], None, "en", [])
    assert sum(len(a) for _, a in learned) == third.memory.stats.misses > 0
