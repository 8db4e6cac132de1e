from django.urls import URLPattern, URLResolver, path

from pdca.reviews import views

app_name = "reviews"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.ReviewListView.as_view(), name="list"),
    path("new/", views.ReviewEditView.as_view(), name="create"),
    path("<int:pk>/", views.ReviewDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ReviewEditView.as_view(), name="edit"),
    path("<int:pk>/prepare/", views.PrepareView.as_view(), name="prepare"),
    path("<int:pk>/hold/", views.HoldView.as_view(), name="hold"),
    path("<int:pk>/sign/", views.SignView.as_view(), name="sign"),
    path("<int:pk>/minutes.pdf", views.MinutesPdfView.as_view(), name="minutes_pdf"),
    path("<int:pk>/outputs/new/", views.OutputAddView.as_view(), name="output_add"),
    path("inputs/<int:pk>/", views.InputView.as_view(), name="input"),
    path("outputs/<int:pk>/", views.OutputUpdateView.as_view(), name="output_update"),
]
