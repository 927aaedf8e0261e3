"""Sentences from templates: the sandboxed Jinja2 environment, and the start-up check.

Reasons (a rule's ``because``), the advice summary and letters are Jinja2 templates over
the variables of :mod:`escalate.text.variables`. They are rendered in Jinja2's immutable
sandbox (a template can read the case's facts, never call into Python or change
anything) with ``StrictUndefined``, so a name that is not a fact is an error, never an
empty string.

:func:`check` compiles a template once, at load, and refuses it with the file, id and key
when it does not parse, names a variable or field that does not exist, fails to render
on the sample cases, or renders "None" or empty parentheses there. A template that
passes is rendered per case by :meth:`Text.render`, whose output has its whitespace
collapsed, so an empty optional phrase leaves no double space behind.

Parsing, analysing and compiling a source is remembered per environment
(:func:`_source`): the same template loaded again (a second rulebook built from the same
files, a reload candidate) is not compiled twice. The checks still run on every load.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    meta,
    nodes,
)
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from escalate.models import MoveId
from escalate.strict import read_data
from escalate.text.variables import VARIABLES, Group, Variable


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, reading our own plain variable groups directly.

    A :class:`~escalate.text.variables.Group` holds only strings, numbers, booleans and
    other groups, so a public field of one is safe to read without the sandbox's general
    checks; anything else (and any name starting with "_") takes the sandbox's path."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Group) and not attribute.startswith("_"):
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return super().getattr(obj, attribute)


def lower_first(text: str) -> str:
    """'Go up the chain of command' -> 'go up the chain of command' (an acronym further
    on keeps its capitals, unlike Jinja's ``lower``)."""
    return text[:1].lower() + text[1:]


ENVIRONMENT = Sandbox(undefined=StrictUndefined, autoescape=False,
                       keep_trailing_newline=False)
ENVIRONMENT.filters["lower_first"] = lower_first
_MARKERS = ("{{", "{%", "{#")
_SPACE_BEFORE_PUNCT = re.compile(r" (?=[.,;:!?)])")
_BROKEN = re.compile(r"\bNone\b|\(\s*\)")

Problem = Callable[[str, str], None]  # (message, key) -> records a problem

@dataclass
class _Source:
    """What is worked out once per environment and source: the tree, the statements a
    template may not use that it uses, the names it reads without defining them (sorted),
    and the compiled template (once the checks that need no sample have passed)."""

    tree: nodes.Template
    forbidden: tuple[str, ...]
    undeclared: tuple[str, ...]
    template: Template | None = None


_FORBIDDEN = (nodes.Assign, nodes.AssignBlock, nodes.Block, nodes.Extends, nodes.Include,
              nodes.Import, nodes.FromImport, nodes.Macro, nodes.CallBlock)
_SOURCES: weakref.WeakKeyDictionary[Environment, dict[str, _Source]] = (
    weakref.WeakKeyDictionary())
_SOURCES_LOCK = threading.Lock()
SOURCES_KEPT = 4096  # sources remembered per environment (the shipped ones: ~1,200)


def _source(environment: Environment, source: str) -> _Source:
    """``source`` parsed and analysed in ``environment`` (TemplateSyntaxError if it does
    not parse; a source that does not parse is never kept)."""
    with _SOURCES_LOCK:
        kept = _SOURCES.get(environment)
        if kept is None:
            kept = _SOURCES[environment] = {}
    found = kept.get(source)
    if found is None:
        tree = environment.parse(source)
        found = _Source(tree,
                        tuple(kind.__name__ for kind in _FORBIDDEN
                              if tree.find(kind) is not None),
                        tuple(sorted(meta.find_undeclared_variables(tree))))
        if len(kept) < SOURCES_KEPT:
            kept[source] = found
    return found


def is_template(source: str) -> bool:
    """Whether ``source`` uses any template syntax (plain text is kept as it is)."""
    return any(marker in source for marker in _MARKERS)


def tidy(text: str) -> str:
    """One space between words, none before punctuation."""
    return _SPACE_BEFORE_PUNCT.sub("", " ".join(text.split()))


@dataclass(frozen=True)
class Text:
    """A checked template, compiled once; plain text renders as itself."""

    source: str
    template: Template | None
    fallback: str
    tidy: bool = True  # whether the output may hold a gap left by an empty phrase

    def render(self, values: Mapping[str, Any] | Context | None, *,
               flow: bool = True) -> str:
        """The text for one case's ``values`` (or a :func:`context_for` them, shared by the
        templates rendered for one case). ``flow`` collapses whitespace (a sentence);
        without it line breaks are kept (a letter). A template that fails on a case it was
        not tested on gives its generic wording rather than an error."""
        if self.template is None or values is None:
            return self.fallback
        try:
            out = _render(self.template, values)
        except (TemplateError, ArithmeticError, TypeError, ValueError, AttributeError):
            return self.fallback
        return tidy(out) if flow and self.tidy else out


def context_for(values: dict[str, Any]) -> Context:
    """A rendering context holding only ``values``: no copy merged with Jinja's globals,
    so a template sees the case's variables and nothing else. The templates of one case
    can share it (they cannot assign: see :func:`check`)."""
    return ENVIRONMENT.context_class(ENVIRONMENT, values, None, {})


def _render(template: Template, values: Mapping[str, Any] | Context) -> str:
    if isinstance(values, Context):
        context = values
    else:
        env = template.environment
        context = env.context_class(env, dict(values), None, {})
    return "".join(template.root_render_func(context))


def plain(text: str) -> Text:
    return Text(source=text, template=None, fallback=text)


def check(source: str, report: Problem, samples: Sequence[Mapping[str, Any]],
          variables: Mapping[str, Variable] = VARIABLES, *, flow: bool = True,
          environment: Environment | None = None) -> Text | None:
    """Compile and check one template; report each problem and return None on any."""
    if not is_template(source):
        return plain(source)
    environment = environment or ENVIRONMENT
    try:
        known = _source(environment, source)
    except TemplateSyntaxError as error:
        report(f"template syntax error at line {error.lineno}: {error.message}", "")
        return None
    tree = known.tree
    found = False
    for kind in known.forbidden:
        report(f"'{kind}' is not allowed in a template here; use the case's "
               "variables, 'if' and 'for'", "")
        found = True
    for name in known.undeclared:
        if name not in variables:
            report(f"unknown template variable {name!r}; known: " + ", ".join(variables),
                   name)
            found = True
    for message, key in _field_problems(tree, variables):
        report(message, key)
        found = True
    if found:
        return None
    if known.template is None:
        known.template = environment.from_string(tree)
    template = known.template
    rendered = []
    gaps = "{%" in source
    for values in samples:
        try:
            out = _render(template, values)
        except (TemplateError, ArithmeticError, TypeError, ValueError,
                AttributeError) as error:
            report(f"template does not render: {error}", "")
            return None
        rendered.append(tidy(out) if flow else out)
        gaps = gaps or (flow and rendered[-1] != out)
        broken = _BROKEN.search(out)
        if broken:
            report(f"template renders {broken.group(0)!r} for a case that leaves a fact "
                   "out; use a variable that reads naturally when missing", "")
            return None
    return Text(source=source, template=template, fallback=rendered[0], tidy=gaps)


def _chain(node: nodes.Node) -> list[str] | None:
    """``a.b.c`` as ['a', 'b', 'c'] when it is a plain attribute chain on a name."""
    parts: list[str] = []
    while isinstance(node, nodes.Getattr):
        parts.append(node.attr)
        node = node.node
    if isinstance(node, nodes.Name):
        parts.append(node.name)
        return parts[::-1]
    return None


def _field_problems(tree: nodes.Template,
                    variables: Mapping[str, Variable]) -> Iterator[tuple[str, str]]:
    """Unknown moves and fields in ``history.<move>.<field>``-style chains."""
    moves = [m.value for m in MoveId]
    seen: set[int] = set()
    for node in tree.find_all(nodes.Getattr):
        if id(node) in seen:
            continue
        inner = node.node
        while isinstance(inner, nodes.Getattr):
            seen.add(id(inner))
            inner = inner.node
        chain = _chain(node)
        if not chain or len(chain) < 2:
            continue
        head, rest = chain[0], chain[1:]
        spec = variables.get(head)
        if spec is None:
            continue
        dotted = ".".join(chain)
        if spec.fields is None:
            yield f"{head!r} has no fields", dotted
            continue
        if spec.by_move:
            if rest[0] not in moves:
                yield (f"unknown move {rest[0]!r} in {dotted!r}", dotted)
                continue
            rest = rest[1:]
        if rest and rest[0] not in spec.fields:
            yield (f"unknown field {rest[0]!r} in {dotted!r}; fields: "
                   + ", ".join(spec.fields), dotted)


def read_text_file(path: Path) -> Any:
    """A product text file (``escalate/text/*.yaml``) as data; one that cannot be read stops
    start-up naming the file."""
    return read_data(path)  # the strict loader (escalate/strict.py)
