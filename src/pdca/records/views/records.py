"""The records register: list and disposal queue, a record's page, keeping records, types."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for
from pdca.core.downloads import stored_file_response
from pdca.core.paging import quick_page
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.typing import OrgRequest
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.organization import apply_errors
from pdca.records import selectors, services
from pdca.records.forms import (
    AttachForm,
    DisposeForm,
    HoldForm,
    RecordCorrectForm,
    RecordFilter,
    RecordForm,
    RecordTypeForm,
)
from pdca.records.models import Attachment, Record, RecordType
from pdca.standards.evidence import clauses_for


def records() -> QuerySet[Record]:
    """Records with what their pages show, built per request: the scoped manager limits them
    to the request's organization (and refuses to run outside one)."""
    return Record.objects.select_related(
        "record_type", "record_type__owner", "created_by", "disposed_by"
    )


class RecordConfirmView(ConfirmView):
    def load(self, pk: int) -> Record:
        return get_object_for(self.request, records(), self.permission, pk=pk)


class RecordListView(OrgView):
    permission = "records.view"

    def get(self, request: OrgRequest, org: str) -> HttpResponse:
        types = selectors.visible_types(self.membership)
        form = RecordFilter(request.GET or None, types=types)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        page = quick_page(selectors.record_list(self.membership, data), request.GET.get("page"))
        context = {
            "page": page,
            "form": form,
            "filtered": bool(data),
            "queue": data.get("queue", ""),
            "today": timezone.localdate(),
            "can_edit": can(self.membership, "records.edit"),
            "can_manage": can(self.membership, "records.manage"),
        }
        template = "records/_record_rows.html" if request.htmx else "records/list.html"
        return render(request, template, context)


class RecordCreateView(OrgView):
    permission = "records.edit"

    def _types(self):  # type: ignore[no-untyped-def]
        return selectors.visible_types(self.membership)

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        form = RecordForm(types=self._types(), initial={"date": timezone.localdate()})
        return render(request, "records/form.html", {"form": form, "title": _("Keep a record")})

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        form = RecordForm(request.POST, request.FILES, types=self._types())
        if form.is_valid():
            d = form.cleaned_data
            try:
                record = services.record_create(
                    actor=acting_user(request),
                    organization=self.org,
                    record_type=d["record_type"],
                    title=d["title"],
                    reference=d["reference"],
                    date=d["date"],
                    uploads=d["uploads"],
                )
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    error = ValidationError({"uploads": error.messages})
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("Record kept until %(d)s.") % {"d": record.retention_until}
                )
                return redirect("records:detail", org=org, pk=record.pk)
        return render(
            request, "records/form.html", {"form": form, "title": _("Keep a record")}, status=400
        )


class RecordDetailView(OrgView):
    permission = "records.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        record = get_object_for(request, records(), "records.view", pk=pk)
        today = timezone.localdate()
        linked = None
        if record.content_type is not None and record.object_id is not None:
            model = record.content_type.model_class()
            if model is not None:
                linked = model._default_manager.filter(pk=record.object_id).first()
        context = {
            "record": record,
            "attachments": list(record.attachments.all()),
            "linked": linked,
            "clauses": clauses_for(record.organization, record),
            "history": object_history(record),
            "today": today,
            "due": record.is_due_for_disposal(today),
            "can_edit": can(self.membership, "records.edit") and record.status == "kept",
            "can_hold": can(self.membership, "records.hold"),
            "can_dispose": can(self.membership, "records.dispose")
            and record.can_be_disposed(today),
            "attach_form": AttachForm(),
        }
        return render(request, "records/detail.html", context)


