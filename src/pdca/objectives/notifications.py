"""Who is told what about objectives: the owners of a KPI (and of its objective) when a result
is red, the owner of an objective action given to them. The reminders of measurements and
deadlines that fall due come from the due-item registry (pdca.core.reminders)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pdca.core.models import User
from pdca.core.notifications import NotificationKind, notify, register_kinds
from pdca.objectives.models import Measurement, ObjectiveAction, period_label


def register() -> None:
    register_kinds(
        NotificationKind(
            "objectives.kpi_red",
            _("A KPI is off target"),
            _("%(title)s is off target: see whether action is needed."),
            permission="objectives.view",
        ),
        NotificationKind(
            "objectives.action_assigned",
            _("An action towards an objective is given to you"),
            _("The action “%(title)s” is yours, due on %(due)s."),
            permission="objectives.view",
        ),
    )


def kpi_red(*, actor: User | None, measurement: Measurement) -> None:
    indicator = measurement.indicator
    objective = indicator.objective
    notify(
        kind="objectives.kpi_red",
        organization=measurement.organization,
        recipients=[indicator.owner_id, objective.owner_id if objective else None],
        obj=indicator,
        key=f"objectives.kpi_red:{measurement.pk}",
        url=reverse(
            "objectives:kpi", kwargs={"org": measurement.organization.slug, "pk": indicator.pk}
        ),
        title=f"{indicator.name}, {period_label(measurement.period, indicator.frequency)}",
        exclude=[actor],
    )


def action_assigned(*, actor: User | None, action: ObjectiveAction) -> None:
    notify(
        kind="objectives.action_assigned",
        organization=action.organization,
        recipients=[action.owner_id],
        obj=action,
        key=f"objectives.action_assigned:{action.pk}:{action.owner_id}",
        url=reverse(
            "objectives:detail",
            kwargs={"org": action.organization.slug, "pk": action.objective_id},
        ),
        data={"due": action.due_on.isoformat()},
        exclude=[actor],
    )
