"""Every write of objectives, KPIs, measurements and objective actions.

Each service takes the acting user, runs in one transaction and records the trail. Objectives
are withdrawn with a reason, never deleted; a measurement is corrected with a reason and keeps
its earlier value (a `Correction`); a KPI keeps its latest result, rating and next due date
in step with its measurements (`_refresh`).
"""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core import imports, metrics, trail
from pdca.core.access import ensure_allowed
from pdca.core.assignable import check_assignable
from pdca.core.models import Organization, User
from pdca.core.signatures import confirm_password
from pdca.core.updating import (
    check_same_organization,
    check_version,
    model_create,
    model_transition,
    model_update,
)
from pdca.objectives import evidence, notifications
from pdca.objectives.models import (
    Correction,
    DataSource,
    Direction,
    Frequency,
    Indicator,
    Measurement,
    Objective,
    ObjectiveAction,
    Rating,
    SetApproval,
    ValueType,
    is_period_start,
    next_period,
    period_due_on,
    period_label,
    period_start,
)
from pdca.standards.models import Edition, OrgStandard, Process

OBJECTIVE_FIELDS = (
    "title",
    "description",
    "policy_commitment",
    "baseline",
    "target",
    "deadline",
    "owner",
    "applies_to",
    "resources",
    "evaluation",
    "frequency",
    "status",
    "communicated_to",
    "communicated_on",
    "integration",
    "risk_link",
    "workers_consulted",
)
INDICATOR_FIELDS = (
    "objective",
    "process",
    "name",
    "definition",
    "value_type",
    "unit",
    "direction",
    "target",
    "red_threshold",
    "frequency",
    "first_period",
    "owner",
    "data_source",
    "computed_source",
    "red_periods",
    "customer_satisfaction",
    "is_active",
)
# What changes how the results are rated: a change of one rates them again.
RATING_FIELDS = ("direction", "target", "red_threshold")
ACTION_FIELDS = ("title", "owner", "due_on", "resources")
# A red streak longer than this is shown as this: enough for any "red for n periods" rule.
STREAK_READ = 24


# Objectives


def _check_editions(organization: Organization, editions: Iterable[Edition]) -> list[Edition]:
    editions = list(editions)
    chosen = set(
        OrgStandard.objects.filter(organization=organization).values_list("edition_id", flat=True)
    )
    foreign = [e for e in editions if e.pk not in chosen]
    if foreign:
        raise ValidationError(
            {
                "editions": _("%(names)s is not one of the organization's standards.")
                % {"names": ", ".join(str(e) for e in foreign)}
            }
        )
    return editions


def _check_objective(objective: Objective) -> None:
    if objective.target.strip() and objective.deadline is None:
        raise ValidationError({"deadline": _("A target needs a deadline: say by when.")})
    if objective.status == Objective.Status.WITHDRAWN and not objective.withdrawn_reason.strip():
        raise ValidationError({"status": _("Withdraw an objective with its reason.")})


def objective_create(
    *,
    actor: User,
    organization: Organization,
    editions: Iterable[Edition] = (),
    processes: Iterable[Process] = (),
    **fields: Any,
) -> Objective:
    """Set an objective (6.2) for the standards it serves."""
    check_assignable(organization, fields.get("owner"), "owner")
    processes = list(processes)
    check_same_organization(organization, "processes", processes)
    if fields.get("status") == Objective.Status.WITHDRAWN:
        raise ValidationError({"status": _("A new objective cannot be withdrawn.")})
    with transaction.atomic():
        objective = model_create(
            model=Objective,
            organization=organization,
            actor=actor,
            fields=fields,
            allowed=(*OBJECTIVE_FIELDS, "editions", "processes"),
            action="objectives.objective.created",
            validate=_check_objective,
            related={"editions": _check_editions(organization, editions), "processes": processes},
        )
        evidence.link_objective(actor=actor, objective=objective)
        _note_set_changed(organization, [_year(objective.deadline)])
    return objective


def _year(day: datetime.date | None) -> int | None:
    return day.year if day is not None else None


