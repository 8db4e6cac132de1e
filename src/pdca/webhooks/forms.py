from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pdca.core.validators import single_line
from pdca.webhooks.events import event_choices


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, validators=[single_line])
    url = forms.URLField(
        label=_("Address (HTTPS)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("pdca sends each event there as a signed JSON POST."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = event_choices()  # type: ignore[attr-defined]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class SendTestForm(forms.Form):
    """A test delivery changes nothing of the endpoint: no version to be stale."""
