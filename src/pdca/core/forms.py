from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from pdca.core import throttle
from pdca.core.assignable import assignable_members
from pdca.core.models import Department, Membership, Organization, Site, User
from pdca.core.roles import Role
from pdca.core.uploads import ALLOWED, max_upload_bytes

ACCEPT = ",".join(f".{e}" for e in ALLOWED)
"""The `accept` attribute of every file input: the types the upload check takes."""

PICKER = "data-picker"
"""The attribute that makes a `<select>` a searchable picker (pdca.js enhances it with the
vendored Tom Select; without script the native select still works). `_form.html` sets it on
every choice of several and every choice of a record; a widget opts out with `data-picker="off"`."""


def upload_limits() -> str:
    """What a file input takes, stated next to it: the size limit and the types allowed."""
    types = ", ".join(sorted({e.upper() for e in ALLOWED if e != "jpeg"}))
    return _("Up to %(mb)s MB per file. Allowed: %(types)s.") % {
        "mb": max_upload_bytes() // (1024 * 1024),
        "types": types,
    }


def is_file_input(widget: forms.Widget) -> bool:
    return isinstance(widget, forms.FileInput)


def wants_picker(field: forms.Field) -> bool:
    """A choice among many records or of several values is searched, not scrolled: a record's
    select (people, clauses, processes) and every multiple select; never checkboxes, radios or a
    plain choice of a few fixed values."""
    widget = field.widget
    if widget.attrs.get(PICKER) == "off" or widget.is_hidden:
        return False
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return False
    if isinstance(widget, forms.SelectMultiple):
        return True
    return isinstance(widget, forms.Select) and isinstance(field, forms.ModelChoiceField)


def widget_attrs(bound: forms.BoundField) -> dict[str, str]:
    """The attributes the shared form rendering adds to a field's widget: the picker, and for
    a file input the accepted types and the limits' description (which Django's own
    `aria-describedby`, help text then errors, would not name)."""
    attrs: dict[str, str] = {}
    widget = bound.field.widget
    if wants_picker(bound.field):
        attrs[PICKER] = "many" if isinstance(widget, forms.SelectMultiple) else "one"
        attrs["data-picker-empty"] = str(_("Nothing matches."))
    if is_file_input(widget) and bound.auto_id:
        attrs.setdefault("accept", widget.attrs.get("accept") or ACCEPT)
        described = [f"{bound.auto_id}_limits"]
        if bound.help_text:
            described.append(f"{bound.auto_id}_helptext")
        if bound.errors:
            described.append(f"{bound.auto_id}_error")
        attrs["aria-describedby"] = " ".join(described)
    return attrs


class PickerSelect(forms.Select):
    """A searchable single choice, for a form rendered by hand rather than by `_form.html`."""

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(attrs={PICKER: "one", **(attrs or {})}, **kwargs)


class PickerSelectMultiple(forms.SelectMultiple):
    """A searchable choice of several, for a form rendered by hand."""

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(attrs={PICKER: "many", **(attrs or {})}, **kwargs)


def owners_of(owned: Any, field: str = "owner") -> Any:
    """The users named in `field` of the rows of `owned` (a queryset), by name.

    A list's filter by person offers these, not every member: at thousands of members a
    select of all of them costs more to render than the list itself, and most would match
    nothing."""
    from pdca.core.models import User

    ids = owned.order_by().values_list(f"{field}_id", flat=True).distinct()
    return User.objects.filter(pk__in=list(ids)).order_by("full_name", "email")


def members_of(organization: Any) -> Any:
    """The people who can be given responsibility here (the rule lives in core.assignable)."""
    return assignable_members(organization)


class ClauseChoiceField(forms.ModelMultipleChoiceField):
    """A choice of clauses of the current editions, labelled with their standard and number
    (the catalogue's `Clause`: core names no domain model)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.edition.label} {obj.number} {obj.title}"


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True}))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)


class TokenForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the 6 digits your authenticator app shows.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the current password counted on the sign-in throttle."""

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        try:
            correct = throttle.check_password(user=self.user, password=old_password)
        except throttle.PasswordThrottled as error:
            raise forms.ValidationError(
                throttle.too_many_attempts(error.wait), code="throttled"
            ) from error
        if not correct:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class ProfileForm(forms.ModelForm):
    # Not a model field of the form: the language is saved by its own service, which must see
    # the value before the form changed it.
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("As my browser asks")), *settings.LANGUAGES],
        help_text=_("The language pdca speaks to you in. Blank: as your browser asks."),
    )

    class Meta:
        model = User
        fields = ["full_name", "job_title"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["language"].initial = self.instance.language


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "require_two_factor", "external_access_max_days"]


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["name", "address", "is_active"]


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "site", "head", "is_active"]
        labels = {"site": _("Site")}

    def __init__(self, *args, organization: Organization, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.fields["site"].queryset = Site.objects.filter(organization=organization)  # type: ignore[attr-defined]
        self.fields["head"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organization=organization
        )


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(
            choices=Role.choices, widget=forms.CheckboxSelectMultiple, label=_("Roles"), **kwargs
        )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    roles = RolesField()
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    expires_on = forms.DateField(
        label=_("Access ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required for an external auditor."),
    )
    access_reason = forms.CharField(
        label=_("Why access is granted or extended"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For an external auditor: recorded with the grant, e.g. the audit it is for."),
    )

    def __init__(self, *args, organization: Organization, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        )


class MembershipForm(forms.ModelForm):
    roles = RolesField()
    version = forms.IntegerField(widget=forms.HiddenInput)
    access_reason = forms.CharField(
        label=_("Why access is granted or extended"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For an external auditor: recorded with the grant, e.g. the audit it is for."),
    )

    class Meta:
        model = Membership
        fields = ["roles", "department", "manager", "expires_on", "is_active"]
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"})}
        labels = {"department": _("Department")}

    def __init__(self, *args, organization: Organization, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        )
        self.fields["manager"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organization=organization
        )
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class TrailFilterForm(forms.Form):
    action = forms.CharField(required=False, label=_("Action"))
    actor = forms.EmailField(required=False, label=_("Who (e-mail)"))
    since = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label=_("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
