"""Forms of objectives and KPIs: they validate input; the services decide and write."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pdca.core.assignable import assignable_members
from pdca.core.metrics import metric_choices
from pdca.core.models import Organization, User
from pdca.objectives.models import (
    DataSource,
    Direction,
    Frequency,
    Indicator,
    Objective,
    ObjectiveAction,
    Rating,
    ValueType,
)
from pdca.standards.models import Edition, OrgStandard, Process

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
TEXT = forms.Textarea(attrs={"rows": 2})


def org_editions(organization: Organization) -> Any:
    return (
        Edition.objects.filter(org_standards__organization=organization)
        .exclude(org_standards__status=OrgStandard.Status.WITHDRAWN)
        .select_related("standard")
        .order_by("standard__code")
    )


class PeriodField(forms.DateField):
    """A period by its first day; a month input sends "2026-03", which means its first day."""

    input_formats = ["%Y-%m-%d", "%Y-%m"]


class ObjectiveForm(forms.Form):
    title = forms.CharField(label=_("Objective"), max_length=200)
    description = forms.CharField(label=_("What is to be achieved"), required=False, widget=TEXT)
    editions = forms.ModelMultipleChoiceField(
        label=_("Standards"), queryset=Edition.objects.none(), required=False
    )
    policy_commitment = forms.CharField(
        label=_("Policy commitment it serves"), required=False, widget=TEXT
    )
    baseline = forms.CharField(label=_("Baseline"), max_length=100, required=False)
    target = forms.CharField(
        label=_("Target"),
        max_length=100,
        required=False,
        help_text=_(
            "What counts as achieved, e.g. “scrap rate ≤ 1.5 %”. A target needs a deadline."
        ),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    applies_to = forms.CharField(
        label=_("Functions, levels and processes it applies to"), required=False, widget=TEXT
    )
    processes = forms.ModelMultipleChoiceField(
        label=_("Processes"), queryset=Process.objects.none(), required=False
    )
    resources = forms.CharField(label=_("Resources"), required=False, widget=TEXT)
    evaluation = forms.CharField(label=_("How results are evaluated"), required=False, widget=TEXT)
    frequency = forms.ChoiceField(label=_("Monitoring frequency"), choices=Frequency.choices)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in Objective.Status.choices if c[0] != Objective.Status.WITHDRAWN],
    )
    communicated_to = forms.CharField(label=_("Communicated to"), required=False, widget=TEXT)
    communicated_on = forms.DateField(label=_("Communicated on"), required=False, widget=DATE)
    integration = forms.CharField(
        label=_("Integration into business processes (ISO 14001, ISO 45001)"),
        required=False,
        widget=TEXT,
    )
    risk_link = forms.CharField(
        label=_("Risk assessment and treatment results (ISO/IEC 27001)"),
        required=False,
        widget=TEXT,
    )
    workers_consulted = forms.CharField(
        label=_("Workers consulted (ISO 45001)"), required=False, widget=TEXT
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_members(organization)  # type: ignore[attr-defined]
        self.fields["editions"].queryset = org_editions(organization)  # type: ignore[attr-defined]
        self.fields["processes"].queryset = Process.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        ).order_by("code")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is it withdrawn?"), widget=TEXT)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    definition = forms.CharField(label=_("Definition: formula or how it is measured"), widget=TEXT)
    objective = forms.ModelChoiceField(
        label=_("Objective"), queryset=Objective.objects.none(), required=False
    )
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=Process.objects.none(), required=False
    )
    value_type = forms.ChoiceField(label=_("Kind of value"), choices=ValueType.choices)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=4)
    red_threshold = forms.DecimalField(
        label=_("Red threshold"),
        max_digits=14,
        decimal_places=4,
        help_text=Indicator._meta.get_field("red_threshold").help_text,
    )
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    first_period = PeriodField(
        label=_("First period measured"),
        required=False,
        widget=DATE,
        help_text=_("Any day of it; the period that holds it is the first one."),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    data_source = forms.ChoiceField(label=_("Data source"), choices=DataSource.choices)
    computed_source = forms.ChoiceField(
        label=_("Computed from"),
        required=False,
        help_text=_("With the data source computed: what pdca computes each period's value from."),
    )
    red_periods = forms.IntegerField(
        label=_("Red periods before action"),
        min_value=1,
        max_value=24,
        initial=1,
        help_text=Indicator._meta.get_field("red_periods").help_text,
    )
    customer_satisfaction = forms.BooleanField(
        label=_("Measures customer satisfaction (ISO 9001 9.1.2)"), required=False
    )
    is_active = forms.BooleanField(label=_("Measured"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_members(organization)  # type: ignore[attr-defined]
        self.fields["objective"].queryset = Objective.objects.filter(  # type: ignore[attr-defined]
            organization=organization, status__in=Objective.OPEN_STATUSES
        ).order_by("title")
        self.fields["process"].queryset = Process.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        ).order_by("code")
        self.fields["computed_source"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *metric_choices(),
        ]


class MeasurementForm(forms.Form):
    period = PeriodField(
        label=_("Period"),
        widget=DATE,
        help_text=_("The first day of the period (a month starts on the 1st)."),
    )
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=4)
    comment = forms.CharField(label=_("Comment"), required=False, widget=TEXT)


class CorrectForm(forms.Form):
    value = forms.DecimalField(label=_("Corrected value"), max_digits=14, decimal_places=4)
    comment = forms.CharField(label=_("Comment"), required=False, widget=TEXT)
    reason = forms.CharField(label=_("Why is it corrected?"), widget=TEXT)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RaiseForm(forms.Form):
    """Nothing to enter: the nonconformity is described from the result."""


class ComputeForm(forms.Form):
    """Nothing to enter: pdca computes the finished periods' results."""


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Due"), widget=DATE)
    resources = forms.CharField(label=_("Resources"), max_length=300, required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_members(organization)  # type: ignore[attr-defined]


class ImproveForm(ActionForm):
    reason = forms.CharField(
        label=_("Why it is raised"),
        required=False,
        widget=TEXT,
        help_text=_("Left empty, the reasons the objective is off track are written."),
    )


class ActionUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ObjectiveAction.Status.choices)
    notes = forms.CharField(label=_("What was done"), required=False, widget=TEXT)


class ObjectiveFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Pursued")), *Objective.Status.choices]
    )
    standard = forms.ChoiceField(label=_("Standard"), required=False, choices=[])
    mine = forms.BooleanField(label=_("Mine"), required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [  # type: ignore[attr-defined]
            ("", _("Any")),
            *[(e.standard.code, e.standard.name) for e in org_editions(organization)],
        ]


class IndicatorFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    rating = forms.ChoiceField(
        label=_("Rating"), required=False, choices=[("", _("Any")), *Rating.choices]
    )
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=Process.objects.none(), required=False
    )
    mine = forms.BooleanField(label=_("Mine"), required=False)
    all = forms.BooleanField(label=_("Also those no longer measured"), required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = Process.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        ).order_by("code")

    def clean_process(self) -> Any:
        process = self.cleaned_data.get("process")
        return process.pk if process is not None else None


def default_period(indicator: Indicator, today: datetime.date) -> datetime.date:
    """The period a new measurement is most likely for: the one after the last entered, or the
    last finished period."""
    from pdca.objectives.models import next_period, period_start

    if indicator.last_period is not None:
        nxt = next_period(indicator.last_period, indicator.frequency)
        return min(nxt, period_start(today, indicator.frequency))
    current = period_start(today, indicator.frequency)
    previous = period_start(current - datetime.timedelta(days=1), indicator.frequency)
    return max(indicator.first_period, previous)


class ApproveForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the set"), min_value=2000, max_value=2100)
    password = forms.CharField(
        label=_("Your password, to sign the approval"), widget=forms.PasswordInput, strip=False
    )


class EntryPeriodForm(forms.Form):
    """Which period's results the bulk entry page asks for."""

    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    period = PeriodField(
        label=_("Period"),
        widget=DATE,
        help_text=_("The first day of the period (a month starts on the 1st)."),
    )

    def clean(self) -> dict[str, Any]:
        from pdca.objectives.models import is_period_start

        data = super().clean() or {}
        frequency, period = data.get("frequency"), data.get("period")
        if frequency and period and not is_period_start(period, frequency):
            self.add_error("period", _("A period starts on the 1st of a month, quarter or year."))
        if period and period > timezone.localdate():
            self.add_error("period", _("This period has not started yet."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: kpi (its name or number), period (2026-03, 2026 Q1 or 2026), value, comment."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )
