from django.urls import URLPattern, URLResolver, path

from pdca.certification import access_views as av
from pdca.certification import selection_views as sv
from pdca.certification import views as v

app_name = "certification"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", v.OverviewView.as_view(), name="overview"),
    path("bodies/", v.BodyListView.as_view(), name="bodies"),
    path("bodies/new/", v.BodyFormView.as_view(), name="body_new"),
    path("bodies/<int:pk>/", v.BodyDetailView.as_view(), name="body"),
    path("bodies/<int:pk>/edit/", v.BodyFormView.as_view(), name="body_edit"),
    path("selections/", sv.SelectionListView.as_view(), name="selections"),
    path("selections/new/", sv.SelectionCreateView.as_view(), name="selection_new"),
    path("selections/<int:pk>/", sv.SelectionDetailView.as_view(), name="selection"),
    path(
        "selections/<int:pk>/candidates/new/",
        sv.CandidateAddView.as_view(),
        name="candidate_new",
    ),
    path("candidates/<int:pk>/", sv.CandidateEditView.as_view(), name="candidate_edit"),
    path("selections/<int:pk>/decide/", sv.SelectionDecideView.as_view(), name="selection_decide"),
    path("certificates/new/", v.CertificateCreateView.as_view(), name="certificate_new"),
    path("certificates/<int:pk>/", v.CertificateDetailView.as_view(), name="certificate"),
    path("certificates/<int:pk>/edit/", v.CertificateEditView.as_view(), name="certificate_edit"),
    path(
        "certificates/<int:pk>/status/",
        v.CertificateStatusView.as_view(),
        name="certificate_status",
    ),
    path("certificates/<int:pk>/events/new/", v.EventCreateView.as_view(), name="event_new"),
    path("audits/", v.AuditListView.as_view(), name="audits"),
    path("audits/new/", v.AuditFormView.as_view(), name="audit_new"),
    path("audits/<int:pk>/", v.AuditDetailView.as_view(), name="audit"),
    path("audits/<int:pk>/edit/", v.AuditFormView.as_view(), name="audit_edit"),
    path("audits/<int:pk>/held/", v.AuditHeldView.as_view(), name="audit_held"),
    path("audits/<int:pk>/cancel/", v.AuditCancelView.as_view(), name="audit_cancel"),
    path("audits/<int:pk>/pack/", v.PackStartView.as_view(), name="pack_start"),
    path("packs/<int:pk>/", v.PackManifestView.as_view(), name="pack"),
    path("packs/<int:pk>/download/", v.PackDownloadView.as_view(), name="pack_download"),
    path("audits/<int:pk>/access/new/", av.AccessGrantView.as_view(), name="access_new"),
    path("access/<int:pk>/end/", av.AccessEndView.as_view(), name="access_end"),
    path("audits/<int:pk>/requests/new/", av.RequestCreateView.as_view(), name="request_new"),
    path("requests/<int:pk>/answer/", av.RequestAnswerView.as_view(), name="request_answer"),
    path("audits/<int:pk>/opened/", av.OpenedLogView.as_view(), name="opened"),
    path("audits/<int:pk>/findings/new/", v.FindingCreateView.as_view(), name="finding_new"),
    path("findings/<int:pk>/answer/", v.FindingAnswerView.as_view(), name="finding_answer"),
]
