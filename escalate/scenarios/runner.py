"""Run ``.feature`` files with the scenarios' step vocabulary, without pytest.

A feature file is read by Cucumber's own Gherkin parser (``gherkin-official``, the one
pytest-bdd uses) and compiled into its scenarios, one per row of a Scenario Outline's
examples, each with its Background steps. Each scenario starts a fresh
:class:`~escalate.scenarios.steps.Consultation`; each step is matched against
:data:`~escalate.scenarios.steps.VOCABULARY` (And and But take the kind of the step
before them) and run with the service's client. The first step that fails ends its
scenario: its message (what was expected, then what the advice said, in the catalogue's
words) is kept; the steps after it are skipped. A step that is not in the vocabulary
fails with the nearest phrasings of the guide's step catalogue.

:func:`text` words the results for people; :func:`junit_xml` writes them for CI.
"""

from __future__ import annotations

import inspect
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from gherkin.errors import CompositeParserException, ParserError
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler

from .catalogue import closest
from .report import StepFailed
from .steps import VOCABULARY, Consultation, Phrase

Status = Literal["passed", "failed", "skipped"]
KINDS = {"Context": "given", "Action": "when", "Outcome": "then"}
CATALOGUE_HINT = ('Every phrasing is listed, with an example, in the guide of the '
                  'scenarios (features/README.md) under "Step catalogue".')


class FeatureFileError(ValueError):
    """A path that is not a readable feature file (or folder of them)."""


@dataclass
class StepResult:
    """One step of a scenario as written, and what became of it."""

    keyword: str
    text: str
    line: int
    status: Status = "skipped"
    message: str = ""

    def __str__(self) -> str:
        return f"{self.keyword}{self.text}"


@dataclass
class ScenarioResult:
    """One scenario (one example row of an outline), its steps and its outcome."""

    file: str
    feature: str
    name: str
    line: int
    tags: list[str]
    steps: list[StepResult] = field(default_factory=list)
    compiled: dict[str, Any] = field(default_factory=dict, repr=False)  # the parser's

    @property
    def passed(self) -> bool:
        return all(step.status == "passed" for step in self.steps)

    @property
    def failure(self) -> StepResult | None:
        return next((step for step in self.steps if step.status == "failed"), None)


@dataclass
class Run:
    """Every scenario of the files run, in order."""

    scenarios: list[ScenarioResult] = field(default_factory=list)

    @property
    def failed(self) -> list[ScenarioResult]:
        return [s for s in self.scenarios if not s.passed]


def feature_files(paths: Iterable[Path]) -> list[Path]:
    """The ``.feature`` files named, a folder standing for every one under it (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(path.rglob("*.feature"))
            if not inside:
                raise FeatureFileError(f"{path}: no .feature file in this folder")
            found += inside
        elif path.is_file():
            found.append(path)
        else:
            raise FeatureFileError(f"{path}: no such file or folder")
    return found


def _ast_steps(document: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """Each step of the parsed file, by its node id: its keyword and its line."""
    found: dict[str, tuple[str, int]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "keyword" in node and "text" in node and "id" in node and "location" in node:
                found[node["id"]] = (node["keyword"], node["location"]["line"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document.get("feature") or {})
    return found


def parse(path: Path, label: str | None = None) -> list[ScenarioResult]:
    """The scenarios of one feature file, not yet run; raises :class:`FeatureFileError`
    naming the file and line of a syntax error."""
    name = label or str(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FeatureFileError(f"{name}: cannot be read ({error})") from error
    try:
        document: dict[str, Any] = cast(dict[str, Any], Parser().parse(source))
    except (CompositeParserException, ParserError) as error:
        problems = [line for line in str(error).splitlines() if line.startswith("(")]
        first = re.sub(r"^\((\d+):(\d+)\): ", r"\1, column \2: ", problems[0]) \
            if problems else str(error)
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise FeatureFileError(f"{name}: not a Gherkin feature file: line {first}{more}"
                               ) from error
    feature = document.get("feature")
    if not feature:
        return []
    document["uri"] = name
    steps = _ast_steps(document)
    scenarios = []
    for compiled in Compiler().compile(cast(Any, document)):
        pickle = cast(dict[str, Any], compiled)
        lines = [steps[step["astNodeIds"][0]] for step in pickle["steps"]]
        scenario = ScenarioResult(
            file=name, feature=feature["name"], name=pickle["name"],
            line=pickle["location"]["line"], tags=[t["name"][1:] for t in pickle["tags"]],
            steps=[StepResult(keyword, step["text"], line)
                   for step, (keyword, line) in zip(pickle["steps"], lines, strict=True)],
            compiled=pickle)
        scenarios.append(scenario)
    return scenarios


def _unknown(kind: str, step: StepResult, scenario: ScenarioResult) -> str:
    lines = ["This step is not in the scenarios' vocabulary:", f"    {step}",
             f'    (line {step.line} of {scenario.file}, scenario "{scenario.name}")']
    near = closest(kind, step.text)
    if near:
        lines.append("The closest phrasings that exist:")
        lines += [f"    {n}" for n in near]
    lines.append(CATALOGUE_HINT)
    return "\n".join(lines)


def _arguments(phrase: Phrase, text: str, argument: dict[str, Any],
               consultation: Consultation, client: Any) -> dict[str, Any]:
    """What the step's function takes, by name (as pytest-bdd would inject it)."""
    available: dict[str, Any] = {"consultation": consultation, "client": client,
                                 **phrase.groups(text)}
    if "dataTable" in argument:
        available["datatable"] = [[cell["value"] for cell in row["cells"]]
                                  for row in argument["dataTable"]["rows"]]
    if "docString" in argument:
        available["docstring"] = argument["docString"]["content"]
    wanted = inspect.signature(phrase.run).parameters
    return {name: available.get(name) for name in wanted}


