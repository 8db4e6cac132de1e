from django.urls import URLPattern, URLResolver, path

from pdca.ehs.views import aspects as v
from pdca.ehs.views import hazards as h
from pdca.ehs.views import incidents as i
from pdca.ehs.views import participation as p

app_name = "ehs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("aspects/", v.AspectListView.as_view(), name="aspects"),
    path("aspects/new/", v.AspectCreateView.as_view(), name="aspect_create"),
    path("aspects/criteria/", v.CriteriaView.as_view(), name="criteria"),
    path("aspects/<int:pk>/", v.AspectDetailView.as_view(), name="aspect"),
    path("aspects/<int:pk>/edit/", v.AspectEditView.as_view(), name="aspect_edit"),
    path("aspects/<int:pk>/withdraw/", v.AspectWithdrawView.as_view(), name="aspect_withdraw"),
    path("hazards/", h.HazardListView.as_view(), name="hazards"),
    path("hazards/new/", h.HazardCreateView.as_view(), name="hazard_create"),
    path("hazards/<int:pk>/", h.HazardDetailView.as_view(), name="hazard"),
    path("hazards/<int:pk>/edit/", h.HazardEditView.as_view(), name="hazard_edit"),
    path("hazards/<int:pk>/withdraw/", h.HazardWithdrawView.as_view(), name="hazard_withdraw"),
    path("hazards/<int:pk>/controls/new/", h.ControlCreateView.as_view(), name="control_create"),
    path("controls/<int:pk>/", h.ControlUpdateView.as_view(), name="control_edit"),
    path("incidents/", i.IncidentListView.as_view(), name="incidents"),
    path("incidents/report/", i.IncidentReportView.as_view(), name="incident_report"),
    path("incidents/export/", i.IncidentExportView.as_view(), name="incident_export"),
    path("incidents/settings/", i.IncidentSettingsView.as_view(), name="incident_settings"),
    path("incidents/<int:pk>/", i.IncidentDetailView.as_view(), name="incident"),
    path(
        "incidents/<int:pk>/investigate/",
        i.IncidentInvestigateView.as_view(),
        name="incident_investigate",
    ),
    path("incidents/<int:pk>/action/", i.IncidentRaiseActionView.as_view(), name="incident_raise"),
    path("incidents/<int:pk>/close/", i.IncidentCloseView.as_view(), name="incident_close"),
    path("incident-photos/<int:pk>/", i.IncidentPhotoView.as_view(), name="incident_photo"),
    path("participation/", p.ParticipationView.as_view(), name="participation"),
    path("participation/new/", p.EventCreateView.as_view(), name="event_create"),
    path("participation/<int:pk>/", p.EventDetailView.as_view(), name="event"),
    path("participation/<int:pk>/minutes/", p.EventMinutesView.as_view(), name="event_minutes"),
    path("participation/<int:pk>/edit/", p.EventEditView.as_view(), name="event_edit"),
    path("participation/<int:pk>/withdraw/", p.EventWithdrawView.as_view(), name="event_withdraw"),
    path("mechanisms/new/", p.MechanismCreateView.as_view(), name="mechanism_create"),
    path("mechanisms/<int:pk>/", p.MechanismEditView.as_view(), name="mechanism_edit"),
    path(
        "mechanisms/<int:pk>/withdraw/",
        p.MechanismWithdrawView.as_view(),
        name="mechanism_withdraw",
    ),
    path("barriers/new/", p.BarrierCreateView.as_view(), name="barrier_create"),
    path("barriers/<int:pk>/", p.BarrierEditView.as_view(), name="barrier_edit"),
]
