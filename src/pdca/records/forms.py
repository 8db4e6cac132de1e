from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pdca.core.forms import ACCEPT, ClauseChoiceField, members_of
from pdca.core.roles import Role
from pdca.core.visibility import Confidentiality
from pdca.records.models import DisposalMethod, RecordStatus, RecordType, RetentionTrigger
from pdca.standards.models import Clause


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class RecordTypeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)  # type: ignore[arg-type]
    location = forms.CharField(label=_("Where kept"), max_length=255)
    retention_months = forms.IntegerField(
        label=_("Retention (months)"), min_value=1, max_value=1200
    )
    retention_trigger = forms.ChoiceField(
        label=_("Retention runs from"),
        choices=RetentionTrigger.choices,
        initial=RetentionTrigger.RECORD_DATE,
        required=False,
        help_text=_(
            "An event (end of employment, …) is entered on each record when it happens; until "
            "then the record has no disposal date. A change recomputes the kept records' dates "
            "(never shortening one under legal hold)."
        ),
    )
    disposal_method = forms.ChoiceField(
        label=_("Disposal method"),
        choices=DisposalMethod.choices,
        help_text=_(
            "Archiving and returning to the owner keep the files; only destroying deletes them."
        ),
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial="internal"
    )
    allowed_roles = forms.MultipleChoiceField(
        label=_("Roles allowed (restricted only)"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    clauses = ClauseChoiceField(
        label=_("Clauses it proves"), queryset=Clause.objects.none(), required=False
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_retention_trigger(self) -> str:
        return self.cleaned_data.get("retention_trigger") or RetentionTrigger.RECORD_DATE

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organization)  # type: ignore[attr-defined]
        clauses = Clause.objects.filter(edition__is_current=True).select_related("edition")
        self.fields["clauses"].queryset = clauses.order_by("edition__standard__code", "sort_key")  # type: ignore[attr-defined]


class RecordForm(forms.Form):
    record_type = forms.ModelChoiceField(
        label=_("Type of record"), queryset=RecordType.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    trigger_date = forms.DateField(
        label=_("Retention starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Only for a type whose retention runs from an event (end of employment, of the "
            "equipment's life, of the contract) that has already happened."
        ),
    )
    uploads = MultipleFileField(label=_("Files (PDF, Word, Excel, PNG, JPEG)"), required=False)

    def __init__(self, *args: Any, types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].queryset = types.filter(is_active=True)  # type: ignore[attr-defined]


class RecordCorrectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit trail with the old values."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecordFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    record_type = forms.ModelChoiceField(
        label=_("Type"), queryset=RecordType.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *RecordStatus.choices], required=False
    )
    queue = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("", _("All")),
            ("disposal", _("Disposal queue")),
            ("hold", _("Under legal hold")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].queryset = types  # type: ignore[attr-defined]


class AttachForm(forms.Form):
    file = forms.FileField(label=_("File"), widget=forms.FileInput(attrs={"accept": ACCEPT}))


class HoldForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DisposeForm(forms.Form):
    reason = forms.CharField(
        label=_("How and why it is disposed of"), widget=forms.Textarea(attrs={"rows": 2})
    )
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Enter your password again to sign the disposal."),
    )


class RecordTriggerForm(forms.Form):
    trigger_date = forms.DateField(
        label=_("Date of the event"), widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
