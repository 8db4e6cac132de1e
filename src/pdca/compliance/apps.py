from typing import Any

from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class ComplianceConfig(modules.DomainAppConfig):
    name = "pdca.compliance"
    label = "compliance"
    url_prefix = "compliance"
    verbose_name = _("Compliance obligations")

    def ready(self) -> None:
        from pdca.compliance import actions, policies  # noqa: F401  (registrations)
        from pdca.core.navigation import NavItem, register_nav

        register_nav(
            NavItem(
                _("Legal requirements"),
                "compliance:list",
                "compliance.view",
                order=34,
                icon="scroll-text",
            )
        )
        self._register_due()
        self._register_readiness()
        from django.apps import apps

        if apps.is_installed("pdca.reviews"):
            from pdca.compliance import providers

            providers.register()  # the management review's inputs this module compiles

    @staticmethod
    def _register_due() -> None:
        from pdca.compliance import due
        from pdca.core.due import register_due_source

        register_due_source(
            "compliance.evaluation",
            _("Evaluation of compliance"),
            due.evaluations_due,
            permission="compliance.view",
            order=45,
        )
        register_due_source(
            "compliance.permit",
            _("Permit expires"),
            due.permits_expiring,
            permission="compliance.view",
            order=46,
        )
        register_due_source(
            "compliance.amendment_check",
            _("Check for amendments"),
            due.amendment_checks_due,
            permission="compliance.view",
            order=47,
        )

    @staticmethod
    def _register_readiness() -> None:
        from django.db.models import Q

        from pdca.compliance.gates import evaluation_of_compliance
        from pdca.compliance.models import EvaluationResult, ObligationStatus
        from pdca.standards.gates import register_gate
        from pdca.standards.registry import register_evidence_kind, register_nc_source

        # The register is the 6.1.3 information to maintain while an obligation is in force;
        # an evaluation that assessed compliance is the 9.1.2 record to retain.
        register_evidence_kind(
            "compliance.obligation", "maintain", valid=Q(status=ObligationStatus.ACTIVE)
        )
        register_evidence_kind(
            "compliance.evaluation",
            "retain",
            valid=~Q(result=EvaluationResult.NOT_ASSESSED),
            label_related=("obligation",),
        )
        register_nc_source("compliance.evaluation", link=evaluation_link)
        register_gate(
            "compliance",
            _("Evaluation of compliance done"),
            evaluation_of_compliance,
            order=60,
            applies=lambda edition: edition.standard.code in ("iso14001", "iso45001"),
        )


def evaluation_link(evaluation: Any) -> tuple[str, str, dict[str, Any]]:
    label = _("evaluation of compliance: %(title)s") % {"title": evaluation.obligation.title}
    return str(label), "compliance:detail", {"pk": evaluation.obligation_id}
