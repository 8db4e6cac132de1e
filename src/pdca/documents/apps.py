from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class DocumentsConfig(modules.DomainAppConfig):
    name = "pdca.documents"
    label = "documents"
    url_prefix = "documents"
    verbose_name = _("Document control")

    def ready(self) -> None:
        from pdca.core.attention import register_attention
        from pdca.core.navigation import NavItem, register_nav
        from pdca.documents import actions, policies  # noqa: F401  (registrations)
        from pdca.documents.selectors import documents_attention

        register_nav(
            NavItem(_("Documents"), "documents:list", "documents.view", order=30, icon="file-text"),
            NavItem(
                _("My reading list"),
                "documents:reading",
                "documents.read_list",
                order=31,
                icon="book-open-check",
            ),
        )
        register_attention(documents_attention, order=30)
        from pdca.core.attention import register_onboarding_step
        from pdca.documents.selectors import onboarding_documents

        register_onboarding_step(onboarding_documents, order=50)
        from pdca.core.due import register_due_source
        from pdca.documents.due import document_reviews_due, edition_checks_due

        register_due_source(
            "documents.review",
            _("Document review"),
            document_reviews_due,
            permission="documents.view",
            order=10,
        )
        register_due_source(
            "documents.edition_check",
            _("Check for a new edition"),
            edition_checks_due,
            permission="documents.view",
            order=11,
        )
        from pdca.core.jobs import JobKind, register_job_kind
        from pdca.documents.exports import MASTER_LIST_KIND, master_list_job

        register_job_kind(
            JobKind(MASTER_LIST_KIND, _("Master list"), "documents.export", master_list_job)
        )
        from pdca.documents import notifications

        notifications.register()
        from pdca.documents import metrics

        metrics.register()  # what it computes for KPIs (core.metrics)
        try:
            from pdca.standards.registry import register_evidence_kind
        except ImportError:  # the standards app's hook is not there yet
            return
        from django.db.models import Q

        from pdca.documents.models import DocumentStatus

        # A draft or obsolete document is linked, but only an effective one is maintained.
        register_evidence_kind(
            "documents.document", "maintain", valid=Q(status=DocumentStatus.EFFECTIVE)
        )
