"""Forms of the audits app: they validate input; the services decide and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pdca.audits.models import (
    Audit,
    AuditProgramme,
    ChecklistQuestion,
    ChecklistTemplate,
    Finding,
    ScheduleEntry,
)
from pdca.audits.selectors import org_editions
from pdca.core.assignable import assignable_members
from pdca.core.models import Department, Organization, Site
from pdca.standards.models import Clause, Edition, Process

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def members(organization: Organization) -> Any:
    """The people who can be given responsibility here (the rule lives in core.assignable)."""
    return assignable_members(organization)


class ProgrammeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AuditProgramme
        fields = ["title", "cycle_start", "cycle_end", "objectives"]
        widgets = {
            "cycle_start": DATE,
            "cycle_end": DATE,
            "objectives": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("cycle_start"), data.get("cycle_end")
        if start and end and end <= start:
            self.add_error("cycle_end", _("The cycle must end after it starts."))
        return data


def none(model: Any) -> Any:
    """An empty queryset for a field declared on the class (`none()` is what a scoped manager
    builds outside a request); __init__ sets the organization's queryset."""
    return model._default_manager.none()


class AuditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=none(AuditProgramme), required=False
    )
    processes = forms.ModelMultipleChoiceField(
        label=_("Processes"), queryset=none(Process), required=False
    )
    qualification_override = forms.CharField(
        label=_("Reason to let the lead auditor lead without a valid qualification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only needed when the lead auditor's qualification has expired."),
    )

    class Meta:
        model = Audit
        fields = [
            "title",
            "kind",
            "programme",
            "planned_start",
            "planned_end",
            "editions",
            "clauses",
            "processes",
            "departments",
            "sites",
            "criteria_documents",
            "lead_auditor",
            "team",
            "auditees",
            "independence_justification",
            "objectives",
        ]
        widgets = {
            "independence_justification": forms.Textarea(attrs={"rows": 2}),
            "planned_start": DATE,
            "planned_end": DATE,
            "criteria_documents": forms.Textarea(attrs={"rows": 2}),
            "objectives": forms.Textarea(attrs={"rows": 2}),
            "clauses": forms.SelectMultiple(attrs={"size": 10}),
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editions = org_editions(organization) or list(
            Edition.objects.filter(is_current=True).select_related("standard")
        )
        f = self.fields
        f["programme"].queryset = AuditProgramme.objects.filter(organization=organization)  # type: ignore[attr-defined]
        f["editions"].queryset = Edition.objects.filter(pk__in=[e.pk for e in editions])  # type: ignore[attr-defined]
        f["editions"].label = _("Standards (criteria)")
        # Annex A controls too: the programme shows each applicable control sampled.
        f["clauses"].queryset = (  # type: ignore[attr-defined]
            Clause.objects.filter(edition__in=editions)
            .select_related("edition")
            .order_by("edition__standard__code", "kind", "sort_key")
        )
        f["clauses"].label_from_instance = lambda c: f"{c.edition} {c.number} {c.title}"  # type: ignore[attr-defined]
        f["processes"].queryset = Process.objects.filter(organization=organization, is_active=True)  # type: ignore[attr-defined]
        f["departments"].queryset = Department.objects.filter(organization=organization)  # type: ignore[attr-defined]
        f["sites"].queryset = Site.objects.filter(organization=organization)  # type: ignore[attr-defined]
        for name in ("lead_auditor", "team", "auditees"):
            f[name].queryset = members(organization)  # type: ignore[attr-defined]
        for name in (
            "editions",
            "clauses",
            "processes",
            "departments",
            "sites",
            "team",
            "auditees",
        ):
            f[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The audit cannot end before it starts."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in Audit.Status if s != Audit.Status.CLOSED],
    )


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = ScheduleEntry
        fields = ["kind", "starts_at", "ends_at", "topic", "location", "auditee"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["auditee"].queryset = members(organization)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The slot must end after it starts."))
        return data


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    guidance = forms.CharField(
        label=_("What to look for"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TemplateSaveForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=200)


class TemplateApplyForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=none(ChecklistTemplate))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ChecklistTemplate.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        )


class FindingForm(forms.ModelForm):
    process = forms.ModelChoiceField(label=_("Process"), queryset=none(Process), required=False)
    question = forms.ModelChoiceField(
        queryset=none(ChecklistQuestion), required=False, widget=forms.HiddenInput
    )
    raise_nonconformity = forms.BooleanField(
        label=_("Raise the nonconformity record now"), required=False, initial=True
    )

    class Meta:
        model = Finding
        fields = [
            "grade",
            "clause",
            "no_clause_reason",
            "process",
            "statement",
            "evidence",
            "requirement",
            "question",
        ]
        widgets = {
            "no_clause_reason": forms.Textarea(attrs={"rows": 2}),
            "statement": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "requirement": forms.Textarea(attrs={"rows": 2}),
            "question": forms.HiddenInput,
        }

    def __init__(self, *args: Any, audit: Audit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editions = list(audit.editions.all()) or list(
            Edition.objects.filter(clauses__audits=audit).distinct()
        )
        self.fields["clause"].queryset = (  # type: ignore[attr-defined]
            Clause.objects.filter(edition__in=editions)
            .select_related("edition")
            .order_by("edition__standard__code", "sort_key")
        )
        self.fields["clause"].label_from_instance = lambda c: f"{c.edition} {c.number} {c.title}"  # type: ignore[attr-defined]
        self.fields["process"].queryset = Process.objects.filter(  # type: ignore[attr-defined]
            organization=audit.organization
        )
        self.fields["question"].queryset = audit.questions.all()  # type: ignore[attr-defined]
        self.fields["question"].required = False


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("The auditee would not acknowledge it: what did they say?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Your comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    password = forms.CharField(
        label=_("Your password, to sign"), widget=forms.PasswordInput, strip=False
    )


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *list(Audit.Status.choices)]
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any")), *list(Audit.Kind.choices)]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