def run_scenario(scenario: ScenarioResult, client: Any) -> ScenarioResult:
    """Run one parsed scenario's steps in order, until the first that fails."""
    consultation = Consultation()
    kind = "given"
    for step, raw in zip(scenario.steps, scenario.compiled["steps"], strict=True):
        kind = KINDS.get(raw.get("type", ""), kind)
        found = [p for p in VOCABULARY if p.kind == kind and p.matches(step.text)]
        if not found:
            step.status, step.message = "failed", _unknown(kind, step, scenario)
            break
        phrase = found[0]
        try:
            phrase.run(**_arguments(phrase, step.text, raw.get("argument") or {},
                                    consultation, client))
        except StepFailed as failed:
            step.status, step.message = "failed", str(failed)
            break
        step.status = "passed"
    return scenario


def run(paths: Iterable[Path], client: Any) -> Run:
    """Parse every file first (a bad one raises :class:`FeatureFileError` before anything
    runs), then run every scenario."""
    parsed = [s for path in feature_files(paths) for s in parse(path)]
    return Run([run_scenario(s, client) for s in parsed])


# ---------------------------------------------------------------- reports


def _indent(text: str, prefix: str) -> Iterator[str]:
    for line in text.splitlines():
        yield (prefix + line) if line else prefix.rstrip()


def text(result: Run) -> str:
    """The run for people: each scenario passed or failed; for a failure, the step, then
    what was expected and what the advice said instead."""
    lines: list[str] = []
    current = None
    for scenario in result.scenarios:
        if scenario.file != current:
            current = scenario.file
            lines += [""] if lines else []
            lines.append(f"{scenario.file}: {scenario.feature}")
        mark = "passed" if scenario.passed else "FAILED"
        lines.append(f"  {mark}  {scenario.name}  (line {scenario.line})")
        failure = scenario.failure
        if failure is not None:
            lines.append(f"          at line {failure.line}: {failure}")
            lines += _indent(failure.message, "          | ")
    total, failed = len(result.scenarios), len(result.failed)
    lines += ["", f"{total - failed} of {total} scenarios passed"
                  + (f", {failed} failed." if failed else ".")]
    return "\n".join(lines)


def junit_xml(result: Run) -> bytes:
    """The run as JUnit XML: one test suite per feature file, one test case per
    scenario, a failure holding the failed step and its message."""
    root = ET.Element("testsuites", name="escalate scenarios",
                      tests=str(len(result.scenarios)), failures=str(len(result.failed)))
    suites: dict[str, ET.Element] = {}
    for scenario in result.scenarios:
        suite = suites.get(scenario.file)
        if suite is None:
            suite = suites[scenario.file] = ET.SubElement(
                root, "testsuite", name=scenario.feature, file=scenario.file,
                tests="0", failures="0")
        suite.set("tests", str(int(suite.get("tests", "0")) + 1))
        case = ET.SubElement(suite, "testcase", classname=scenario.feature,
                             name=scenario.name, file=scenario.file, line=str(scenario.line))
        failure = scenario.failure
        if failure is not None:
            suite.set("failures", str(int(suite.get("failures", "0")) + 1))
            node = ET.SubElement(case, "failure",
                                 message=f"line {failure.line}: {failure}")
            node.text = failure.message
    ET.indent(root)
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written
