"""Environmental aspects (14001 6.1.2) with their significance by the organization's maintained
criteria, and OH&S hazards (45001 6.1.2, 8.1.2) rated by the risk method with their controls
by the hierarchy of controls. Neither is deleted: each is changed with a reason or withdrawn."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, OwnedAction
from pdca.core.validators import single_line


class EntryStatus(models.TextChoices):
    ACTIVE = "active", _("Current")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SignificanceCriteria(OrgModel):
    """The organization's maintained method for judging an aspect significant (one per
    organization): each criterion is rated 1 to `scale`; the score is severity × frequency +
    stakeholder concern (+ `legal_points` when an obligation applies); at or above `threshold`
    the aspect is significant, and with `legal_makes_significant` so is every aspect an
    obligation applies to."""

    scale = models.PositiveSmallIntegerField(
        _("levels per criterion"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
    )
    threshold = models.PositiveSmallIntegerField(
        _("significant from score"), default=15, validators=[MinValueValidator(1)]
    )
    legal_points = models.PositiveSmallIntegerField(_("points for a legal link"), default=5)
    legal_makes_significant = models.BooleanField(
        _("a legal link makes an aspect significant"), default=False
    )
    notes = models.TextField(_("how the criteria are applied"), blank=True)

    class Meta:
        verbose_name = _("significance criteria")
        verbose_name_plural = _("significance criteria")
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="ehs_one_criteria_per_org")
        ]

    def __str__(self) -> str:
        return str(_("Significance criteria"))

    def max_score(self) -> int:
        return self.scale * self.scale + self.scale + self.legal_points

    def score(self, severity: int, frequency: int, concern: int, legal: bool) -> int:
        return severity * frequency + concern + (self.legal_points if legal else 0)

    def is_significant(self, score: int, legal: bool) -> bool:
        return score >= self.threshold or (legal and self.legal_makes_significant)


class Impact(models.TextChoices):
    AIR = "air", _("Air")
    WATER = "water", _("Water")
    LAND = "land", _("Land")
    RESOURCES = "resources", _("Resources")
    CLIMATE = "climate", _("Climate")
    BIODIVERSITY = "biodiversity", _("Biodiversity")


class Condition(models.TextChoices):
    NORMAL = "normal", _("Normal")
    ABNORMAL = "abnormal", _("Abnormal")
    EMERGENCY = "emergency", _("Emergency")


class LifeCycleStage(models.TextChoices):
    RAW_MATERIALS = "raw_materials", _("Raw materials and purchasing")
    DESIGN = "design", _("Design")
    PRODUCTION = "production", _("Production")
    TRANSPORT = "transport", _("Transport and delivery")
    USE = "use", _("Use")
    END_OF_LIFE = "end_of_life", _("End of life")


class ControlOrInfluence(models.TextChoices):
    CONTROL = "control", _("Control")
    INFLUENCE = "influence", _("Influence")


class Aspect(OrgModel):
    activity = models.CharField(
        _("activity, product or service"), max_length=200, validators=[single_line]
    )
    aspect = models.CharField(_("aspect"), max_length=200, validators=[single_line])
    impact_on = models.CharField(_("impact on"), max_length=14, choices=Impact.choices)
    impact = models.TextField(_("impact"))
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.NORMAL
    )
    life_cycle_stage = models.CharField(
        _("life-cycle stage"),
        max_length=14,
        choices=LifeCycleStage.choices,
        default=LifeCycleStage.PRODUCTION,
    )
    control = models.CharField(
        _("control or influence"),
        max_length=10,
        choices=ControlOrInfluence.choices,
        default=ControlOrInfluence.CONTROL,
    )
    severity = models.PositiveSmallIntegerField(_("severity"))
    frequency = models.PositiveSmallIntegerField(_("frequency"))
    stakeholder_concern = models.PositiveSmallIntegerField(_("stakeholder concern"))
    obligations = models.ManyToManyField(
        "compliance.Obligation",
        blank=True,
        related_name="aspects",
        verbose_name=_("compliance obligations"),
    )
    # Kept by the service from the criteria in force when it was rated.
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    significant = models.BooleanField(_("significant"), default=False)
    operational_control = models.TextField(_("operational control (8.1)"), blank=True)
    emergency_plan = models.TextField(_("emergency preparedness (8.2)"), blank=True)
    monitoring = models.TextField(_("monitoring (9.1.1)"), blank=True)
    # The operational controls and emergency plans in force (8.1, 8.2) and the objectives a
    # significant aspect feeds (6.2): the other registers' entries, not their copies.
    documents = models.ManyToManyField(
        "documents.Document",
        blank=True,
        related_name="+",
        verbose_name=_("controlling documents (8.1, 8.2)"),
    )
    objectives = models.ManyToManyField(
        "objectives.Objective", blank=True, related_name="+", verbose_name=_("objectives")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    review_on = models.DateField(_("review date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("environmental aspect")
        verbose_name_plural = _("environmental aspects")
        ordering = ["-significant", "-score", "pk"]
        indexes = [
            models.Index(
                fields=["organization", "status", "-significant", "-score"], name="aspect_list"
            ),
            models.Index(
                fields=["organization", "status", "impact_on", "-score"], name="aspect_impact"
            ),
            models.Index(fields=["organization", "status", "review_on"], name="aspect_review"),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.aspect}"


# OH&S hazards (45001 6.1.2, 8.1.2) -------------------------------------------------------


class HazardType(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    CHEMICAL = "chemical", _("Chemical")
    BIOLOGICAL = "biological", _("Biological")
    ERGONOMIC = "ergonomic", _("Ergonomic")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")


class Exposed(models.TextChoices):
    WORKERS = "workers", _("Workers")
    CONTRACTORS = "contractors", _("Contractors")
    VISITORS = "visitors", _("Visitors")
    PUBLIC = "public", _("Others nearby (the public)")


class ControlLevel(models.TextChoices):
    """The hierarchy of controls (45001 8.1.2), most effective first."""

    ELIMINATION = "elimination", _("Elimination")
    SUBSTITUTION = "substitution", _("Substitution")
    ENGINEERING = "engineering", _("Engineering control")
    ADMINISTRATIVE = "administrative", _("Administrative control")
    PPE = "ppe", _("Personal protective equipment")


class Hazard(OrgModel):
    """An entry of the hazard register, rated by the risk method in force (or the 5 × 5 default
    until one is approved); `high` and `ppe_only` are kept by the service."""

    location_or_task = models.CharField(
        _("location or task"), max_length=200, validators=[single_line]
    )
    routine = models.BooleanField(_("routine work"), default=True)
    hazard_type = models.CharField(_("type of hazard"), max_length=14, choices=HazardType.choices)
    hazard = models.CharField(_("hazard"), max_length=200, validators=[single_line])
    harm = models.TextField(_("possible harm"), blank=True)
    people_exposed = models.JSONField(_("people exposed"), default=list)
    existing_controls = models.TextField(_("existing controls"), blank=True)
    # The method version it was rated under; none while the organization rates by the default.
    method = models.ForeignKey(
        "risks.RiskMethod",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("risk method"),
    )
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    consequence = models.PositiveSmallIntegerField(_("consequence"))
    score = models.PositiveSmallIntegerField(_("risk score"))
    high = models.BooleanField(_("above the acceptance threshold"), default=False)
    residual_likelihood = models.PositiveSmallIntegerField(
        _("residual likelihood"), null=True, blank=True
    )
    residual_consequence = models.PositiveSmallIntegerField(
        _("residual consequence"), null=True, blank=True
    )
    residual_score = models.PositiveSmallIntegerField(_("residual score"), null=True, blank=True)
    ppe_only = models.BooleanField(_("high risk controlled by PPE alone"), default=False)
    opportunities = models.TextField(_("OH&S opportunities"), blank=True)
    workers_consulted = models.TextField(_("workers consulted"), blank=True)
    obligations = models.ManyToManyField(
        "compliance.Obligation",
        blank=True,
        related_name="hazards",
        verbose_name=_("compliance obligations"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    review_on = models.DateField(_("review date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-ppe_only", "-score", "pk"]
        indexes = [
            models.Index(fields=["organization", "status", "-score"], name="hazard_list"),
            models.Index(fields=["organization", "status", "review_on"], name="hazard_review"),
        ]

    def __str__(self) -> str:
        return f"{self.location_or_task}: {self.hazard}"

    def exposed_labels(self) -> list[str]:
        labels = dict(Exposed.choices)
        return [str(labels.get(v, v)) for v in self.people_exposed]


class HazardControl(OwnedAction):
    """A control on a hazard at its level of the hierarchy, an owned action with a due date."""

    hazard = models.ForeignKey(
        Hazard, on_delete=models.PROTECT, related_name="controls", verbose_name=_("hazard")
    )
    level = models.CharField(_("level of control"), max_length=14, choices=ControlLevel.choices)
    title = models.CharField(_("control"), max_length=200, validators=[single_line])

    class Meta:
        ordering = ("hazard", "pk")
        verbose_name = _("control on a hazard")
        verbose_name_plural = _("controls on hazards")
        indexes = [
            models.Index(fields=("organization", "status", "due_on"), name="ehs_control_due")
        ]

    def __str__(self) -> str:
        return self.title


# Incidents (45001 10.2) ---------------------------------------------------------------------


class IncidentKind(models.TextChoices):
    INJURY = "injury", _("Injury")
    ILL_HEALTH = "ill_health", _("Ill health")
    NEAR_MISS = "near_miss", _("Near miss")
    DANGEROUS_OCCURRENCE = "dangerous_occurrence", _("Dangerous occurrence")
    ENVIRONMENTAL_RELEASE = "environmental_release", _("Environmental release")
    PROPERTY_DAMAGE = "property_damage", _("Property damage")


class PersonStatus(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    CONTRACTOR = "contractor", _("Contractor")
    VISITOR = "visitor", _("Visitor")
    PUBLIC = "public", _("Member of the public")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    INVESTIGATING = "investigating", _("Under investigation")
    CLOSED = "closed", _("Closed")


HEALTH_FIELDS = ("injury_details", "first_aid", "days_lost")
"""An incident's health details: shown only to the roles the organization names."""


