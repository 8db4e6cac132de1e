"""The incident register: the list, the short report (from a phone, with a photo), an
incident's page, the investigation, raising the corrective action, closing, the photo, the
export and the settings (who sees health details). Health details appear only for the roles
the organization names and the reporter, on every page and in the export."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from pdca.core import xlsx
from pdca.core.access import get_object_for
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.lists import ListView
from pdca.ehs import selectors
from pdca.ehs.forms import (
    IncidentCloseForm,
    IncidentFilter,
    IncidentInvestigationForm,
    IncidentReportForm,
    IncidentSettingsForm,
    RaiseActionForm,
)
from pdca.ehs.models import HEALTH_FIELDS, Incident, IncidentPhoto, IncidentStatus
from pdca.ehs.services import incidents as services

EXPORT_LIMIT = 5000


class IncidentListView(ListView):
    permission = "ehs.view"
    template_name = "ehs/incidents.html"
    rows_template = "ehs/_incident_rows.html"
    filter_class = IncidentFilter
    filters_name = "form"

    def rows(self, data: dict[str, Any]) -> QuerySet[Incident]:
        return selectors.incident_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "can_report": can(self.membership, "ehs.report"),
            "can_manage": can(self.membership, "ehs.manage"),
            "today": timezone.localdate(),
        }


class IncidentReportView(FormView):
    permission = "ehs.report"
    form_class = IncidentReportForm
    files = True
    template_name = "ehs/incident_report.html"
    success_route = "ehs:incident"
    success_message = gettext_lazy("Thank you: the incident is reported.")

    def initial(self, obj: None) -> dict[str, Any]:
        return {"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}

    def act(self, obj: None, form: Any) -> Incident:
        return services.incident_report(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )


def _health(view: OrgView, incident: Incident) -> bool:
    roles = services.settings_for(incident.organization).health_roles
    return selectors.may_see_health(view.membership, incident, roles)


class IncidentDetailView(OrgView):
    permission = "ehs.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        from pdca.improvement.selectors import raised_from

        incident = get_object_for(
            request,
            Incident.objects.select_related("reported_by", "lead", "worker_representative"),
            "ehs.view",
            pk=pk,
        )
        investigate = incident.status != IncidentStatus.CLOSED and can(
            self.membership, "ehs.investigate", incident
        )
        context = {
            "incident": incident,
            "health": _health(self, incident),
            "photos": list(incident.photos.only("pk", "name")),
            "hazards": list(incident.hazards.order_by("pk")),
            "aspects": list(incident.aspects.order_by("pk")),
            "nc": raised_from(incident),
            "history": object_history(incident),
            "can_investigate": investigate,
        }
        return render(request, "ehs/incident.html", context)


class IncidentInvestigateView(FormView):
    permission = "ehs.investigate"
    model = Incident
    form_class = IncidentInvestigationForm
    template_name = "ehs/incident_form.html"
    context_name = "incident"
    initial_fields = (
        *services.INVESTIGATION_FIELDS,
        *HEALTH_FIELDS,
        "hazards",
        "aspects",
        "version",
    )
    success_route = "ehs:incident"
    success_message = gettext_lazy("The investigation is recorded.")

    def form_kwargs(self, obj: Incident) -> dict[str, Any]:
        return {"organization": self.org, "health": _health(self, obj)}

    def initial(self, obj: Incident) -> dict[str, Any]:
        values = super().initial(obj)
        if not _health(self, obj):
            for name in HEALTH_FIELDS:
                values.pop(name, None)
        return values

    def context(self, obj: Incident) -> dict[str, Any]:
        return {"title": _("Investigate %(incident)s") % {"incident": obj.reference}}

    def act(self, obj: Incident, form: Any) -> Incident:
        version, data = versioned(form)
        return services.incident_investigate(
            actor=acting_user(self.request), incident=obj, version=version, **data
        )


class IncidentRaiseActionView(ConfirmView):
    permission = "ehs.investigate"
    model = Incident
    form_class = RaiseActionForm
    template_name = "ehs/incident_raise.html"
    context_name = "incident"
    success_message = gettext_lazy("The corrective action was raised as a nonconformity.")

    def act(self, obj: Incident, form: Any) -> Any:
        return services.incident_raise_action(actor=acting_user(self.request), incident=obj)

    def success_url(self, obj: Any) -> str:
        return reverse("improvement:detail", kwargs={"org": self.org.slug, "pk": obj.pk})


class IncidentCloseView(ConfirmView):
    permission = "ehs.investigate"
    model = Incident
    form_class = IncidentCloseForm
    template_name = "ehs/incident_close.html"
    context_name = "incident"
    initial_fields = ("version",)
    success_route = "ehs:incident"
    success_message = gettext_lazy("The incident is closed.")

    def act(self, obj: Incident, form: Any) -> Incident:
        return services.incident_close(
            actor=acting_user(self.request), incident=obj, **form.cleaned_data
        )


class IncidentPhotoView(OrgView):
    permission = "ehs.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        photo = get_object_for(request, IncidentPhoto, "ehs.view", pk=pk)
        response = HttpResponse(bytes(photo.data), content_type=photo.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Disposition"] = "inline"
        return response


class IncidentExportView(OrgView):
    """The incidents as a spreadsheet; the health columns are filled only where the viewer may
    see them."""

    permission = "ehs.view"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        form = IncidentFilter(request.GET or None)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        rows = selectors.incident_list(self.membership, data)[:EXPORT_LIMIT]
        roles = services.settings_for(self.org).health_roles
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(str(_("Incidents")))
        xlsx.append(
            ws,
            [
                str(_("Reference")),
                str(_("Date and time")),
                str(_("Place")),
                str(_("Type")),
                str(_("What happened")),
                str(_("Status")),
                str(_("Injury or ill-health details")),
                str(_("First aid given")),
                str(_("Days lost")),
                str(_("Root cause")),
            ],
        )
        for incident in rows:
            health = selectors.may_see_health(self.membership, incident, roles)
            xlsx.append(
                ws,
                [
                    incident.reference,
                    timezone.localtime(incident.occurred_at).strftime("%Y-%m-%d %H:%M"),
                    incident.place,
                    str(incident.get_kind_display()),
                    incident.description,
                    str(incident.get_status_display()),
                    incident.injury_details if health else "",
                    incident.first_aid if health else "",
                    incident.days_lost if health else None,
                    incident.root_cause,
                ],
            )
        body = xlsx.workbook_bytes(wb, title=str(_("Incidents")))
        response = HttpResponse(
            body,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="incidents.xlsx"'
        return response


class IncidentSettingsView(FormView):
    permission = "ehs.manage"
    form_class = IncidentSettingsForm
    template_name = "ehs/incident_settings.html"
    success_route = "ehs:incidents"
    success_pk = False
    success_message = gettext_lazy("The incident settings are saved.")

    def initial(self, obj: None) -> dict[str, Any]:
        found = services.settings_for(self.org)
        return {name: getattr(found, name) for name in (*services.SETTINGS_FIELDS, "version")}

    def act(self, obj: None, form: Any) -> Any:
        version, data = versioned(form)
        return services.settings_save(
            actor=acting_user(self.request), organization=self.org, version=version, **data
        )
