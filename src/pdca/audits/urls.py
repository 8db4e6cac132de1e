from django.urls import URLPattern, URLResolver, path

from pdca.audits.views import checklist, findings, planning

app_name = "audits"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", planning.ProgrammeView.as_view(), name="programme"),
    path("programme/new/", planning.ProgrammeEditView.as_view(), name="programme_create"),
    path("programme/<int:pk>/edit/", planning.ProgrammeEditView.as_view(), name="programme_edit"),
    path("list/", planning.AuditListView.as_view(), name="list"),
    path("new/", planning.AuditEditView.as_view(), name="create"),
    path("templates/", checklist.TemplateListView.as_view(), name="templates"),
    path("<int:pk>/", planning.AuditDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", planning.AuditEditView.as_view(), name="edit"),
    path("<int:pk>/status/", planning.AuditStatusView.as_view(), name="status"),
    path("<int:pk>/schedule/", planning.ScheduleAddView.as_view(), name="schedule_add"),
    path("<int:pk>/checklist/", checklist.ChecklistView.as_view(), name="checklist"),
    path("<int:pk>/checklist/edit/", checklist.ChecklistEditView.as_view(), name="checklist_edit"),
    path("<int:pk>/checklist/sync/", checklist.checklist_sync, name="checklist_sync"),
    path("<int:pk>/checklist/photos/", checklist.photo_upload, name="photo_upload"),
    path("questions/<int:pk>/resolve/", checklist.conflict_resolve, name="conflict_resolve"),
    path("photos/<int:pk>/", checklist.photo_view, name="photo"),
    path("<int:pk>/findings/new/", findings.FindingCreateView.as_view(), name="finding_create"),
    path("findings/", findings.FindingListView.as_view(), name="findings"),
    path("findings/<int:pk>/", findings.FindingDetailView.as_view(), name="finding"),
    path(
        "findings/<int:pk>/acknowledge/",
        findings.FindingAcknowledgeView.as_view(),
        name="finding_acknowledge",
    ),
    path(
        "findings/<int:pk>/refusal/", findings.FindingRefusalView.as_view(), name="finding_refusal"
    ),
    path("findings/<int:pk>/raise/", findings.FindingRaiseView.as_view(), name="finding_raise"),
    path("<int:pk>/report/", findings.ReportView.as_view(), name="report"),
    path("<int:pk>/report.pdf", findings.ReportPdfView.as_view(), name="report_pdf"),
    path("<int:pk>/sign/", findings.SignView.as_view(), name="sign"),
]
