"""The coverage listing: every state code a case may give, with the values applied there.

A state with a file lists each value with its citation, effective date, trigger and
confidence; ``federal: true`` values show the federal length. A code with no file (the
outlying territories, the BIE) is listed as not recorded: the federal rules apply.
"""

from __future__ import annotations

from typing import get_args

from escalate.models import (
    ParentCenterInfo,
    StateCode,
    StateInfo,
    StateReadingInfo,
    StatesListing,
    StateValueInfo,
)
from escalate.rulebook import Rulebook
from escalate.states.clocks import federal_value
from escalate.states.schema import TOPICS, StateFile

CODES: tuple[str, ...] = get_args(StateCode)


def _values(rulebook: Rulebook, spec: StateFile) -> list[StateValueInfo]:
    out: list[StateValueInfo] = []
    for topic, (param_name, _, default_trigger) in TOPICS.items():
        for value in spec.topic(topic):
            if value.federal and param_name:
                param = rulebook.parameters[param_name]
                amount, unit = federal_value(param, value.effective), param.unit
            else:
                assert value.value is not None and value.unit is not None
                amount, unit = value.value, value.unit
            out.append(StateValueInfo(
                topic=topic,
                effective=value.effective, federal=value.federal, value=amount, unit=unit,
                starts=value.starts or default_trigger, citation=value.citation,
                confidence=value.confidence, checked=" ".join(value.checked.split()),
                note=" ".join(value.note.split()) if value.note else None,
                disputed_by=[StateReadingInfo(
                    value=r.value, unit=r.unit, starts=r.starts, effective=r.effective,
                    citation=r.citation, confidence=r.confidence,
                    checked=" ".join(r.checked.split())) for r in value.disputed_by]))
    return out


def state_info(rulebook: Rulebook, code: str) -> StateInfo | None:
    """One state's listing, or None for a code escalate does not accept."""
    if code not in CODES:
        return None
    spec = rulebook.states.get(code)
    if spec is None:
        return StateInfo(code=code, name=code, recorded=False, values=[],
                         parent_center=None, note=None)
    center = spec.parent_center
    return StateInfo(
        code=code, name=spec.name, recorded=True, values=_values(rulebook, spec),
        parent_center=ParentCenterInfo(name=center.name, url=center.url,
                                       confidence=center.confidence,
                                       checked=" ".join(center.checked.split()))
        if center else None,
        note=" ".join(spec.note.split()) if spec.note else None)


def listing(rulebook: Rulebook) -> StatesListing:
    """Every accepted state code, in the order of the case schema."""
    infos = [state_info(rulebook, code) for code in CODES]
    return StatesListing(states=[i for i in infos if i is not None],
                         rules_version=rulebook.version)


def render(info: StateInfo) -> str:
    """One state's listing as text for a terminal."""
    head = f"{info.name} ({info.code})"
    if not info.recorded:
        return head + ": " + MESSAGES_NOT_RECORDED
    lines = [head]
    for v in info.values:
        rule = "federal rule" if v.federal else "state rule"
        lines.append(f"  {v.topic}: {v.value} {v.unit} from {v.starts} ({rule}, since "
                     f"{v.effective.isoformat()}; {v.confidence} confidence)")
        lines.append(f"      {v.citation}")
        lines.extend(f"      disputed: {r.value} {r.unit} since {r.effective.isoformat()} "
                     f"({r.citation}; {r.confidence} confidence)" for r in v.disputed_by)
    center = info.parent_center
    if center:
        lines.append(f"  parent center: {center.name}"
                     + (f" ({center.url})" if center.url else "")
                     + f"; {center.confidence} confidence")
    return "\n".join(lines)


MESSAGES_NOT_RECORDED = "no state file; the federal rules apply."
