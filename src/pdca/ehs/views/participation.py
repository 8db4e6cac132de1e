"""Consultation and participation of workers (45001 5.4): the page with the period's topic
checklist, the mechanisms and the barriers above the log; an event's page; logging,
correcting (with a reason) and withdrawing events; the mechanisms and the barriers."""

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for
from pdca.core.downloads import stored_file_response
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.lists import ListView
from pdca.ehs import selectors
from pdca.ehs.forms import (
    BarrierEditForm,
    BarrierForm,
    EventEditForm,
    EventFilter,
    EventForm,
    MechanismEditForm,
    MechanismForm,
    PeriodForm,
    WithdrawForm,
)
from pdca.ehs.models import Barrier, EntryStatus, Mechanism, ParticipationEvent
from pdca.ehs.services import participation as services


class ParticipationView(ListView):
    permission = "ehs.view"
    template_name = "ehs/participation.html"
    rows_template = "ehs/_event_rows.html"
    filter_class = EventFilter
    filters_name = "form"

    def filter_kwargs(self) -> dict[str, Any]:
        return {"organization": self.org}

    def rows(self, data: dict[str, Any]) -> QuerySet[ParticipationEvent]:
        return selectors.event_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        if self.request.htmx:  # type: ignore[attr-defined]  # the filter bar asks for the rows
            return {}
        period = PeriodForm(self.request.GET or None)
        start, end = services.default_period(self.org, timezone.localdate())
        if period.is_bound and period.is_valid():
            start = period.cleaned_data.get("start") or start
            end = period.cleaned_data.get("end") or end
        elif not period.is_bound:
            period = PeriodForm(initial={"start": start, "end": end})
        return {
            "period": period,
            "coverage": services.coverage(self.org, start, end),
            "mechanisms": selectors.mechanisms(self.org),
            "barriers": selectors.barriers(self.org),
            "can_edit": can(self.membership, "ehs.edit"),
        }


class EventDetailView(OrgView):
    permission = "ehs.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        event = get_object_for(
            request, ParticipationEvent.objects.select_related("mechanism"), "ehs.view", pk=pk
        )
        context = {
            "event": event,
            "workers": list(event.workers.order_by("full_name", "email")),
            "managers": list(event.managers.order_by("full_name", "email")),
            "history": object_history(event),
            "can_edit": event.status == EntryStatus.ACTIVE
            and can(self.membership, "ehs.edit", event),
        }
        return render(request, "ehs/event.html", context)


class EventMinutesView(OrgView):
    permission = "ehs.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> FileResponse:
        event = get_object_for(request, ParticipationEvent, "ehs.view", pk=pk)
        if not event.minutes:
            raise Http404
        return stored_file_response(event.minutes.name, event.minutes_name)


class _EventFormView(FormView):
    template_name = "ehs/participation_form.html"
    success_route = "ehs:event"
    form_takes = ("organization",)
    files = True  # the minutes


class EventCreateView(_EventFormView):
    permission = "ehs.edit"
    form_class = EventForm
    success_message = gettext_lazy("The event is in the log.")

    def initial(self, obj: None) -> dict[str, Any]:
        return {"held_on": timezone.localdate()}

    def context(self, obj: None) -> dict[str, Any]:
        return {"title": _("Log consultation or participation"), "cancel": "ehs:participation"}

    def act(self, obj: None, form: Any) -> ParticipationEvent:
        return services.event_record(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )


class EventEditView(_EventFormView):
    permission = "ehs.edit"
    model = ParticipationEvent
    form_class = EventEditForm
    context_name = "event"
    initial_fields = (*services.EVENT_FIELDS, *services.EVENT_PEOPLE, "version")
    success_message = gettext_lazy("The entry was corrected.")

    def context(self, obj: ParticipationEvent) -> dict[str, Any]:
        return {"title": _("Correct “%(event)s”") % {"event": obj.topic}}

    def act(self, obj: ParticipationEvent, form: Any) -> ParticipationEvent:
        version, data = versioned(form)
        reason = data.pop("reason")
        return services.event_update(
            actor=acting_user(self.request), event=obj, version=version, reason=reason, **data
        )


