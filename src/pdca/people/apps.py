from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class PeopleConfig(modules.DomainAppConfig):
    name = "pdca.people"
    label = "people"
    url_prefix = "competence"
    verbose_name = _("People and competence")

    def ready(self) -> None:
        from pdca.core.attention import register_attention
        from pdca.core.due import register_due_source
        from pdca.core.navigation import NavItem, register_nav
        from pdca.people import actions, due, metrics, notifications, policies  # noqa: F401
        from pdca.people.selectors import people_attention

        metrics.register()  # what it computes for KPIs (core.metrics)

        register_nav(
            NavItem(_("Competence"), "people:matrix", "people.view", order=34, icon="user-check")
        )
        register_attention(people_attention, order=34)
        from pdca.core.jobs import JobKind, register_job_kind
        from pdca.people.exports import MATRIX_KIND, matrix_job

        register_job_kind(JobKind(MATRIX_KIND, _("Competence matrix"), "people.view", matrix_job))
        notifications.register()
        from pdca.documents.hooks import register_effective_hook
        from pdca.people.revisions import on_revision_effective

        register_effective_hook(on_revision_effective)
        from pdca.audits.qualification import register_auditor_check
        from pdca.people.selectors import auditor_qualifications

        register_auditor_check(auditor_qualifications)
        register_due_source(
            "people.renewal", _("Competence expires"), due.renewals_due, permission="people.view"
        )
        register_due_source(
            "people.session", _("Training session"), due.sessions_due, permission="people.view"
        )
        register_due_source(
            "people.evaluation",
            _("Evaluate training effectiveness"),
            due.evaluations_due,
            permission="people.view",
        )
        from django.db.models import Q

        from pdca.people.models import RecordStatus
        from pdca.people.selectors import competence_evidence_editions
        from pdca.standards.registry import register_evidence_kind, register_record_source

        # Competence records are retained evidence of competence (7.2 d) while they are valid.
        register_evidence_kind(
            "people.competencerecord",
            "retain",
            valid=Q(status=RecordStatus.VALID),
            label_related=("person__membership__user", "competence"),
        )
        register_record_source("7.2", editions=competence_evidence_editions)
        from pdca.people.selectors import awareness_evidence_editions

        # Awareness items (with their acknowledgements) are retained evidence of awareness (7.3).
        register_evidence_kind("people.awarenessitem", "retain")
        register_record_source("7.3", editions=awareness_evidence_editions)
