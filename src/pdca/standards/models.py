"""Catalogues of the standards (shared by every organization) and what organizations hang on them.

Catalogue rows (`Standard` → `Edition` → `Clause`) are data loaded from YAML files and are the
same for every organization. `Process` and `EvidenceLink` belong to one organization.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, OwnedAction, optional_fk, organization_fk


def sort_key(number: str) -> str:
    """A key that sorts clause numbers naturally: 4.10 after 4.9, A.5.2 after A.5.1."""
    parts = number.replace("A.", "A").split(".")
    return ".".join(p.zfill(4) if p.isdigit() else p.rjust(4, "0") for p in parts)


class HarmonizedClause(models.Model):
    """A clause of the harmonized structure (4–10) that several standards share."""

    number = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=255)
    guidance = models.TextField(blank=True)
    sort_key = models.CharField(max_length=60, db_index=True)

    class Meta:
        verbose_name = _("harmonized clause")
        verbose_name_plural = _("harmonized clauses")
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Standard(models.Model):
    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=60)
    title = models.CharField(max_length=255)
    discipline = models.CharField(max_length=30)

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Edition(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="editions")
    code = models.CharField(max_length=20)
    label = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    amendments = models.JSONField(default=list, blank=True)
    source_file = models.CharField(max_length=120, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["standard__code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="edition_unique_code")
        ]

    def __str__(self) -> str:
        return self.label


class Theme(models.Model):
    """A group of controls, e.g. ISO/IEC 27001 Annex A "A.5 Organizational controls"."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="themes")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=255)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="theme_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Clause(models.Model):
    class Kind(models.TextChoices):
        CLAUSE = "clause", _("Clause")
        CONTROL = "control", _("Annex control")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="clauses")
    number = models.CharField(max_length=20)
    title = models.CharField(max_length=255)
    guidance = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CLAUSE)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, null=True, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    hs = optional_fk(HarmonizedClause, "clauses", _("harmonized-structure clause"))
    may_be_excluded = models.BooleanField(default=False)
    untitled = models.BooleanField(default=False)
    depth = models.PositiveSmallIntegerField(default=0)
    sort_key = models.CharField(max_length=60)

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["edition", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="clause_unique_number")
        ]
        indexes = [models.Index(fields=["edition", "sort_key"], name="clause_order")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class RequiredInformation(models.Model):
    """Mandatory documented information: a document to maintain or a record to retain."""

    class Kind(models.TextChoices):
        MAINTAIN = "maintain", _("Document to maintain")
        RETAIN = "retain", _("Record to retain")

    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="required_info")
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("required documented information")
        verbose_name_plural = _("required documented information")
        ordering = ["clause__sort_key", "code"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "code"], name="required_info_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Process(OrgModel):
    """A process of the organization's process map (clause 4.4); records of every module hang
    off it: documents, KPIs, risks, audits and nonconformities."""

    organization = organization_fk("processes")
    code = models.CharField(_("code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=[
            ("management", _("Management")),
            ("core", _("Core (realization)")),
            ("support", _("Support")),
        ],
        default="core",
    )
    owner = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="owned_processes", null=True
    )
    purpose = models.TextField(_("purpose"), blank=True)
    inputs = models.TextField(_("inputs"), blank=True)
    outputs = models.TextField(_("outputs"), blank=True)
    interacts_with = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="interacted_by"
    )
    sites = models.ManyToManyField("core.Site", blank=True, related_name="processes")
    departments = models.ManyToManyField("core.Department", blank=True, related_name="processes")
    clauses = models.ManyToManyField(Clause, blank=True, related_name="processes")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="process_unique_name")
        ]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class EvidenceLink(OrgModel):
    """Any object (document, record, finding, training record…) linked as evidence for a clause.

    Generic on purpose: later modules link their objects without changing this one. A link
    counts for the standard of its clause only: the same object serves another standard when it
    is linked there too. `required` names the mandatory item it proves (of the clause or one of
    its sub-clauses); a link naming none proves the clause's own items of its kind.
    """

    organization = organization_fk("evidence_links")
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="evidence_links")
    # A catalogue update may drop an item: the link then proves its clause's own items.
    required = models.ForeignKey(
        RequiredInformation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence_links",
        verbose_name=_("mandatory documented information"),
    )
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField(max_length=255, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True)

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["clause", "content_type", "object_id"], name="evidence_unique_link"
            )
        ]
        indexes = [
            # Covers readiness's count of links per clause and kind: it never reads the table.
            models.Index(
                fields=["organization", "clause", "content_type"], name="evidence_org_clause_kind"
            ),
            models.Index(fields=["content_type", "object_id"], name="evidence_target"),
        ]

    def __str__(self) -> str:
        return f"{self.label or self.content_type} → {self.clause.number}"


# --- The organization's scope, gap analysis and roadmap -------------------------------------


