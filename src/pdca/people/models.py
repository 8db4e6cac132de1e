"""People, their job roles and their competence (ISO 9001 7.2, ISO 14001 7.2, ISO 45001 7.2,
ISO/IEC 27001 7.2).

A job role is a position ("CNC machinist"), not one of pdca's permission roles. A person is a
member of the organization (core's `Membership`, which already holds the department and the line
manager) with what this module adds: the site they work at, when they started and, once they
leave, when they left (their records are then kept under retention, never deleted). The
catalogue of competences says what is required of each job role, at which level, how it is
shown and how often it must be renewed; competence records are the evidence that a person has
it, and training (courses, sessions, attendance, the evaluation of its effectiveness) is how
they get it.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, optional_fk, organization_fk
from pdca.core.validators import single_line


class Level(models.IntegerChoices):
    """How well a competence is held, lowest first: a requirement names the least it needs."""

    AWARE = 1, _("Aware")
    TRAINED = 2, _("Trained")
    COMPETENT = 3, _("Competent")
    TRAINER = 4, _("Can train others")


class CompetenceKind(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Knowledge")
    SKILL = "skill", _("Skill")
    LICENCE = "licence", _("Licence")
    QUALIFICATION = "qualification", _("Qualification")


class Evidence(models.TextChoices):
    """How a competence is shown (7.2 b: education, training or experience; and assessment)."""

    TRAINING = "training", _("Training")
    QUALIFICATION = "qualification", _("Qualification")
    EXPERIENCE = "experience", _("Experience")
    ASSESSMENT = "assessment", _("Assessment")


class Person(OrgModel):
    """A member as this module sees them: one per membership, created when first given a job
    role or a competence record."""

    membership = models.OneToOneField(
        "core.Membership", on_delete=models.PROTECT, related_name="person"
    )
    site = optional_fk("core.Site", "+", _("site"), indexed=False)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    # The end of employment: the trigger of the retention of their records (7.5.3).
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["membership__user__full_name"]
        indexes = [models.Index(fields=["organization", "site"])]

    def __str__(self) -> str:
        return str(self.membership.user)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.start_date and self.left_on and self.left_on < self.start_date:
            raise ValidationError({"left_on": _("A person cannot leave before they started.")})


class JobRole(OrgModel):
    """A position in the organization and what it requires."""

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    description = models.TextField(_("description"), blank=True)
    department = optional_fk("core.Department", "+", _("department"), indexed=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="people_jobrole_name")
        ]

    def __str__(self) -> str:
        return self.name


class JobAssignment(OrgModel):
    """A person holds a job role since a date."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assignments")
    job_role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="assignments")
    since = models.DateField(_("since"))

    class Meta:
        verbose_name = _("job role held")
        verbose_name_plural = _("job roles held")
        ordering = ["job_role__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "job_role"], name="people_assignment_once")
        ]
        indexes = [models.Index(fields=["organization", "job_role"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.job_role}"


class Competence(OrgModel):
    """An entry of the competence catalogue."""

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    kind = models.CharField(
        _("kind"), max_length=20, choices=CompetenceKind.choices, default=CompetenceKind.SKILL
    )
    description = models.TextField(_("description"), blank=True)
    # A work instruction's competence follows its current revision (see the documents hook).
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("documents")
    )
    clauses = models.ManyToManyField(
        "standards.Clause", blank=True, related_name="+", verbose_name=_("clauses")
    )
    retrain_on_revision = models.BooleanField(
        _("a new revision of its documents needs training"),
        default=False,
        help_text=_(
            "When a new revision of one of its documents becomes effective, records from "
            "before it no longer count: the people who need it are retrained."
        ),
    )
    is_auditor_qualification = models.BooleanField(
        _("qualifies to lead internal audits"),
        default=False,
        help_text=_(
            "Leading an internal audit needs a valid record of it: planning warns without "
            "one, and an expired one refuses the lead auditor unless a reason is given."
        ),
    )
    # The day the latest revision needing training took effect: earlier records are outdated.
    current_since = models.DateField(_("records count from"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="people_competence_name")
        ]

    def __str__(self) -> str:
        return self.name


class Requirement(OrgModel):
    """What a job role needs of one competence: the least level, how it is shown and how often
    it is renewed (no interval: it does not expire by itself)."""

    job_role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="requirements")
    competence = models.ForeignKey(
        Competence, on_delete=models.PROTECT, related_name="requirements"
    )
    level = models.PositiveSmallIntegerField(
        _("level required"), choices=Level.choices, default=Level.COMPETENT
    )
    shown_by = models.CharField(
        _("shown by"), max_length=20, choices=Evidence.choices, default=Evidence.TRAINING
    )
    renewal_months = models.PositiveSmallIntegerField(
        _("renew every (months)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["job_role__name", "competence__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_role", "competence"], name="people_requirement_once"
            )
        ]
        indexes = [models.Index(fields=["organization", "competence"])]

    def __str__(self) -> str:
        return f"{self.job_role}: {self.competence}"


