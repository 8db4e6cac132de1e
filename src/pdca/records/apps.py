from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class RecordsConfig(modules.DomainAppConfig):
    name = "pdca.records"
    label = "records"
    url_prefix = "records"
    verbose_name = _("Records")

    def ready(self) -> None:
        from pdca.core.attention import register_attention
        from pdca.core.navigation import NavItem, register_nav
        from pdca.records import actions, policies  # noqa: F401  (registrations)
        from pdca.records.selectors import records_attention

        register_nav(
            NavItem(_("Records"), "records:list", "records.view", order=32, icon="archive")
        )
        register_attention(records_attention, order=31)
        from pdca.core.due import register_due_source
        from pdca.records.due import retention_ends_due

        register_due_source(
            "records.retention",
            _("Retention ends"),
            retention_ends_due,
            permission="records.view",
            order=40,
            reminders=False,  # its own notice, per record type
        )
        from celery.schedules import crontab

        from pdca.core.background import register_periodic
        from pdca.records import notifications

        notifications.register()
        register_periodic(
            "records.retention_passed",
            "pdca.records.tasks.notify_retention_passed",
            crontab(hour=5, minute=50),
        )
        try:
            from pdca.standards.registry import register_evidence_kind
        except ImportError:  # the standards app's hook is not there yet
            return
        from django.db.models import Q

        from pdca.records.models import RecordStatus

        # A disposed record is no longer retained.
        register_evidence_kind("records.record", "retain", valid=Q(status=RecordStatus.KEPT))
