from django.urls import URLPattern, URLResolver, path

from pdca.people import views as v

app_name = "people"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", v.MatrixView.as_view(), name="matrix"),
    path("gaps/", v.GapListView.as_view(), name="gaps"),
    path("export.xlsx", v.MatrixExportView.as_view(), name="matrix_export"),
    path("job-roles/", v.JobRoleListView.as_view(), name="job_roles"),
    path("job-roles/new/", v.JobRoleEditView.as_view(), name="job_role_create"),
    path("job-roles/<int:pk>/", v.JobRoleDetailView.as_view(), name="job_role"),
    path("job-roles/<int:pk>/edit/", v.JobRoleEditView.as_view(), name="job_role_edit"),
    path(
        "job-roles/<int:pk>/require/",
        v.RequirementCreateView.as_view(),
        name="requirement_create",
    ),
    path("requirements/<int:pk>/", v.RequirementEditView.as_view(), name="requirement_edit"),
    path("competences/", v.CompetenceListView.as_view(), name="competences"),
    path("competences/new/", v.CompetenceEditView.as_view(), name="competence_create"),
    path("competences/<int:pk>/", v.CompetenceEditView.as_view(), name="competence_edit"),
    path("assign/", v.AssignView.as_view(), name="assign"),
    path("people/<int:pk>/", v.PersonDetailView.as_view(), name="person"),
    path("people/<int:pk>/edit/", v.PersonEditView.as_view(), name="person_edit"),
    path("people/<int:pk>/record/", v.RecordCreateView.as_view(), name="record_create"),
    path("records/<int:pk>/", v.RecordDetailView.as_view(), name="record"),
    path("records/<int:pk>/correct/", v.RecordCorrectView.as_view(), name="record_correct"),
    path("records/<int:pk>/withdraw/", v.RecordWithdrawView.as_view(), name="record_withdraw"),
    path("training/", v.TrainingListView.as_view(), name="training"),
    path("training/courses/new/", v.CourseEditView.as_view(), name="course_create"),
    path("training/courses/<int:pk>/", v.CourseEditView.as_view(), name="course_edit"),
    path("training/sessions/new/", v.SessionPlanView.as_view(), name="session_create"),
    path("training/sessions/<int:pk>/", v.SessionDetailView.as_view(), name="session"),
    path(
        "training/sessions/<int:pk>/attendance/",
        v.AttendanceRecordView.as_view(),
        name="attendance_record",
    ),
    path(
        "training/sessions/<int:pk>/evaluate/",
        v.SessionEvaluateView.as_view(),
        name="session_evaluate",
    ),
    path(
        "training/attendance/<int:pk>/confirm/",
        v.AttendanceConfirmView.as_view(),
        name="attendance_confirm",
    ),
    path("awareness/", v.AwarenessListView.as_view(), name="awareness_list"),
    path("awareness/new/", v.AwarenessEditView.as_view(), name="awareness_create"),
    path("awareness/<int:pk>/", v.AwarenessDetailView.as_view(), name="awareness"),
    path("awareness/<int:pk>/edit/", v.AwarenessEditView.as_view(), name="awareness_edit"),
    path(
        "awareness/<int:pk>/ask-again/",
        v.AwarenessAskAgainView.as_view(),
        name="awareness_ask_again",
    ),
    path(
        "awareness/<int:pk>/acknowledge/",
        v.AwarenessAcknowledgeView.as_view(),
        name="awareness_acknowledge",
    ),
]
