"""Forms of the improvement app: they validate input; the services decide and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pdca.core.assignable import assignable_members
from pdca.core.models import Department, Organization, User
from pdca.documents.models import Revision
from pdca.improvement.models import (
    Category,
    CorrectiveAction,
    EffectivenessCheck,
    Nonconformity,
    RisksOutcome,
    Similar,
    Source,
    SystemChangeOutcome,
)
from pdca.standards.models import Clause, Edition, OrgStandard, Process

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def members(organization: Organization) -> Any:
    """The people who can be given responsibility here (the rule lives in core.assignable)."""
    return assignable_members(organization)


def clause_choices(organization: Organization) -> Any:
    editions = Edition.objects.filter(org_standards__organization=organization).exclude(
        org_standards__status=OrgStandard.Status.WITHDRAWN
    )
    if not editions.exists():
        editions = Edition.objects.filter(is_current=True)
    return (
        Clause.objects.filter(edition__in=editions)
        .select_related("edition")
        .order_by("edition__standard__code", "sort_key")
    )


class RaiseForm(forms.Form):
    """The short form any employee uses."""

    title = forms.CharField(label=_("What went wrong, in a few words"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What, where, when, and anything done about it already."),
    )
    found_on = forms.DateField(label=_("Date found"), widget=DATE)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=Process.objects.none(), required=False
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organization=organization)  # type: ignore[attr-defined]
        self.fields["process"].queryset = Process.objects.filter(  # type: ignore[attr-defined]
            organization=organization, is_active=True
        )


class NonconformityForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=Process.objects.none(), required=False
    )

    class Meta:
        model = Nonconformity
        fields = [
            "title",
            "description",
            "source",
            "severity",
            "clauses",
            "department",
            "process",
            "found_on",
            "owner",
            "containment",
            "no_containment_reason",
        ]
        help_texts = {
            "containment": _("What was done to contain the effect and correct it."),
            "no_containment_reason": _(
                "Only when there was nothing to contain or correct: say why."
            ),
        }
        widgets = {
            "found_on": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "containment": forms.Textarea(attrs={"rows": 3}),
            "no_containment_reason": forms.Textarea(attrs={"rows": 2}),
            "clauses": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["clauses"].queryset = clause_choices(organization)  # type: ignore[attr-defined]
        f["clauses"].label_from_instance = lambda c: f"{c.edition} {c.number} {c.title}"  # type: ignore[attr-defined]
        f["clauses"].required = False
        f["department"].queryset = Department.objects.filter(organization=organization)  # type: ignore[attr-defined]
        f["process"].queryset = Process.objects.filter(organization=organization)  # type: ignore[attr-defined]
        f["owner"].queryset = members(organization)  # type: ignore[attr-defined]


WHY_COUNT = 5


class AnalysisForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    why_1 = forms.CharField(label=_("Why did it happen?"), required=False, max_length=500)
    why_2 = forms.CharField(label=_("Why? (2)"), required=False, max_length=500)
    why_3 = forms.CharField(label=_("Why? (3)"), required=False, max_length=500)
    why_4 = forms.CharField(label=_("Why? (4)"), required=False, max_length=500)
    why_5 = forms.CharField(label=_("Why? (5)"), required=False, max_length=500)
    people = forms.CharField(
        label=_("People"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One cause a line."),
    )
    method = forms.CharField(
        label=_("Method"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    machine = forms.CharField(
        label=_("Machine"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    material = forms.CharField(
        label=_("Material"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    measurement = forms.CharField(
        label=_("Measurement"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    environment = forms.CharField(
        label=_("Environment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    root_cause = forms.CharField(label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 2}))
    root_cause_category = forms.ChoiceField(
        label=_("Root-cause category"), choices=Category.choices
    )
    similar = forms.ChoiceField(
        label=_("Do similar nonconformities exist, or could they occur?"),
        choices=Similar.choices,
        widget=forms.RadioSelect,
    )
    similar_notes = forms.CharField(
        label=_("Where, and what is done about them"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def why_fields(self) -> list[Any]:
        return [self[f"why_{i}"] for i in range(1, WHY_COUNT + 1)]

    def fishbone_fields(self) -> list[Any]:
        return [self[c] for c in Category.values]

    def whys(self) -> list[str]:
        return [self.cleaned_data.get(f"why_{i}", "") for i in range(1, WHY_COUNT + 1)]

    def causes(self) -> list[tuple[str, str]]:
        return [
            (cat, line)
            for cat in Category.values
            for line in (self.cleaned_data.get(cat) or "").splitlines()
            if line.strip()
        ]

    @staticmethod
    def initial_for(nc: Nonconformity) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": nc.version,
            "root_cause": nc.root_cause,
            "root_cause_category": nc.root_cause_category,
            "similar": nc.similar,
            "similar_notes": nc.similar_notes,
        }
        for why in nc.whys.all():
            if why.position <= WHY_COUNT:
                data[f"why_{why.position}"] = why.text
        for cause in nc.causes.all():
            data[cause.category] = (data.get(cause.category, "") + "\n" + cause.text).strip()
        return data


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Due"), widget=DATE)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members(organization)  # type: ignore[attr-defined]


class ActionUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=CorrectiveAction.Status.choices)
    notes = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CheckPlanForm(forms.Form):
    planned_on = forms.DateField(label=_("Verify on"), widget=DATE)
    verifier = forms.ModelChoiceField(label=_("Verifier"), queryset=User.objects.none())

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["verifier"].queryset = members(organization)  # type: ignore[attr-defined]


class CheckRecordForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[(v, lbl) for v, lbl in EffectivenessCheck.Result.choices if v != "pending"],
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}))
    early_reason = forms.CharField(
        label=_("Why it can be verified before the planned date"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, check: EffectivenessCheck, today: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if check.planned_on <= today:
            del self.fields["early_reason"]
        else:
            self.fields["early_reason"].help_text = _(
                "The check is planned for %(date)s; a result recorded earlier needs a reason."
            ) % {"date": check.planned_on}


class ClosureStepsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    risks_outcome = forms.ChoiceField(
        label=_("Update the risks and opportunities"),
        choices=RisksOutcome.choices,
        widget=forms.RadioSelect,
    )
    risks_notes = forms.CharField(
        label=_("Which risks or opportunities, and how"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    system_change_outcome = forms.ChoiceField(
        label=_("Change the management system"),
        choices=SystemChangeOutcome.choices,
        widget=forms.RadioSelect,
    )
    system_change_revision = forms.ModelChoiceField(
        label=_("The document revision that carries the change"),
        queryset=Revision.objects.none(),
        required=False,
    )
    system_change_process = forms.ModelChoiceField(
        label=_("The process that was changed"), queryset=Process.objects.none(), required=False
    )
    system_change_notes = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The revisions a change would be carried by: drafts under way and the current ones.
        self.fields["system_change_revision"].queryset = (  # type: ignore[attr-defined]
            Revision.objects.filter(
                organization=organization,
                status__in=["draft", "in_review", "approved", "effective"],
            )
            .select_related("document")
            .order_by("document__number", "-seq")
        )
        self.fields["system_change_process"].queryset = Process.objects.filter(  # type: ignore[attr-defined]
            organization=organization, is_active=True
        )


class CloseForm(forms.Form):
    no_action_reason = forms.CharField(
        label=_("Close by correction alone: why no corrective action is needed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only for a minor internal nonconformity whose correction is recorded. Leave empty "
            "to close after corrective action."
        ),
    )
    password = forms.CharField(
        label=_("Your password, to sign the closure"), widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args: Any, nc: Nonconformity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not nc.may_close_by_correction:
            del self.fields["no_action_reason"]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NcFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any")),
            ("open", _("Open (any stage)")),
            *list(Nonconformity.Status.choices),
        ],
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("Any")), *list(Source.choices)]
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        required=False,
        choices=[("", _("Any")), *list(Nonconformity.Severity.choices)],
    )
    mine = forms.BooleanField(label=_("Mine"), required=False)
    # What the dashboard's cards count: each card opens the list narrowed to exactly its rows.
    needs = forms.ChoiceField(
        label=_("Needs"),
        required=False,
        choices=[
            ("", _("Anything")),
            ("overdue_actions", _("Overdue corrective actions")),
            ("my_actions", _("My open corrective actions")),
            ("checks_due", _("Effectiveness checks due")),
        ],
    )
