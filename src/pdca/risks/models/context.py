"""The organization's context (4.1) and its interested parties (4.2): the issues that affect
the intended results, under SWOT or PESTLE headings, whether climate change is relevant, and
the parties with the needs and expectations the system answers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, optional_fk, organization_fk
from pdca.core.validators import single_line


class Framework(models.TextChoices):
    SWOT = "swot", _("SWOT")
    PESTLE = "pestle", _("PESTLE")


class Heading(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    WEAKNESS = "weakness", _("Weakness")
    OPPORTUNITY = "opportunity", _("Opportunity")
    THREAT = "threat", _("Threat")
    POLITICAL = "political", _("Political")
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    TECHNOLOGICAL = "technological", _("Technological")
    LEGAL = "legal", _("Legal")
    ENVIRONMENTAL = "environmental", _("Environmental")


HEADINGS = {
    Framework.SWOT: (Heading.STRENGTH, Heading.WEAKNESS, Heading.OPPORTUNITY, Heading.THREAT),
    Framework.PESTLE: (
        Heading.POLITICAL,
        Heading.ECONOMIC,
        Heading.SOCIAL,
        Heading.TECHNOLOGICAL,
        Heading.LEGAL,
        Heading.ENVIRONMENTAL,
    ),
}


class Origin(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class ContextProfile(OrgModel):
    """The organization's choices for its context: the headings it sorts issues under, and
    whether climate change is a relevant issue (the 2024 amendment to 9001, 14001, 45001 and
    27001, 4.1), with the reasoning."""

    organization = models.OneToOneField(
        "core.Organization", on_delete=models.PROTECT, related_name="risk_context"
    )
    framework = models.CharField(
        _("headings"), max_length=8, choices=Framework.choices, default=Framework.SWOT
    )
    climate_relevant = models.BooleanField(_("climate change is a relevant issue"), null=True)
    climate_reasoning = models.TextField(_("why climate change is or is not relevant"), blank=True)
    reviewed_on = models.DateField(_("context last reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("context of the organization")
        verbose_name_plural = _("contexts of the organization")


class ContextIssue(OrgModel):
    """An internal or external issue (4.1), with its effect on the intended results."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Current")
        RETIRED = "retired", _("No longer relevant")

    organization = organization_fk("context_issues")
    title = models.CharField(_("issue"), max_length=200, validators=[single_line])
    heading = models.CharField(_("heading"), max_length=14, choices=Heading.choices)
    origin = models.CharField(_("internal or external"), max_length=8, choices=Origin.choices)
    description = models.TextField(_("description"), blank=True)
    effect = models.TextField(_("effect on the intended results"), blank=True)
    climate_related = models.BooleanField(_("related to climate change"), default=False)
    standards = models.ManyToManyField(
        "standards.Standard", blank=True, related_name="+", verbose_name=_("standards")
    )
    review_on = models.DateField(_("next review"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    retire_reason = models.TextField(_("why no longer relevant"), blank=True)

    class Meta:
        ordering = ("heading", "title")
        verbose_name = _("context issue")
        verbose_name_plural = _("context issues")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="retired") | ~models.Q(retire_reason=""),
                name="risks_issue_retire_needs_reason",
            )
        ]
        indexes = [
            models.Index(fields=("organization", "status", "heading"), name="risks_issue_org"),
            models.Index(fields=("organization", "review_on"), name="risks_issue_review"),
        ]

    def __str__(self) -> str:
        return self.title


class InterestedParty(OrgModel):
    """A party relevant to the management system (4.2 a)."""

    class Category(models.TextChoices):
        CUSTOMER = "customer", _("Customers")
        REGULATOR = "regulator", _("Regulators and authorities")
        EMPLOYEE = "employee", _("Employees")
        NEIGHBOUR = "neighbour", _("Neighbours and community")
        SUPPLIER = "supplier", _("Suppliers and partners")
        SHAREHOLDER = "shareholder", _("Owners and shareholders")
        OTHER = "other", _("Other")

    organization = organization_fk("interested_parties")
    name = models.CharField(_("party"), max_length=200, validators=[single_line])
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    origin = models.CharField(
        _("internal or external"), max_length=8, choices=Origin.choices, default=Origin.EXTERNAL
    )
    notes = models.TextField(_("why it is relevant"), blank=True)
    is_active = models.BooleanField(_("relevant"), default=True)

    class Meta:
        ordering = ("category", "name")
        verbose_name = _("interested party")
        verbose_name_plural = _("interested parties")
        constraints = [
            models.UniqueConstraint(fields=("organization", "name"), name="risks_party_unique")
        ]
        indexes = [models.Index(fields=("organization", "is_active"), name="risks_party_org")]

    def __str__(self) -> str:
        return self.name


class PartyRequirement(OrgModel):
    """A relevant need or expectation of a party (4.2 b), whether the organization takes it on
    as a compliance obligation or requirement (4.2 c), and how the system addresses it."""

    organization = organization_fk("party_requirements")
    party = models.ForeignKey(
        InterestedParty,
        on_delete=models.PROTECT,
        related_name="requirements",
        verbose_name=_("party"),
    )
    need = models.CharField(_("need or expectation"), max_length=300, validators=[single_line])
    is_obligation = models.BooleanField(
        _("becomes a compliance obligation or requirement"), default=False
    )
    addressed_by = models.TextField(_("how the system addresses it"), blank=True)
    process = optional_fk("standards.Process", "+", _("process"), indexed=False)
    review_on = models.DateField(_("next review"), null=True, blank=True)
    is_active = models.BooleanField(_("relevant"), default=True)

    class Meta:
        ordering = ("party__name", "need")
        verbose_name = _("need or expectation")
        verbose_name_plural = _("needs and expectations")
        indexes = [
            models.Index(fields=("organization", "is_active"), name="risks_need_org"),
            models.Index(fields=("organization", "review_on"), name="risks_need_review"),
        ]

    def __str__(self) -> str:
        return f"{self.party.name}: {self.need}"