class OrgStandard(OrgModel):
    """A standard an organization has chosen, with its scope and certification status."""

    class Status(models.TextChoices):
        GAP_ANALYSIS = "gap", _("Gap analysis")
        IMPLEMENTING = "implementing", _("Implementing")
        CERTIFIED = "certified", _("Certified")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organization = organization_fk("org_standards")
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="org_standards")
    scope = models.TextField(_("scope statement"), blank=True)
    sites = models.ManyToManyField("core.Site", blank=True, related_name="org_standards")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.GAP_ANALYSIS
    )
    certified_until = models.DateField(_("certificate valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("chosen standard")
        verbose_name_plural = _("chosen standards")
        ordering = ["edition__standard__code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "edition"], name="org_standard_unique")
        ]

    def __str__(self) -> str:
        return self.edition.label

    @property
    def is_certified(self) -> bool:
        return self.status == self.Status.CERTIFIED

    @property
    def has_soa(self) -> bool:
        """Only a standard with Annex controls (ISO/IEC 27001) has a Statement of Applicability."""
        return self.edition.themes.exists()


class Exclusion(OrgModel):
    """A requirement the organization declares not applicable to one standard, with the reason.

    Never deleted: withdrawing an exclusion marks it inactive so the history stays readable.
    """

    organization = organization_fk("exclusions")
    org_standard = models.ForeignKey(
        OrgStandard, on_delete=models.PROTECT, related_name="exclusions"
    )
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="exclusions")
    justification = models.TextField(_("justification"))
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True)

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        ordering = ["clause__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["org_standard", "clause"], name="exclusion_unique")
        ]
        indexes = [models.Index(fields=["organization", "is_active"], name="exclusion_org")]

    def __str__(self) -> str:
        return f"{self.clause.number} not applicable"


class SoAEntry(OrgModel):
    """One line of the ISO/IEC 27001 Statement of Applicability: is an Annex A control applicable,
    and why. Its implementation status is the control's gap-analysis status (one source)."""

    organization = organization_fk("soa_entries")
    org_standard = models.ForeignKey(
        OrgStandard, on_delete=models.PROTECT, related_name="soa_entries"
    )
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="soa_entries")
    applicable = models.BooleanField(_("applicable"))
    justification = models.TextField(_("justification"))

    class Meta:
        verbose_name = _("Statement of Applicability entry")
        verbose_name_plural = _("Statement of Applicability entries")
        ordering = ["clause__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["org_standard", "clause"], name="soa_entry_unique")
        ]
        indexes = [models.Index(fields=["organization"], name="soa_org")]

    def __str__(self) -> str:
        return f"{self.clause.number} {'applicable' if self.applicable else 'not applicable'}"


class Assessment(OrgModel):
    """The gap-analysis status of one requirement in one organization.

    A clause that maps to a harmonized-structure clause is assessed once, keyed by the HS clause;
    its status holds for a standard sharing it only once confirmed for that standard
    (`AssessmentConfirmation`), so adding a standard starts its shared clauses from nothing.
    Other clauses and controls are keyed by the clause itself and belong to one standard.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        PLANNED = "planned", _("Planned")
        PARTLY = "partly", _("Partly implemented")
        IMPLEMENTED = "implemented", _("Implemented")
        VERIFIED = "verified", _("Verified")
        # No "not applicable": that is decided by an exclusion or the Statement of
        # Applicability, never by the assessment (migration 0008 converted the old ones).

    organization = organization_fk("assessments")
    hs = models.ForeignKey(
        HarmonizedClause, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clause = models.ForeignKey(
        Clause, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    owner = optional_fk("core.User", "assessments_owned", _("owner"))
    target_date = models.DateField(_("target date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hs__isnull=True, clause__isnull=False)
                | models.Q(hs__isnull=False, clause__isnull=True),
                name="assessment_one_key",
            ),
            models.UniqueConstraint(
                fields=["organization", "hs"],
                condition=models.Q(hs__isnull=False),
                name="assessment_unique_hs",
            ),
            models.UniqueConstraint(
                fields=["organization", "clause"],
                condition=models.Q(clause__isnull=False),
                name="assessment_unique_clause",
            ),
        ]
        indexes = [models.Index(fields=["organization", "owner"], name="assessment_owner")]

    def __str__(self) -> str:
        return f"{self.hs or self.clause}: {self.get_status_display()}"


class AssessmentConfirmation(models.Model):
    """A shared (harmonized-structure) assessment confirmed as valid for one chosen standard."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="confirmations"
    )
    org_standard = models.ForeignKey(
        OrgStandard, on_delete=models.PROTECT, related_name="confirmations"
    )
    confirmed_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))
    # Set on the confirmations made when pdca began asking: the status was already shared by
    # the standards in use, so it stays valid for them (nobody confirmed it by hand).
    on_upgrade = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("assessment confirmation")
        verbose_name_plural = _("assessment confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "org_standard"], name="assessment_confirmation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} ✓ {self.org_standard}"


class RoadmapAction(OwnedAction):
    """An action on the way to certification, created from a gap."""

    organization = organization_fk("roadmap_actions")
    clause = models.ForeignKey(
        Clause, on_delete=models.PROTECT, null=True, blank=True, related_name="roadmap_actions"
    )
    title = models.CharField(_("action"), max_length=255)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("roadmap action")
        verbose_name_plural = _("roadmap actions")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["organization", "status", "due_on"], name="roadmap_due"),
            models.Index(fields=["organization", "owner", "status"], name="roadmap_owner"),
        ]

    def __str__(self) -> str:
        return self.title


class ReadinessSnapshot(OrgModel):
    """A standard's readiness as it stood at the end of a day: the history behind the
    dashboard's readiness chart. Derived from the live data (readiness is never typed in), kept
    once a day by a periodic task; retaking a day's snapshot replaces it."""

    organization = organization_fk("readiness_snapshots")
    org_standard = models.ForeignKey(OrgStandard, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    percent = models.PositiveSmallIntegerField(_("readiness (%)"))

    class Meta:
        verbose_name = _("readiness snapshot")
        verbose_name_plural = _("readiness snapshots")
        constraints = [
            models.UniqueConstraint(fields=["org_standard", "day"], name="readiness_snapshot_day")
        ]
        indexes = [models.Index(fields=["organization", "day"], name="readiness_snapshot_org")]

    def __str__(self) -> str:
        return f"{self.org_standard_id} {self.day}: {self.percent} %"
