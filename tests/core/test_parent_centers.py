"""Every state and territory code a case may give has a parent center, listed with where it
was verified (rules/parent_centers.yaml, escalate.states.centers)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import get_args

import pytest

from escalate import Advisor, RuleFileError, default_rules_dir
from escalate.i18n.words import Words
from escalate.models.case import StateCode
from escalate.rulebook import load
from escalate.states.listing import render, state_info

CODES = get_args(StateCode)


def test_every_code_a_case_may_give_has_a_parent_center(advisor: Advisor) -> None:
    centers = advisor.rulebook.parent_centers
    assert set(CODES) <= set(centers), sorted(set(CODES) - set(centers))
    for code in CODES:
        assert centers[code], code
        # a state's own centers first: at least one PTI, or a CPRC where that is what
        # serves the families (the BIE)
        assert any(c.kind == "pti" for c in centers[code]) or code == "BIE", code


def test_each_center_says_where_it_was_verified(advisor: Advisor) -> None:
    for code, listed in advisor.rulebook.parent_centers.items():
        for center in listed:
            assert center.checked.strip(), (code, center.name)
            if center.offered:  # what families are pointed to was read somewhere
                assert center.source or "kyspin.com" in center.checked, (code, center.name)
            if center.confidence != "low":
                assert "Not verified" not in center.checked, (code, center.name)
            else:
                assert not center.offered


def test_the_big_states_list_their_own_centers_not_the_generic_sentence(
        advisor: Advisor) -> None:
    for code in ("CA", "TX", "NY", "IL", "PA", "OH"):
        offered = [c for c in advisor.rulebook.parent_centers[code] if c.offered]
        assert offered, code
    # California has several centers, each serving a region: each names its area, and
    # no two the same, so a family can tell which one is theirs
    california = advisor.rulebook.parent_centers["CA"]
    areas = [c.area for c in california]
    assert len(california) > 1 and all(areas) and len(set(areas)) == len(areas), areas


def test_a_territory_without_a_state_file_still_lists_its_center(advisor: Advisor) -> None:
    info = state_info(advisor.rulebook, "GU")
    assert info is not None and not info.recorded
    assert info.parent_center is not None and "Pacific" in info.parent_center.area
    assert info.parent_center.source and info.parent_center.area
    assert "Learning Disabilities Association of Hawaii" in render(info)


def test_the_listing_says_a_centers_area_in_spanish(advisor: Advisor) -> None:
    words = Words(advisor.locales["es"])
    info = state_info(advisor.rulebook, "CA", words)
    assert info is not None
    assert [c.area for c in info.parent_centers][:2] == [
        "la mayor parte del sur de California", "con sede en Novato, al norte de San Francisco"]
    assert "centro de padres: TASK" in render(info, words)
    assert info.fallbacks == []


def test_several_centers_are_named_as_one_of_them(advisor: Advisor) -> None:
    from escalate.models import Case
    case = Case.model_validate({
        "as_of": "2026-11-23", "state": "PA",
        "concern": {"topic": "services", "school_response": "refused"},
        "violation": {"alleged": True, "kind": "procedural", "date": "2026-01-05"}})
    notes = " ".join(d.note or "" for d in advisor.advise(case).deadlines)
    if "Check this date" in notes:
        assert "one of the state's Parent Training and Information Centers" in notes


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


def test_an_unknown_code_or_key_stops_start_up_naming_the_file(rules_copy: Path) -> None:
    path = rules_copy / "parent_centers.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n  AL:\n", "\n  XX:\n", 1), encoding="utf-8")
    with pytest.raises(RuleFileError) as raised:
        load(rules_copy)
    assert "parent_centers.yaml" in str(raised.value) and "XX" in str(raised.value)
    path.write_text(text.replace("kind: pti", "kind: pti\n      phone: 555", 1),
                    encoding="utf-8")
    with pytest.raises(RuleFileError) as raised:
        load(rules_copy)
    assert "parent_centers.yaml" in str(raised.value) and "phone" in str(raised.value)


def test_a_state_file_may_not_name_a_center_of_its_own(rules_copy: Path) -> None:
    state = rules_copy / "states" / "WI.yaml"
    state.write_text(state.read_text(encoding="utf-8") + "parent_center:\n  name: Somebody\n",
                     encoding="utf-8")
    with pytest.raises(RuleFileError, match="parent_center"):
        load(rules_copy)
