from django.urls import URLPattern, URLResolver, path

from pdca.objectives import views as v

app_name = "objectives"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", v.ObjectiveListView.as_view(), name="list"),
    path("new/", v.ObjectiveEditView.as_view(), name="create"),
    path("<int:pk>/", v.ObjectiveDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", v.ObjectiveEditView.as_view(), name="edit"),
    path("<int:pk>/withdraw/", v.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/improve/", v.ImproveView.as_view(), name="improve"),
    path("<int:pk>/actions/new/", v.ActionAddView.as_view(), name="action_add"),
    path("actions/<int:pk>/", v.ActionUpdateView.as_view(), name="action_update"),
    path("kpis/", v.IndicatorListView.as_view(), name="kpis"),
    path("kpis/new/", v.IndicatorEditView.as_view(), name="kpi_create"),
    path("kpis/enter/", v.EnterView.as_view(), name="enter"),
    path("kpis/import/", v.ImportView.as_view(), name="import"),
    path("kpis/<int:pk>/", v.IndicatorDetailView.as_view(), name="kpi"),
    path("kpis/<int:pk>/edit/", v.IndicatorEditView.as_view(), name="kpi_edit"),
    path("kpis/<int:pk>/compute/", v.ComputeView.as_view(), name="compute"),
    path("kpis/<int:pk>/record/", v.RecordView.as_view(), name="record"),
    path("measurements/<int:pk>/correct/", v.CorrectView.as_view(), name="correct"),
    path("measurements/<int:pk>/raise/", v.RaiseNcView.as_view(), name="raise_nc"),
    path("performance/", v.PerformanceView.as_view(), name="performance"),
    path("performance/export/", v.PerformanceExportView.as_view(), name="performance_export"),
    path("approvals/", v.ApprovalListView.as_view(), name="approvals"),
    path("approvals/approve/", v.ApproveView.as_view(), name="approve"),
    path("approvals/<int:pk>/", v.ApprovalDetailView.as_view(), name="approval"),
]