def objective_update(
    *,
    actor: User,
    objective: Objective,
    expected_version: int | None,
    editions: Iterable[Edition] | None = None,
    processes: Iterable[Process] | None = None,
    **fields: Any,
) -> Objective:
    """Change an objective that is not withdrawn (withdrawing is `objective_withdraw`)."""
    organization = objective.organization
    if "owner" in fields:
        check_assignable(organization, fields["owner"], "owner")
    related: dict[str, list[Any]] = {}
    if editions is not None:
        related["editions"] = _check_editions(organization, editions)
    if processes is not None:
        related["processes"] = list(processes)
        check_same_organization(organization, "processes", related["processes"])
    if fields.get("status") == Objective.Status.WITHDRAWN:
        raise ValidationError({"status": _("Withdraw an objective on its own, with the reason.")})

    def validate(locked: Objective) -> None:
        if objective.status == Objective.Status.WITHDRAWN:
            raise ValidationError(_("This objective is withdrawn; it is no longer changed."))
        _check_objective(locked)

    if objective.status == Objective.Status.WITHDRAWN:
        validate(objective)
    old_year = _year(objective.deadline)
    with transaction.atomic():
        saved, changes = model_update(
            instance=objective,
            actor=actor,
            fields=fields,
            allowed=(*OBJECTIVE_FIELDS, "editions", "processes"),
            expected_version=expected_version,
            action="objectives.objective.updated",
            validate=validate,
            related=related,
        )
        if "editions" in changes:
            evidence.link_objective(actor=actor, objective=saved)
        if changes:
            _note_set_changed(organization, [old_year, _year(saved.deadline)])
    return saved


