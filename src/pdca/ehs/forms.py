"""The forms of the aspects register: they validate the input; the services keep the rules
(the ratings' scale comes from the organization's criteria)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pdca.compliance.models import Obligation, ObligationStatus
from pdca.core.forms import ACCEPT, members_of
from pdca.core.roles import Role
from pdca.ehs.models import (
    HEALTH_FIELDS,
    Aspect,
    BarrierKind,
    Condition,
    ConsultationTopic,
    ControlLevel,
    ControlOrInfluence,
    EntryStatus,
    Exposed,
    Hazard,
    HazardControl,
    HazardType,
    Impact,
    IncidentKind,
    IncidentStatus,
    LifeCycleStage,
    Mechanism,
    MechanismKind,
    ParticipationTopic,
    PersonStatus,
)


def active_obligations(organization: Any) -> Any:
    return Obligation.objects.filter(
        organization=organization, status=ObligationStatus.ACTIVE
    ).order_by("title")


class AspectFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    impact_on = forms.ChoiceField(
        label=_("Impact on"), choices=[("", _("Any")), *Impact.choices], required=False
    )
    condition = forms.ChoiceField(
        label=_("Condition"), choices=[("", _("Any")), *Condition.choices], required=False
    )
    significant = forms.ChoiceField(
        label=_("Significant"),
        choices=[("", _("Any")), ("yes", _("Significant")), ("no", _("Not significant"))],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[*EntryStatus.choices, ("all", _("All"))], required=False
    )


class AspectForm(forms.Form):
    activity = forms.CharField(label=_("Activity, product or service"), max_length=200)
    aspect = forms.CharField(label=_("Aspect"), max_length=200)
    impact_on = forms.ChoiceField(label=_("Impact on"), choices=Impact.choices)
    impact = forms.CharField(label=_("Impact"), widget=forms.Textarea(attrs={"rows": 2}))
    condition = forms.ChoiceField(label=_("Condition"), choices=Condition.choices)
    life_cycle_stage = forms.ChoiceField(
        label=_("Life-cycle stage"), choices=LifeCycleStage.choices
    )
    control = forms.ChoiceField(label=_("Control or influence"), choices=ControlOrInfluence.choices)
    severity = forms.IntegerField(label=_("Severity"), min_value=0)
    frequency = forms.IntegerField(label=_("Frequency"), min_value=0)
    stakeholder_concern = forms.IntegerField(label=_("Stakeholder concern"), min_value=0)
    obligations = forms.ModelMultipleChoiceField(
        label=_("Compliance obligations"),
        queryset=Obligation.objects.none(),
        required=False,
        help_text=_("The obligations that apply to the aspect: a legal link counts in its score."),
    )
    operational_control = forms.CharField(
        label=_("Operational control (8.1)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    emergency_plan = forms.CharField(
        label=_("Emergency preparedness (8.2)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Controlling documents (8.1, 8.2)"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        help_text=_("The procedures, work instructions and emergency plans that control it."),
    )
    monitoring = forms.CharField(
        label=_("Monitoring (9.1.1)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    objectives = forms.ModelMultipleChoiceField(
        label=_("Objectives"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        help_text=_("The environmental objectives set for it (6.2), above all when significant."),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)  # type: ignore[arg-type]
    review_on = forms.DateField(
        label=_("Review date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, organization: Any, scale: int, **kwargs: Any) -> None:
        from pdca.documents.models import Document, DocumentStatus
        from pdca.objectives.models import Objective

        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organization)  # type: ignore[attr-defined]
        self.fields["obligations"].queryset = active_obligations(organization)  # type: ignore[attr-defined]
        current = Document.objects.filter(organization=organization).exclude(
            status=DocumentStatus.OBSOLETE
        )
        self.fields["documents"].queryset = current.order_by("number")  # type: ignore[attr-defined]
        self.fields["objectives"].queryset = Objective.objects.filter(  # type: ignore[attr-defined]
            organization=organization, status__in=Objective.OPEN_STATUSES
        ).order_by("title")
        for name in ("severity", "frequency", "stakeholder_concern"):
            self.fields[name].help_text = _("1 (lowest) to %(n)s (highest)") % {"n": scale}


class AspectEditForm(AspectForm):
    reason = forms.CharField(
        label=_("Reason for the reassessment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A new or changed activity, a planned review, an incident…"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CriteriaForm(forms.Form):
    scale = forms.IntegerField(label=_("Levels per criterion"), min_value=2, max_value=10)
    threshold = forms.IntegerField(label=_("Significant from score"), min_value=1)
    legal_points = forms.IntegerField(
        label=_("Points for a legal link"), min_value=0, max_value=100
    )
    legal_makes_significant = forms.BooleanField(
        label=_("A legal link makes an aspect significant"), required=False
    )
    notes = forms.CharField(
        label=_("How the criteria are applied"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HazardFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    hazard_type = forms.ChoiceField(
        label=_("Type of hazard"), choices=[("", _("Any")), *HazardType.choices], required=False
    )
    flag = forms.ChoiceField(
        label=_("Risk"),
        choices=[
            ("", _("Any")),
            ("high", _("High (above acceptance)")),
            ("ppe_only", _("High, controlled by PPE alone")),
        ],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[*EntryStatus.choices, ("all", _("All"))], required=False
    )


class HazardForm(forms.Form):
    location_or_task = forms.CharField(label=_("Location or task"), max_length=200)
    routine = forms.TypedChoiceField(
        label=_("Routine or non-routine"),
        choices=[("yes", _("Routine")), ("no", _("Non-routine"))],
        coerce=lambda v: v == "yes",
    )
    hazard_type = forms.ChoiceField(label=_("Type of hazard"), choices=HazardType.choices)
    hazard = forms.CharField(label=_("Hazard"), max_length=200)
    harm = forms.CharField(
        label=_("Possible harm"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    people_exposed = forms.MultipleChoiceField(
        label=_("People exposed"),
        choices=Exposed.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    existing_controls = forms.CharField(
        label=_("Existing controls"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    likelihood = forms.IntegerField(label=_("Likelihood"), min_value=0)
    consequence = forms.IntegerField(label=_("Consequence"), min_value=0)
    residual_likelihood = forms.IntegerField(
        label=_("Residual likelihood"), min_value=0, required=False
    )
    residual_consequence = forms.IntegerField(
        label=_("Residual consequence"), min_value=0, required=False
    )
    opportunities = forms.CharField(
        label=_("OH&S opportunities"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    workers_consulted = forms.CharField(
        label=_("Workers consulted"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Who of the workers doing the work took part in the assessment."),
    )
    obligations = forms.ModelMultipleChoiceField(
        label=_("Compliance obligations"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        help_text=_("The legal and other requirements that apply to it (6.1.3)."),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)  # type: ignore[arg-type]
    review_on = forms.DateField(
        label=_("Review date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, organization: Any, method: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organization)  # type: ignore[attr-defined]
        self.fields["obligations"].queryset = active_obligations(organization)  # type: ignore[attr-defined]
        if self.initial.get("routine") in (True, False):
            self.initial["routine"] = "yes" if self.initial["routine"] else "no"
        for name in ("likelihood", "residual_likelihood"):
            self.fields[name].help_text = " · ".join(
                f"{n} {label}" for n, label in enumerate(method.likelihood_levels, 1)
            )
        for name in ("consequence", "residual_consequence"):
            self.fields[name].help_text = " · ".join(
                f"{n} {label}" for n, label in enumerate(method.consequence_levels, 1)
            )


class HazardEditForm(HazardForm):
    reason = forms.CharField(
        label=_("Reason for the reassessment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A change (8.1.3), an incident, the planned review…"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class HazardWithdrawForm(WithdrawForm):
    pass


class ControlForm(forms.Form):
    level = forms.ChoiceField(label=_("Level of the hierarchy"), choices=ControlLevel.choices)
    title = forms.CharField(label=_("Control"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)  # type: ignore[arg-type]
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organization)  # type: ignore[attr-defined]


class ControlUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=HazardControl.Status.choices)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class IncidentFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any")), *IncidentKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *IncidentStatus.choices], required=False
    )


class IncidentReportForm(forms.Form):
    """The short report any member makes, from a phone too: what, where, when, and a photo."""

    kind = forms.ChoiceField(label=_("What happened"), choices=IncidentKind.choices)
    occurred_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Where"), max_length=200)
    description = forms.CharField(label=_("Describe it"), widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png", "capture": "environment"}
        ),
    )
    people_involved = forms.CharField(
        label=_("People involved"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    person_status = forms.ChoiceField(
        label=_("Their status"), choices=[("", "—"), *PersonStatus.choices], required=False
    )
    injury_details = forms.CharField(
        label=_("Injury or ill-health details"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Confidential: only the roles the organization names see them."),
    )
    first_aid = forms.CharField(
        label=_("First aid given"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    immediate_action = forms.CharField(
        label=_("Immediate action"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class IncidentInvestigationForm(forms.Form):
    lead = forms.ModelChoiceField(label=_("Investigation lead"), queryset=None)  # type: ignore[arg-type]
    worker_representative = forms.ModelChoiceField(
        label=_("Worker representative"),
        queryset=None,  # type: ignore[arg-type]
        help_text=_("A worker representative takes part in every investigation (45001 10.2)."),
    )
    team = forms.CharField(
        label=_("Investigation team"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    root_cause = forms.CharField(
        label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    hazards = forms.ModelMultipleChoiceField(
        label=_("Hazards reviewed"), queryset=Hazard.objects.none(), required=False
    )
    aspects = forms.ModelMultipleChoiceField(
        label=_("Aspects reviewed"), queryset=Aspect.objects.none(), required=False
    )
    immediate_action = forms.CharField(
        label=_("Immediate action"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reportable = forms.BooleanField(label=_("To be reported to an authority"), required=False)
    report_due_on = forms.DateField(
        label=_("Report due by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    authority_reference = forms.CharField(
        label=_("Authority's reference"), max_length=120, required=False
    )
    communicated = forms.CharField(
        label=_("Communicated to the workers concerned"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    injury_details = forms.CharField(
        label=_("Injury or ill-health details"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    first_aid = forms.CharField(
        label=_("First aid given"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    days_lost = forms.IntegerField(label=_("Days lost"), min_value=0, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, organization: Any, health: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead", "worker_representative"):
            self.fields[name].queryset = members_of(organization)  # type: ignore[attr-defined]
        self.fields["hazards"].queryset = Hazard.objects.filter(  # type: ignore[attr-defined]
            organization=organization, status=EntryStatus.ACTIVE
        ).order_by("location_or_task", "hazard")
        self.fields["aspects"].queryset = Aspect.objects.filter(  # type: ignore[attr-defined]
            organization=organization, status=EntryStatus.ACTIVE
        ).order_by("activity", "aspect")
        if not health:  # who may not see the health details does not edit them either
            for name in HEALTH_FIELDS:
                del self.fields[name]


class IncidentCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("What the investigation concluded"), widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RaiseActionForm(forms.Form):
    pass


class IncidentSettingsForm(forms.Form):
    health_roles = forms.MultipleChoiceField(
        label=_("Roles that see health details"),
        choices=[c for c in Role.choices if c[0] != Role.EXTERNAL_AUDITOR],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Besides them, the person who reported an incident sees what they wrote."),
    )
    investigate_days = forms.IntegerField(
        label=_("Days to investigate an incident"), min_value=1, max_value=365
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# Consultation and participation of workers ---------------------------------------------------


class MechanismForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MechanismKind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("How it works"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Who takes part, how often, how to raise a topic."),
    )


class MechanismEditForm(MechanismForm):
    reason = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class EventFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    mechanism = forms.ModelChoiceField(
        label=_("Mechanism"),
        queryset=Mechanism.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=[
            ("", _("Any")),
            (_("Consultation"), ConsultationTopic.choices),
            (_("Participation"), ParticipationTopic.choices),
        ],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[*EntryStatus.choices, ("all", _("All"))], required=False
    )

    def __init__(self, *args: Any, organization: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organization is not None:
            self.fields["mechanism"].queryset = Mechanism.objects.filter(  # type: ignore[attr-defined]
                organization=organization
            )


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


class EventForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    mechanism = forms.ModelChoiceField(label=_("Mechanism"), queryset=Mechanism.objects.none())
    topic = forms.CharField(label=_("Topic"), max_length=200)
    consultation_topics = forms.MultipleChoiceField(
        label=_("Workers were consulted on (5.4 d)"),
        choices=ConsultationTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    participation_topics = forms.MultipleChoiceField(
        label=_("Workers took part in (5.4 e)"),
        choices=ParticipationTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    workers = forms.ModelMultipleChoiceField(
        label=_("Non-managerial workers"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        help_text=_("The workers without a managerial role who took part."),
    )
    managers = forms.ModelMultipleChoiceField(
        label=_("Managers"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
    )
    others = forms.CharField(
        label=_("Others taking part"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Contractors, external representatives."),
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was decided or asked for, the minutes in short."),
    )
    minutes = forms.FileField(
        label=_("Minutes (file)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=_("The minutes as signed or circulated: PDF, Word, Excel, PNG or JPEG."),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("workers", "managers"):
            self.fields[name].queryset = members_of(organization)  # type: ignore[attr-defined]
        self.fields["mechanism"].queryset = Mechanism.objects.filter(  # type: ignore[attr-defined]
            organization=organization, status=EntryStatus.ACTIVE
        )


class EventEditForm(EventForm):
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class BarrierForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BarrierKind.choices)
    description = forms.CharField(
        label=_("Barrier"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What keeps workers from being consulted or taking part."),
    )
    identified_on = forms.DateField(
        label=_("Identified on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.CharField(
        label=_("What is done to remove it"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)  # type: ignore[arg-type]
    removed_on = forms.DateField(
        label=_("Removed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organization)  # type: ignore[attr-defined]


class BarrierEditForm(BarrierForm):
    reason = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)
