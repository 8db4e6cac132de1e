from django.urls import path

from pdca.core.views import (
    accounts,
    calendar,
    jobs,
    mywork,
    notifications,
    offline,
    organization,
    people,
    trail,
)

app_name = "core"

ORG = "o/<slug:org>/"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("accounts/two-factor/verify/", accounts.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/", accounts.two_factor_setup, name="two_factor_setup"),
    path("accounts/profile/", accounts.profile, name="profile"),
    path(
        "accounts/notifications/",
        notifications.preferences,
        name="notification_preferences",
    ),
    path("accounts/password/", accounts.password_change, name="password_change"),
    path("accounts/tokens/", accounts.api_token_create, name="token_create"),
    path("accounts/tokens/<int:pk>/revoke/", accounts.api_token_revoke, name="token_revoke"),
    path("accounts/password-reset/", accounts.password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", accounts.password_reset_complete, name="password_reset_complete"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job"),
    path("jobs/<int:pk>/download/", jobs.job_download, name="job_download"),
    path("platform/task-failures/", jobs.task_failures, name="task_failures"),
    path(ORG, organization.DashboardView.as_view(), name="dashboard"),
    path(ORG + "my-work/", mywork.MyWorkView.as_view(), name="my_work"),
    path(ORG + "organization/", organization.OrganizationView.as_view(), name="organization"),
    path(ORG + "organization/sites/new/", organization.SiteFormView.as_view(), name="site_create"),
    path(
        ORG + "organization/sites/<int:pk>/", organization.SiteFormView.as_view(), name="site_edit"
    ),
    path(
        ORG + "organization/departments/new/",
        organization.DepartmentFormView.as_view(),
        name="department_create",
    ),
    path(
        ORG + "organization/departments/<int:pk>/",
        organization.DepartmentFormView.as_view(),
        name="department_edit",
    ),
    path(ORG + "roles/", organization.roles, name="roles"),
    path(ORG + "people/", people.MemberListView.as_view(), name="members"),
    path(ORG + "people/invite/", people.MemberInviteView.as_view(), name="member_invite"),
    path(ORG + "people/<int:pk>/", people.MemberEditView.as_view(), name="member_edit"),
    path(
        ORG + "notifications/", notifications.NotificationListView.as_view(), name="notifications"
    ),
    path(
        ORG + "notifications/read-all/",
        notifications.ReadAllView.as_view(),
        name="notifications_read_all",
    ),
    path(
        ORG + "notifications/<int:pk>/read/",
        notifications.MarkReadView.as_view(),
        name="notification_read",
    ),
    path(
        ORG + "notifications/<int:pk>/",
        notifications.open_notification,
        name="notification_open",
    ),
    path(ORG + "trail/", trail.TrailView.as_view(), name="trail"),
    path(ORG + "trail/export/", jobs.TrailExportView.as_view(), name="trail_export"),
    path(ORG + "trail/receipt/", trail.TrailReceiptView.as_view(), name="trail_receipt"),
    path(ORG + "calendar/", calendar.CalendarMonthView.as_view(), name="calendar"),
    path(ORG + "calendar/agenda/", calendar.CalendarAgendaView.as_view(), name="calendar_agenda"),
    path(ORG + "calendar/feeds/", calendar.CalendarFeedsView.as_view(), name="calendar_feeds"),
    path(
        ORG + "calendar/reminders/",
        calendar.ReminderSettingsView.as_view(),
        name="calendar_reminders",
    ),
]
