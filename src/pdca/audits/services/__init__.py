"""Every write of the audits app. Planning, checklists and findings live in submodules; this
package re-exports them so callers write `from pdca.audits import services`."""

from pdca.audits.services.checklist import (
    AnswerResult,
    answer_submit,
    checklist_generate,
    conflict_resolve,
    is_on_team,
    photo_add,
    question_remove,
    question_save,
    template_apply,
    template_save,
)
from pdca.audits.services.findings import (
    finding_acknowledge,
    finding_raise_nonconformity,
    finding_record,
    finding_refusal_record,
    report_sign,
    signing_problems,
)
from pdca.audits.services.planning import (
    audit_save,
    audit_set_status,
    independence_check,
    independence_problems,
    programme_save,
    schedule_add,
)

__all__ = [
    "AnswerResult",
    "answer_submit",
    "audit_save",
    "audit_set_status",
    "checklist_generate",
    "conflict_resolve",
    "finding_acknowledge",
    "finding_raise_nonconformity",
    "finding_record",
    "finding_refusal_record",
    "independence_check",
    "independence_problems",
    "is_on_team",
    "photo_add",
    "programme_save",
    "question_remove",
    "question_save",
    "report_sign",
    "schedule_add",
    "signing_problems",
    "template_apply",
    "template_save",
]
