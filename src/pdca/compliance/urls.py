from django.urls import URLPattern, URLResolver, path

from pdca.compliance import views as v

app_name = "compliance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", v.ObligationListView.as_view(), name="list"),
    path("new/", v.ObligationCreateView.as_view(), name="create"),
    path("evaluations/", v.EvaluationListView.as_view(), name="evaluations"),
    path(
        "evaluations/<int:pk>/correct/",
        v.EvaluationCorrectView.as_view(),
        name="evaluation_correct",
    ),
    path("<int:pk>/", v.ObligationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", v.ObligationEditView.as_view(), name="edit"),
    path("<int:pk>/withdraw/", v.ObligationWithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/evaluate/", v.EvaluateView.as_view(), name="evaluate"),
]
