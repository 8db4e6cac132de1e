"""The calendar's filters and the reminder schedule's form (validation only: the rules are the
model's and the service's)."""

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pdca.core.due import kind_choices, standard_choices

SCOPE_CHOICES = [
    ("mine", _("Mine")),
    ("department", _("My department")),
    ("everyone", _("Everyone")),
]


class CalendarFilterForm(forms.Form):
    scope = forms.ChoiceField(label=_("Whose"), choices=SCOPE_CHOICES, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    standard = forms.ChoiceField(label=_("Standard"), required=False)
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-\d{2}$",
        required=False,
        error_messages={"invalid": _("Give the month as YYYY-MM.")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind: Any = self.fields["kind"]
        kind.choices = [("", _("Everything")), *kind_choices()]
        standard: Any = self.fields["standard"]
        standard.choices = [("", _("All standards")), *standard_choices(organization)]

    def clean_month(self) -> datetime.date | None:
        value = self.cleaned_data.get("month")
        if not value:
            return None
        year, month = (int(part) for part in value.split("-"))
        if not (1 <= month <= 12 and 1900 <= year <= 2999):
            raise forms.ValidationError(_("Give the month as YYYY-MM."))
        return datetime.date(year, month, 1)

    def values(self) -> dict[str, Any]:
        """The valid filters, and the defaults in place of any that are not."""
        self.is_valid()  # an invalid form's cleaned_data holds its valid fields
        data = self.cleaned_data
        return {
            "scope": data.get("scope") or "mine",
            "kind": data.get("kind") or "",
            "standard": data.get("standard") or "",
            "month": data.get("month"),
        }


def parse_offsets(text: str) -> list[int]:
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    if not all(p.isdigit() and len(p) <= 4 for p in parts):
        raise forms.ValidationError(_("Give whole numbers of days, separated by commas."))
    return [int(p) for p in parts]


class ReminderSettingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of due item"), required=False)
    offsets = forms.CharField(
        label=_("Remind the owner this many days before"),
        required=False,
        max_length=100,
        help_text=_("e.g. 30, 7, 1, 0 (0 is the due date itself); empty: no reminders before"),
    )
    owner_after_days = forms.IntegerField(
        label=_("Remind the owner again, days overdue"), required=False, min_value=1
    )
    manager_after_days = forms.IntegerField(
        label=_("Tell the line manager, days overdue"), required=False, min_value=1
    )
    mr_after_days = forms.IntegerField(
        label=_("Tell the management representative, days overdue"),
        required=False,
        min_value=1,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind: Any = self.fields["kind"]
        kind.choices = [("", _("Every kind (the default)")), *kind_choices(reminded=True)]

    def clean_offsets(self) -> list[int]:
        return parse_offsets(self.cleaned_data.get("offsets") or "")
