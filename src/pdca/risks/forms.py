"""Forms of the risks app: they validate input; the services decide and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pdca.core.assignable import assignable_members
from pdca.core.forms import owners_of
from pdca.core.models import Organization
from pdca.risks.isms import annex_controls
from pdca.risks.models import (
    HEADINGS,
    AssessmentRun,
    Asset,
    ContextIssue,
    Effectiveness,
    Framework,
    InterestedParty,
    Kind,
    Origin,
    PartyRequirement,
    ReasonKind,
    Risk,
    RiskAction,
    Treatment,
)
from pdca.standards.models import Clause, Process, Standard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _processes(organization: Organization) -> Any:
    return Process.objects.filter(organization=organization, is_active=True)


class LevelsField(forms.CharField):
    """A scale typed one level per line, lowest first."""

    widget = forms.Textarea(attrs={"rows": 5})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value


class MethodForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    likelihood_levels = LevelsField(
        label=_("Likelihood levels"), help_text=_("One per line, the lowest first.")
    )
    consequence_levels = LevelsField(
        label=_("Consequence levels"), help_text=_("One per line, the lowest first.")
    )
    acceptance_threshold = forms.IntegerField(
        label=_("Acceptance threshold"),
        min_value=1,
        help_text=_("Scores (likelihood × consequence) up to this value are accepted."),
    )
    acceptance_criteria = forms.CharField(
        label=_("Acceptance criteria and when to assess"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "Who accepts what, the planned interval, and the changes that call for a new "
            "assessment."
        ),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=assignable_members(0))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_members(organization)  # type: ignore[attr-defined]


class ApproveForm(forms.Form):
    """Approval asks for nothing but the click: the service checks who approves."""


class RiskFilterForm(forms.Form):
    q = forms.CharField(required=False)
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Risks and opportunities")), *Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))],
        required=False,
    )
    standard = forms.ModelChoiceField(
        label=_("Standard"), queryset=Standard.objects.all(), required=False
    )
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=Process.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=assignable_members(0), required=False)
    min_score = forms.IntegerField(label=_("Score at least"), min_value=1, required=False)
    # The entries whose treatment needs a control (the Statement of Applicability links here).
    control = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = _processes(organization)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = owners_of(  # type: ignore[attr-defined]
            Risk.objects.filter(organization=organization)
        )
        for name in ("standard", "process", "owner"):
            self.fields[name].widget.attrs["data-picker"] = "off"


class RiskForm(forms.Form):
    """Entering a risk scores it; editing changes what it says (its score is reassessed)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    cause = forms.CharField(
        label=_("Cause"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    effect = forms.CharField(
        label=_("Effect"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=Process.objects.none(), required=False
    )
    source_issue = forms.ModelChoiceField(
        label=_("From the context issue"), queryset=ContextIssue.objects.none(), required=False
    )
    source_requirement = forms.ModelChoiceField(
        label=_("From the need of a party"),
        queryset=PartyRequirement.objects.none(),
        required=False,
    )
    standards = forms.ModelMultipleChoiceField(
        label=_("Standards"), queryset=Standard.objects.all(), required=False
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=assignable_members(0), required=False)
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), coerce=int, choices=())
    consequence = forms.TypedChoiceField(label=_("Consequence"), coerce=int, choices=())
    review_on = forms.DateField(label=_("Next review"), widget=DATE, required=False)

    def __init__(
        self,
        *args: Any,
        organization: Organization,
        method: Any,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = _processes(organization)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = assignable_members(organization)  # type: ignore[attr-defined]
        self.fields["source_issue"].queryset = ContextIssue.objects.filter(  # type: ignore[attr-defined]
            organization=organization, status=ContextIssue.Status.ACTIVE
        )
        self.fields["source_requirement"].queryset = PartyRequirement.objects.filter(  # type: ignore[attr-defined]
            organization=organization, is_active=True
        ).select_related("party")
        if editing:
            del self.fields["kind"], self.fields["likelihood"], self.fields["consequence"]
        else:
            del self.fields["version"]
            set_scales(self, method)


def set_scales(form: forms.Form, method: Any, prefix: str = "") -> None:
    """The likelihood and consequence choices of the method in force, "n – label"."""
    for name, levels in (
        (f"{prefix}likelihood", method.likelihood_levels if method else []),
        (f"{prefix}consequence", method.consequence_levels if method else []),
    ):
        field = form.fields[name]
        field.choices = [("", "—")] + [  # type: ignore[attr-defined]
            (i, f"{i} – {label}") for i, label in enumerate(levels, start=1)
        ]


class AssessForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), coerce=int, choices=())
    consequence = forms.TypedChoiceField(label=_("Consequence"), coerce=int, choices=())
    residual_likelihood = forms.TypedChoiceField(
        label=_("Residual likelihood"), coerce=int, choices=(), required=False, empty_value=None
    )
    residual_consequence = forms.TypedChoiceField(
        label=_("Residual consequence"), coerce=int, choices=(), required=False, empty_value=None
    )

    def __init__(self, *args: Any, method: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_scales(self, method)
        set_scales(self, method, prefix="residual_")


class TreatForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    treatment = forms.ChoiceField(label=_("Treatment"), choices=Treatment.choices)
    residual_likelihood = forms.TypedChoiceField(
        label=_("Residual likelihood"), coerce=int, choices=(), required=False, empty_value=None
    )
    residual_consequence = forms.TypedChoiceField(
        label=_("Residual consequence"), coerce=int, choices=(), required=False, empty_value=None
    )
    password = forms.CharField(
        label=_("Your password (the owner's signed acceptance)"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Needed only when the owner retains a risk above the acceptance criteria."),
    )

    def __init__(self, *args: Any, method: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_scales(self, method, prefix="residual_")


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)


class EvaluateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    effectiveness = forms.ChoiceField(
        label=_("Were the actions effective?"), choices=Effectiveness.choices
    )
    notes = forms.CharField(
        label=_("How this was judged"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Why is this entry closed?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=assignable_members(0))
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    process = forms.ModelChoiceField(
        label=_("Integrated into process"), queryset=Process.objects.none(), required=False
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_members(organization)  # type: ignore[attr-defined]
        self.fields["process"].queryset = _processes(organization)  # type: ignore[attr-defined]


class ActionUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=RiskAction.Status.choices)
    notes = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ProfileForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    framework = forms.ChoiceField(label=_("Headings for the issues"), choices=Framework.choices)
    climate_relevant = forms.TypedChoiceField(
        label=_("Is climate change a relevant issue?"),
        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
    )
    climate_reasoning = forms.CharField(
        label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reviewed_on = forms.DateField(label=_("Context last reviewed"), widget=DATE, required=False)


class IssueForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Issue"), max_length=200)
    heading = forms.ChoiceField(label=_("Heading"), choices=())
    origin = forms.ChoiceField(label=_("Internal or external"), choices=Origin.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    effect = forms.CharField(
        label=_("Effect on the intended results"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    climate_related = forms.BooleanField(label=_("Related to climate change"), required=False)
    standards = forms.ModelMultipleChoiceField(
        label=_("Standards"), queryset=Standard.objects.all(), required=False
    )
    review_on = forms.DateField(label=_("Next review"), widget=DATE, required=False)

    def __init__(self, *args: Any, framework: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["heading"].choices = [  # type: ignore[attr-defined]
            (h.value, h.label) for h in HEADINGS[Framework(framework)]
        ]


class RetireForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it no longer relevant?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PartyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Party"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=InterestedParty.Category.choices)
    origin = forms.ChoiceField(label=_("Internal or external"), choices=Origin.choices)
    notes = forms.CharField(
        label=_("Why it is relevant"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    is_active = forms.BooleanField(label=_("Relevant"), required=False, initial=True)


class RequirementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    need = forms.CharField(label=_("Need or expectation"), max_length=300)
    is_obligation = forms.BooleanField(
        label=_("Becomes a compliance obligation or requirement"), required=False
    )
    addressed_by = forms.CharField(
        label=_("How the system addresses it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=Process.objects.none(), required=False
    )
    review_on = forms.DateField(label=_("Next review"), widget=DATE, required=False)
    is_active = forms.BooleanField(label=_("Relevant"), required=False, initial=True)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = _processes(organization)  # type: ignore[attr-defined]


class AssetForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Asset"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Asset.Kind.choices)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=assignable_members(0), required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_members(organization)  # type: ignore[attr-defined]


class ScenarioForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    threat = forms.CharField(
        label=_("Threat or scenario"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    confidentiality = forms.BooleanField(label=_("Confidentiality"), required=False)
    integrity = forms.BooleanField(label=_("Integrity"), required=False)
    availability = forms.BooleanField(label=_("Availability"), required=False)
    assets = forms.ModelMultipleChoiceField(
        label=_("Assets"), queryset=Asset.objects.none(), required=False
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assets"].queryset = Asset.objects.filter(  # type: ignore[attr-defined]
            organization=organization, is_active=True
        )


class ControlsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    controls = forms.ModelMultipleChoiceField(
        label=_("Annex A controls needed"), queryset=Clause.objects.none(), required=False
    )

    def __init__(self, *args: Any, controls: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["controls"].queryset = controls  # type: ignore[attr-defined]


class RunForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why now"), choices=AssessmentRun.Reason.choices)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SoAApproveForm(forms.Form):
    note = forms.CharField(
        label=_("What this revision changes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the controls the new risk assessment calls for."),
    )
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)


class ControlReasonForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    clause = forms.ModelChoiceField(label=_("Control"), queryset=Clause.objects.none())
    kind = forms.ChoiceField(label=_("Reason"), choices=ReasonKind.choices)
    reference = forms.CharField(
        label=_("What requires it"),
        max_length=200,
        help_text=_("For example: GDPR Art. 32, or the customer contract's security annex."),
    )
    is_active = forms.BooleanField(label=_("Still a reason"), required=False, initial=True)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = annex_controls(organization).order_by("sort_key")  # type: ignore[attr-defined]


class FromNonconformityForm(forms.Form):
    """Open a new entry from a nonconformity, or assess an existing one again."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    risk = forms.ModelChoiceField(
        label=_("Update an entry"),
        queryset=Risk.objects.none(),
        required=False,
        help_text=_("Leave empty to open a new entry."),
    )
    title = forms.CharField(label=_("Title of the new entry"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices, initial=Kind.RISK)
    owner = forms.ModelChoiceField(
        label=_("Owner of the new entry"), queryset=assignable_members(0), required=False
    )
    likelihood = forms.IntegerField(label=_("Likelihood"), min_value=1)
    consequence = forms.IntegerField(label=_("Consequence"), min_value=1)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = Risk.objects.filter(  # type: ignore[attr-defined]
            organization=organization, status=Risk.Status.OPEN
        ).order_by("number")
        self.fields["owner"].queryset = assignable_members(organization)  # type: ignore[attr-defined]
