from django.urls import URLPattern, URLResolver, path

from pdca.risks.views import context as context_views
from pdca.risks.views import corrective as corrective_views
from pdca.risks.views import isms as isms_views
from pdca.risks.views import register as views
from pdca.risks.views import soa as soa_views

app_name = "risks"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.RegisterView.as_view(), name="list"),
    path("new/", views.RiskCreateView.as_view(), name="create"),
    path("heat-map/", views.HeatMapView.as_view(), name="heatmap"),
    path("method/", views.MethodView.as_view(), name="method"),
    path("method/new/", views.MethodCreateView.as_view(), name="method_create"),
    path("method/<int:pk>/approve/", views.MethodApproveView.as_view(), name="method_approve"),
    path("<int:pk>/", views.RiskDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.RiskEditView.as_view(), name="edit"),
    path("<int:pk>/assess/", views.AssessView.as_view(), name="assess"),
    path("<int:pk>/treatment/", views.TreatView.as_view(), name="treat"),
    path("<int:pk>/accept/", views.AcceptView.as_view(), name="accept"),
    path("<int:pk>/evaluate/", views.EvaluateView.as_view(), name="evaluate"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("<int:pk>/actions/new/", views.ActionAddView.as_view(), name="action_add"),
    path("actions/<int:pk>/", views.ActionUpdateView.as_view(), name="action_update"),
    path("context/", context_views.ContextView.as_view(), name="context"),
    path("context/settings/", context_views.ProfileView.as_view(), name="context_settings"),
    path("context/issues/new/", context_views.IssueView.as_view(), name="issue_create"),
    path("context/issues/<int:pk>/edit/", context_views.IssueView.as_view(), name="issue_edit"),
    path(
        "context/issues/<int:pk>/retire/",
        context_views.IssueRetireView.as_view(),
        name="issue_retire",
    ),
    path("parties/", context_views.PartyListView.as_view(), name="parties"),
    path("parties/new/", context_views.PartyView.as_view(), name="party_create"),
    path("parties/<int:pk>/edit/", context_views.PartyView.as_view(), name="party_edit"),
    path(
        "parties/<int:pk>/needs/new/",
        context_views.RequirementAddView.as_view(),
        name="requirement_add",
    ),
    path(
        "needs/<int:pk>/edit/",
        context_views.RequirementEditView.as_view(),
        name="requirement_edit",
    ),
    path("assets/", isms_views.AssetListView.as_view(), name="assets"),
    path("assets/new/", isms_views.AssetView.as_view(), name="asset_create"),
    path("assets/<int:pk>/edit/", isms_views.AssetView.as_view(), name="asset_edit"),
    path("<int:pk>/scenario/", isms_views.ScenarioView.as_view(), name="scenario"),
    path("<int:pk>/controls/", isms_views.ControlsView.as_view(), name="controls"),
    path("assessments/", isms_views.RunListView.as_view(), name="runs"),
    path("assessments/new/", isms_views.RunCreateView.as_view(), name="run_create"),
    path("assessments/<int:pk>/", isms_views.RunDetailView.as_view(), name="run"),
    path(
        "from-nonconformity/<int:pk>/",
        corrective_views.FromNonconformityView.as_view(),
        name="from_nc",
    ),
    path("soa/", soa_views.SoARevisionListView.as_view(), name="soa_revisions"),
    path("soa/<int:pk>/approve/", soa_views.SoAApproveView.as_view(), name="soa_approve"),
    path("soa/revisions/<int:pk>/", soa_views.SoARevisionView.as_view(), name="soa_revision"),
    path("soa/reasons/", soa_views.ReasonListView.as_view(), name="reasons"),
    path("soa/reasons/new/", soa_views.ReasonView.as_view(), name="reason_create"),
    path("soa/reasons/<int:pk>/edit/", soa_views.ReasonView.as_view(), name="reason_edit"),
]
