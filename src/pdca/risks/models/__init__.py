from pdca.risks.models.context import (
    HEADINGS,
    ContextIssue,
    ContextProfile,
    Framework,
    Heading,
    InterestedParty,
    Origin,
    PartyRequirement,
)
from pdca.risks.models.isms import AssessmentResult, AssessmentRun, Asset
from pdca.risks.models.method import RiskMethod
from pdca.risks.models.register import (
    Effectiveness,
    Kind,
    Risk,
    RiskAction,
    RiskSnapshot,
    Treatment,
)
from pdca.risks.models.soa import ControlReason, ReasonKind, SoARevision

__all__ = [
    "HEADINGS",
    "AssessmentResult",
    "AssessmentRun",
    "Asset",
    "ContextIssue",
    "ContextProfile",
    "ControlReason",
    "Effectiveness",
    "Framework",
    "Heading",
    "InterestedParty",
    "Kind",
    "Origin",
    "PartyRequirement",
    "ReasonKind",
    "Risk",
    "RiskAction",
    "RiskMethod",
    "RiskSnapshot",
    "SoARevision",
    "Treatment",
]
