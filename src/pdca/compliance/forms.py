"""The register's forms: they validate the input; the services keep the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pdca.compliance.models import (
    Discipline,
    EvaluationMethod,
    EvaluationResult,
    Obligation,
    ObligationStatus,
    ObligationType,
)
from pdca.core.forms import members_of, owners_of

DATE = {"type": "date"}


class ObligationFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    discipline = forms.ChoiceField(
        label=_("Discipline"), choices=[("", _("Any")), *Discipline.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any")), *ObligationType.choices], required=False
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.Select(attrs={"data-picker": "off"}),
    )
    next_check = forms.ChoiceField(
        label=_("Next check for amendments"),
        choices=[
            ("", _("Any")),
            ("overdue", _("Overdue")),
            ("soon", _("Within 30 days")),
            ("none", _("Not planned")),
        ],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[*ObligationStatus.choices, ("all", _("All"))],
        required=False,
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = owners_of(  # type: ignore[attr-defined]
            Obligation.objects.filter(organization=organization), "responsible"
        )


class ObligationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    discipline = forms.ChoiceField(label=_("Discipline"), choices=Discipline.choices)
    kind = forms.ChoiceField(label=_("Type"), choices=ObligationType.choices)
    jurisdiction = forms.CharField(label=_("Jurisdiction"), max_length=120, required=False)
    citation = forms.CharField(label=_("Citation or section"), max_length=200, required=False)
    requirement = forms.CharField(
        label=_("What it requires"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The obligations in plain words: what has to be done, by whom, how often."),
    )
    permit_number = forms.CharField(label=_("Permit number"), max_length=80, required=False)
    permit_expires_on = forms.DateField(
        label=_("Permit expires on"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("Only for a permit or a licence; its expiry falls due in the calendar."),
    )
    responsible = forms.ModelChoiceField(label=_("Responsible person"), queryset=None)  # type: ignore[arg-type]
    source = forms.CharField(
        label=_("Source"),
        max_length=255,
        required=False,
        help_text=_("Where the text is published or kept (gazette, portal, contract)."),
    )
    source_version = forms.CharField(label=_("Source version"), max_length=80, required=False)
    last_checked_on = forms.DateField(
        label=_("Last checked for amendments"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    next_check_on = forms.DateField(
        label=_("Next check for amendments"), required=False, widget=forms.DateInput(attrs=DATE)
    )

    processes = forms.ModelMultipleChoiceField(
        label=_("Processes it applies to"),
        queryset=None,
        required=False,  # type: ignore[arg-type]
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites it applies to"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        help_text=_("None chosen: it applies to the whole organization."),
    )
    evaluation_months = forms.IntegerField(
        label=_("Evaluated every (months)"),
        min_value=1,
        max_value=60,
        initial=12,
        help_text=_(
            "By the risk of not complying: a permit with limits to keep monthly or quarterly, a "
            "stable law once a year."
        ),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from pdca.core.models import Site
        from pdca.standards.models import Process

        self.fields["responsible"].queryset = members_of(organization)  # type: ignore[attr-defined]
        self.fields["processes"].queryset = Process.objects.filter(  # type: ignore[attr-defined]
            organization=organization, is_active=True
        ).order_by("code", "name")
        self.fields["sites"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
            organization=organization, is_active=True
        ).order_by("name")


class ObligationEditForm(ObligationForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the earlier version, which stays in the register's history."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class EvaluationForm(forms.Form):
    evaluated_on = forms.DateField(label=_("Evaluation date"), widget=forms.DateInput(attrs=DATE))
    method = forms.ChoiceField(label=_("Method"), choices=EvaluationMethod.choices)
    result = forms.ChoiceField(
        label=_("Result"),
        choices=EvaluationResult.choices,
        help_text=_("Non-compliant raises a nonconformity, owned by the responsible person."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was seen, measured or read: readings, documents, report references."),
    )
    evaluator = forms.ModelChoiceField(label=_("Evaluator"), queryset=None)  # type: ignore[arg-type]
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = members_of(organization)  # type: ignore[attr-defined]


class EvaluationCorrectForm(EvaluationForm):
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class EvaluationFilter(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", _("Any")), *EvaluationResult.choices], required=False
    )
    method = forms.ChoiceField(
        label=_("Method"), choices=[("", _("Any")), *EvaluationMethod.choices], required=False
    )
    discipline = forms.ChoiceField(
        label=_("Discipline"), choices=[("", _("Any")), *Discipline.choices], required=False
    )
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)
