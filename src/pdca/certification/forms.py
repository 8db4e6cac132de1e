"""The certification forms: validation of the input only; the services hold the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pdca.certification.models import (
    Certificate,
    CertificationBody,
    CertificationEvent,
    ExternalAudit,
    ExternalFinding,
)
from pdca.core.models import Membership, Organization, Site
from pdca.core.roles import Role
from pdca.standards.models import Clause, OrgStandard, Standard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


def _dates(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DATE


def none(model: Any) -> Any:
    """An empty queryset for a field declared on the class (a scoped manager builds only this
    outside a request); __init__ sets the organization's queryset."""
    return model._default_manager.none()


def org_standards(organization: Organization) -> Any:
    return OrgStandard.objects.filter(organization=organization).select_related("edition__standard")


class BodyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CertificationBody
        fields = [
            "name",
            "accreditation_body",
            "accreditation_number",
            "accredited_standards",
            "sector_codes",
            "contact_name",
            "contact_email",
            "contact_phone",
            "contract_start",
            "contract_end",
            "major_response_days",
            "minor_response_days",
            "notes",
            "is_active",
        ]
        widgets = {"notes": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["accredited_standards"].queryset = Standard.objects.order_by("code")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("contract_start"), data.get("contract_end")
        if start and end and end < start:
            self.add_error("contract_end", _("The contract cannot end before it starts."))
        return data


class CertificateForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    body = forms.ModelChoiceField(label=_("Certification body"), queryset=none(CertificationBody))
    standards = forms.ModelMultipleChoiceField(
        label=_("Standards"),
        queryset=none(OrgStandard),
        help_text=_("Several for a certificate of an integrated management system."),
    )
    sites = forms.ModelMultipleChoiceField(label=_("Sites"), queryset=none(Site), required=False)

    class Meta:
        model = Certificate
        fields = [
            "body",
            "number",
            "standards",
            "scope",
            "sites",
            "multi_site",
            "exclusions",
            "initial_certified_on",
            "decided_on",
            "issued_on",
            "expires_on",
            "previous_expiry",
            "transition_deadline",
        ]
        widgets = {"scope": TEXT, "exclusions": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)
        f = self.fields
        f["body"].queryset = CertificationBody.objects.filter(organization=organization)  # type: ignore[attr-defined]
        f["standards"].queryset = org_standards(organization)  # type: ignore[attr-defined]
        f["sites"].queryset = Site.objects.filter(organization=organization)  # type: ignore[attr-defined]


class CertificateEditForm(CertificateForm):
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = True


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Certificate.Status.choices)
    since = forms.DateField(label=_("Since"), widget=DATE)
    until = forms.DateField(
        label=_("Suspended until"),
        required=False,
        widget=DATE,
        help_text=_("For a suspension: at most six months."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Event"),
        choices=[
            (k, label)
            for k, label in CertificationEvent.Kind.choices
            if k
            in (
                CertificationEvent.Kind.APPLICATION,
                CertificationEvent.Kind.CONTRACT,
                CertificationEvent.Kind.SCOPE_EXTENSION,
                CertificationEvent.Kind.TRANSFER,
            )
        ],
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AuditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    body = forms.ModelChoiceField(label=_("Certification body"), queryset=none(CertificationBody))
    certificate = forms.ModelChoiceField(
        label=_("Certificate"),
        queryset=none(Certificate),
        required=False,
        help_text=_("Not yet for stage 1 and stage 2 of a first certification."),
    )
    standards = forms.ModelMultipleChoiceField(label=_("Standards"), queryset=none(OrgStandard))
    sites = forms.ModelMultipleChoiceField(label=_("Sites"), queryset=none(Site), required=False)

    class Meta:
        model = ExternalAudit
        fields = [
            "kind",
            "body",
            "certificate",
            "standards",
            "starts_on",
            "ends_on",
            "sites",
            "lead_auditor",
            "team",
            "audit_days",
            "plan_received_on",
            "notes",
        ]
        widgets = {"notes": TEXT}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)
        f = self.fields
        f["body"].queryset = CertificationBody.objects.filter(  # type: ignore[attr-defined]
            organization=organization, is_active=True
        )
        f["certificate"].queryset = Certificate.objects.filter(organization=organization)  # type: ignore[attr-defined]
        f["standards"].queryset = org_standards(organization)  # type: ignore[attr-defined]
        f["sites"].queryset = Site.objects.filter(organization=organization)  # type: ignore[attr-defined]


class HeldForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ExternalAudit.Outcome.choices, required=False
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=ExternalAudit.Recommendation.choices, required=False
    )
    report_received_on = forms.DateField(label=_("Report received"), required=False, widget=DATE)
    decided_on = forms.DateField(
        label=_("Certification decision on"),
        required=False,
        widget=DATE,
        help_text=_("Only once the body has decided; every major nonconformity verified first."),
    )
    audit_days = forms.DecimalField(
        label=_("Audit days"), required=False, max_digits=5, decimal_places=1, min_value=0
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class FindingForm(forms.ModelForm):
    class Meta:
        model = ExternalFinding
        fields = ["grade", "clause", "statement", "evidence", "response_due_on"]
        widgets = {"statement": TEXT, "evidence": TEXT}
        help_texts = {
            "response_due_on": _(
                "The body's deadline for the response; for a nonconformity it is required "
                "(filled in from the body's days per grade)."
            )
        }

    def __init__(self, *args: Any, audit: ExternalAudit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)
        editions = audit.standards.values("edition_id")
        self.fields["clause"].queryset = (  # type: ignore[attr-defined]
            Clause.objects.filter(edition_id__in=editions)
            .select_related("edition")
            .order_by("edition__standard__code", "sort_key")
        )
        self.fields["clause"].label_from_instance = lambda c: f"{c.edition} {c.number} {c.title}"  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    step = forms.ChoiceField(
        label=_("Step"),
        choices=[
            ("submit", _("Response sent to the body")),
            ("accept", _("The body accepted the response")),
            ("verify", _("The body verified it")),
        ],
    )
    on = forms.DateField(label=_("On"), widget=DATE)
    response = forms.CharField(
        label=_("Response"),
        required=False,
        widget=TEXT,
        help_text=_(
            "For a major: the correction, the root cause and the corrective action with its "
            "evidence; for a minor: the plan."
        ),
    )
    verification = forms.ChoiceField(
        label=_("Verified by"), choices=ExternalFinding.Verification.choices, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AuditFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *ExternalAudit.Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *ExternalAudit.Status.choices],
        required=False,
    )
    show = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("", _("All")),
            ("soon", _("Planned within 90 days")),
            ("overdue", _("With a response to the body overdue")),
        ],
        required=False,
    )