class RecordStatus(models.TextChoices):
    VALID = "valid", _("Recorded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CompetenceRecord(OrgModel):
    """Evidence that a person holds a competence at a level from a date, until a date where it
    expires. Never deleted: corrected with a reason, or withdrawn with a reason."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="competence_records")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="records")
    evidence = models.CharField(_("evidence"), max_length=20, choices=Evidence.choices)
    level = models.PositiveSmallIntegerField(_("level achieved"), choices=Level.choices)
    achieved_on = models.DateField(_("achieved on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reference = models.CharField(
        _("certificate or reference"), max_length=100, blank=True, validators=[single_line]
    )
    notes = models.TextField(_("notes"), blank=True)
    attendance = models.OneToOneField(
        "people.Attendance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competence_record",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.VALID
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("competence record")
        verbose_name_plural = _("competence records")
        ordering = ["-achieved_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "person", "competence"]),
            models.Index(fields=["organization", "status", "valid_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.competence}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.valid_until and self.achieved_on and self.valid_until <= self.achieved_on:
            raise ValidationError(
                {"valid_until": _("The expiry must come after the date it was achieved.")}
            )

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.status == RecordStatus.VALID and (
            self.valid_until is None or self.valid_until >= day
        )


class CourseMethod(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    ON_THE_JOB = "on_the_job", _("On the job")
    ELEARNING = "elearning", _("E-learning")
    EXTERNAL = "external", _("External")


class Course(OrgModel):
    """A training course: what it teaches, to which level, and how long what it gives lasts."""

    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    method = models.CharField(
        _("method"), max_length=20, choices=CourseMethod.choices, default=CourseMethod.CLASSROOM
    )
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    competences = models.ManyToManyField(
        Competence, related_name="courses", verbose_name=_("competences")
    )
    level = models.PositiveSmallIntegerField(
        _("level it gives"), choices=Level.choices, default=Level.TRAINED
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "title"], name="people_course_title")
        ]

    def __str__(self) -> str:
        return self.title


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Effectiveness(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


class TrainingSession(OrgModel):
    """One session of a course: when, where, by whom, for whom; after it, whether it worked
    (7.2 c: evaluate the effectiveness of the actions taken)."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("date"))
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("trainer"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[single_line])
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    evaluate_on = models.DateField(_("evaluate effectiveness on"), null=True, blank=True)
    evaluation_method = models.CharField(
        _("evaluation method"), max_length=200, blank=True, validators=[single_line]
    )
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    effectiveness = models.CharField(
        _("result of the evaluation"), max_length=20, choices=Effectiveness.choices, blank=True
    )
    evaluation_notes = models.TextField(_("evaluation notes"), blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status", "held_on"]),
            models.Index(fields=["organization", "evaluated_on", "evaluate_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.held_on})"


class Result(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class Attendance(OrgModel):
    """A person invited to a session and, once it is held, whether they attended and passed;
    the person confirms it."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="attendances"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    invited = models.BooleanField(_("invited"), default=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    recorded_by = optional_fk(settings.AUTH_USER_MODEL, "+", _("recorded by"), indexed=False)
    confirmed_at = models.DateTimeField(_("confirmed by the person"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["person__membership__user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="people_attendance_once")
        ]
        indexes = [models.Index(fields=["organization", "person"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.session}"


class AwarenessKind(models.TextChoices):
    """What people are to be aware of (7.3; 14001 and 45001 add aspects and hazards)."""

    POLICY = "policy", _("Policy")
    OBJECTIVES = "objectives", _("Objectives")
    ASPECTS = "aspects", _("Significant environmental aspects")
    HAZARDS = "hazards", _("Hazards and risks")
    INFOSEC = "infosec", _("Information security responsibilities")
    OTHER = "other", _("Other")


class AwarenessItem(OrgModel):
    """Something every person (or the holders of some job roles) must be aware of and
    acknowledge: the policy, the objectives of their role, the significant aspects and
    hazards, their information security responsibilities (7.3). Each time it is asked again
    (a new revision of its document, or by hand), `round` grows and earlier acknowledgements
    no longer count."""

    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    kind = models.CharField(
        _("kind"), max_length=20, choices=AwarenessKind.choices, default=AwarenessKind.POLICY
    )
    description = models.TextField(_("what people are to know"), blank=True)
    document = optional_fk("documents.Document", "+", _("document"))
    job_roles = models.ManyToManyField(
        JobRole,
        blank=True,
        related_name="awareness_items",
        verbose_name=_("job roles"),
        help_text=_("Leave empty to ask everyone."),
    )
    round = models.PositiveIntegerField(_("round"), default=1)
    revision = models.CharField(
        _("revision asked"), max_length=100, blank=True, validators=[single_line]
    )
    asked_since = models.DateField(_("asked since"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("awareness item")
        verbose_name_plural = _("awareness items")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "title"], name="people_awareness_title")
        ]

    def __str__(self) -> str:
        return self.title


class Acknowledgement(OrgModel):
    """A person acknowledged an awareness item in one of its rounds (kept: the evidence of
    awareness, 7.3)."""

    organization = organization_fk("awareness_acknowledgements")
    item = models.ForeignKey(
        AwarenessItem, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="acknowledgements")
    round = models.PositiveIntegerField(_("round"))
    revision = models.CharField(_("revision"), max_length=100, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"))

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-acknowledged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "person", "round"], name="people_acknowledgement_once"
            )
        ]
        indexes = [models.Index(fields=["organization", "person"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.item}"
