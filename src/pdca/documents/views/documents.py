"""The master list, a document's page, creating and editing documents, the reading list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core.access import get_object_for
from pdca.core.paging import quick_page
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.typing import OrgRequest
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.jobs import start_job_response
from pdca.core.views.organization import apply_errors
from pdca.documents import selectors, services
from pdca.documents.exports import MASTER_LIST_KIND, master_list_parameters
from pdca.documents.forms import (
    REVIEW_CHOICES,
    DistributionForm,
    DocumentForm,
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
from pdca.standards.evidence import clauses_for


def _filters(view: OrgView) -> tuple[MasterListFilter, dict]:
    form = MasterListFilter(view.request.GET or None, organization=view.org)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if view.request.GET.get("awaiting") == "me":
        data = {**data, "awaiting": True}
    return form, data


class DocumentListView(OrgView):
    permission = "documents.view"

    def get(self, request: OrgRequest, org: str) -> HttpResponse:
        form, data = _filters(self)
        qs = selectors.master_list(self.membership, data)
        if data.get("awaiting"):
            qs = qs.filter(
                pk__in=selectors.awaiting_signature(self.membership).values("document_id")
            )
        page = quick_page(qs, request.GET.get("page"))
        context = {
            "page": page,
            "form": form,
            "choices": {
                "doc_type": DocType.choices,
                "status": DocumentStatus.choices,
                "review": REVIEW_CHOICES,
                "owner": [
                    (str(pk), name or email)
                    for pk, name, email in form.fields["owner"].queryset.values_list(  # type: ignore[attr-defined]
                        "pk", "full_name", "email"
                    )
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
            "filtered": bool(data),
        }
        template = "documents/_document_rows.html" if request.htmx else "documents/list.html"
        return render(request, template, context)


class DocumentExportView(OrgView):
    """The master list as a spreadsheet, made on a worker: 20,000 documents take a while."""

    permission = "documents.export"

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        return start_job_response(self, MASTER_LIST_KIND, master_list_parameters(request.GET))


class DocumentCreateView(OrgView):
    permission = "documents.edit"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        form = NewDocumentForm(organization=self.org, initial={"owner": request.user.pk})
        return render(request, "documents/form.html", {"form": form, "title": _("New document")})

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        form = NewDocumentForm(request.POST, request.FILES, organization=self.org)
        if form.is_valid():
            data = form.cleaned_data
            data.pop("version", None)
            try:
                doc = services.document_create(
                    actor=acting_user(request),
                    organization=self.org,
                    upload=data.pop("file"),
                    **data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("%(n)s was created as a draft.") % {"n": doc.number})
                return redirect("documents:detail", org=org, pk=doc.pk)
        return render(
            request, "documents/form.html", {"form": form, "title": _("New document")}, status=400
        )


class DocumentEditView(OrgView):
    permission = "documents.edit"

    def _form(self, doc: Document, data: object = None) -> DocumentForm:
        initial = {
            "doc_type": doc.doc_type,
            "number": doc.number,
            "title": doc.title,
            "owner": doc.owner_id,
            "department": doc.department_id,
            "process": doc.process_id,
            "confidentiality": doc.confidentiality,
            "allowed_roles": doc.allowed_roles,
            "review_interval_months": doc.review_interval_months,
            "reviewers": list(doc.reviewers.all()),
            "approvers": list(doc.approvers.all()),
            "clauses": clauses_for(doc.organization, doc),
            "version": doc.version,
        }
        return DocumentForm(data, organization=self.org, initial=initial)  # type: ignore[arg-type]

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        doc = get_object_for(request, Document, "documents.edit", pk=pk)
        ctx = {
            "form": self._form(doc),
            "title": _("Edit %(n)s") % {"n": doc.number},
            "document": doc,
        }
        return render(request, "documents/form.html", ctx)

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        doc = get_object_for(request, Document, "documents.edit", pk=pk)
        form = self._form(doc, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version") or 0
            try:
                services.document_update(
                    actor=acting_user(request),
                    document=doc,
                    version=version,
                    **data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("documents:detail", org=org, pk=doc.pk)
        ctx = {"form": form, "title": _("Edit %(n)s") % {"n": doc.number}, "document": doc}
        return render(request, "documents/form.html", ctx, status=400)


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
        return render(request, "documents/detail.html", context)


class DistributionView(OrgView):
    permission = "documents.manage"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        doc = get_object_for(request, Document, "documents.manage", pk=pk)
        rows = list(doc.distribution.all())
        form = DistributionForm(
            organization=self.org,
            initial={
                "roles": [r.role for r in rows if r.role],
                "departments": [r.department_id for r in rows if r.department_id],
                "users": [r.user_id for r in rows if r.user_id],
            },
        )
        return render(request, "documents/distribution.html", {"form": form, "document": doc})

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        doc = get_object_for(request, Document, "documents.manage", pk=pk)
        form = DistributionForm(request.POST, organization=self.org)
        if form.is_valid():
            services.distribution_set(actor=acting_user(request), document=doc, **form.cleaned_data)
            messages.success(
                request, _("Distribution saved. It applies from the next effective revision.")
            )
            return redirect("documents:detail", org=org, pk=doc.pk)
        return render(
            request, "documents/distribution.html", {"form": form, "document": doc}, status=400
        )


class ReadingListView(OrgView):
    permission = "documents.read_list"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        page = self.paginate(selectors.reading_list(self.membership))
        return render(request, "documents/reading.html", {"page": page})


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


class NumberingView(OrgView):
    """The numbering scheme of each document type: prefix and zero-padded counter."""

    permission = "documents.manage"

    def _render(self, request: HttpRequest, form: SchemeForm, status: int = 200) -> HttpResponse:
        schemes = {s.doc_type: s for s in NumberingScheme.objects.filter(organization=self.org)}
        rows = [
            (
                label,
                schemes.get(value)
                or NumberingScheme(doc_type=value, prefix=DEFAULT_PREFIXES[DocType(value)]),
            )
            for value, label in DocType.choices
        ]
        return render(
            request, "documents/numbering.html", {"rows": rows, "form": form}, status=status
        )

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        return self._render(request, SchemeForm())

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        form = SchemeForm(request.POST)
        if form.is_valid():
            try:
                d = form.cleaned_data
                services.scheme_save(
                    actor=acting_user(request),
                    organization=self.org,
                    doc_type=d["doc_type"],
                    prefix=d["letters"],
                    digits=d["digits"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Numbering saved. It applies to new documents."))
                return redirect("documents:numbering", org=org)
        return self._render(request, form, status=400)