class AccessForm(forms.Form):
    """Let the body's auditor into an audit: who, from and until when."""

    membership = forms.ModelChoiceField(
        label=_("External auditor"),
        queryset=Membership.objects.none(),
        help_text=_("Members whose only role is external auditor (invite them on Members)."),
    )
    valid_from = forms.DateField(label=_("From"), widget=DATE)
    valid_until = forms.DateField(
        label=_("Until"),
        widget=DATE,
        help_text=_("At most until the auditor's membership ends."),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        field.queryset = (  # type: ignore[attr-defined]
            Membership.objects.current()
            .filter(organization=organization)
            .with_role(Role.EXTERNAL_AUDITOR)
            .select_related("user")
        )
        field.label_from_instance = lambda m: (  # type: ignore[attr-defined]
            f"{m.user.display_name} ({m.user.email})"
        )


class EndAccessForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RequestForm(forms.Form):
    text = forms.CharField(
        label=_("What would you like to see?"),
        widget=TEXT,
        help_text=_("For example: the calibration records of the CMM for 2026."),
    )


class RequestAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=TEXT, required=False)
    links = forms.CharField(
        label=_("Links"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Pages of pdca that show it, one per line: copy the address of the record, "
            "document or report (from /o/ on)."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_links(self) -> list[str]:
        from urllib.parse import urlsplit

        lines = [line.strip() for line in self.cleaned_data["links"].splitlines()]
        # A full address pasted from the browser keeps only its path (and query).
        paths = []
        for line in lines:
            if not line:
                continue
            parts = urlsplit(line)
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return paths


SCORE_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(0, 6)]


class SelectionForm(forms.Form):
    """A new comparison: its title, the standards, and the weight of each criterion."""

    title = forms.CharField(label=_("Title"), max_length=200)
    standards = forms.ModelMultipleChoiceField(
        label=_("Standards"), queryset=OrgStandard.objects.none(), required=False
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        from pdca.certification.selection import default_criteria

        super().__init__(*args, **kwargs)
        self.fields["standards"].queryset = OrgStandard.objects.filter(  # type: ignore[attr-defined]
            organization=organization
        ).select_related("edition__standard")
        self.criteria = default_criteria()
        for c in self.criteria:
            self.fields[f"weight_{c['code']}"] = forms.IntegerField(
                label=_("Weight: %(criterion)s") % {"criterion": c["label"]},
                min_value=0,
                max_value=10,
                initial=c["weight"],
                help_text=_("0 leaves the criterion out; 10 weighs most."),
            )

    def selection_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        criteria = [
            {**c, "weight": data[f"weight_{c['code']}"]}
            for c in self.criteria
            if data.get(f"weight_{c['code']}")
        ]
        return {"title": data["title"], "standards": list(data["standards"]), "criteria": criteria}


class CandidateForm(forms.Form):
    """A body in the comparison: its score 0–5 on each criterion and its offer."""

    audit_days = forms.DecimalField(
        label=_("Audit days offered"), required=False, max_digits=5, decimal_places=1
    )
    price = forms.DecimalField(
        label=_("Price offered (for the cycle)"), required=False, max_digits=10, decimal_places=2
    )
    notes = forms.CharField(label=_("Notes"), widget=TEXT, required=False)

    def __init__(self, *args: Any, selection: Any, new: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if new:
            self.fields["body"] = forms.ModelChoiceField(
                label=_("Certification body"),
                queryset=CertificationBody.objects.filter(
                    organization=selection.organization, is_active=True
                ).exclude(pk__in=selection.candidates.values("body_id")),
            )
            self.order_fields(["body"])
        else:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
        from pdca.certification.selection import shown_criteria

        for c in shown_criteria(selection.criteria):
            self.fields[f"score_{c['code']}"] = forms.ChoiceField(
                label=f"{c['label']} (×{c['weight']})",
                choices=SCORE_CHOICES,
                required=False,
                help_text=_("0 (poor) to 5 (excellent)."),
            )
        self.criteria = selection.criteria

    def candidate_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            "audit_days": data.get("audit_days"),
            "price": data.get("price"),
            "notes": data.get("notes", ""),
            "scores": {
                c["code"]: data[f"score_{c['code']}"]
                for c in self.criteria
                if data.get(f"score_{c['code']}") not in (None, "")
            },
        }
        if "body" in data:
            values["body"] = data["body"]
        return values


class DecideForm(forms.Form):
    chosen = forms.ModelChoiceField(label=_("Chosen body"), queryset=none(CertificationBody))
    reason = forms.CharField(label=_("Reason for the choice"), widget=TEXT)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, selection: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = CertificationBody.objects.filter(  # type: ignore[attr-defined]
            pk__in=selection.candidates.values("body_id")
        )
