from django.urls import URLPattern, URLResolver, path

from pdca.records.views import records as v

app_name = "records"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", v.RecordListView.as_view(), name="list"),
    path("new/", v.RecordCreateView.as_view(), name="create"),
    path("types/", v.RecordTypeListView.as_view(), name="types"),
    path("types/new/", v.RecordTypeEditView.as_view(), name="type_create"),
    path("types/<int:pk>/", v.RecordTypeEditView.as_view(), name="type_edit"),
    path("<int:pk>/", v.RecordDetailView.as_view(), name="detail"),
    path("<int:pk>/correct/", v.RecordCorrectView.as_view(), name="correct"),
    path("<int:pk>/retention-start/", v.RecordTriggerView.as_view(), name="trigger"),
    path("<int:pk>/attach/", v.AttachView.as_view(), name="attach"),
    path("<int:pk>/hold/", v.HoldView.as_view(), name="hold"),
    path("<int:pk>/dispose/", v.DisposeView.as_view(), name="dispose"),
    path("files/<int:pk>/", v.AttachmentView.as_view(), name="attachment"),
]
