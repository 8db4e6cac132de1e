from django.urls import path

from pdca.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.EndpointListView.as_view(), name="list"),
    path("new/", views.EndpointEditView.as_view(), name="create"),
    path("<int:pk>/", views.EndpointDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EndpointEditView.as_view(), name="edit"),
    path("<int:pk>/test/", views.EndpointTestView.as_view(), name="test"),
    path("<int:pk>/secret/", views.EndpointSecretView.as_view(), name="secret"),
]
