"""Forms of management reviews: they validate input; the services decide and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pdca.core.forms import members_of
from pdca.core.models import Organization, User
from pdca.reviews.models import OutputKind, Review, ReviewOutput
from pdca.standards.models import Edition, OrgStandard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def held_editions(organization: Organization) -> Any:
    return (
        Edition.objects.filter(org_standards__organization=organization)
        .exclude(org_standards__status=OrgStandard.Status.WITHDRAWN)
        .select_related("standard")
        .order_by("standard__code")
    )


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    planned_on = forms.DateField(label=_("Planned date"), widget=DATE)
    editions = forms.ModelMultipleChoiceField(
        label=_("Standards covered"),
        queryset=Edition.objects.none(),
        help_text=_("The agenda lists the inputs each of these standards requires, each once."),
    )
    chair = forms.ModelChoiceField(label=_("Chair (top management)"), queryset=User.objects.none())
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"), queryset=User.objects.none(), required=False
    )
    period_start = forms.DateField(
        label=_("Period from"),
        widget=DATE,
        required=False,
        help_text=_("Empty: the day after the previous review, or a year before this one."),
    )
    interval_months = forms.IntegerField(
        label=_("Months until the next review"), min_value=1, max_value=36, initial=12
    )
    communication = forms.CharField(
        label=_("How the outputs are communicated (45001: to workers and their representatives)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = members_of(organization).order_by("full_name")
        self.fields["editions"].queryset = held_editions(organization)  # type: ignore[attr-defined]
        self.fields["chair"].queryset = people  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = people  # type: ignore[attr-defined]


class InputForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    entered_data = forms.CharField(
        label=_("The information (figures, trends, sources)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    notes = forms.CharField(
        label=_("Discussion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, available: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if available:
            del self.fields["entered_data"]


class OutputForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of decision"), choices=OutputKind.choices)
    title = forms.CharField(label=_("Decision and action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organization).order_by("full_name")  # type: ignore[attr-defined]


class OutputUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ReviewOutput.Status.choices)
    notes = forms.CharField(
        label=_("Progress notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PrepareForm(forms.Form):
    """Compiling the inputs needs no more than the confirmation."""


class HoldForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    conclusion = forms.CharField(
        label=_("Conclusion on the suitability, adequacy and effectiveness of the system"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    communication = forms.CharField(
        label=_("How the outputs are communicated (45001: to workers and their representatives)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to sign the minutes"), widget=forms.PasswordInput, strip=False
    )


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *list(Review.Status.choices)]
    )
