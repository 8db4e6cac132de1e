from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class RisksConfig(modules.DomainAppConfig):
    name = "pdca.risks"
    label = "risks"
    url_prefix = "risks"
    verbose_name = _("Risks and opportunities")

    def ready(self) -> None:
        from pdca.core.navigation import NavItem, register_nav
        from pdca.risks import actions, policies  # noqa: F401  (registrations)
        from pdca.risks.corrective import nc_section
        from pdca.risks.selectors import soa_risk_reasons
        from pdca.risks.soa import approved_standards, soa_other_reasons
        from pdca.standards.registry import (
            register_nc_section,
            register_soa_approval,
            register_soa_reasons,
        )

        register_nav(
            NavItem(
                _("Context and interested parties"),
                "risks:context",
                "risks.view",
                order=55,
                icon="building-2",
            ),
            NavItem(
                _("Risks and opportunities"),
                "risks:list",
                "risks.view",
                order=60,
                icon="circle-alert",
            ),
            NavItem(
                _("Risk assessments"),
                "risks:runs",
                "risks.view",
                order=61,
                icon="shield-check",
            ),
        )
        register_soa_reasons(soa_risk_reasons)
        register_soa_reasons(soa_other_reasons)
        register_soa_approval(approved_standards)
        register_nc_section(nc_section)
        self._register_readiness()
        self._register_due()
        from celery.schedules import crontab

        from pdca.core.background import register_periodic

        # Shortly before midnight: the day's last counts, for the heat map's trends.
        register_periodic(
            "risks.register_snapshot",
            "pdca.risks.tasks.snapshot_register",
            crontab(hour=23, minute=45),
        )
        from django.apps import apps

        if apps.is_installed("pdca.reviews"):
            from pdca.risks import providers

            providers.register()  # the management review's inputs this module compiles

    def _register_readiness(self) -> None:
        from django.db.models import Q

        from pdca.risks.readiness import risks_gate, run_editions, soa_gate
        from pdca.standards.gates import register_gate
        from pdca.standards.registry import register_evidence_kind, register_record_source

        # Replaces the "not yet possible" gate of the same code.
        register_gate(
            "risks",
            _("Risk assessment done, treatment plan approved, residual risks accepted"),
            risks_gate,
            order=80,
            applies=lambda edition: edition.standard.code == "iso27001",
        )
        # The approved revision decides whether the Statement is complete.
        register_gate(
            "soa",
            _("Statement of Applicability complete and approved"),
            soa_gate,
            order=70,
            applies=lambda edition: edition.standard.code == "iso27001",
        )
        # Evidence for 4.1, 4.2, 6.1, 27001 6.1.2 and 6.1.3 ("maintain") while current, and
        # the assessment runs for 8.2 and 8.3 ("retain").
        register_evidence_kind("risks.riskmethod", "maintain", valid=Q(status="approved"))
        register_evidence_kind("risks.contextprofile", "maintain")
        register_evidence_kind("risks.contextissue", "maintain", valid=Q(status="active"))
        register_evidence_kind("risks.interestedparty", "maintain", valid=Q(is_active=True))
        register_evidence_kind("risks.risk", "maintain", valid=Q(status="open"))
        register_evidence_kind("risks.assessmentrun", "retain")
        register_evidence_kind("risks.soarevision", "maintain")
        register_record_source("6.1", editions=run_editions)

    def _register_due(self) -> None:
        from pdca.core.due import register_due_source
        from pdca.risks.due import risk_actions_due, risk_reviews_due

        register_due_source(
            "risks.review", _("Risk review"), risk_reviews_due, permission="risks.view", order=40
        )
        register_due_source(
            "risks.action",
            _("Action on a risk"),
            risk_actions_due,
            permission="risks.view",
            order=41,
        )
