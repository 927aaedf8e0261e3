"""escalate: which escalation step to take next in a US special-education (IEP) dispute.

The public library API, used alike by the HTTP service, the command line and the tests:

- :class:`Escalate` (:mod:`escalate.service`) is the library's face: advice,
  explanations, letters, calendars and the catalogues of one rules folder, each part
  built when first used; :func:`get_escalate` is the process-wide one. The command line
  and the HTTP service use it.
- :func:`advise` turns a :class:`~escalate.models.Case` (or a dict of one) into
  :class:`~escalate.models.Advice`, using the process-wide advisor built from the
  built-in rules (or ``ESCALATE_RULES_DIR``).
- :class:`Advisor` is one loaded, validated and compiled rulebook with its engine;
  build one with :meth:`Advisor.from_directory` to use another rules folder.

The output is general information, not legal advice.
"""

from importlib.metadata import PackageNotFoundError, version

from escalate.advisor import (
    Advisor,
    advise,
    configured_rules_dir,
    default_rules_dir,
    get_advisor,
)
from escalate.errors import CaseError, EngineError, EscalateError, RuleFileError
from escalate.models import DISCLAIMER, Advice, Case
from escalate.service import Escalate, get_escalate

__all__ = [
    "DISCLAIMER",
    "Advice",
    "Advisor",
    "Case",
    "CaseError",
    "EngineError",
    "Escalate",
    "EscalateError",
    "RuleFileError",
    "__version__",
    "advise",
    "configured_rules_dir",
    "default_rules_dir",
    "get_advisor",
    "get_escalate",
]

try:
    __version__ = version("escalate")
except PackageNotFoundError:  # imported from a checkout that was never installed
    __version__ = "0+unknown"
