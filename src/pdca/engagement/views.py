"""The engagement pages: the suggestion board, making and triaging suggestions; customer
feedback, its response and the nonconformity it raises; announcements and their
acknowledgement. Thin: the services keep the rules."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.lists import ListView
from pdca.engagement import selectors, services
from pdca.engagement.forms import (
    AcceptForm,
    AcknowledgeForm,
    AnnouncementFilter,
    AnnouncementForm,
    DeclineForm,
    DuplicateForm,
    FeedbackEditForm,
    FeedbackFilter,
    FeedbackForm,
    RaiseForm,
    RespondForm,
    SuggestionFilter,
    SuggestionForm,
)
from pdca.engagement.models import Announcement, Feedback, FeedbackKind, Suggestion

# --- Suggestions --------------------------------------------------------------------------


class SuggestionListView(ListView):
    permission = "engagement.view"
    template_name = "engagement/suggestions.html"
    rows_template = "engagement/_suggestion_rows.html"
    filter_class = SuggestionFilter

    def rows(self, data: dict[str, Any]) -> QuerySet[Suggestion]:
        return selectors.suggestion_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "can_suggest": can(self.membership, "engagement.suggest"),
            "can_triage": can(self.membership, "engagement.triage"),
        }


class SuggestionExportView(OrgView):
    """The board as a spreadsheet (a job: its page shows the progress and the download)."""

    permission = "engagement.view"

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        from pdca.core.views.jobs import start_job_response
        from pdca.engagement.exports import SUGGESTIONS_KIND

        status = request.GET.get("status", "")
        parameters = {"status": status} if status in Suggestion.Status.values else {}
        return start_job_response(self, SUGGESTIONS_KIND, parameters)


class SuggestionCreateView(FormView):
    permission = "engagement.suggest"
    form_class = SuggestionForm
    template_name = "engagement/suggestion_form.html"
    form_takes = ("organization",)
    success_route = "engagement:suggestion"

    def act(self, obj: None, form: Any) -> Suggestion:
        return services.suggestion_make(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )

    def message(self, obj: Suggestion, form: Any) -> str:
        if obj.anonymous:
            return _(
                "Thank you. Your suggestion %(ref)s was made anonymously: no name is kept."
            ) % {"ref": obj.reference}
        return _("Thank you. Your suggestion %(ref)s is on the board.") % {"ref": obj.reference}


class SuggestionDetailView(OrgView):
    permission = "engagement.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        suggestion = get_object_for(
            request,
            Suggestion.objects.select_related(
                "department", "author", "triaged_by", "duplicate_of", "action__owner"
            ),
            "engagement.view",
            pk=pk,
        )
        nc = selectors.nonconformities_of([suggestion], Suggestion).get(suggestion.pk)
        context = {
            "suggestion": suggestion,
            "nc": nc,
            "history": object_history(suggestion),
            "can_triage": suggestion.status == Suggestion.Status.NEW
            and can(self.membership, "engagement.triage", suggestion),
        }
        return render(request, "engagement/suggestion.html", context)


class _Triage(ConfirmView):
    permission = "engagement.triage"
    model = Suggestion
    context_name = "suggestion"
    initial_fields = ("version",)
    success_route = "engagement:suggestion"


class SuggestionAcceptView(_Triage):
    form_class = AcceptForm
    template_name = "engagement/suggestion_accept.html"
    form_takes = ("organization",)
    success_message = gettext_lazy(
        "The suggestion was accepted; its improvement action is planned."
    )

    def initial(self, obj: Suggestion) -> dict[str, Any]:
        return {
            "version": obj.version,
            "action_title": obj.title,
            "owner": self.request.user.pk,
            "due_on": timezone.localdate() + datetime.timedelta(days=30),
        }

    def act(self, obj: Suggestion, form: Any) -> Suggestion:
        version, data = versioned(form)
        return services.suggestion_accept(
            actor=acting_user(self.request), suggestion=obj, version=version, **data
        )


class SuggestionDeclineView(_Triage):
    form_class = DeclineForm
    template_name = "engagement/suggestion_decline.html"
    success_message = gettext_lazy("The suggestion was declined; the reason is shown with it.")

    def act(self, obj: Suggestion, form: Any) -> Suggestion:
        version, data = versioned(form)
        return services.suggestion_decline(
            actor=acting_user(self.request), suggestion=obj, version=version, **data
        )


class SuggestionDuplicateView(_Triage):
    form_class = DuplicateForm
    template_name = "engagement/suggestion_duplicate.html"

    def form_kwargs(self, obj: Suggestion) -> dict[str, Any]:
        return {"organization": self.org, "suggestion": obj}

    success_message = gettext_lazy("The suggestion was merged into the one it repeats.")

    def act(self, obj: Suggestion, form: Any) -> Suggestion:
        version, data = versioned(form)
        return services.suggestion_mark_duplicate(
            actor=acting_user(self.request), suggestion=obj, version=version, **data
        )


# --- Customer feedback --------------------------------------------------------------------


class FeedbackListView(ListView):
    permission = "engagement.view"
    template_name = "engagement/feedback.html"
    rows_template = "engagement/_feedback_rows.html"
    filter_class = FeedbackFilter

    def rows(self, data: dict[str, Any]) -> QuerySet[Feedback]:
        return selectors.feedback_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "today": timezone.localdate(),
            "can_record": can(self.membership, "engagement.record_feedback"),
        }


class FeedbackCreateView(FormView):
    permission = "engagement.record_feedback"
    form_class = FeedbackForm
    template_name = "engagement/feedback_form.html"
    form_takes = ("organization",)
    success_route = "engagement:feedback_detail"
    success_message = gettext_lazy("The customer feedback is recorded.")

    def initial(self, obj: None) -> dict[str, Any]:
        return {
            "received_on": timezone.localdate(),
            "owner": self.request.user.pk,
            "kind": FeedbackKind.COMPLAINT,
        }

    def context(self, obj: None) -> dict[str, Any]:
        return {"title": _("Record customer feedback")}

    def act(self, obj: None, form: Any) -> Feedback:
        return services.feedback_record(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )


class FeedbackEditView(FormView):
    permission = "engagement.record_feedback"
    model = Feedback
    select_related = ("owner",)
    form_class = FeedbackEditForm
    template_name = "engagement/feedback_form.html"
    context_name = "feedback"
    form_takes = ("organization",)
    initial_fields = (*services.FEEDBACK_FIELDS, "version")
    success_route = "engagement:feedback_detail"
    success_message = gettext_lazy("The customer feedback was changed.")

    def context(self, obj: Feedback) -> dict[str, Any]:
        return {"title": _("Change %(ref)s") % {"ref": obj.ref}}

    def act(self, obj: Feedback, form: Any) -> Feedback:
        version, data = versioned(form)
        return services.feedback_update(
            actor=acting_user(self.request), feedback=obj, version=version, **data
        )


class FeedbackDetailView(OrgView):
    permission = "engagement.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        feedback = get_object_for(
            request,
            Feedback.objects.select_related("owner", "responded_by"),
            "engagement.view",
            pk=pk,
        )
        may_record = can(self.membership, "engagement.record_feedback", feedback)
        nc = selectors.nonconformities_of([feedback], Feedback).get(feedback.pk)
        context = {
            "feedback": feedback,
            "nc": nc,
            "today": timezone.localdate(),
            "history": object_history(feedback),
            "can_edit": may_record,
            "can_respond": may_record and feedback.status == Feedback.Status.OPEN,
            "can_raise": may_record
            and nc is None
            and feedback.kind == FeedbackKind.COMPLAINT
            and can(self.membership, "improvement.raise"),
        }
        return render(request, "engagement/feedback_detail.html", context)


class FeedbackRespondView(ConfirmView):
    permission = "engagement.record_feedback"
    model = Feedback
    form_class = RespondForm
    template_name = "engagement/feedback_respond.html"
    context_name = "feedback"
    success_route = "engagement:feedback_detail"
    success_message = gettext_lazy("The response is recorded.")

    def initial(self, obj: Feedback) -> dict[str, Any]:
        return {"version": obj.version, "responded_on": timezone.localdate()}

    def act(self, obj: Feedback, form: Any) -> Feedback:
        version, data = versioned(form)
        return services.feedback_respond(
            actor=acting_user(self.request), feedback=obj, version=version, **data
        )


class FeedbackRaiseView(ConfirmView):
    permission = "engagement.record_feedback"
    model = Feedback
    form_class = RaiseForm
    template_name = "engagement/feedback_raise.html"
    context_name = "feedback"
    form_takes = ("organization",)
    success_route = "engagement:feedback_detail"
    success_message = gettext_lazy("A nonconformity was raised from the complaint.")

    def initial(self, obj: Feedback) -> dict[str, Any]:
        return {"owner": obj.owner_id}

    def act(self, obj: Feedback, form: Any) -> Feedback:
        services.feedback_raise_nonconformity(
            actor=acting_user(self.request), feedback=obj, owner=form.cleaned_data["owner"]
        )
        return obj


# --- Announcements ------------------------------------------------------------------------


class AnnouncementListView(ListView):
    permission = "engagement.view"
    template_name = "engagement/announcements.html"
    rows_template = "engagement/_announcement_rows.html"
    filter_class = AnnouncementFilter

    def rows(self, data: dict[str, Any]) -> QuerySet[Announcement]:
        return selectors.announcement_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        selectors.with_reach(list(page.object_list), self.membership)
        return {"can_announce": can(self.membership, "engagement.announce")}


class AnnouncementCreateView(FormView):
    permission = "engagement.announce"
    form_class = AnnouncementForm
    template_name = "engagement/announcement_form.html"
    form_takes = ("organization",)
    success_route = "engagement:announcement"
    success_message = gettext_lazy("The announcement is published.")

    def act(self, obj: None, form: Any) -> Announcement:
        data = dict(form.cleaned_data)
        data["departments"] = list(data["departments"])
        data["sites"] = list(data["sites"])
        return services.announcement_publish(
            actor=acting_user(self.request), organization=self.org, **data
        )


def _announcements() -> QuerySet[Announcement]:
    return Announcement.objects.select_related("published_by").prefetch_related(
        "departments", "sites"
    )


class AnnouncementDetailView(OrgView):
    permission = "engagement.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        announcement = get_object_for(request, _announcements(), "engagement.view", pk=pk)
        selectors.with_reach([announcement], self.membership)
        context = {
            "announcement": announcement,
            "role_labels": selectors.role_labels(announcement.roles),
            "can_acknowledge": announcement.requires_ack
            and announcement.for_me  # type: ignore[attr-defined]
            and not announcement.acked_by_me  # type: ignore[attr-defined]
            and can(self.membership, "engagement.acknowledge", announcement),
        }
        return render(request, "engagement/announcement.html", context)


class AcknowledgeView(ConfirmView):
    permission = "engagement.acknowledge"
    model = Announcement
    form_class = AcknowledgeForm
    template_name = "engagement/acknowledge.html"
    context_name = "announcement"
    success_route = "engagement:announcement"
    success_message = gettext_lazy("Thank you: your acknowledgement is recorded.")

    def load(self, pk: int) -> Any:
        from pdca.core.access import get_object_for

        return get_object_for(self.request, _announcements(), self.permission, pk=pk)

    def act(self, obj: Announcement, form: Any) -> Announcement:
        services.announcement_acknowledge(actor=acting_user(self.request), announcement=obj)
        return obj
