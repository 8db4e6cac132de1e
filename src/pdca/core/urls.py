from django.urls import path

from pdca.core.views import accounts, notifications, organization, people, trail

app_name = "core"

ORG = "o/<slug:org>/"

urlpatterns = [
    path("", accounts.home, name="home"),
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
    path(ORG, organization.DashboardView.as_view(), name="dashboard"),
    path(ORG + "organization/", organization.OrganizationView.as_view(), name="organization"),
    path(ORG + "organization/sites/new/", organization.site_create, name="site_create"),
    path(ORG + "organization/sites/<int:pk>/", organization.site_edit, name="site_edit"),
    path(
        ORG + "organization/departments/new/",
        organization.department_create,
        name="department_create",
    ),
    path(
        ORG + "organization/departments/<int:pk>/",
        organization.department_edit,
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
    path(ORG + "trail/receipt/", trail.TrailReceiptView.as_view(), name="trail_receipt"),
]
