"""Failure messages a non-programmer can read.

When a Then step does not hold, the scenario fails with one sentence saying what was
expected, then the advice the service actually gave: the moves in order with their
reasons and sources, the ladder, the deadlines and the warnings.
"""

from __future__ import annotations

from typing import Any, NoReturn

from .words import move_name, seed_title


def _source(source: dict[str, Any]) -> str:
    parts = []
    if source.get("document"):
        title = seed_title(source["document"])
        if source.get("section"):
            title += f', "{source["section"]}"'
        parts.append(title)
    if source.get("citation"):
        parts.append(source["citation"])
    return "; ".join(parts) or "no source"


def describe_advice(advice: dict[str, Any]) -> str:
    """The whole advice as plain text."""
    lines: list[str] = []
    recs = advice.get("recommendations") or []
    if recs:
        lines.append("The advice recommended, in order:")
        for i, rec in enumerate(recs, 1):
            rung = f"rung {rec['rung']}" if rec.get("rung") else "companion move"
            raised = ", moved up" if rec.get("raised") else ""
            lines.append(f'  {i}. {rec["title"]}  ("{move_name(rec["move"])}", {rung}{raised})')
            for reason in rec.get("reasons") or []:
                lines.append(f"       because: {reason['text']}")
                lines.append(f"       source:  {_source(reason.get('source') or {})}")
            for deadline in rec.get("deadlines") or []:
                lines.append(f"       deadline: {deadline['label']} on {deadline['due']}")
    else:
        lines.append("The advice recommended nothing.")
    ladder = advice.get("ladder") or []
    if ladder:
        lines.append("The ladder:")
        for rung in ladder:
            lines.append(f"  {rung['rung']}. {rung['title']}: {rung['status']}")
    deadlines = advice.get("deadlines") or []
    lines.append("Deadlines:" if deadlines else "Deadlines: none.")
    for d in deadlines:
        owner = d.get("owner", "family")
        whose = "the family's window" if owner == "family" else f"the {owner}'s duty"
        lines.append(f'  {d["due"]}  {d["label"]} ("{move_name(d["move"])}", {whose}, '
                     f'{d["days_left"]} days left, {d.get("status", "open")}; {d["citation"]})'
                     + (f'; {d["confidence"]} confidence' if d.get("confidence") else ""))
        if d.get("note"):
            lines.append(f'      note: {d["note"]}')
    warnings = advice.get("warnings") or []
    lines.append("Warnings:" if warnings else "Warnings: none.")
    for w in warnings:
        about = f' ("{move_name(w["move"])}")' if w.get("move") else ""
        lines.append(f"  {w['kind'].replace('_', ' ')}{about}: {w['text']}")
    return "\n".join(lines)


def describe_errors(status: int, body: Any) -> str:
    """A refused request as plain text."""
    lines = [f"The service refused the request (HTTP {status})."]
    detail = body.get("detail") if isinstance(body, dict) else body
    if isinstance(detail, list):
        for err in detail:
            loc = ".".join(str(p) for p in err.get("loc", []) if p != "body")
            lines.append(f"  {loc or 'the request'}: {err.get('msg')} ({err.get('type')})")
    elif detail:
        lines.append(f"  {detail}")
    return "\n".join(lines)


class StepFailed(AssertionError):
    """A step did not hold (or could not be read): its message is for the advocate, whole."""


def fail(expected: str, advice: dict[str, Any] | None = None) -> NoReturn:
    """Fail the step with the expectation and, when there is one, the advice."""
    message = expected
    if advice is not None:
        message += "\n\n" + describe_advice(advice)
    raise StepFailed(message)
