"""The engagement module's forms: they validate the input; the services keep the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pdca.core.forms import members_of
from pdca.core.models import Department, Site
from pdca.core.roles import Role
from pdca.engagement.models import (
    Channel,
    FeedbackKind,
    Severity,
    Subject,
    Suggestion,
)

DATE = {"type": "date"}


class SuggestionForm(forms.Form):
    """Short enough for a phone: what, a few words why, and whether to stay anonymous."""

    title = forms.CharField(label=_("Your suggestion in a line"), max_length=200)
    description = forms.CharField(
        label=_("What would you change, and why?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    department = forms.ModelChoiceField(
        label=_("Area (optional)"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.Select(attrs={"data-picker": "off"}),
    )
    anonymous = forms.BooleanField(
        label=_("Make it anonymously"),
        required=False,
        help_text=_(
            "Your name is then not kept anywhere: not with the suggestion, not in the audit "
            "trail. You will not see it under “mine” either."
        ),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        ).order_by("name")


class SuggestionFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Suggestion.Status.choices], required=False
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)


class AcceptForm(forms.Form):
    action_title = forms.CharField(label=_("Improvement action"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)  # type: ignore[arg-type]
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs=DATE))
    response = forms.CharField(
        label=_("Feedback to the suggester"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organization)  # type: ignore[attr-defined]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, for the suggester"), widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DuplicateForm(forms.Form):
    duplicate_of = forms.ModelChoiceField(
        label=_("Repeats suggestion"),
        queryset=None,  # type: ignore[arg-type]
        empty_label=None,
        help_text=_("The newest suggestions first."),
    )
    response = forms.CharField(
        label=_("Feedback to the suggester"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, organization: Any, suggestion: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = Suggestion.objects.filter(organization=organization).exclude(
            status=Suggestion.Status.DUPLICATE
        )
        if suggestion is not None:
            choices = choices.exclude(pk=suggestion.pk)
        self.fields["duplicate_of"].queryset = choices.order_by("-number")  # type: ignore[attr-defined]


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices)
    customer = forms.CharField(label=_("Customer"), max_length=200)
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)
    channel = forms.ChoiceField(label=_("Received by"), choices=Channel.choices)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs=DATE))
    subject = forms.ChoiceField(label=_("About"), choices=Subject.choices)
    reference = forms.CharField(
        label=_("Product, order or process"),
        max_length=120,
        required=False,
        help_text=_("A part number, an order number or the process concerned."),
    )
    description = forms.CharField(
        label=_("What the customer said"), widget=forms.Textarea(attrs={"rows": 4})
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    satisfaction = forms.IntegerField(
        label=_("Satisfaction (1–5)"), min_value=1, max_value=5, required=False
    )
    owner = forms.ModelChoiceField(label=_("Handled by"), queryset=None)  # type: ignore[arg-type]
    response_due_on = forms.DateField(
        label=_("Response due on"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("Empty for a complaint: 2 days for a critical one, 5 high, 10 medium, 15 low."),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organization)  # type: ignore[attr-defined]


class FeedbackEditForm(FeedbackForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class FeedbackFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any")), *FeedbackKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("Any")),
            ("open", _("Awaiting response")),
            ("responded", _("Response sent")),
        ],
        required=False,
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", _("Any")), *Severity.choices], required=False
    )
    subject = forms.ChoiceField(
        label=_("About"), choices=[("", _("Any")), *Subject.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Response overdue"), required=False)


class RespondForm(forms.Form):
    response = forms.CharField(label=_("Response sent"), widget=forms.Textarea(attrs={"rows": 4}))
    responded_on = forms.DateField(label=_("Sent on"), widget=forms.DateInput(attrs=DATE))
    version = forms.IntegerField(widget=forms.HiddenInput)


class RaiseForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner of the nonconformity"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organization)  # type: ignore[attr-defined]


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))
    roles = forms.MultipleChoiceField(label=_("To the roles"), choices=Role.choices, required=False)
    departments = forms.ModelMultipleChoiceField(
        label=_("To the departments"),
        queryset=None,
        required=False,  # type: ignore[arg-type]
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("To the sites"),
        queryset=None,
        required=False,  # type: ignore[arg-type]
    )
    requires_ack = forms.BooleanField(label=_("Ask each person to acknowledge it"), required=False)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        ).order_by("name")
        self.fields["sites"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        ).order_by("name")
        self.fields["roles"].help_text = _(
            "Leave roles, departments and sites empty to address everyone."
        )


class AcknowledgeForm(forms.Form):
    pass


class AnnouncementFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
