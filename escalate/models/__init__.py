"""The contract's shapes, by role: :mod:`.case` (what comes in), :mod:`.response` (what
goes out: the advice, made of the parts in :mod:`.advice` and the explanation of
:mod:`.explain`) and :mod:`.catalogue` (the moves and rules listings). Everything is
re-exported here, so ``from escalate.models import Case`` keeps working."""

from escalate.models.advice import (
    DISCLAIMER,
    AdviceWarning,
    Deadline,
    LadderRung,
    Reason,
    Recommendation,
    RungStatus,
    Source,
    Trace,
)
from escalate.models.case import (
    EXAMPLE_CASE,
    Case,
    Concern,
    Discipline,
    Evaluation,
    HistoryEntry,
    IsoDate,
    ManifestationResult,
    MoveId,
    Outcome,
    PrivatePlacement,
    ResolutionMeeting,
    ResolutionOutcome,
    SchoolResponse,
    SpecialCircumstance,
    StateCode,
    Student,
    Topic,
    Violation,
    ViolationKind,
)
from escalate.models.catalogue import MoveInfo, RuleInfo, RulesListing
from escalate.models.explain import (
    AlternativeCheck,
    AnswerEffect,
    ConditionCheck,
    Explanation,
    QuestionToAsk,
    RuleCheck,
    SkippedFact,
    WhyNot,
)
from escalate.models.response import Advice
from escalate.models.states import (
    ParentCenterInfo,
    StateInfo,
    StateReadingInfo,
    StatesListing,
    StateValueInfo,
)
from escalate.models.triage import (
    URGENCIES,
    NearestDate,
    TriageInvalid,
    TriageLine,
    TriageRow,
    TriageSummary,
)

__all__ = [
    "AlternativeCheck", "AnswerEffect", "ConditionCheck", "Explanation", "QuestionToAsk",
    "RuleCheck", "SkippedFact", "WhyNot",
    "DISCLAIMER", "EXAMPLE_CASE", "Advice", "AdviceWarning", "Case", "Concern", "Deadline",
    "Discipline", "Evaluation", "HistoryEntry", "IsoDate", "LadderRung",
    "ManifestationResult", "MoveId", "MoveInfo", "Outcome", "PrivatePlacement",
    "Reason", "Recommendation", "ResolutionMeeting", "ResolutionOutcome",
    "RuleInfo", "RulesListing", "RungStatus", "SchoolResponse", "Source",
    "SpecialCircumstance", "StateCode", "Student", "Topic", "Trace", "Violation",
    "ViolationKind",
    "URGENCIES", "NearestDate", "TriageInvalid", "TriageLine", "TriageRow", "TriageSummary",
    "ParentCenterInfo", "StateInfo", "StateReadingInfo", "StateValueInfo", "StatesListing",
]