class EventWithdrawView(ConfirmView):
    permission = "ehs.edit"
    model = ParticipationEvent
    form_class = WithdrawForm
    template_name = "ehs/event_withdraw.html"
    context_name = "event"
    initial_fields = ("version",)
    success_route = "ehs:event"
    success_message = gettext_lazy("The entry was withdrawn; it stays in the log.")

    def act(self, obj: ParticipationEvent, form: Any) -> ParticipationEvent:
        return services.event_withdraw(
            actor=acting_user(self.request), event=obj, **form.cleaned_data
        )


class _ListFormView(FormView):
    """A mechanism or a barrier: kept on the participation page, which success returns to."""

    template_name = "ehs/participation_form.html"
    success_route = "ehs:participation"
    success_pk = False


class MechanismCreateView(_ListFormView):
    permission = "ehs.edit"
    form_class = MechanismForm
    success_message = gettext_lazy("The mechanism was added.")

    def context(self, obj: None) -> dict[str, Any]:
        return {"title": _("New mechanism of consultation and participation")}

    def act(self, obj: None, form: Any) -> Mechanism:
        return services.mechanism_create(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )


class MechanismEditView(_ListFormView):
    permission = "ehs.edit"
    model = Mechanism
    form_class = MechanismEditForm
    context_name = "mechanism"
    initial_fields = (*services.MECHANISM_FIELDS, "version")
    success_message = gettext_lazy("The mechanism was changed.")

    def context(self, obj: Mechanism) -> dict[str, Any]:
        return {"title": _("Change %(name)s") % {"name": obj.name}, "withdraw": True}

    def act(self, obj: Mechanism, form: Any) -> Mechanism:
        version, data = versioned(form)
        return services.mechanism_update(
            actor=acting_user(self.request), mechanism=obj, version=version, **data
        )


class MechanismWithdrawView(ConfirmView):
    permission = "ehs.edit"
    model = Mechanism
    form_class = WithdrawForm
    template_name = "ehs/mechanism_withdraw.html"
    context_name = "mechanism"
    initial_fields = ("version",)
    success_route = "ehs:participation"
    success_pk = False
    success_message = gettext_lazy("The mechanism was withdrawn; its events stay in the log.")

    def act(self, obj: Mechanism, form: Any) -> Mechanism:
        return services.mechanism_withdraw(
            actor=acting_user(self.request), mechanism=obj, **form.cleaned_data
        )


class _BarrierFormView(_ListFormView):
    form_takes = ("organization",)  # its owner is one of the organization's members


class BarrierCreateView(_BarrierFormView):
    permission = "ehs.edit"
    form_class = BarrierForm
    success_message = gettext_lazy("The barrier was recorded.")

    def initial(self, obj: None) -> dict[str, Any]:
        return {"identified_on": timezone.localdate(), "owner": self.request.user.pk}

    def context(self, obj: None) -> dict[str, Any]:
        return {"title": _("A barrier to participation")}

    def act(self, obj: None, form: Any) -> Barrier:
        return services.barrier_create(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )


class BarrierEditView(_BarrierFormView):
    permission = "ehs.edit"
    model = Barrier
    form_class = BarrierEditForm
    context_name = "barrier"
    initial_fields = (*services.BARRIER_FIELDS, "version")
    success_message = gettext_lazy("The barrier was updated.")

    def context(self, obj: Barrier) -> dict[str, Any]:
        return {"title": _("Barrier: %(kind)s") % {"kind": obj.get_kind_display()}}

    def act(self, obj: Barrier, form: Any) -> Barrier:
        version, data = versioned(form)
        reason = data.pop("reason")
        return services.barrier_update(
            actor=acting_user(self.request), barrier=obj, version=version, reason=reason, **data
        )
