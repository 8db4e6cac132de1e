"""Pages of the context (4.1) and the interested parties (4.2)."""

from typing import Any

from django import forms
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy

from pdca.core.permissions import can
from pdca.core.views.base import acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, field_values
from pdca.core.views.lists import ListView
from pdca.risks import context as services
from pdca.risks.forms import IssueForm, PartyForm, ProfileForm, RequirementForm, RetireForm
from pdca.risks.models import (
    ContextIssue,
    Framework,
    Heading,
    InterestedParty,
    PartyRequirement,
)


class IssueFilterForm(forms.Form):
    heading = forms.ChoiceField(
        label=gettext_lazy("Heading"),
        choices=[("", gettext_lazy("All headings")), *Heading.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[
            ("active", gettext_lazy("Current")),
            ("retired", gettext_lazy("No longer relevant")),
        ],
        required=False,
    )


class ContextView(ListView):
    """The organization's choices (headings, climate change) and its issues."""

    permission = "risks.view"
    template_name = "risks/context.html"
    rows_template = "risks/_issue_rows.html"
    filter_class = IssueFilterForm

    def rows(self, data: dict[str, Any]) -> Any:
        rows = ContextIssue.objects.filter(
            organization=self.org, status=data.get("status") or ContextIssue.Status.ACTIVE
        )
        if data.get("heading"):
            rows = rows.filter(heading=data["heading"])
        return rows.order_by("heading", "title")

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "profile": services.profile_of(self.org),
            "can_manage": can(self.membership, "risks.manage"),
        }


class ProfileView(FormView):
    permission = "risks.manage"
    form_class = ProfileForm
    template_name = "risks/context_form.html"
    form_takes = ("initial",)
    success_route = "risks:context"
    success_pk = False
    success_message = gettext_lazy("The context is saved.")

    def initial(self, obj: Any) -> dict[str, Any]:
        profile = services.profile_of(self.org)
        if profile is None:
            return {"framework": Framework.SWOT}
        values = field_values(profile, ("version", *services.PROFILE_FIELDS))
        relevant = profile.climate_relevant
        values["climate_relevant"] = "" if relevant is None else ("yes" if relevant else "no")
        return values

    def context(self, obj: Any) -> dict[str, Any]:
        return {"title": gettext_lazy("Context of the organization")}

    def act(self, obj: Any, form: Any) -> Any:
        values = dict(form.cleaned_data)
        return services.profile_save(
            actor=acting_user(self.request),
            organization=self.org,
            expected_version=values.pop("version"),
            **values,
        )


class IssueView(FormView):
    """Add an issue (`new/`) or change one (`<pk>/edit/`)."""

    permission = "risks.manage"
    model = ContextIssue
    form_class = IssueForm
    template_name = "risks/context_form.html"
    success_route = "risks:context"
    success_pk = False
    success_message = gettext_lazy("The issue is saved.")

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        profile = services.profile_of(self.org)
        return {"framework": profile.framework if profile else Framework.SWOT}

    def initial(self, obj: Any) -> dict[str, Any]:
        if obj is None:
            return {}
        values = field_values(obj, ("version", *services.ISSUE_FIELDS))
        values["standards"] = list(obj.standards.all())
        return values

    def context(self, obj: Any) -> dict[str, Any]:
        return {"title": gettext_lazy("Context issue")}

    def act(self, obj: Any, form: Any) -> Any:
        values = dict(form.cleaned_data)
        version = values.pop("version")
        standards = values.pop("standards")
        return services.issue_save(
            actor=acting_user(self.request),
            organization=self.org,
            issue=obj,
            expected_version=version,
            fields=values,
            standards=standards,
        )


class IssueRetireView(ConfirmView):
    permission = "risks.manage"
    model = ContextIssue
    form_class = RetireForm
    template_name = "risks/context_form.html"
    success_route = "risks:context"
    success_pk = False

    def context(self, obj: Any) -> dict[str, Any]:
        return {"title": gettext_lazy("No longer relevant"), "subject": obj}

    def act(self, obj: Any, form: Any) -> Any:
        return services.issue_retire(
            actor=acting_user(self.request), issue=obj, reason=form.cleaned_data["reason"]
        )


class PartyListView(ListView):
    """The interested parties with their needs and expectations (one query for the needs of
    the page's parties)."""

    permission = "risks.view"
    template_name = "risks/parties.html"
    rows_template = "risks/_party_rows.html"

    def rows(self, data: dict[str, Any]) -> Any:
        return (
            InterestedParty.objects.filter(organization=self.org)
            .order_by("-is_active", "category", "name")
            .prefetch_related(
                Prefetch(
                    "requirements",
                    queryset=PartyRequirement.objects.select_related("process").order_by("need"),
                )
            )
        )

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"can_manage": can(self.membership, "risks.manage")}


class PartyView(FormView):
    permission = "risks.manage"
    model = InterestedParty
    form_class = PartyForm
    template_name = "risks/context_form.html"
    success_route = "risks:parties"
    success_pk = False
    success_message = gettext_lazy("The interested party is saved.")

    def initial(self, obj: Any) -> dict[str, Any]:
        return (
            field_values(obj, ("version", *services.PARTY_FIELDS)) if obj else {"is_active": True}
        )

    def context(self, obj: Any) -> dict[str, Any]:
        return {"title": gettext_lazy("Interested party")}

    def act(self, obj: Any, form: Any) -> Any:
        values = dict(form.cleaned_data)
        return services.party_save(
            actor=acting_user(self.request),
            organization=self.org,
            party=obj,
            expected_version=values.pop("version"),
            fields=values,
        )


class RequirementAddView(ConfirmView):
    """A need of the party the URL names."""

    permission = "risks.manage"
    model = InterestedParty
    form_class = RequirementForm
    form_takes = ("organization",)
    template_name = "risks/context_form.html"
    success_route = "risks:parties"
    success_pk = False
    success_message = gettext_lazy("The need is saved.")

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"is_active": True}

    def context(self, obj: Any) -> dict[str, Any]:
        return {"title": gettext_lazy("Need or expectation"), "subject": obj}

    def act(self, obj: Any, form: Any) -> Any:
        values = dict(form.cleaned_data)
        values.pop("version")
        return services.requirement_save(
            actor=acting_user(self.request),
            organization=self.org,
            requirement=None,
            expected_version=None,
            fields={**values, "party": obj},
        )


class RequirementEditView(ConfirmView):
    permission = "risks.manage"
    model = PartyRequirement
    select_related = ("party",)
    form_class = RequirementForm
    form_takes = ("organization",)
    template_name = "risks/context_form.html"
    success_pk = False
    success_message = gettext_lazy("The need is saved.")

    def initial(self, obj: Any) -> dict[str, Any]:
        return field_values(obj, ("version", *services.REQUIREMENT_FIELDS[1:]))

    def context(self, obj: Any) -> dict[str, Any]:
        return {"title": gettext_lazy("Need or expectation"), "subject": obj.party}

    def success_url(self, obj: Any) -> str:
        return reverse("risks:parties", kwargs={"org": self.org.slug})

    def act(self, obj: Any, form: Any) -> Any:
        values = dict(form.cleaned_data)
        return services.requirement_save(
            actor=acting_user(self.request),
            organization=self.org,
            requirement=obj,
            expected_version=values.pop("version"),
            fields=values,
        )