def objective_withdraw(
    *, actor: User, objective: Objective, reason: str, expected_version: int | None = None
) -> Objective:
    """Withdraw an objective with the reason: it and its measurements stay on record."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the objective is withdrawn.")})

    def check(locked: Objective) -> None:
        if locked.status == Objective.Status.WITHDRAWN:
            raise ValidationError(_("This objective is already withdrawn."))

    with transaction.atomic():
        saved = model_transition(
            instance=objective,
            actor=actor,
            action="objectives.objective.withdrawn",
            to={"status": Objective.Status.WITHDRAWN, "withdrawn_reason": reason.strip()},
            record=("status",),
            check=check,
            reason=reason.strip(),
            expected_version=expected_version,
        )
        _note_set_changed(objective.organization, [_year(saved.deadline)])
    return saved


# KPIs


def _check_indicator(indicator: Indicator) -> None:
    errors: dict[str, str] = {}
    target, red = indicator.target, indicator.red_threshold
    if target is not None and red is not None:
        if indicator.direction == Direction.HIGHER and red > target:
            errors["red_threshold"] = _(
                "Higher is better: the red threshold must be at or below the target."
            )
        if indicator.direction == Direction.LOWER and red < target:
            errors["red_threshold"] = _(
                "Lower is better: the red threshold must be at or above the target."
            )
    for name, value in (("target", target), ("red_threshold", red)):
        if value is None or name in errors:
            continue
        refusal = _value_refusal(indicator.value_type, value)
        if refusal:
            errors[name] = refusal
    if indicator.data_source == DataSource.COMPUTED:
        metric = metrics.metric(indicator.computed_source)
        if metric is None:
            errors["computed_source"] = _("Choose what pdca computes the KPI from.")
        elif metric.value_type != indicator.value_type:
            errors["value_type"] = _("%(source)s gives a %(kind)s.") % {
                "source": metric.label,
                "kind": ValueType(metric.value_type).label.lower(),
            }
    elif indicator.computed_source:
        errors["computed_source"] = _("Only a computed KPI is computed from pdca's data.")
    first, frequency = indicator.first_period, indicator.frequency
    if first and frequency in Frequency.values and not is_period_start(first, frequency):
        errors["first_period"] = _period_refusal(first, frequency)
    if errors:
        raise ValidationError(errors)


def _value_refusal(value_type: str, value: Decimal) -> str:
    if value_type == ValueType.PERCENT and not Decimal(0) <= value <= Decimal(100):
        return _("A percentage lies between 0 and 100.")
    if value_type == ValueType.COUNT and (value < 0 or value != value.to_integral_value()):
        return _("A count is a whole number, 0 or more.")
    return ""


def _period_refusal(day: datetime.date, frequency: str) -> str:
    starts = {
        Frequency.MONTHLY: _("the first day of a month"),
        Frequency.QUARTERLY: _("1 January, 1 April, 1 July or 1 October"),
        Frequency.YEARLY: _("1 January"),
    }
    return _(
        "There is no %(frequency)s period starting on %(day)s: its periods start on %(starts)s."
    ) % {
        "frequency": Frequency(frequency).label.lower(),
        "day": day.isoformat(),
        "starts": starts[Frequency(frequency)],
    }


def _check_links(organization: Organization, fields: dict[str, Any]) -> None:
    check_same_organization(organization, "objective", fields.get("objective"))
    check_same_organization(organization, "process", fields.get("process"))
    if "owner" in fields:
        check_assignable(organization, fields["owner"], "owner")


def indicator_create(*, actor: User, organization: Organization, **fields: Any) -> Indicator:
    """Define a KPI: for an objective, a process or the organization. Its first period is the
    one that holds `first_period` (today's by default)."""
    _check_links(organization, fields)
    frequency = fields.get("frequency") or Frequency.MONTHLY
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Unknown frequency.")})
    first = fields.get("first_period") or timezone.localdate()
    fields["first_period"] = period_start(first, frequency)
    objective = fields.get("objective")
    if objective is not None and not objective.is_open:
        raise ValidationError({"objective": _("This objective is no longer pursued.")})
    with transaction.atomic():
        indicator = model_create(
            model=Indicator,
            organization=organization,
            actor=actor,
            fields=fields,
            allowed=INDICATOR_FIELDS,
            action="objectives.indicator.created",
            validate=_check_indicator,
        )
        _refresh(indicator)
        evidence.link_indicator(actor=actor, indicator=indicator)
    return indicator


def indicator_update(
    *, actor: User, indicator: Indicator, expected_version: int | None, **fields: Any
) -> Indicator:
    """Change a KPI; a new target, threshold or direction rates its results again. Its
    frequency and first period stay once results are entered (the periods would not line up)."""
    _check_links(indicator.organization, fields)

    def validate(locked: Indicator) -> None:
        has_results = locked.measurements.exists()
        if has_results and locked.frequency != indicator.frequency:
            raise ValidationError(
                {"frequency": _("Results are entered per period already: keep the frequency.")}
            )
        if has_results and locked.first_period != indicator.first_period:
            raise ValidationError(
                {"first_period": _("Results are entered already: keep the first period.")}
            )
        _check_indicator(locked)

    with transaction.atomic():
        saved, changes = model_update(
            instance=indicator,
            actor=actor,
            fields=fields,
            allowed=INDICATOR_FIELDS,
            expected_version=expected_version,
            action="objectives.indicator.updated",
            validate=validate,
        )
        if any(name in changes for name in RATING_FIELDS):
            measurements = list(saved.measurements.all())
            for m in measurements:
                m.rating = saved.rate(m.value)
            Measurement.objects.bulk_update(measurements, ["rating"])
        _refresh(saved)
        if "objective" in changes or "customer_satisfaction" in changes:
            evidence.link_indicator(actor=actor, indicator=saved)
    return saved


def _refresh(indicator: Indicator) -> None:
    """Keep the KPI's latest result, rating, red streak and next due date in step with its
    measurements (two queries)."""
    latest = list(
        indicator.measurements.order_by("-period").values_list("period", "value", "rating")[
            :STREAK_READ
        ]
    )
    streak = 0
    for _period, _value, rating in latest:
        if rating != Rating.RED:
            break
        streak += 1
    if latest:
        period, value, rating = latest[0]
        due_from = next_period(period, indicator.frequency)
    else:
        period, value, rating = None, None, ""
        due_from = indicator.first_period
    Indicator.objects.filter(pk=indicator.pk).update(
        last_period=period,
        last_value=value,
        rating=rating,
        red_streak=streak,
        next_due_on=period_due_on(due_from, indicator.frequency) if indicator.is_active else None,
    )
    indicator.last_period, indicator.last_value, indicator.rating = period, value, rating
    indicator.red_streak = streak


# Measurements


def number_text(value: Decimal) -> str:
    """A value as people write it: 92.5, not 92.5000 nor 9.25E+1."""
    text = f"{Decimal(value).normalize():f}"
    return text


def _check_value(indicator: Indicator, value: Any) -> Decimal:
    try:
        number = Decimal(str(value))
    except (ArithmeticError, ValueError) as error:
        raise ValidationError({"value": _("Enter a number.")}) from error
    if not number.is_finite():
        raise ValidationError({"value": _("Enter a number.")})
    refusal = _value_refusal(indicator.value_type, number)
    if refusal:
        raise ValidationError({"value": refusal})
    return number


def _check_period(indicator: Indicator, period: datetime.date, today: datetime.date) -> None:
    if not is_period_start(period, indicator.frequency):
        raise ValidationError({"period": _period_refusal(period, indicator.frequency)})
    if period < indicator.first_period:
        raise ValidationError(
            {
                "period": _("This KPI is measured from %(first)s on.")
                % {"first": period_label(indicator.first_period, indicator.frequency)}
            }
        )
    if period > today:
        raise ValidationError({"period": _("This period has not started yet.")})


def measurement_record(
    *,
    actor: User,
    indicator: Indicator,
    period: datetime.date,
    value: Any,
    comment: str = "",
) -> Measurement:
    """Enter the result of one period; a second entry for the same period is refused (it is
    corrected instead). Tells the KPI's and objective's owners when the result is red."""
    ensure_allowed(
        actor=actor,
        organization=indicator.organization,
        permission="objectives.record",
        obj=indicator,
    )
    number = _check_value(indicator, value)
    _check_period(indicator, period, timezone.localdate())
    return _enter_result(
        actor=actor,
        measured_by=actor,
        indicator=indicator,
        period=period,
        number=number,
        comment=comment,
    )


def _enter_result(
    *,
    actor: User | None,
    measured_by: User,
    indicator: Indicator,
    period: datetime.date,
    number: Decimal,
    comment: str,
) -> Measurement:
    """Save one checked period's result on the locked KPI (`actor` None: pdca computed it)."""
    (measurement,) = _enter_results(
        actor=actor,
        measured_by=measured_by,
        indicator=indicator,
        results=[(period, number, comment)],
    )
    return measurement


def _enter_results(
    *,
    actor: User | None,
    measured_by: User,
    indicator: Indicator,
    results: list[tuple[datetime.date, Decimal, str]],
) -> list[Measurement]:
    """Save checked (period, value, comment) results of one KPI on the locked KPI: a few
    queries however many periods (an import enters thousands), one trail entry each."""
    with transaction.atomic():
        locked = Indicator.objects.select_for_update(no_key=True).get(pk=indicator.pk)
        if not locked.is_active:
            raise ValidationError(_("This KPI is no longer measured."))
        taken = sorted(
            locked.measurements.filter(period__in=[p for p, _n, _c in results]).values_list(
                "period", flat=True
            )
        )
        if taken:
            raise ValidationError(
                {
                    "period": _("%(period)s is entered already: correct that measurement instead.")
                    % {"period": period_label(taken[0], locked.frequency)}
                }
            )
        measurements = []
        for period, number, comment in results:
            measurement = Measurement(
                organization=locked.organization,
                indicator=locked,
                period=period,
                value=number,
                rating=locked.rate(number),
                comment=comment.strip(),
                measured_by=measured_by,
            )
            try:
                # The related rows and the one result per period are checked above.
                measurement.full_clean(
                    exclude=["organization", "indicator", "measured_by"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from error
            measurements.append(measurement)
        if len(measurements) == 1:
            measurements[0].save()
        else:
            Measurement.objects.bulk_create(measurements)
        trail.record_many(
            actor=actor,
            actor_label="" if actor is not None else "pdca",
            organization=locked.organization,
            items=[
                trail.Pending(
                    "objectives.measurement.recorded",
                    locked,
                    {
                        "period": [None, period_label(m.period, locked.frequency)],
                        "value": [None, number_text(m.value)],
                        "rating": [None, m.get_rating_display()],
                    },
                )
                for m in measurements
            ],
        )
        _refresh(locked)
        for measurement in measurements:
            if measurement.rating == Rating.RED:
                transaction.on_commit(
                    lambda m=measurement: notifications.kpi_red(actor=actor, measurement=m)  # type: ignore[misc]
                )
    return measurements


def measurement_correct(
    *,
    actor: User,
    measurement: Measurement,
    expected_version: int | None,
    value: Any,
    reason: str,
    comment: str | None = None,
) -> Measurement:
    """Correct an entered result with the reason; the earlier value is kept (a `Correction`)
    and the change is in the KPI's trail."""
    indicator = measurement.indicator
    ensure_allowed(
        actor=actor,
        organization=measurement.organization,
        permission="objectives.record",
        obj=measurement,
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the result is corrected.")})
    number = _check_value(indicator, value)
    with transaction.atomic():
        locked = Measurement.objects.select_for_update(no_key=True).get(pk=measurement.pk)
        check_version(locked, expected_version)
        new_comment = locked.comment if comment is None else comment.strip()
        if number == locked.value and new_comment == locked.comment:
            raise ValidationError({"value": _("Nothing to correct: the value is the same.")})
        Correction.objects.create(
            measurement=locked,
            old_value=locked.value,
            new_value=number,
            old_comment=locked.comment,
            reason=reason.strip(),
            corrected_by=actor,
        )
        old = locked.value
        locked.value = number
        locked.comment = new_comment
        locked.rating = indicator.rate(number)
        locked.measured_by = actor
        locked.version += 1
        locked.save(update_fields=["value", "comment", "rating", "measured_by", "version"])
        trail.record(
            action="objectives.measurement.corrected",
            actor=actor,
            organization=locked.organization,
            obj=indicator,
            changes={
                "period": [None, period_label(locked.period, indicator.frequency)],
                "value": [number_text(old), number_text(number)],
            },
            reason=reason.strip(),
        )
        _refresh(indicator)
    return locked


def nonconformity_raise_from(*, actor: User, measurement: Measurement) -> Any:
    """Raise a nonconformity from a red result, with the measurement as its source (a second
    raise from it returns the first)."""
    from pdca.improvement.models import Source
    from pdca.improvement.selectors import raised_from
    from pdca.improvement.services import nonconformity_raise
    from pdca.standards.models import Clause

    indicator = measurement.indicator
    ensure_allowed(
        actor=actor,
        organization=measurement.organization,
        permission="objectives.raise_nc",
        obj=measurement,
    )
    existing = raised_from(measurement)
    if existing is not None:
        return existing
    if measurement.rating != Rating.RED:
        raise ValidationError(_("Only a result off target raises a nonconformity."))
    objective = indicator.objective
    editions = list(objective.editions.all()) if objective is not None else []
    clauses = Clause.objects.filter(edition__in=editions, number="9.1.1") if editions else []
    unit = indicator.unit_suffix()
    with transaction.atomic():
        nc = nonconformity_raise(
            actor=actor,
            organization=measurement.organization,
            title=_("KPI off target: %(kpi)s, %(period)s")
            % {
                "kpi": indicator.name,
                "period": period_label(measurement.period, indicator.frequency),
            },
            description=_(
                "%(kpi)s was %(value)s %(unit)s in %(period)s against a target of %(target)s "
                "%(unit)s (red past %(red)s %(unit)s), red for %(streak)s period(s) in a row."
            )
            % {
                "kpi": indicator.name,
                "value": number_text(measurement.value),
                "unit": unit,
                "period": period_label(measurement.period, indicator.frequency),
                "target": number_text(indicator.target),
                "red": number_text(indicator.red_threshold),
                "streak": indicator.red_streak,
            },
            source=Source.KPI,
            clauses=list(clauses),
            process=indicator.process,
            owner=indicator.owner,
            source_object=measurement,
        )
        trail.record(
            action="objectives.nonconformity.raised",
            actor=actor,
            organization=measurement.organization,
            obj=indicator,
            changes={"nonconformity": [None, nc.reference]},
        )
    return nc


# Objective actions


def action_plan(
    *,
    actor: User,
    objective: Objective,
    title: str,
    owner: User,
    due_on: datetime.date,
    resources: str = "",
) -> ObjectiveAction:
    """Add a step of the plan: what, who, by when (and with what)."""
    if not objective.is_open:
        raise ValidationError(_("This objective is no longer pursued."))
    if not title.strip():
        raise ValidationError({"title": _("Say what will be done.")})
    check_assignable(objective.organization, owner, "owner")
    with transaction.atomic():
        action = model_create(
            model=ObjectiveAction,
            organization=objective.organization,
            actor=actor,
            fields={
                "title": title.strip(),
                "owner": owner,
                "due_on": due_on,
                "resources": resources,
            },
            allowed=ACTION_FIELDS,
            action="objectives.action.planned",
            defaults={"objective": objective},
        )
        transaction.on_commit(lambda: notifications.action_assigned(actor=actor, action=action))
    return action


def off_track_reasons(objective: Objective) -> list[str]:
    """Why an objective is off track: its status, and each of its measured KPIs off target
    (one query)."""
    reasons = []
    if objective.status == Objective.Status.OFF_TRACK:
        reasons.append(_("The objective is off track."))
    for kpi in objective.indicators.filter(is_active=True, rating=Rating.RED).order_by("name"):
        reasons.append(
            _("%(kpi)s is off target: %(value)s in %(period)s (target %(target)s).")
            % {
                "kpi": kpi.name,
                "value": number_text(kpi.last_value) if kpi.last_value is not None else "—",
                "period": period_label(kpi.last_period, kpi.frequency) if kpi.last_period else "—",
                "target": number_text(kpi.target),
            }
        )
    return reasons


def improvement_action_raise(
    *,
    actor: User,
    objective: Objective,
    title: str,
    owner: User,
    due_on: datetime.date,
    reason: str = "",
    resources: str = "",
) -> ObjectiveAction:
    """Raise an improvement action on an objective off track (its status, or a KPI off
    target): an action of its plan that says why it was raised, for its owner to carry out."""
    ensure_allowed(
        actor=actor,
        organization=objective.organization,
        permission="objectives.raise_action",
    )
    if not objective.is_open:
        raise ValidationError(_("This objective is no longer pursued."))
    reasons = off_track_reasons(objective)
    if not reasons:
        raise ValidationError(
            _("The objective is on track and its KPIs on target: plan an action instead.")
        )
    if not title.strip():
        raise ValidationError({"title": _("Say what will be done.")})
    check_assignable(objective.organization, owner, "owner")
    with transaction.atomic():
        action = model_create(
            model=ObjectiveAction,
            organization=objective.organization,
            actor=actor,
            fields={
                "title": title.strip(),
                "owner": owner,
                "due_on": due_on,
                "resources": resources,
                "kind": ObjectiveAction.Kind.IMPROVEMENT,
                "reason": reason.strip() or " ".join(reasons),
            },
            allowed=(*ACTION_FIELDS, "kind", "reason"),
            action="objectives.action.raised",
            defaults={"objective": objective},
        )
        transaction.on_commit(lambda: notifications.action_assigned(actor=actor, action=action))
    return action


def action_update(
    *,
    actor: User,
    action: ObjectiveAction,
    expected_version: int | None,
    status: str,
    notes: str = "",
) -> ObjectiveAction:
    """The owner (or a manager) reports progress; done needs a word on what was done."""
    ensure_allowed(
        actor=actor,
        organization=action.organization,
        permission="objectives.update_action",
        obj=action,
    )
    if status not in ObjectiveAction.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == ObjectiveAction.Status.DONE and not notes.strip():
        raise ValidationError({"notes": _("Say what was done.")})

    def validate(locked: ObjectiveAction) -> None:
        locked.follow_status_with_done_on(timezone.localdate())

    saved, _changes = model_update(
        instance=action,
        actor=actor,
        fields={"status": status, "notes": notes.strip()},
        allowed=("status", "notes", "done_on"),
        expected_version=expected_version,
        action="objectives.action.updated",
        validate=validate,
    )
    return saved


# Top management's approval of a year's set of objectives


def set_objectives(organization: Organization, year: int) -> list[Objective]:
    """The year's set: every objective not withdrawn whose deadline falls in the year (two
    queries: the objectives with their owners, their standards)."""
    return list(
        Objective.objects.filter(organization=organization, deadline__year=year)
        .exclude(status=Objective.Status.WITHDRAWN)
        .select_related("owner")
        .prefetch_related("editions__standard")
        .order_by("deadline", "pk")
    )


def set_text(year: int, objectives: list[Objective]) -> str:
    """The set as it is signed: what each objective says (not its progress, which moves)."""
    lines = [_("Objectives for %(year)s") % {"year": year}, ""]
    for o in objectives:
        standards = ", ".join(sorted(str(e.standard.code) for e in o.editions.all()))
        lines.append(
            f"#{o.pk} {o.title} | {_('target')}: {o.target or '—'} | "
            f"{_('baseline')}: {o.baseline or '—'} | {_('deadline')}: {o.deadline} | "
            f"{_('owner')}: {o.owner.display_name} | {standards or '—'}"
        )
    return "\n".join(lines) + "\n"


def _set_digest(year: int, objectives: list[Objective]) -> str:
    """The digest that decides whether a set changed: language-independent."""
    from django.utils import translation

    with translation.override("en"):
        return hashlib.sha256(set_text(year, objectives).encode()).hexdigest()


def current_approval(organization: Organization, year: int) -> SetApproval | None:
    return (
        SetApproval.objects.filter(organization=organization, year=year, outdated_at__isnull=True)
        .select_related("signed_by")
        .first()
    )


def set_approve(
    *, actor: User, organization: Organization, year: int, password: str
) -> SetApproval:
    """Top management signs the year's set of objectives with the password: the set's text and
    its SHA-256 are kept, and the set is the maintained 6.2 item until it changes."""
    ensure_allowed(
        actor=actor,
        organization=organization,
        permission="objectives.approve",
        refusal=_("Only top management approves the set of objectives."),
    )
    objectives = set_objectives(organization, year)
    if not objectives:
        raise ValidationError(
            {
                "year": _("No objective falls due in %(year)s: there is no set to approve.")
                % {"year": year}
            }
        )
    digest = _set_digest(year, objectives)
    current = current_approval(organization, year)
    if current is not None and current.sha256 == digest:
        raise ValidationError(
            {
                "year": _("The set for %(year)s is approved already and has not changed since.")
                % {"year": year}
            }
        )
    confirm_password(
        actor=actor,
        password=password,
        organization=organization,
        obj=objectives[0],
        refused_action="objectives.approval.signature_refused",
        meaning=str(_("Approval of the objectives for %(year)s") % {"year": year}),
    )
    now = timezone.now()
    with transaction.atomic():
        earlier = list(
            SetApproval.objects.select_for_update(no_key=True).filter(
                organization=organization, year=year, outdated_at__isnull=True
            )
        )
        for old in earlier:
            old.outdated_at = now
            old.version += 1
            old.save(update_fields=["outdated_at", "version", "updated_at"])
        approval = SetApproval.objects.create(
            organization=organization,
            year=year,
            text=set_text(year, objectives),
            sha256=digest,
            signed_by=actor,
            signed_at=now,
        )
        approval.objectives.set(objectives)
        trail.record(
            action="objectives.approval.signed",
            actor=actor,
            organization=organization,
            obj=approval,
            changes={
                "year": [None, year],
                "objectives": [None, len(objectives)],
                "sha256": [None, digest],
            },
            reason=_("Signed by top management with password re-entry."),
        )
        evidence.link_approval(actor=actor, approval=approval, objectives=objectives)
    return approval


def _note_set_changed(organization: Organization, years: Iterable[int | None]) -> None:
    """Outdate the approval of each year whose set no longer is the one signed."""
    wanted = {y for y in years if y is not None}
    if not wanted:
        return
    approvals = list(
        SetApproval.objects.select_for_update(no_key=True).filter(
            organization=organization, year__in=wanted, outdated_at__isnull=True
        )
    )
    now = timezone.now()
    for approval in approvals:
        if (
            _set_digest(approval.year, set_objectives(organization, approval.year))
            == approval.sha256
        ):
            continue
        approval.outdated_at = now
        approval.version += 1
        approval.save(update_fields=["outdated_at", "version", "updated_at"])
        trail.record(
            action="objectives.approval.outdated",
            actor=None,
            organization=organization,
            obj=approval,
            changes={"outdated_at": [None, now.isoformat(timespec="seconds")]},
            reason=_("The set of objectives changed after its approval: approve it again."),
        )


# Many results at once: one period's results on one page, or an imported spreadsheet.
# Each row is checked on its own (`imports.check_rows`); the rows are entered in one
# transaction, all of them or none (`imports.apply_rows`).

# The columns of an import, with the German names people may use.
IMPORT_COLUMNS = {
    "kpi": ("kpi", "kpi id", "kennzahl"),
    "period": ("period", "zeitraum", "periode"),
    "value": ("value", "wert"),
    "comment": ("comment", "kommentar"),
}


@dataclass(frozen=True)
class Entry:
    """A checked row: the result of one period of one KPI, ready to enter."""

    indicator: Indicator
    period: datetime.date
    value: Decimal
    comment: str


def _column(values: dict[str, str], name: str) -> str:
    for alias in IMPORT_COLUMNS[name]:
        if alias in values:
            return values[alias].strip()
    return ""


def parse_period(text: str) -> datetime.date | None:
    """A period as people write it: 2026-03, 2026-03-01, 01.03.2026, 2026 Q1, 2026."""
    text = text.strip().upper().replace(" ", "")
    if len(text) == 4 and text.isdigit():
        return datetime.date(int(text), 1, 1)
    if len(text) == 6 and text[:4].isdigit() and text[4] == "Q" and text[5] in "1234":
        return datetime.date(int(text[:4]), (int(text[5]) - 1) * 3 + 1, 1)
    for form in ("%Y-%m-%d", "%Y-%m", "%d.%m.%Y", "%m/%Y", "%m.%Y"):
        try:
            return datetime.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def _parse_value(text: str) -> str:
    """A number as typed: a decimal comma (1,5) is read as a point when there is no point."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    return text


class _RowChecker:
    """Checks rows against the organization's KPIs, loaded once: who may enter each, the
    period, the value, and that no period is entered twice (already, or twice in the rows)."""

    def __init__(
        self,
        *,
        actor: User,
        organization: Organization,
        rows: list[imports.Row],
        period: datetime.date | None = None,
    ) -> None:
        from pdca.core.models import Membership
        from pdca.core.permissions import decide

        self.membership = (
            Membership.objects.current().filter(organization=organization, user=actor).first()
        )
        self.decide = decide
        self.period = period
        self.today = timezone.localdate()
        self.by_id: dict[int, Indicator] = {}
        self.by_name: dict[str, list[Indicator]] = {}
        for indicator in Indicator.objects.filter(organization=organization).select_related(
            "organization"
        ):
            self.by_id[indicator.pk] = indicator
            self.by_name.setdefault(indicator.name.casefold(), []).append(indicator)
        periods = {period} if period else set()
        for row in rows:
            parsed = parse_period(_column(row.values, "period"))
            if parsed:
                periods.add(parsed)
        self.entered = set(
            Measurement.objects.filter(organization=organization, period__in=periods).values_list(
                "indicator_id", "period"
            )
        )

    def indicator(self, text: str) -> Indicator:
        if not text:
            raise ValidationError({"kpi": _("Name the KPI.")})
        if text.isdigit() and int(text) in self.by_id:
            return self.by_id[int(text)]
        found = self.by_name.get(text.casefold(), [])
        if not found:
            raise ValidationError({"kpi": _("There is no KPI %(name)s.") % {"name": text}})
        if len(found) > 1:
            raise ValidationError(
                {"kpi": _("Several KPIs are called %(name)s: use its number.") % {"name": text}}
            )
        return found[0]

    def __call__(self, values: dict[str, str]) -> Entry:
        indicator = self.indicator(_column(values, "kpi"))
        decision = self.decide(self.membership, "objectives.record", indicator)
        if not decision:
            raise ValidationError({"kpi": str(decision.reason)})
        if not indicator.is_active:
            raise ValidationError({"kpi": _("This KPI is no longer measured.")})
        if self.period is not None:
            period = self.period
        else:
            text = _column(values, "period")
            parsed = parse_period(text)
            if parsed is None:
                raise ValidationError(
                    {"period": _("Write the period as 2026-03, 2026 Q1 or 2026.")}
                    if text
                    else {"period": _("Name the period.")}
                )
            period = parsed
        raw = _column(values, "value")
        if not raw:
            raise ValidationError({"value": _("Enter a number.")})
        number = _check_value(indicator, _parse_value(raw))
        _check_period(indicator, period, self.today)
        if (indicator.pk, period) in self.entered:
            raise ValidationError(
                {
                    "period": _("%(period)s is entered already: correct that measurement instead.")
                    % {"period": period_label(period, indicator.frequency)}
                }
            )
        self.entered.add((indicator.pk, period))
        return Entry(indicator, period, number, _column(values, "comment"))


def measurements_check(
    *,
    actor: User,
    organization: Organization,
    rows: list[imports.Row],
    period: datetime.date | None = None,
) -> imports.Preview[Entry]:
    """Check rows of results (columns kpi, period, value, comment; `period` given names the
    period of every row), each on its own: the preview of what would be entered and why each
    bad row would not be. Nothing is written."""
    checker = _RowChecker(actor=actor, organization=organization, rows=rows, period=period)
    return imports.check_rows(rows, checker)


def measurements_enter(
    *,
    actor: User,
    organization: Organization,
    rows: list[imports.Row],
    period: datetime.date | None = None,
) -> list[Measurement]:
    """Enter the rows' results, all in one transaction, or none: `imports.ImportRefused` with
    each bad row's line and reasons."""
    preview = measurements_check(actor=actor, organization=organization, rows=rows, period=period)
    if not preview.good and not preview.errors:
        raise ValidationError(_("Enter at least one result."))
    # The rows were checked (permission, period, value, none entered twice): each KPI's are
    # entered together, in a few queries.
    return imports.apply_grouped(
        preview,
        key=lambda e: e.indicator.pk,
        save=lambda entries: _enter_results(
            actor=actor,
            measured_by=actor,
            indicator=entries[0].indicator,
            results=[(e.period, e.value, e.comment) for e in entries],
        ),
    )


# KPIs computed from pdca's own data (`core.metrics`)

# How many finished periods one computation catches up at most.
COMPUTE_PERIODS = 24


def indicator_compute(
    *, actor: User | None, indicator: Indicator, today: datetime.date | None = None
) -> list[Measurement]:
    """Enter the computed result of each finished period not entered yet (from the one after
    the last result, at most `COMPUTE_PERIODS`). `actor` None is the daily run: the results
    are entered in the KPI's owner's name and the trail says pdca. A period with nothing to
    measure (None) gets no result."""
    if actor is not None:
        ensure_allowed(
            actor=actor,
            organization=indicator.organization,
            permission="objectives.record",
            obj=indicator,
        )
    if indicator.data_source != DataSource.COMPUTED:
        raise ValidationError(_("This KPI is entered by hand, not computed."))
    metric = metrics.metric(indicator.computed_source)
    if metric is None:
        raise ValidationError(_("What this KPI was computed from is no longer available."))
    if not indicator.is_active:
        raise ValidationError(_("This KPI is no longer measured."))
    today = today or timezone.localdate()
    indicator.refresh_from_db(fields=["last_period"])
    start = (
        next_period(indicator.last_period, indicator.frequency)
        if indicator.last_period
        else indicator.first_period
    )
    entered: list[Measurement] = []
    with transaction.atomic():
        for _step in range(COMPUTE_PERIODS):
            end = next_period(start, indicator.frequency)
            if end > today:
                break
            value = metric.compute(indicator.organization, start, end)
            if value is not None:
                entered.append(
                    _enter_result(
                        actor=actor,
                        measured_by=actor or indicator.owner,
                        indicator=indicator,
                        period=start,
                        number=_check_value(indicator, value),
                        comment=str(_("Computed by pdca: %(source)s") % {"source": metric.label}),
                    )
                )
            start = end
    return entered


def compute_all(today: datetime.date | None = None) -> int:
    """The daily run: every measured computed KPI of every organization gets its finished
    periods' results. A KPI that fails is left for the next run; the others go on."""
    from django_scopes import scopes_disabled

    count = 0
    with scopes_disabled():
        kpis = list(
            Indicator.objects.filter(data_source=DataSource.COMPUTED, is_active=True)
            .select_related("organization", "owner")
            .order_by("pk")
        )
        for kpi in kpis:
            try:
                count += len(indicator_compute(actor=None, indicator=kpi, today=today))
            except ValidationError:
                continue
    return count
