from django.urls import path

from pdca.standards.views import gap, processes, readiness, roadmap, scope

app_name = "standards"

urlpatterns = [
    path("", scope.HomeView.as_view(), name="home"),
    path("choose/", scope.ChooseView.as_view(), name="choose"),
    path("readiness/", readiness.readiness_page, name="readiness"),
    path("readiness/print/", readiness.readiness_print, name="readiness_print"),
    path("readiness/export/", readiness.readiness_export, name="readiness_export"),
    path("<int:pk>/", gap.GapView.as_view(), name="gap"),
    path("<int:pk>/scope/", scope.ScopeEditView.as_view(), name="scope"),
    path("<int:pk>/exclusions/", scope.ExclusionsView.as_view(), name="exclusions"),
    path(
        "<int:pk>/exclusions/<int:ex>/withdraw/",
        scope.exclusion_withdraw,
        name="exclusion_withdraw",
    ),
    path("<int:pk>/soa/", scope.soa, name="soa"),
    path("<int:pk>/soa/export/", scope.soa_export, name="soa_export"),
    path("<int:pk>/soa/print/", scope.soa_print, name="soa_print"),
    path("<int:pk>/soa/<int:clause>/", scope.SoAEditView.as_view(), name="soa_edit"),
    path("<int:pk>/clauses/<int:clause>/", gap.ClauseView.as_view(), name="clause"),
    path("<int:pk>/clauses/<int:clause>/evidence/", gap.evidence_add, name="evidence_add"),
    path("<int:pk>/clauses/<int:clause>/action/", gap.action_from_gap, name="action_from_gap"),
    path("<int:pk>/evidence/<int:link>/unlink/", gap.evidence_unlink, name="evidence_unlink"),
    path("<int:pk>/evidence/<int:link>/share/", gap.evidence_share, name="evidence_share"),
    path(
        "<int:pk>/clauses/<int:clause>/confirm/",
        gap.assessment_confirm,
        name="assessment_confirm",
    ),
    path("<int:pk>/rows/<int:clause>/", gap.gap_row, name="gap_row"),
    path("<int:pk>/bulk/", gap.gap_bulk, name="gap_bulk"),
    path("processes/", processes.ProcessListView.as_view(), name="processes"),
    path("processes/map/", processes.ProcessMapView.as_view(), name="process_map"),
    path("processes/new/", processes.ProcessCreateView.as_view(), name="process_create"),
    path("processes/<int:pk>/", processes.process_detail, name="process"),
    path("processes/<int:pk>/edit/", processes.ProcessEditView.as_view(), name="process_edit"),
    path("roadmap/", roadmap.RoadmapView.as_view(), name="roadmap"),
    path("roadmap/<int:pk>/", roadmap.RoadmapEditView.as_view(), name="roadmap_edit"),
]
