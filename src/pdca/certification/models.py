"""The certification lifecycle (ISO/IEC 17021-1): the certification bodies an organization
deals with, its certificates, the external audits of each cycle, what the auditors found and
the append-only log of certification events.

None of these is ever deleted: a body is retired, a certificate changes status, an audit is
cancelled with its reason, a finding is answered and verified (never cancelled); every change is
in the trail. The cycle's date rules are in `rules.py`, the rules on input in `services.py`.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.audits.models import Finding
from pdca.core.models.base import OrgModel, optional_fk, organization_fk
from pdca.core.validators import single_line


class CertificationBody(OrgModel):
    organization = organization_fk("certification_bodies")
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    accreditation_body = models.CharField(
        _("accreditation body"),
        max_length=200,
        blank=True,
        validators=[single_line],
        help_text=_("For example DAkkS, UKAS or ANAB."),
    )
    accreditation_number = models.CharField(
        _("accreditation number"), max_length=80, blank=True, validators=[single_line]
    )
    accredited_standards = models.ManyToManyField(
        "standards.Standard",
        blank=True,
        related_name="+",
        verbose_name=_("accredited for"),
    )
    sector_codes = models.CharField(
        _("accredited sector codes"),
        max_length=200,
        blank=True,
        validators=[single_line],
        help_text=_("IAF/EA or NACE codes, separated by commas."),
    )
    contact_name = models.CharField(
        _("contact person"), max_length=200, blank=True, validators=[single_line]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=50, blank=True, validators=[single_line]
    )
    contract_start = models.DateField(_("contract from"), null=True, blank=True)
    contract_end = models.DateField(_("contract until"), null=True, blank=True)
    # The body's own deadlines for answering a finding, in days from the audit's last day.
    major_response_days = models.PositiveSmallIntegerField(
        _("days to answer a major nonconformity"), default=30
    )
    minor_response_days = models.PositiveSmallIntegerField(
        _("days to answer a minor nonconformity"), default=90
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("certification body")
        verbose_name_plural = _("certification bodies")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organization", "is_active", "name"], name="cb_list")]

    def __str__(self) -> str:
        return self.name

    def response_days(self, grade: str) -> int | None:
        if grade == Finding.Grade.MAJOR:
            return self.major_response_days
        if grade == Finding.Grade.MINOR:
            return self.minor_response_days
        return None


class Certificate(OrgModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        SCOPE_REDUCED = "scope_reduced", _("Scope reduced")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    # A certificate in one of these makes its standards "certified".
    VALID_STATUSES = (Status.ACTIVE, Status.SCOPE_REDUCED)

    organization = organization_fk("certificates")
    body = models.ForeignKey(
        CertificationBody,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("certification body"),
    )
    number = models.CharField(_("certificate number"), max_length=80, validators=[single_line])
    # One standard, or several for an integrated management system.
    standards = models.ManyToManyField(
        "standards.OrgStandard", related_name="certificates", verbose_name=_("standards")
    )
    scope = models.TextField(_("scope as printed"))
    sites = models.ManyToManyField(
        "core.Site", blank=True, related_name="certificates", verbose_name=_("sites")
    )
    multi_site = models.BooleanField(_("multi-site sampling"), default=False)
    exclusions = models.TextField(_("exclusions as printed"), blank=True)
    initial_certified_on = models.DateField(_("initial certification"))
    decided_on = models.DateField(
        _("certification decision"), help_text=_("The decision that started the current cycle.")
    )
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    previous_expiry = models.DateField(
        _("previous expiry"),
        null=True,
        blank=True,
        help_text=_(
            "Only after a recertification decided before the old certificate expired: the new "
            "expiry may then run three years from the old one."
        ),
    )
    transition_deadline = models.DateField(_("edition transition deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_since = models.DateField(_("status since"), null=True, blank=True)
    status_until = models.DateField(
        _("suspended until"), null=True, blank=True, help_text=_("For a suspension only.")
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-expires_on", "pk"]
        indexes = [
            models.Index(fields=["organization", "status", "expires_on"], name="cert_expiry"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "body", "number"], name="certificate_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.body})"

    @property
    def is_valid(self) -> bool:
        return self.status in self.VALID_STATUSES

    def days_left(self, today: datetime.date) -> int:
        return (self.expires_on - today).days


class ExternalAudit(OrgModel):
    class Kind(models.TextChoices):
        STAGE1 = "stage1", _("Stage 1")
        STAGE2 = "stage2", _("Stage 2")
        SURVEILLANCE1 = "surveillance1", _("Surveillance 1")
        SURVEILLANCE2 = "surveillance2", _("Surveillance 2")
        RECERTIFICATION = "recertification", _("Recertification")
        SPECIAL = "special", _("Special or short-notice audit")
        TRANSFER = "transfer", _("Transfer audit")
        FOLLOW_UP = "follow_up", _("Follow-up audit")

    SURVEILLANCES = (Kind.SURVEILLANCE1, Kind.SURVEILLANCE2)
    # The kinds a certificate's cycle plans by the rules (`rules.plan_cycle`).
    CYCLE_KINDS = (Kind.SURVEILLANCE1, Kind.SURVEILLANCE2, Kind.RECERTIFICATION)

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Outcome(models.TextChoices):
        PENDING = "", _("Not yet known")
        PASSED = "passed", _("Passed")
        NOT_PASSED = "not_passed", _("Not passed")

    class Recommendation(models.TextChoices):
        NONE = "", _("None yet")
        RECOMMENDED = "recommended", _("Recommended")
        AFTER_CLOSURE = "after_closure", _("Recommended once the nonconformities are closed")
        NOT_RECOMMENDED = "not_recommended", _("Not recommended")

    organization = organization_fk("external_audits")
    body = models.ForeignKey(
        CertificationBody,
        on_delete=models.PROTECT,
        related_name="audits",
        verbose_name=_("certification body"),
    )
    certificate = optional_fk(Certificate, "audits", _("certificate"), indexed=False)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    standards = models.ManyToManyField(
        "standards.OrgStandard", related_name="external_audits", verbose_name=_("standards")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    lead_auditor = models.CharField(
        _("lead auditor"), max_length=200, blank=True, validators=[single_line]
    )
    team = models.CharField(
        _("audit team"),
        max_length=400,
        blank=True,
        validators=[single_line],
        help_text=_("The other auditors and experts, separated by commas."),
    )
    audit_days = models.DecimalField(
        _("audit days"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    sites = models.ManyToManyField(
        "core.Site", blank=True, related_name="external_audits", verbose_name=_("sites")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=Recommendation.choices, blank=True, default=""
    )
    plan_received_on = models.DateField(_("audit plan received"), null=True, blank=True)
    report_received_on = models.DateField(_("report received"), null=True, blank=True)
    decided_on = models.DateField(_("decision on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    cancel_reason = models.TextField(_("reason for the cancellation"), blank=True)

    class Meta:
        verbose_name = _("external audit")
        verbose_name_plural = _("external audits")
        ordering = ["starts_on", "pk"]
        indexes = [
            models.Index(fields=["organization", "status", "starts_on"], name="extaudit_due"),
            models.Index(fields=["certificate", "kind"], name="extaudit_cert_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on:%Y-%m-%d}"

    @property
    def is_surveillance(self) -> bool:
        return self.kind in self.SURVEILLANCES


class ExternalFinding(OrgModel):
    """A finding of the certification body, graded as the body graded it; a nonconformity raises
    exactly one nonconformity in the improvement module for the corrective-action work."""

    # The grades a body gives, with the definitions the audits module uses (17021-1 3.12, 3.13).
    class Grade(models.TextChoices):
        MAJOR = Finding.Grade.MAJOR.value, Finding.Grade.MAJOR.label
        MINOR = Finding.Grade.MINOR.value, Finding.Grade.MINOR.label
        OBSERVATION = Finding.Grade.OBSERVATION.value, Finding.Grade.OBSERVATION.label
        OFI = Finding.Grade.OFI.value, Finding.Grade.OFI.label

    NONCONFORMITIES = (Grade.MAJOR, Grade.MINOR)

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting the response")
        SUBMITTED = "submitted", _("Response submitted")
        ACCEPTED = "accepted", _("Accepted by the body")
        VERIFIED = "verified", _("Verified")

    OPEN_STATUSES = (Status.OPEN, Status.SUBMITTED, Status.ACCEPTED)

    class Verification(models.TextChoices):
        NONE = "", _("Not yet")
        DOCUMENT_REVIEW = "document_review", _("Document review")
        FOLLOW_UP = "follow_up", _("Follow-up visit")
        NEXT_SURVEILLANCE = "next_surveillance", _("At the next surveillance")

    organization = organization_fk("external_findings")
    audit = models.ForeignKey(
        ExternalAudit, on_delete=models.PROTECT, related_name="findings", verbose_name=_("audit")
    )
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)
    clause = optional_fk("standards.Clause", "+", _("clause"), indexed=False)
    statement = models.TextField(_("finding"))
    evidence = models.TextField(_("objective evidence"), blank=True)
    response_due_on = models.DateField(_("response due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    response = models.TextField(_("response sent to the body"), blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted by the body on"), null=True, blank=True)
    verification = models.CharField(
        _("verified by"), max_length=20, choices=Verification.choices, blank=True, default=""
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("external finding")
        verbose_name_plural = _("external findings")
        ordering = ["audit", "pk"]
        indexes = [
            models.Index(
                fields=["organization", "status", "response_due_on"], name="extfinding_due"
            ),
            models.Index(fields=["audit", "grade"], name="extfinding_audit_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()}: {self.statement[:60]}"

    @property
    def is_nonconformity(self) -> bool:
        return self.grade in self.NONCONFORMITIES

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def definition(self) -> str:
        from pdca.audits.models.finding import GRADE_DEFINITIONS

        return str(GRADE_DEFINITIONS.get(self.grade, ""))

    def is_overdue(self, today: datetime.date) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.response_due_on is not None
            and self.response_due_on < today
        )


class CertificationEvent(OrgModel):
    """One entry of a certificate's append-only log: written once, never changed."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Application")
        CONTRACT = "contract", _("Contract signed")
        AUDIT = "audit", _("Audit held")
        DECISION = "decision", _("Certification decision")
        ISSUE = "issue", _("Certificate issued")
        SUSPENSION = "suspension", _("Suspension")
        REINSTATEMENT = "reinstatement", _("Reinstatement")
        WITHDRAWAL = "withdrawal", _("Withdrawal")
        SCOPE_EXTENSION = "scope_extension", _("Scope extended")
        SCOPE_REDUCTION = "scope_reduction", _("Scope reduced")
        EXPIRY = "expiry", _("Expiry")
        TRANSFER = "transfer", _("Transfer to another body")

    organization = organization_fk("certification_events")
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="events", verbose_name=_("certificate")
    )
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("certification event")
        verbose_name_plural = _("certification events")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["certificate", "occurred_on"], name="certevent_log")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"


