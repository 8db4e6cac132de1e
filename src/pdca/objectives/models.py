"""Objectives (6.2), their indicators (KPIs) and the measurements kept over time (9.1).

An objective says what is to be achieved by when and by whom; its indicators say how progress is
measured, against which target and thresholds, how often; each measurement is a retained result
of one period. Nothing here is deleted: an objective is withdrawn with a reason, an indicator
retired, and a corrected measurement keeps its earlier value in a correction row.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, OwnedAction, optional_fk, organization_fk
from pdca.core.validators import single_line


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


MONTHS_PER_PERIOD = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}
# A period's measurement falls due this many days after the period ends (the 10th of the next
# month for a monthly one): time to gather the figures.
DAYS_TO_ENTER = 10


def period_start(day: datetime.date, frequency: str) -> datetime.date:
    """The first day of the period of `frequency` that holds `day`."""
    months = MONTHS_PER_PERIOD[Frequency(frequency)]
    month = (day.month - 1) // months * months + 1
    return datetime.date(day.year, month, 1)


def next_period(start: datetime.date, frequency: str) -> datetime.date:
    months = MONTHS_PER_PERIOD[Frequency(frequency)]
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def is_period_start(day: datetime.date, frequency: str) -> bool:
    return period_start(day, frequency) == day


def period_due_on(start: datetime.date, frequency: str) -> datetime.date:
    """When the measurement of the period starting on `start` is due."""
    return next_period(start, frequency) + datetime.timedelta(days=DAYS_TO_ENTER - 1)


def period_label(start: datetime.date, frequency: str) -> str:
    if frequency == Frequency.YEARLY:
        return str(start.year)
    if frequency == Frequency.QUARTERLY:
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class ValueType(models.TextChoices):
    PERCENT = "percent", _("Percentage (0 to 100)")
    NUMBER = "number", _("Number")
    COUNT = "count", _("Count (whole number, 0 or more)")


class DataSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    SPREADSHEET = "spreadsheet", _("Taken from a spreadsheet")
    COMPUTED = "computed", _("Computed from pdca's data")


class Rating(models.TextChoices):
    GREEN = "green", _("On target")
    AMBER = "amber", _("Below target")
    RED = "red", _("Off target")


def rate(value: Decimal, *, direction: str, target: Decimal, red_threshold: Decimal) -> str:
    """Green when the target is met, red past the red threshold, amber in between."""
    if direction == Direction.HIGHER:
        if value >= target:
            return Rating.GREEN
        return Rating.RED if value < red_threshold else Rating.AMBER
    if value <= target:
        return Rating.GREEN
    return Rating.RED if value > red_threshold else Rating.AMBER


class Objective(OrgModel):
    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")
        ACHIEVED = "achieved", _("Achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)

    organization = organization_fk("objectives")
    title = models.CharField(_("objective"), max_length=200, validators=[single_line])
    description = models.TextField(_("what is to be achieved"), blank=True)
    # The editions of the standards it serves (one objective may serve several, on 6.2).
    editions = models.ManyToManyField(
        "standards.Edition", blank=True, related_name="+", verbose_name=_("standards")
    )
    policy_commitment = models.TextField(_("policy commitment it serves"), blank=True)
    baseline = models.CharField(_("baseline"), max_length=100, blank=True, validators=[single_line])
    target = models.CharField(_("target"), max_length=100, blank=True, validators=[single_line])
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="objectives_owned",
        verbose_name=_("owner"),
    )
    applies_to = models.TextField(_("functions, levels and processes it applies to"), blank=True)
    processes = models.ManyToManyField(
        "standards.Process", blank=True, related_name="objectives", verbose_name=_("processes")
    )
    resources = models.TextField(_("resources"), blank=True)
    evaluation = models.TextField(_("how results are evaluated"), blank=True)
    frequency = models.CharField(
        _("monitoring frequency"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.MONTHLY,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ON_TRACK
    )
    communicated_to = models.TextField(_("communicated to"), blank=True)
    communicated_on = models.DateField(_("communicated on"), null=True, blank=True)
    # ISO 14001 and 45001 6.2.2 e): how it is integrated into the business processes.
    integration = models.TextField(_("integration into business processes"), blank=True)
    # ISO/IEC 27001 6.2 b): the risk assessment and treatment results it takes into account.
    risk_link = models.TextField(_("risk assessment and treatment results"), blank=True)
    # ISO 45001 5.4 d) 2): the workers consulted on it.
    workers_consulted = models.TextField(_("workers consulted"), blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawing"), blank=True)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | ~models.Q(withdrawn_reason=""),
                name="objective_withdrawn_needs_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(target="") | models.Q(deadline__isnull=False),
                name="objective_target_needs_deadline",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "deadline"], name="objective_status"),
            models.Index(fields=["organization", "deadline", "status"], name="objective_due"),
            models.Index(fields=["organization", "owner", "status"], name="objective_owner"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("An objective is never deleted: withdraw it with a reason.")


class Indicator(OrgModel):
    """A KPI: what is measured, how, against which target, how often and by whom.

    `last_*`, `rating`, `red_streak` and `next_due_on` follow its measurements (the services
    keep them), so that lists, the dashboard and the calendar read one row per KPI."""

    organization = organization_fk("indicators")
    objective = models.ForeignKey(
        Objective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("objective"),
    )
    process = optional_fk("standards.Process", "indicators", _("process"), indexed=False)
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    definition = models.TextField(_("definition: formula or how it is measured"))
    value_type = models.CharField(
        _("kind of value"), max_length=8, choices=ValueType.choices, default=ValueType.NUMBER
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True, validators=[single_line])
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    red_threshold = models.DecimalField(
        _("red threshold"),
        max_digits=14,
        decimal_places=4,
        help_text=_(
            "Between the target and this value the KPI is amber; past it, red. With higher "
            "is better it is at most the target, with lower is better at least the target."
        ),
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    first_period = models.DateField(_("first period measured"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="indicators_owned",
        verbose_name=_("owner"),
    )
    data_source = models.CharField(
        _("data source"), max_length=12, choices=DataSource.choices, default=DataSource.MANUAL
    )
    # With data_source "computed": the `core.metrics` code of what computes each period's value.
    computed_source = models.CharField(_("computed from"), max_length=60, blank=True)
    red_periods = models.PositiveSmallIntegerField(
        _("red periods before action"),
        default=1,
        help_text=_("Red for this many periods in a row offers a nonconformity."),
    )
    # ISO 9001 9.1.2: the KPI monitors customers' perception (a survey, complaints, …).
    customer_satisfaction = models.BooleanField(_("measures customer satisfaction"), default=False)
    is_active = models.BooleanField(_("measured"), default=True)
    last_period = models.DateField(null=True, blank=True)
    last_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    rating = models.CharField(max_length=5, choices=Rating.choices, blank=True)
    red_streak = models.PositiveSmallIntegerField(default=0)
    next_due_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(red_periods__gte=1), name="indicator_red_periods_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "name"], name="indicator_name"),
            models.Index(fields=["organization", "rating", "name"], name="indicator_rating"),
            models.Index(fields=["organization", "owner", "rating"], name="indicator_owner"),
            models.Index(fields=["organization", "process", "name"], name="indicator_process"),
            models.Index(fields=["organization", "is_active", "next_due_on"], name="indicator_due"),
        ]

    def __str__(self) -> str:
        return self.name

    def rate(self, value: Decimal) -> str:
        return rate(
            value, direction=self.direction, target=self.target, red_threshold=self.red_threshold
        )

    @property
    def offers_nonconformity(self) -> bool:
        """Red for at least the chosen number of periods in a row."""
        return self.rating == Rating.RED and self.red_streak >= self.red_periods

    def unit_suffix(self) -> str:
        return "%" if self.value_type == ValueType.PERCENT and not self.unit else self.unit


class Measurement(OrgModel):
    """The result of one period: a retained record (9.1). A correction changes the value and
    keeps the earlier one in a `Correction`."""

    organization = organization_fk("measurements")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="measurements", verbose_name=_("KPI")
    )
    period = models.DateField(_("period"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    rating = models.CharField(_("rating"), max_length=5, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    measured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="measurement_one_per")
        ]
        indexes = [
            models.Index(fields=["organization", "period"], name="measurement_period"),
        ]

    def __str__(self) -> str:
        return gettext("%(kpi)s, %(period)s") % {
            "kpi": self.indicator.name,
            "period": period_label(self.period, self.indicator.frequency),
        }

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("A measurement is a retained result: correct it, never delete it.")


class Correction(models.Model):
    """An earlier value of a measurement, kept when it was corrected; never changed."""

    measurement = models.ForeignKey(
        Measurement, on_delete=models.PROTECT, related_name="corrections"
    )
    old_value = models.DecimalField(max_digits=14, decimal_places=4)
    new_value = models.DecimalField(max_digits=14, decimal_places=4)
    old_comment = models.TextField(blank=True)
    reason = models.TextField()
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["corrected_at", "pk"]

    def __str__(self) -> str:
        return f"{self.old_value} → {self.new_value}"


class ObjectiveAction(OwnedAction):
    """A step of the plan to achieve an objective (6.2: what, who, by when), or an improvement
    action raised because the objective is off track (10.1/10.3)."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan step")
        IMPROVEMENT = "improvement", _("Improvement action (objective off track)")

    organization = organization_fk("objective_actions")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(_("action"), max_length=300, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PLAN)
    # An improvement action says why it was raised: what is off track.
    reason = models.TextField(_("why it is raised"), blank=True)
    resources = models.CharField(
        _("resources"), max_length=300, blank=True, validators=[single_line]
    )

    class Meta:
        verbose_name = _("objective action")
        verbose_name_plural = _("objective actions")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["organization", "due_on", "status"], name="objective_action_due"),
        ]

    def __str__(self) -> str:
        return self.title


class SetApproval(OrgModel):
    """Top management's signed approval of one year's set of objectives (5.1, 6.2).

    The set is every objective not withdrawn whose deadline falls in the year. The signed text
    of the set and its SHA-256 are kept; once the set changes (an objective added, withdrawn or
    changed in what it says), the approval is outdated and the set needs a new one."""

    organization = organization_fk("objective_approvals")
    year = models.PositiveSmallIntegerField(_("year"))
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="approvals", verbose_name=_("objectives")
    )
    text = models.TextField(_("the set as signed"))
    sha256 = models.CharField(_("SHA-256 of the signed set"), max_length=64)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(_("signed at"))
    outdated_at = models.DateTimeField(_("set changed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval of the objectives")
        verbose_name_plural = _("approvals of the objectives")
        ordering = ["-year", "-signed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=models.Q(outdated_at__isnull=True),
                name="set_approval_one_current",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "year", "outdated_at"], name="set_approval_year"),
        ]

    def __str__(self) -> str:
        return gettext("Objectives %(year)s, approved") % {"year": self.year}

    @property
    def is_current(self) -> bool:
        return self.outdated_at is None

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("A signed approval is kept: approve the changed set again instead.")
