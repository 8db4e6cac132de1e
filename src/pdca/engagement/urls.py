from django.urls import URLPattern, URLResolver, path

from pdca.engagement import views as v

app_name = "engagement"

urlpatterns: list[URLPattern | URLResolver] = [
    path("suggestions/", v.SuggestionListView.as_view(), name="suggestions"),
    path("suggestions/export/", v.SuggestionExportView.as_view(), name="suggestions_export"),
    path("suggestions/new/", v.SuggestionCreateView.as_view(), name="suggest"),
    path("suggestions/<int:pk>/", v.SuggestionDetailView.as_view(), name="suggestion"),
    path(
        "suggestions/<int:pk>/accept/", v.SuggestionAcceptView.as_view(), name="suggestion_accept"
    ),
    path(
        "suggestions/<int:pk>/decline/",
        v.SuggestionDeclineView.as_view(),
        name="suggestion_decline",
    ),
    path(
        "suggestions/<int:pk>/duplicate/",
        v.SuggestionDuplicateView.as_view(),
        name="suggestion_duplicate",
    ),
    path("feedback/", v.FeedbackListView.as_view(), name="feedback"),
    path("feedback/new/", v.FeedbackCreateView.as_view(), name="feedback_create"),
    path("feedback/<int:pk>/", v.FeedbackDetailView.as_view(), name="feedback_detail"),
    path("feedback/<int:pk>/edit/", v.FeedbackEditView.as_view(), name="feedback_edit"),
    path("feedback/<int:pk>/respond/", v.FeedbackRespondView.as_view(), name="feedback_respond"),
    path("feedback/<int:pk>/raise/", v.FeedbackRaiseView.as_view(), name="feedback_raise"),
    path("announcements/", v.AnnouncementListView.as_view(), name="announcements"),
    path("announcements/new/", v.AnnouncementCreateView.as_view(), name="announce"),
    path("announcements/<int:pk>/", v.AnnouncementDetailView.as_view(), name="announcement"),
    path(
        "announcements/<int:pk>/acknowledge/",
        v.AcknowledgeView.as_view(),
        name="acknowledge",
    ),
]
