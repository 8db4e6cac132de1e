from django.urls import URLPattern, URLResolver, path

from pdca.improvement import views

app_name = "improvement"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.NonconformityListView.as_view(), name="list"),
    path("raise/", views.RaiseView.as_view(), name="raise"),
    path("analysis/", views.AnalysisView.as_view(), name="analysis"),
    path("<int:pk>/", views.NonconformityDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EditView.as_view(), name="edit"),
    path("<int:pk>/root-cause/", views.AnalysisEditView.as_view(), name="root_cause"),
    path("<int:pk>/actions/new/", views.ActionAddView.as_view(), name="action_add"),
    path("actions/<int:pk>/", views.ActionUpdateView.as_view(), name="action_update"),
    path("<int:pk>/checks/new/", views.CheckPlanView.as_view(), name="check_plan"),
    path("checks/<int:pk>/", views.CheckRecordView.as_view(), name="check_record"),
    path("<int:pk>/closure-steps/", views.ClosureStepsView.as_view(), name="closure_steps"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("<int:pk>/cancel/", views.CancelView.as_view(), name="cancel"),
]
