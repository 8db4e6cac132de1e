from .audit import Audit, AuditProgramme, ScheduleEntry
from .checklist import (
    ChecklistAnswerRevision,
    ChecklistPhoto,
    ChecklistQuestion,
    ChecklistTemplate,
    ChecklistTemplateItem,
)
from .finding import AuditReport, Finding

__all__ = [
    "Audit",
    "AuditProgramme",
    "AuditReport",
    "ChecklistAnswerRevision",
    "ChecklistPhoto",
    "ChecklistQuestion",
    "ChecklistTemplate",
    "ChecklistTemplateItem",
    "Finding",
    "ScheduleEntry",
]
