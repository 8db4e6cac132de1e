from typing import Any

from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class EhsConfig(modules.DomainAppConfig):
    name = "pdca.ehs"
    label = "ehs"
    url_prefix = "ehs"
    verbose_name = _("Environmental aspects")

    def ready(self) -> None:
        from pdca.core.navigation import NavItem, register_nav
        from pdca.ehs import actions, policies  # noqa: F401  (registrations)

        register_nav(
            NavItem(_("Environmental aspects"), "ehs:aspects", "ehs.view", order=35, icon="map")
        )
        register_nav(
            NavItem(_("Hazards"), "ehs:hazards", "ehs.view", order=36, icon="triangle-alert")
        )
        register_nav(
            NavItem(_("Incidents"), "ehs:incidents", "ehs.view", order=37, icon="circle-alert")
        )
        register_nav(
            NavItem(
                _("Worker participation"), "ehs:participation", "ehs.view", order=38, icon="users"
            )
        )
        from pdca.core.due import register_due_source
        from pdca.ehs.due import (
            aspect_reviews_due,
            controls_due,
            hazard_reviews_due,
            investigations_due,
        )

        register_due_source(
            "ehs.aspect_review",
            _("Aspect review"),
            aspect_reviews_due,
            permission="ehs.view",
            order=48,
        )
        register_due_source(
            "ehs.hazard_review",
            _("Hazard review"),
            hazard_reviews_due,
            permission="ehs.view",
            order=49,
        )
        register_due_source(
            "ehs.control",
            _("Control on a hazard"),
            controls_due,
            permission="ehs.view",
            order=50,
        )
        register_due_source(
            "ehs.investigation",
            _("Incident investigation"),
            investigations_due,
            permission="ehs.view",
            order=51,
        )
        from django.db.models import Q

        from pdca.ehs.models import EntryStatus
        from pdca.standards.registry import register_evidence_kind, register_nc_source

        # The register of aspects is the 6.1.2 information to maintain while current.
        register_evidence_kind("ehs.aspect", "maintain", valid=Q(status=EntryStatus.ACTIVE))
        # The hazard register is the 45001 6.1.2 and 8.1.2 information while current.
        register_evidence_kind("ehs.hazard", "maintain", valid=Q(status=EntryStatus.ACTIVE))
        # An investigated incident is the 45001 10.2 record to retain.
        register_evidence_kind("ehs.incident", "retain", valid=~Q(status="reported"))
        register_nc_source("ehs.incident", link=incident_link)
        from pdca.compliance.services import register_on_change
        from pdca.ehs.services import review_after_obligation_change

        # A new version of an obligation asks for the review of the aspects it applies to.
        register_on_change(review_after_obligation_change)
        from pdca.ehs import metrics

        metrics.register()  # what it computes for KPIs (core.metrics)
        from django.apps import apps

        if apps.is_installed("pdca.people"):
            from pdca.ehs import awareness

            # Awareness items on significant aspects and on hazards list the current ones.
            awareness.register()
        if apps.is_installed("pdca.reviews"):
            from pdca.ehs import providers

            providers.register()  # the management review's inputs this module compiles


def incident_link(incident: Any) -> tuple[str, str, dict[str, Any]]:
    label = _("incident %(ref)s: %(place)s") % {"ref": incident.reference, "place": incident.place}
    return str(label), "ehs:incident", {"pk": incident.pk}