class IncidentSettings(OrgModel):
    """Who sees the health details of incidents (besides the person who reported one), and
    within how many days an incident is to be investigated (one per organization)."""

    health_roles = models.JSONField(_("roles that see health details"), default=list)
    investigate_days = models.PositiveSmallIntegerField(
        _("days to investigate"), default=7, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("incident settings")
        verbose_name_plural = _("incident settings")
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="ehs_one_incident_settings")
        ]

    def __str__(self) -> str:
        return str(_("Incident settings"))


class Incident(OrgModel):
    number = models.PositiveIntegerField(_("number"))
    occurred_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, validators=[single_line])
    kind = models.CharField(_("type"), max_length=22, choices=IncidentKind.choices)
    description = models.TextField(_("what happened"))
    people_involved = models.TextField(_("people involved"), blank=True)
    person_status = models.CharField(
        _("their status"), max_length=10, choices=PersonStatus.choices, blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    injury_details = models.TextField(_("injury or ill-health details"), blank=True)
    first_aid = models.TextField(_("first aid given"), blank=True)
    days_lost = models.PositiveSmallIntegerField(_("days lost"), null=True, blank=True)
    immediate_action = models.TextField(_("immediate action"), blank=True)
    reportable = models.BooleanField(_("to be reported to an authority"), default=False)
    report_due_on = models.DateField(_("report due by"), null=True, blank=True)
    authority_reference = models.CharField(
        _("authority's reference"), max_length=120, blank=True, validators=[single_line]
    )
    investigate_by = models.DateField(_("investigate by"))
    status = models.CharField(
        _("status"), max_length=14, choices=IncidentStatus.choices, default=IncidentStatus.REPORTED
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("investigation lead"),
    )
    worker_representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("worker representative"),
    )
    team = models.TextField(_("investigation team"), blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    hazards = models.ManyToManyField(
        Hazard, blank=True, related_name="incidents", verbose_name=_("hazards reviewed")
    )
    aspects = models.ManyToManyField(
        Aspect, blank=True, related_name="incidents", verbose_name=_("aspects reviewed")
    )
    communicated = models.TextField(_("communicated to the workers concerned"), blank=True)
    close_reason = models.TextField(_("conclusion"), blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="ehs_incident_number")
        ]
        indexes = [
            models.Index(fields=["organization", "status", "-occurred_at"], name="incident_list"),
            # The whole list, latest first (no status filter).
            models.Index(fields=["organization", "-occurred_at", "-id"], name="incident_latest"),
            models.Index(fields=["organization", "status", "investigate_by"], name="incident_due"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.place}"

    @property
    def reference(self) -> str:
        return f"INC-{self.number:04d}"


class IncidentPhoto(OrgModel):
    """A photo taken with the report (kept in the database, like an audit's photos)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="photos", verbose_name=_("incident")
    )
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=40)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("photo of an incident")
        verbose_name_plural = _("photos of incidents")

    def __str__(self) -> str:
        return self.name


# Consultation and participation of workers (45001 5.4) ---------------------------------------


class MechanismKind(models.TextChoices):
    COMMITTEE = "committee", _("Health and safety committee")
    REPRESENTATIVES = "representatives", _("Worker representatives")
    TOOLBOX_TALK = "toolbox_talk", _("Toolbox talks")
    SUGGESTIONS = "suggestions", _("Suggestion channel")
    SURVEY = "survey", _("Survey")
    OTHER = "other", _("Other")


class ConsultationTopic(models.TextChoices):
    """What 45001 5.4 d) asks the organization to consult non-managerial workers on."""

    NEEDS = "needs", _("Needs and expectations of interested parties")
    POLICY = "policy", _("The OH&S policy")
    ROLES = "roles", _("Roles, responsibilities and authorities")
    LEGAL = "legal", _("Fulfilling legal and other requirements")
    OBJECTIVES = "objectives", _("OH&S objectives and planning to achieve them")
    OUTSOURCING = "outsourcing", _("Controls for outsourcing, procurement and contractors")
    MONITORING = "monitoring", _("What to monitor, measure, analyse and evaluate")
    AUDIT_PROGRAMME = "audit_programme", _("The audit programme")
    IMPROVEMENT = "improvement", _("Continual improvement")


class ParticipationTopic(models.TextChoices):
    """What 45001 5.4 e) asks non-managerial workers to take part in."""

    MECHANISMS = "mechanisms", _("The mechanisms of consultation and participation")
    HAZARDS = "hazards", _("Identifying hazards and assessing risks and opportunities")
    ELIMINATION = "elimination", _("Actions to eliminate hazards and reduce risks")
    COMPETENCE = "competence", _("Competence and training needs, and evaluating training")
    COMMUNICATION = "communication", _("What to communicate and how")
    CONTROLS = "controls", _("Control measures and their implementation")
    INVESTIGATION = "investigation", _("Investigating incidents and nonconformities, and actions")


# Lazy labels, built once (translated when shown).
TOPIC_LABELS = {**dict(ConsultationTopic.choices), **dict(ParticipationTopic.choices)}


class Mechanism(OrgModel):
    """How the organization consults its workers and lets them take part: a committee, its
    representatives, toolbox talks, a suggestion channel."""

    kind = models.CharField(_("kind"), max_length=16, choices=MechanismKind.choices)
    name = models.CharField(_("name"), max_length=120, validators=[single_line])
    description = models.TextField(
        _("how it works"),
        blank=True,
        help_text=_("Who takes part, how often, how to raise a topic."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("mechanism of consultation and participation")
        verbose_name_plural = _("mechanisms of consultation and participation")
        ordering = ["status", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class ParticipationEvent(OrgModel):
    """One entry of the log: a meeting, a talk, a consultation, with the non-managerial workers
    who took part kept apart from the managers (45001 5.4 asks for their participation)."""

    held_on = models.DateField(_("date"))
    mechanism = models.ForeignKey(
        Mechanism, on_delete=models.PROTECT, related_name="events", verbose_name=_("mechanism")
    )
    topic = models.CharField(_("topic"), max_length=200, validators=[single_line])
    consultation_topics = models.JSONField(_("consulted on"), default=list, blank=True)
    participation_topics = models.JSONField(_("took part in"), default=list, blank=True)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("non-managerial workers"),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("managers")
    )
    others = models.TextField(
        _("others taking part"), blank=True, help_text=_("Contractors, external representatives.")
    )
    outcome = models.TextField(_("outcome"))
    # The minutes as they were signed or circulated (a PDF, an office file, a photo of the
    # sheet); its hash shows it was not changed since.
    minutes = models.FileField(_("minutes"), upload_to="ehs/minutes/", blank=True, max_length=255)
    minutes_name = models.CharField(_("file name of the minutes"), max_length=255, blank=True)
    minutes_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("consultation or participation event")
        verbose_name_plural = _("consultation and participation events")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status", "-held_on"], name="ehs_event_log"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on}: {self.topic}"

    def topic_labels(self) -> list[str]:
        return [
            str(TOPIC_LABELS.get(v, v))
            for v in (*self.consultation_topics, *self.participation_topics)
        ]


class BarrierKind(models.TextChoices):
    LANGUAGE = "language", _("Language")
    LITERACY = "literacy", _("Literacy")
    REPRISAL = "reprisal", _("Fear of reprisal")
    TIME = "time", _("No time to take part")
    TRAINING = "training", _("No training to take part")
    ACCESS = "access", _("Shifts, sites or access")
    OTHER = "other", _("Other")


class Barrier(OrgModel):
    """A barrier to participation (45001 5.4: identified and removed), with what was done; it is
    open until removed."""

    kind = models.CharField(_("kind"), max_length=10, choices=BarrierKind.choices)
    description = models.TextField(_("barrier"))
    identified_on = models.DateField(_("identified on"))
    action = models.TextField(
        _("what is done to remove it"),
        blank=True,
        help_text=_("Translation, time off work to take part, training, anonymous channel…"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    removed_on = models.DateField(_("removed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("barrier to participation")
        verbose_name_plural = _("barriers to participation")
        ordering = [models.F("removed_on").asc(nulls_first=True), "-identified_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"