class DocumentationPack(OrgModel):
    """The stage 1 documentation pack as it was made, kept with its audit: the ZIP and its
    manifest (each file's SHA-256 and, for a document, the revision current that day), so that
    the version live when the auditor sampled it can be shown later. Written once."""

    organization = organization_fk("documentation_packs")
    audit = models.ForeignKey(
        ExternalAudit, on_delete=models.PROTECT, related_name="packs", verbose_name=_("audit")
    )
    file = models.FileField(_("file"), upload_to="certification/packs/%Y/")
    file_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # [{"path", "what", "sha256", "size", and for a document "document", "revision",
    #   "revision_id", "content_hash", "effective_from"}], in the ZIP's order.
    manifest = models.JSONField(_("manifest"), default=list)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("documentation pack")
        verbose_name_plural = _("documentation packs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["audit", "created_at"], name="certpack_audit")]

    def __str__(self) -> str:
        return self.file_name

    def revision_of(self, document_number: str) -> dict[str, Any] | None:
        """The manifest's entry for a document: the revision that was current in the pack."""
        return next((e for e in self.manifest if e.get("document") == document_number), None)


class AuditorAccess(OrgModel):
    """The body's auditor let into one external audit, for a time: while it runs, the auditor
    (a member with the external-auditor role) sees that audit, its findings, packs and
    requests, and no other external audit. It ends on its last day, when it is ended early, or
    with the membership."""

    organization = organization_fk("auditor_accesses")
    audit = models.ForeignKey(
        ExternalAudit,
        on_delete=models.PROTECT,
        related_name="auditor_accesses",
        verbose_name=_("audit"),
    )
    membership = models.ForeignKey(
        "core.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("external auditor"),
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"))
    ended_on = models.DateField(_("ended early on"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("auditor's access")
        verbose_name_plural = _("auditors' access")
        ordering = ["-valid_until", "pk"]
        indexes = [
            models.Index(fields=["membership", "valid_until"], name="certaccess_member"),
            models.Index(fields=["audit", "valid_until"], name="certaccess_audit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="certaccess_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} – {self.audit}"

    def is_current(self, today: datetime.date) -> bool:
        return self.ended_on is None and self.valid_from <= today <= self.valid_until


class EvidenceRequest(OrgModel):
    """What the body's auditor asks to see ("the calibration records of the CMM for 2026"),
    and the management representative's answer with links to what shows it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")

    organization = organization_fk("evidence_requests")
    audit = models.ForeignKey(
        ExternalAudit, on_delete=models.PROTECT, related_name="requests", verbose_name=_("audit")
    )
    text = models.TextField(_("request"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    # pdca pages of this organization that show what was asked for, one per line.
    links = models.JSONField(_("links"), default=list, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("evidence request")
        verbose_name_plural = _("evidence requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["audit", "status"], name="certrequest_audit")]

    def __str__(self) -> str:
        return self.text[:60]


# The criteria a selection starts with (the organization changes their weights or drops some).
DEFAULT_CRITERIA = [
    ("accreditation", _("Accreditation for our standards and sector"), 3),
    ("sector", _("Experience in our sector"), 3),
    ("reputation", _("Reputation"), 2),
    ("support", _("Support services"), 1),
    ("offer", _("Audit days and price offered"), 3),
    ("availability", _("Auditor availability"), 2),
    ("languages", _("Languages"), 1),
]
MAX_SCORE = 5


class BodySelection(OrgModel):
    """Choosing a certification body: candidate bodies compared side by side on weighted
    criteria the organization chose; the decision, its reason and who approved it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Comparing")
        DECIDED = "decided", _("Decided")

    organization = organization_fk("body_selections")
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    standards = models.ManyToManyField(
        "standards.OrgStandard", blank=True, related_name="+", verbose_name=_("standards")
    )
    # [{"code", "label", "weight"}], in the order of the comparison.
    criteria = models.JSONField(_("criteria"), default=list)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    chosen = models.ForeignKey(
        CertificationBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen body"),
    )
    reason = models.TextField(_("reason for the choice"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )

    class Meta:
        verbose_name = _("selection of a certification body")
        verbose_name_plural = _("selections of a certification body")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class SelectionCandidate(OrgModel):
    """One body in a selection, with its score (0 to 5) on each criterion and its offer."""

    organization = organization_fk("selection_candidates")
    selection = models.ForeignKey(
        BodySelection, on_delete=models.PROTECT, related_name="candidates"
    )
    body = models.ForeignKey(
        CertificationBody,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("certification body"),
    )
    scores = models.JSONField(_("scores"), default=dict)
    audit_days = models.DecimalField(
        _("audit days offered"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    price = models.DecimalField(
        _("price offered (for the cycle)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("candidate body")
        verbose_name_plural = _("candidate bodies")
        ordering = ["selection", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "body"], name="selection_unique_body")
        ]

    def __str__(self) -> str:
        return str(self.body)
