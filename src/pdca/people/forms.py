"""The forms of the people module: validation only; the services hold the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pdca.core.assignable import assignable_memberships
from pdca.core.forms import ClauseChoiceField, members_of
from pdca.core.models import Department, Membership, Site
from pdca.people.models import (
    AwarenessItem,
    AwarenessKind,
    Competence,
    CompetenceKind,
    Course,
    CourseMethod,
    Effectiveness,
    Evidence,
    JobRole,
    Level,
    Result,
)

DATE = forms.DateInput(attrs={"type": "date"})


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user)


class MemberMultipleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user)


def _members(organization: Any) -> Any:
    return assignable_memberships(organization).select_related("user").order_by("user__full_name")


class MatrixFilter(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    job_role = forms.ModelChoiceField(
        label=_("Job role"), queryset=JobRole.objects.none(), required=False
    )
    competence = forms.ModelChoiceField(
        label=_("Competence"), queryset=Competence.objects.none(), required=False
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organization=organization, is_active=True
        )
        self.fields["site"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
            organization=organization, is_active=True
        )
        self.fields["job_role"].queryset = JobRole.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        )
        self.fields["competence"].queryset = Competence.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        )


class JobRoleForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = JobRole
        fields = ["name", "description", "department", "is_active"]

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        )


class CompetenceForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents"),
        queryset=None,
        required=False,
        help_text=_("The work instructions and procedures this competence follows."),
    )
    clauses = ClauseChoiceField(label=_("Clauses"), queryset=None, required=False)

    class Meta:
        model = Competence
        fields = [
            "name",
            "kind",
            "description",
            "documents",
            "retrain_on_revision",
            "is_auditor_qualification",
            "clauses",
            "is_active",
        ]

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from pdca.documents.models import Document
        from pdca.standards.models import Clause

        self.fields["documents"].queryset = Document.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        ).order_by("number")
        self.fields["clauses"].queryset = Clause.objects.select_related(  # type: ignore[attr-defined]
            "edition"
        ).order_by("edition__standard__code", "sort_key")
        self.fields["kind"].choices = CompetenceKind.choices  # type: ignore[attr-defined]


class RequirementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    competence = forms.ModelChoiceField(label=_("Competence"), queryset=Competence.objects.none())
    level = forms.TypedChoiceField(
        label=_("Level required"), choices=Level.choices, coerce=int, initial=Level.COMPETENT
    )
    shown_by = forms.ChoiceField(label=_("Shown by"), choices=Evidence.choices)
    renewal_months = forms.IntegerField(
        label=_("Renew every (months)"),
        required=False,
        min_value=1,
        help_text=_("Leave empty when it does not need renewing."),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competence"].queryset = Competence.objects.filter(  # type: ignore[attr-defined]
            organization=organization, is_active=True
        )


class AssignForm(forms.Form):
    membership = MemberChoice(label=_("Person"), queryset=Membership.objects.none())
    job_role = forms.ModelChoiceField(label=_("Job role"), queryset=JobRole.objects.none())
    since = forms.DateField(label=_("Since"), widget=DATE)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = _members(organization)  # type: ignore[attr-defined]
        self.fields["job_role"].queryset = JobRole.objects.filter(  # type: ignore[attr-defined]
            organization=organization, is_active=True
        )


class PersonForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DATE, required=False)
    left_on = forms.DateField(
        label=_("Left on"),
        widget=DATE,
        required=False,
        help_text=_("The end of employment: their records are kept under retention from it."),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        )


class RecordForm(forms.Form):
    competence = forms.ModelChoiceField(label=_("Competence"), queryset=Competence.objects.none())
    evidence = forms.ChoiceField(label=_("Evidence"), choices=Evidence.choices)
    level = forms.TypedChoiceField(label=_("Level achieved"), choices=Level.choices, coerce=int)
    achieved_on = forms.DateField(label=_("Achieved on"), widget=DATE)
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DATE,
        required=False,
        help_text=_("For a licence or certificate that expires."),
    )
    reference = forms.CharField(label=_("Certificate or reference"), required=False, max_length=100)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competence"].queryset = Competence.objects.filter(  # type: ignore[attr-defined]
            organization=organization, is_active=True
        )


class RecordCorrectForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    evidence = forms.ChoiceField(label=_("Evidence"), choices=Evidence.choices)
    level = forms.TypedChoiceField(label=_("Level achieved"), choices=Level.choices, coerce=int)
    achieved_on = forms.DateField(label=_("Achieved on"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE, required=False)
    reference = forms.CharField(label=_("Certificate or reference"), required=False, max_length=100)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CourseForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    competences = forms.ModelMultipleChoiceField(label=_("Competences"), queryset=None)

    class Meta:
        model = Course
        fields = [
            "title",
            "method",
            "duration_hours",
            "competences",
            "level",
            "validity_months",
            "is_active",
        ]

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competences"].queryset = Competence.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        )
        self.fields["method"].choices = CourseMethod.choices  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    trainer = forms.ModelChoiceField(label=_("Trainer"), queryset=Membership.objects.none())
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    evaluate_on = forms.DateField(
        label=_("Evaluate effectiveness on"),
        widget=DATE,
        required=False,
        help_text=_("Some weeks after the session: did it achieve what it was for?"),
    )
    invited = MemberMultipleChoice(
        label=_("Invited"), queryset=Membership.objects.none(), required=False
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(  # type: ignore[attr-defined]
            organization=organization, is_active=True
        )
        self.fields["trainer"].queryset = members_of(organization)  # type: ignore[attr-defined]
        self.fields["invited"].queryset = _members(organization)  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    membership = MemberChoice(label=_("Person"), queryset=Membership.objects.none())
    attended = forms.BooleanField(label=_("Attended"), required=False, initial=True)
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", "—"), *Result.choices], required=False
    )
    score = forms.IntegerField(label=_("Score"), required=False)
    confirm_uninvited = forms.BooleanField(label=_("Attended although not invited"), required=False)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = _members(organization)  # type: ignore[attr-defined]


class EvaluateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=DATE)
    evaluation_method = forms.CharField(label=_("Evaluation method"), max_length=200)
    effectiveness = forms.ChoiceField(
        label=_("Result of the evaluation"), choices=Effectiveness.choices
    )
    evaluation_notes = forms.CharField(
        label=_("Evaluation notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Not effective: the further action planned."),
    )


class ConfirmForm(forms.Form):
    """Nothing to fill in: the button confirms."""


class AwarenessItemForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    document = forms.ModelChoiceField(
        label=_("Document"),
        queryset=None,
        required=False,
        help_text=_(
            "The policy or document people acknowledge: its next revision asks everyone again."
        ),
    )
    job_roles = forms.ModelMultipleChoiceField(
        label=_("Job roles"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to ask everyone."),
    )

    class Meta:
        model = AwarenessItem
        fields = ["title", "kind", "description", "document", "job_roles", "is_active"]

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from pdca.documents.models import Document

        self.fields["document"].queryset = Document.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        ).order_by("number")
        self.fields["job_roles"].queryset = JobRole.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        )
        self.fields["kind"].choices = AwarenessKind.choices  # type: ignore[attr-defined]
