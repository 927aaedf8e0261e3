"""Per-state rules: due-process limits, evaluation and records clocks, parent centers.

- :mod:`.schema`: the strict shape of ``rules/states/XX.yaml`` and its loader;
- :mod:`.centers`: the parent centers of every code (``rules/parent_centers.yaml``);
- :mod:`.clocks`: which value, counted from which event, applies to a case's deadline, and
  the honesty notes (confidence, "check this against", the parent center);
- :mod:`.listing`: the coverage listing behind ``GET /v1/states`` and ``escalate states``;
- :mod:`.messages`: the translation ids of the clocks' sentences and the states' notes.
"""

from escalate.states.centers import ParentCenter, load_parent_centers
from escalate.states.schema import TOPICS, StateFile, StateValue, load_states

__all__ = ["TOPICS", "ParentCenter", "StateFile", "StateValue", "load_parent_centers",
           "load_states"]
