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
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, apply_errors, versioned
from pdca.core.views.lists import ListView
from pdca.records import selectors, services
from pdca.records.forms import (
    AttachForm,
    DisposeForm,
    HoldForm,
    RecordCorrectForm,
    RecordFilter,
    RecordForm,
    RecordTriggerForm,
    RecordTypeForm,
)
from pdca.records.models import KEEPS_FILES, Attachment, Record, RecordType
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


class RecordListView(ListView):
    permission = "records.view"
    template_name = "records/list.html"
    rows_template = "records/_record_rows.html"
    filter_class = RecordFilter
    filters_name = "form"

    def filter_kwargs(self) -> dict[str, Any]:
        return {"types": selectors.visible_types(self.membership)}

    def rows(self, data: dict[str, Any]) -> QuerySet[Record]:
        return selectors.record_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "queue": data.get("queue", ""),
            "today": timezone.localdate(),
            "can_edit": can(self.membership, "records.edit"),
            "can_manage": can(self.membership, "records.manage"),
        }


class RecordCreateView(FormView):
    permission = "records.edit"
    form_class = RecordForm
    template_name = "records/form.html"
    error_status = 400
    files = True
    success_route = "records:detail"

    def form_kwargs(self, obj: None) -> dict[str, Any]:
        return {"types": selectors.visible_types(self.membership)}

    def initial(self, obj: None) -> dict[str, Any]:
        return {"date": timezone.localdate()}

    def context(self, obj: None) -> dict[str, Any]:
        return {"title": _("Keep a record")}

    def act(self, obj: None, form: Any) -> Record:
        d = form.cleaned_data
        try:
            return services.record_create(
                actor=acting_user(self.request),
                organization=self.org,
                record_type=d["record_type"],
                title=d["title"],
                reference=d["reference"],
                date=d["date"],
                uploads=d["uploads"],
                trigger_date=d.get("trigger_date"),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            raise ValidationError({"uploads": error.messages}) from error

    def message(self, obj: Record, form: Any) -> str:
        if obj.retention_until is None:
            return _("Record kept; its retention starts at the %(event)s, to be entered then.") % {
                "event": obj.record_type.get_retention_trigger_display().lower()
            }
        return _("Record kept until %(d)s.") % {"d": obj.retention_until}


class RecordDetailView(OrgView):
    permission = "records.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        record = get_object_for(request, records(), "records.view", pk=pk)
        return self.show(request, record, AttachForm())

    def show(
        self, request: HttpRequest, record: Record, attach_form: Any, status: int = 200
    ) -> HttpResponse:
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
            "keeps_files": record.record_type.disposal_method in KEEPS_FILES,
            "can_hold": can(self.membership, "records.hold"),
            "can_dispose": can(self.membership, "records.dispose")
            and record.can_be_disposed(today),
            "attach_form": attach_form,
        }
        return render(request, "records/detail.html", context, status=status)


class RecordCorrectView(RecordConfirmView):
    permission = "records.edit"
    form_class = RecordCorrectForm
    template_name = "records/correct.html"
    context_name = "record"
    success_route = "records:detail"
    success_message = gettext_lazy("The record was corrected.")
    initial_fields = ("title", "reference", "date", "version")

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


class RecordTriggerView(RecordConfirmView):
    """Enter the event the retention runs from (the end of employment, …) once it happened."""

    permission = "records.edit"
    form_class = RecordTriggerForm
    template_name = "records/trigger.html"
    context_name = "record"
    success_route = "records:detail"
    success_message = gettext_lazy("The retention has started; the disposal date is set.")
    initial_fields = ("trigger_date", "version")

    def act(self, obj: Record, form: Any) -> None:
        services.record_trigger_set(
            actor=acting_user(self.request),
            record=obj,
            expected_version=form.cleaned_data["version"],
            trigger_date=form.cleaned_data["trigger_date"],
        )


class AttachView(RecordDetailView):
    """Attach a file; a refused one is shown next to the file input on the record's page."""

    permission = "records.edit"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        record = get_object_for(request, records(), "records.edit", pk=pk)
        form = AttachForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attachment_add(
                    actor=acting_user(request), record=record, upload=form.cleaned_data["file"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("File attached."))
                return redirect("records:detail", org=org, pk=record.pk)
        # The refusal is shown next to the file input, on the record's page.
        return self.show(request, record, form, status=400)


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


class RecordTypeListView(ListView):
    permission = "records.view"
    template_name = "records/types.html"
    rows_template = "records/types.html"
    counted = True

    def rows(self, data: dict[str, Any]) -> QuerySet[RecordType]:
        return selectors.visible_types(self.membership).select_related("owner").order_by("name")

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"can_manage": can(self.membership, "records.manage")}


class RecordTypeEditView(FormView):
    permission = "records.manage"
    model = RecordType
    form_class = RecordTypeForm
    initial_fields = (*services.TYPE_FIELDS, "version")
    template_name = "records/form.html"
    success_route = "records:types"
    success_pk = False
    form_takes = ("organization", "initial")
    error_status = 400

    def make_form(self, obj: RecordType | None, data: Any = None) -> Any:
        form = super().make_form(obj, data)
        form.fields["version"].required = obj is not None  # an edit names what it changes
        return form

    def initial(self, obj: RecordType | None) -> dict[str, Any]:
        if obj is None:
            return {"is_active": True, "owner": self.request.user.pk, "retention_months": 36}
        return {**super().initial(obj), "clauses": clauses_for(obj.organization, obj)}

    def context(self, obj: RecordType | None) -> dict[str, Any]:
        return {"title": obj or _("New record type")}

    def act(self, obj: RecordType | None, form: Any) -> RecordType:
        version, data = versioned(form)
        return services.record_type_save(
            actor=acting_user(self.request),
            organization=self.org,
            record_type=obj,
            version=version,
            **data,
        )