class RecordCorrectView(RecordConfirmView):
    permission = "records.edit"
    form_class = RecordCorrectForm
    template_name = "records/correct.html"
    context_name = "record"
    success_route = "records:detail"
    success_message = gettext_lazy("The record was corrected.")

    def initial(self, obj: Record) -> dict[str, Any]:
        return {
            "title": obj.title,
            "reference": obj.reference,
            "date": obj.date,
            "version": obj.version,
        }

    def act(self, obj: Record, form: Any) -> None:
        data = form.cleaned_data
        services.record_correct(
            actor=acting_user(self.request),
            record=obj,
            expected_version=data["version"],
            reason=data["reason"],
            title=data["title"],
            reference=data["reference"],
            date=data["date"],
        )


class AttachView(OrgView):
    permission = "records.edit"

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        record = get_object_for(request, records(), "records.edit", pk=pk)
        form = AttachForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attachment_add(
                    actor=acting_user(request), record=record, upload=form.cleaned_data["file"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("File attached."))
        else:
            messages.error(request, _("Choose a file to attach."))
        return redirect("records:detail", org=org, pk=record.pk)


class AttachmentView(OrgView):
    permission = "records.download"

    def get(self, request: HttpRequest, org: str, pk: int) -> FileResponse:
        att = get_object_for(
            request,
            Attachment.objects.select_related("record__record_type"),
            "records.download",
            pk=pk,
        )
        if not att.file:
            raise Http404("This file was removed when the record was disposed of.")
        return stored_file_response(str(att.file.name), att.file_name)


class HoldView(RecordConfirmView):
    """Place a legal hold, or release it when the record is already held."""

    permission = "records.hold"
    form_class = HoldForm
    template_name = "records/hold.html"
    context_name = "record"
    success_route = "records:detail"

    def act(self, obj: Record, form: Any) -> None:
        service = services.legal_hold_release if obj.legal_hold else services.legal_hold_place
        service(actor=acting_user(self.request), record=obj, reason=form.cleaned_data["reason"])


class DisposeView(RecordConfirmView):
    permission = "records.dispose"
    form_class = DisposeForm
    template_name = "records/dispose.html"
    context_name = "record"
    success_route = "records:detail"
    success_message = gettext_lazy("The record was disposed of; its metadata is kept.")

    def act(self, obj: Record, form: Any) -> None:
        services.record_dispose(actor=acting_user(self.request), record=obj, **form.cleaned_data)


class RecordTypeListView(OrgView):
    permission = "records.view"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        page = self.paginate(
            selectors.visible_types(self.membership).select_related("owner").order_by("name")
        )
        return render(
            request,
            "records/types.html",
            {"page": page, "can_manage": can(self.membership, "records.manage")},
        )


class RecordTypeEditView(OrgView):
    permission = "records.manage"

    def _load(self, request: HttpRequest, pk: int | None) -> RecordType | None:
        return get_object_for(request, RecordType, "records.manage", pk=pk) if pk else None

    def _initial(self, rtype: RecordType | None) -> dict:
        if rtype is None:
            return {"is_active": True, "owner": self.request.user.pk, "retention_months": 36}
        return {
            "name": rtype.name,
            "owner": rtype.owner_id,
            "location": rtype.location,
            "retention_months": rtype.retention_months,
            "disposal_method": rtype.disposal_method,
            "confidentiality": rtype.confidentiality,
            "allowed_roles": rtype.allowed_roles,
            "clauses": clauses_for(rtype.organization, rtype),
            "is_active": rtype.is_active,
            "version": rtype.version,
        }

    def get(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        rtype = self._load(request, pk)
        form = RecordTypeForm(organization=self.org, initial=self._initial(rtype))
        return render(
            request, "records/form.html", {"form": form, "title": rtype or _("New record type")}
        )

    def post(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        rtype = self._load(request, pk)
        form = RecordTypeForm(request.POST, organization=self.org, initial=self._initial(rtype))
        form.fields["version"].required = rtype is not None  # an edit names what it changes
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.record_type_save(
                    actor=acting_user(request),
                    organization=self.org,
                    record_type=rtype,
                    version=version,
                    **data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect("records:types", org=org)
        return render(
            request,
            "records/form.html",
            {"form": form, "title": rtype or _("New record type")},
            status=400,
        )
