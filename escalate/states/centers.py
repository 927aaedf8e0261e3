"""The parent centers of every state and territory: ``rules/parent_centers.yaml``.

IDEA funds "at least one parent training and information center in each State" (20 U.S.C.
1471(a)(1)), and Community Parent Resource Centers for communities a PTI does not reach
well (20 U.S.C. 1472). Families in a special-education dispute can get free help from
them, so the advice names the center of the case's state, and the page shows it.

One list per state code a case may give (:data:`escalate.models.case.StateCode`), each
center with:

- ``name`` and ``kind`` (``pti``: a Parent Training and Information Center; ``cprc``: a
  Community Parent Resource Center, where that is what serves the families);
- ``url``: its web address, only as read in ``source`` (never guessed); null when the
  address was not seen;
- ``area``: where it is or whom it serves, as the source says, when a state has more than
  one center or the center serves a part of the state (translated like every English
  text: id ``parent_center.<CODE>.<n>.area``, n from 1);
- ``confidence`` (high: the center's own or the state's page says it is the PTI; medium:
  a reputable secondary source, a press release, news or an older page; low: the source
  does not say it is the PTI, or nothing was found), ``source`` (the address of the page
  read) and ``checked`` (when and what was read).

A low-confidence center is listed (so that what was found, and what was not, is on
record) but not offered to families as their state's center. The file is optional (a
rules folder without it names no center); when present it is checked strictly: an
unknown code, an unknown key or a missing field stops start-up naming the file, the code
and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from escalate.models.case import StateCode
from escalate.strict import Problems, load_file

FILE_NAME = "parent_centers.yaml"
CODES: tuple[str, ...] = get_args(StateCode)
Confidence = Literal["high", "medium", "low"]
Kind = Literal["pti", "cprc"]


class ParentCenter(BaseModel):
    """One parent center serving families of a state or territory."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=3)
    kind: Kind
    url: str | None = Field(None, pattern=r"^https?://[^\s]+$")
    area: str | None = Field(None, min_length=3)
    confidence: Confidence
    source: str | None = Field(None, pattern=r"^https?://[^\s]+$")
    checked: str = Field(min_length=10)

    @property
    def offered(self) -> bool:
        """Whether families are pointed to it: it was verified (medium or high)."""
        return self.confidence != "low"


class ParentCentersFile(BaseModel):
    """``rules/parent_centers.yaml``: the centers by state code."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    centers: dict[str, tuple[ParentCenter, ...]]


def area_id(code: str, index: int) -> str:
    """The translation id of the ``index``-th (from 1) center's ``area`` in ``code``."""
    return f"parent_center.{code}.{index}.area"


def areas(centers: Mapping[str, tuple[ParentCenter, ...]]) -> dict[str, str]:
    """Every center's ``area`` (whitespace collapsed), by translation id."""
    return {area_id(code, n): " ".join(center.area.split())
            for code, listed in sorted(centers.items())
            for n, center in enumerate(listed, start=1) if center.area}


def load_parent_centers(root: Path, problems: Problems
                        ) -> dict[str, tuple[ParentCenter, ...]]:
    """The centers of ``root/parent_centers.yaml`` by code ({} when there is no file);
    each problem is recorded (:mod:`escalate.strict`: file, code, key) and the file then
    counts as absent."""
    path = root / FILE_NAME
    if not path.is_file():
        return {}
    spec = load_file(path, ParentCentersFile, problems)
    if spec is None:
        return {}
    broken = False
    for code, listed in spec.centers.items():
        if code not in CODES:
            problems.add(FILE_NAME, f"centers.{code}: not a state or territory code a case may "
                   "give; accepted: " + ", ".join(CODES), code, code, CODES)
            broken = True
        elif not listed:
            problems.add(FILE_NAME, f"centers.{code}: lists no center; list one or leave the "
                   "code out", code, code)
            broken = True
    return {} if broken else dict(spec.centers)
