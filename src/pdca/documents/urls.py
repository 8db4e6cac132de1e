from django.urls import URLPattern, URLResolver, path

from pdca.documents.views import documents as d
from pdca.documents.views import external as x
from pdca.documents.views import revisions as r

app_name = "documents"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", d.DocumentListView.as_view(), name="list"),
    path("export.xlsx", d.DocumentExportView.as_view(), name="export"),
    path("new/", d.DocumentCreateView.as_view(), name="create"),
    path("external/new/", x.ExternalRegisterView.as_view(), name="external_register"),
    path("<int:pk>/edition/", x.ExternalEditionView.as_view(), name="external_edition"),
    path("<int:pk>/edition-check/", x.ExternalCheckView.as_view(), name="external_check"),
    path("reading/", d.ReadingListView.as_view(), name="reading"),
    path("numbering/", d.NumberingView.as_view(), name="numbering"),
    path("reading/<int:pk>/acknowledge/", d.AcknowledgeView.as_view(), name="acknowledge"),
    path("<int:pk>/", d.DocumentDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", d.DocumentEditView.as_view(), name="edit"),
    path("<int:pk>/distribution/", d.DistributionView.as_view(), name="distribution"),
    path("<int:pk>/revise/", r.RevisionStartView.as_view(), name="revise"),
    path("<int:pk>/review/", r.ReviewConfirmView.as_view(), name="review"),
    path("<int:pk>/obsolete/", r.ObsoleteView.as_view(), name="obsolete"),
    path("revisions/<int:pk>/", r.RevisionDetailView.as_view(), name="revision"),
    path("revisions/<int:pk>/edit/", r.RevisionEditView.as_view(), name="revision_edit"),
    path("revisions/<int:pk>/submit/", r.RevisionSubmitView.as_view(), name="revision_submit"),
    path("revisions/<int:pk>/sign/", r.RevisionSignView.as_view(), name="revision_sign"),
    path("revisions/<int:pk>/release/", r.RevisionReleaseView.as_view(), name="revision_release"),
    path(
        "revisions/<int:pk>/diff/<int:other>/", r.RevisionDiffView.as_view(), name="revision_diff"
    ),
    path("revisions/<int:pk>/file/", r.RevisionFileView.as_view(), name="revision_file"),
    path("revisions/<int:pk>/pdf/", r.RevisionPdfView.as_view(), name="revision_pdf"),
]
