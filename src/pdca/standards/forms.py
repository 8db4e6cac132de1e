"""Forms of the standards app: they validate input; the services decide and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pdca.core.assignable import assignable_members
from pdca.core.models import Department, Organization, Site, User
from pdca.standards.models import (
    Assessment,
    Clause,
    Edition,
    OrgStandard,
    Process,
    RequiredInformation,
    RoadmapAction,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def member_users(organization: Organization) -> Any:
    """The people who can be given responsibility here (the rule lives in core.assignable)."""
    return assignable_members(organization)


class ChooseStandardForm(forms.Form):
    edition = forms.ModelChoiceField(label=_("Standard"), queryset=Edition.objects.none())
    scope = forms.CharField(
        label=_("Scope statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Products, services, sites and activities covered. You can write it later."),
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites covered"), queryset=Site.objects.none(), required=False
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = OrgStandard.objects.filter(organization=organization).values("edition__standard")
        self.fields["edition"].queryset = (  # type: ignore[attr-defined]
            Edition.objects.filter(is_current=True)
            .exclude(standard__in=chosen)
            .select_related("standard")
            .order_by("standard__code")
        )
        self.fields["sites"].queryset = Site.objects.filter(organization=organization)  # type: ignore[attr-defined]


class ScopeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = OrgStandard
        fields = ["scope", "sites", "status", "certified_until"]
        widgets = {"scope": forms.Textarea(attrs={"rows": 5}), "certified_until": DATE}
        labels = {"sites": _("Sites")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
            organization=self.instance.organization
        )
        self.fields["version"].initial = self.instance.version
        self.fields["version"].required = bool(self.instance.pk)


class ExclusionForm(forms.Form):
    clause = forms.ModelChoiceField(label=_("Requirement"), queryset=Clause.objects.none())
    justification = forms.CharField(
        label=_("Why it does not apply"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, org_standard: OrgStandard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["clause"]
        field.queryset = Clause.objects.filter(  # type: ignore[attr-defined]
            edition_id=org_standard.edition_id, kind=Clause.Kind.CLAUSE
        ).order_by("sort_key")
        # An exclusion covers the sub-clauses: the choice says so ("8.3 and its sub-clauses").
        parents = set(
            Clause.objects.filter(edition_id=org_standard.edition_id, parent__isnull=False)
            .values_list("parent_id", flat=True)
            .distinct()
        )
        field.label_from_instance = lambda c: (  # type: ignore[attr-defined]
            _("%(number)s %(title)s and its sub-clauses") % {"number": c.number, "title": c.title}
            if c.pk in parents
            else f"{c.number} {c.title}"
        )
        field.help_text = _("Excluding a clause excludes its sub-clauses with it.")


class SoAForm(forms.Form):
    applicable = forms.TypedChoiceField(
        label=_("Applicable"),
        choices=[("yes", _("Yes, the control applies")), ("no", _("No, it is left out"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Why the control is included (e.g. a risk it treats) or left out."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Assessment.Status.choices,
        help_text=_(
            "“Verified” needs a closed internal audit of the clause with no open "
            "nonconformity on it, or valid evidence linked. Whether a requirement applies is "
            "decided by an exclusion or in the Statement of Applicability."
        ),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_users(organization)  # type: ignore[attr-defined]


class LinkEvidenceForm(forms.Form):
    """Link a process, document or record to a clause, naming the mandatory item it proves."""

    target = forms.ChoiceField(label=_("Evidence"))
    required = forms.ModelChoiceField(
        label=_("It proves"),
        queryset=RequiredInformation.objects.none(),
        required=False,
        empty_label=_("The clause in general (no specific item)"),
        help_text=_("The mandatory document or record of this clause or a sub-clause it is."),
    )

    def __init__(
        self, *args: Any, organization: Organization, clause: Clause, **kwargs: Any
    ) -> None:
        from pdca.standards.selectors import evidence_choices, items_of

        super().__init__(*args, **kwargs)
        self.organization = organization
        groups = evidence_choices(organization)
        self.has_choices = bool(groups)
        self.fields["target"].choices = [("", "---------"), *groups]  # type: ignore[attr-defined]
        items = self.fields["required"]
        items.queryset = items_of(clause)  # type: ignore[attr-defined]
        items.label_from_instance = lambda r: f"{r.clause.number} {r.title}"  # type: ignore[attr-defined]

    def clean_target(self) -> Any:
        from pdca.standards.selectors import evidence_object

        obj = evidence_object(self.organization, self.cleaned_data["target"])
        if obj is None:
            raise forms.ValidationError(_("Choose what to link."))
        return obj


class ProcessForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Declared here: the default would query the organization-scoped manager at import time.
    interacts_with = forms.ModelMultipleChoiceField(
        label=_("Hands over to"), queryset=Process.objects.none(), required=False
    )

    class Meta:
        model = Process
        fields = [
            "code",
            "name",
            "category",
            "owner",
            "purpose",
            "inputs",
            "outputs",
            "interacts_with",
            "sites",
            "departments",
            "clauses",
            "is_active",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "inputs": forms.Textarea(attrs={"rows": 2}),
            "outputs": forms.Textarea(attrs={"rows": 2}),
            "clauses": forms.SelectMultiple(attrs={"size": 8}),
        }
        labels = {
            "interacts_with": _("Hands over to"),
            "owner": _("Owner"),
            "sites": _("Sites"),
            "departments": _("Departments"),
            "clauses": _("Clauses"),
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        f = self.fields
        f["owner"].required = True
        f["owner"].queryset = member_users(organization)  # type: ignore[attr-defined]
        f["interacts_with"].queryset = Process.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        ).exclude(pk=self.instance.pk)
        f["sites"].queryset = Site.objects.filter(organization=organization)  # type: ignore[attr-defined]
        f["departments"].queryset = Department.objects.filter(organization=organization)  # type: ignore[attr-defined]
        editions = OrgStandard.objects.filter(organization=organization).values("edition")
        f["clauses"].queryset = (  # type: ignore[attr-defined]
            Clause.objects.filter(edition__in=editions)
            .select_related("edition")
            .order_by("edition__standard__code", "sort_key")
        )
        f["clauses"].label_from_instance = lambda c: f"{c.edition.label} {c.number} {c.title}"  # type: ignore[attr-defined]
        f["version"].initial = self.instance.version
        f["version"].required = bool(self.instance.pk)

    def validate_unique(self) -> None:
        pass  # the service says it in the users' words


class RoadmapForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Reason for the change"), required=False)

    class Meta:
        model = RoadmapAction
        fields = ["title", "owner", "due_on", "status", "notes"]
        widgets = {"due_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_users(organization)  # type: ignore[attr-defined]
        self.fields["version"].initial = self.instance.version
        self.fields["version"].required = bool(self.instance.pk)


class BulkAssessmentForm(forms.Form):
    """The same status, owner or target date for the rows selected in the gap analysis."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("(unchanged)")),
            *Assessment.Status.choices,
        ]
        self.fields["owner"].queryset = member_users(organization)  # type: ignore[attr-defined]
        self.fields["owner"].empty_label = _("(unchanged)")  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {}
        if data.get("status"):
            values["status"] = data["status"]
        if data.get("owner") is not None:
            values["owner"] = data["owner"]
        if data.get("target_date") is not None:
            values["target_date"] = data["target_date"]
        return values
