"""The master list, a document's page, creating and editing documents, the reading list."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.jobs import start_job_response
from pdca.core.views.lists import ListView
from pdca.documents import external, selectors, services
from pdca.documents.exports import MASTER_LIST_KIND, master_list_parameters
from pdca.documents.forms import (
    REVIEW_CHOICES,
    DistributionForm,
    DocumentForm,
    ExternalEditForm,
    MasterListFilter,
    NewDocumentForm,
    SchemeForm,
)
from pdca.documents.models import (
    DEFAULT_PREFIXES,
    Acknowledgement,
    DocType,
    Document,
    DocumentStatus,
    NumberingScheme,
)
from pdca.documents.rendering import render_markdown
from pdca.documents.views.revisions import signing_turn
from pdca.standards.evidence import clauses_for

# What the edit form of a document of external origin starts from.
EXTERNAL_EDIT_FIELDS = (
    "title",
    "number",
    "owner",
    "department",
    "process",
    "confidentiality",
    "historic_retention_months",
    *services.EXTERNAL_DETAIL_FIELDS,
    "version",
)


def _filters(view: OrgView) -> tuple[MasterListFilter, dict]:
    form = MasterListFilter(view.request.GET or None, organization=view.org)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if view.request.GET.get("awaiting") in ("me", "reviewers"):
        data = {**data, "awaiting": view.request.GET["awaiting"]}
    return form, data


class DocumentListView(ListView):
    permission = "documents.view"
    template_name = "documents/list.html"
    rows_template = "documents/_document_rows.html"
    filters_name = "form"

    def filters(self) -> tuple[MasterListFilter, dict]:
        return _filters(self)

    def rows(self, data: dict[str, Any]) -> Any:
        qs = selectors.master_list(self.membership, data)
        if data.get("awaiting"):
            queue = (
                selectors.awaiting_reviewers
                if data["awaiting"] == "reviewers"
                else selectors.awaiting_signature
            )
            qs = qs.filter(pk__in=queue(self.membership).values("document_id"))
        return qs

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        request = self.request
        owners = self.filters_form.fields["owner"].queryset  # type: ignore[attr-defined]
        return {
            "choices": {
                "doc_type": DocType.choices,
                "status": DocumentStatus.choices,
                "review": REVIEW_CHOICES,
                "owner": [
                    (str(pk), name or email)
                    for pk, name, email in owners.values_list("pk", "full_name", "email")
                ],
            },
            "current": {
                k: request.GET.get(k, "")
                for k in ("doc_type", "status", "owner", "clause", "review")
            },
            "query": request.GET.urlencode().replace("page=", "_p="),
            "today": timezone.localdate(),
            "can_edit": can(self.membership, "documents.edit"),
            "can_manage": can(self.membership, "documents.manage"),
        }


class DocumentExportView(OrgView):
    """The master list as a spreadsheet, made on a worker: 20,000 documents take a while."""

    permission = "documents.export"

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        return start_job_response(self, MASTER_LIST_KIND, master_list_parameters(request.GET))


class DocumentCreateView(FormView):
    permission = "documents.edit"
    form_class = NewDocumentForm
    template_name = "documents/form.html"
    form_takes = ("organization",)
    error_status = 400
    files = True
    success_route = "documents:detail"

    def initial(self, obj: None) -> dict[str, Any]:
        return {"owner": self.request.user.pk}

    def context(self, obj: None) -> dict[str, Any]:
        return {"title": _("New document")}

    def act(self, obj: None, form: Any) -> Document:
        data = form.cleaned_data
        data.pop("version", None)
        return services.document_create(
            actor=acting_user(self.request),
            organization=self.org,
            upload=data.pop("file"),
            **data,
        )

    def message(self, obj: Document, form: Any) -> str:
        return _("%(n)s was created as a draft.") % {"n": obj.number}


class DocumentEditView(FormView):
    permission = "documents.edit"
    model = Document
    form_class: type[forms.BaseForm] = DocumentForm
    template_name = "documents/form.html"
    form_takes = ("organization", "initial")
    error_status = 400
    context_name = "document"
    success_route = "documents:detail"
    success_message = gettext_lazy("Saved.")
    initial_fields = (
        # The form has no next review date: the review interval sets it.
        *(name for name in services.DOCUMENT_FIELDS if name != "next_review_date"),
        *("reviewers", "approvers", "version"),
    )

    def make_form(self, obj: Document, data: Any = None) -> Any:
        if obj.is_external:  # its register entry, not an authored document's review and approval
            self.form_class = ExternalEditForm
            self.initial_fields = EXTERNAL_EDIT_FIELDS
        return super().make_form(obj, data)

    def initial(self, obj: Document) -> dict[str, Any]:
        return {**super().initial(obj), "clauses": clauses_for(obj.organization, obj)}

    def context(self, obj: Document) -> dict[str, Any]:
        return {"title": _("Edit %(n)s") % {"n": obj.number}}

    def act(self, obj: Document, form: Any) -> None:
        version, data = versioned(form)
        update = external.external_details_update if obj.is_external else services.document_update
        update(actor=acting_user(self.request), document=obj, version=version or 0, **data)


class DocumentDetailView(OrgView):
    permission = "documents.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        doc = get_object_for(
            request,
            Document.objects.select_related(
                "owner", "department", "process", "current_revision", "latest_revision"
            ),
            "documents.view",
            pk=pk,
        )
        page = selectors.document_page(doc)
        current = doc.current_revision
        if current is not None:  # the page shows the current text: the reader opened it
            current.document = doc
            services.reading_opened(actor=acting_user(request), revision=current)
        shown = current or doc.latest_revision
        m = self.membership
        context = {
            "document": doc,
            "shown": shown,
            "html": render_markdown(shown.text) if shown else "",
            "revisions": page["revisions"],
            "clauses": clauses_for(doc.organization, doc),
            "reviewers": list(doc.reviewers.all()),
            "approvers": list(doc.approvers.all()),
            "distribution": list(doc.distribution.select_related("department", "user")),
            "reading": selectors.acknowledgement_summary(current),
            "my_ack": Acknowledgement.objects.filter(
                revision=current, user=acting_user(request), acknowledged_at__isnull=True
            ).first()
            if current
            else None,
            "history": object_history(doc),
            "today": timezone.localdate(),
            "review_state": doc.review_state(timezone.localdate()),
            "can_edit": can(m, "documents.edit"),
            "can_release": can(m, "documents.release"),
            "can_manage": can(m, "documents.manage"),
            "open_revision": next(
                (r for r in page["revisions"] if r.status in services.OPEN_STATUSES), None
            ),
        }
        open_revision = context["open_revision"]
        if open_revision is not None:
            open_revision.document = doc
            context["turn"] = signing_turn(m, open_revision)
        return render(request, "documents/detail.html", context)


class DistributionView(ConfirmView):
    permission = "documents.manage"
    model = Document
    form_class = DistributionForm
    template_name = "documents/distribution.html"
    form_takes = ("organization",)
    error_status = 400
    context_name = "document"
    success_route = "documents:detail"
    success_message = gettext_lazy(
        "Distribution saved. It applies from the next effective revision."
    )

    def initial(self, obj: Document) -> dict[str, Any]:
        rows = list(obj.distribution.all())
        return {
            "roles": [r.role for r in rows if r.role],
            "departments": [r.department_id for r in rows if r.department_id],
            "users": [r.user_id for r in rows if r.user_id],
        }

    def act(self, obj: Document, form: Any) -> None:
        services.distribution_set(
            actor=acting_user(self.request), document=obj, **form.cleaned_data
        )


class ReadingListView(ListView):
    permission = "documents.read_list"
    template_name = "documents/reading.html"
    rows_template = "documents/reading.html"
    counted = True

    def rows(self, data: dict[str, Any]) -> Any:
        return selectors.reading_list(self.membership)


class AcknowledgeView(OrgView):
    permission = "documents.acknowledge"

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        ack = get_object_for(
            request,
            Acknowledgement.objects.select_related("revision"),
            "documents.acknowledge",
            pk=pk,
        )
        try:
            services.acknowledgement_confirm(actor=acting_user(request), acknowledgement=ack)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Recorded: you have read %(r)s.") % {"r": ack.revision})
        if request.POST.get("back") == "document":
            return redirect("documents:detail", org=org, pk=ack.revision.document_id)
        return redirect("documents:reading", org=org)


class NumberingView(FormView):
    """The numbering scheme of each document type: prefix and zero-padded counter."""

    permission = "documents.manage"
    form_class = SchemeForm
    template_name = "documents/numbering.html"
    error_status = 400
    success_message = gettext_lazy("Numbering saved. It applies to new documents.")
    success_route = "documents:numbering"
    success_pk = False

    def context(self, obj: None) -> dict[str, Any]:
        schemes = {s.doc_type: s for s in NumberingScheme.objects.filter(organization=self.org)}
        rows = [
            (
                label,
                schemes.get(value)
                or NumberingScheme(doc_type=value, prefix=DEFAULT_PREFIXES[DocType(value)]),
            )
            for value, label in DocType.choices
        ]
        return {"rows": rows}

    def act(self, obj: None, form: Any) -> None:
        d = form.cleaned_data
        services.scheme_save(
            actor=acting_user(self.request),
            organization=self.org,
            doc_type=d["doc_type"],
            prefix=d["letters"],
            digits=d["digits"],
        )
