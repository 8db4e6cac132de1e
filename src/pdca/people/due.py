"""What the people module contributes to the due-item registry: competence records that
expire (a licence, a certificate, an assessment to renew), for the person who holds them, and
the training sessions planned and the evaluations of their effectiveness, for their trainer.

The daily reminder run then reminds at the organization's offsets (90, 30 and 7 days before,
for example) and, once expired, escalates to the person's line manager.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from pdca.core.access import visible_rows
from pdca.core.due import DueItem, DueQuery, url_maker
from pdca.people.models import CompetenceRecord, RecordStatus, SessionStatus, TrainingSession


def _records(query: DueQuery) -> object:
    if query.viewer is not None:
        return visible_rows(query.viewer, CompetenceRecord)
    return CompetenceRecord.objects.filter(organization=query.organization)


def renewals_due(query: DueQuery) -> list[DueItem]:
    """Competence records that expire, unless a later record of the same competence for the
    same person outlasts them (the licence was renewed) or the person has left."""
    renewed = CompetenceRecord.objects.filter(
        person_id=OuterRef("person_id"),
        competence_id=OuterRef("competence_id"),
        status=RecordStatus.VALID,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=OuterRef("valid_until")))
    qs = (
        _records(query)  # type: ignore[attr-defined]
        .filter(
            status=RecordStatus.VALID,
            person__left_on__isnull=True,
            **query.date_range("valid_until"),
        )
        .filter(~Exists(renewed))
    )
    if query.owners is not None:
        qs = qs.filter(person__membership__user_id__in=query.owners)
    rows = list(
        query.cut(
            qs.order_by("valid_until", "pk").values_list(
                "pk",
                "competence__name",
                "valid_until",
                "person__membership__user_id",
                "person__membership__user__full_name",
                "person__membership__department_id",
                "updated_at",
                "version",
            )
        )
    )
    url = url_maker("people:record", query.organization)
    label = _("Competence expires")
    return [
        DueItem(
            kind="people.renewal",
            kind_label=label,
            title=f"{name}: {competence}",
            due_on=until,
            url=url(pk),
            model="people.competencerecord",
            object_id=pk,
            owner_id=user_id,
            owner_name=name or "",
            department_id=department_id,
            updated_at=updated_at,
            version=version,
            overdue=until < query.today,
        )
        for pk, competence, until, user_id, name, department_id, updated_at, version in rows
    ]


def _sessions(query: DueQuery, date_field: str, **filters: object) -> list[tuple]:
    qs = TrainingSession.objects.filter(
        organization=query.organization, **filters, **query.date_range(date_field)
    )
    if query.owners is not None:
        qs = qs.filter(trainer_id__in=query.owners)
    return list(
        query.cut(
            qs.order_by(date_field, "pk").values_list(
                "pk",
                "course__title",
                date_field,
                "trainer_id",
                "trainer__full_name",
                "updated_at",
                "version",
            )
        )
    )


def sessions_due(query: DueQuery) -> list[DueItem]:
    """Training sessions planned, on their date, for their trainer."""
    url = url_maker("people:session", query.organization)
    label = _("Training session")
    return [
        DueItem(
            kind="people.session",
            kind_label=label,
            title=title,
            due_on=day,
            url=url(pk),
            model="people.trainingsession",
            object_id=pk,
            owner_id=trainer_id,
            owner_name=trainer or "",
            updated_at=updated_at,
            version=version,
            overdue=day < query.today,
        )
        for pk, title, day, trainer_id, trainer, updated_at, version in _sessions(
            query, "held_on", status=SessionStatus.PLANNED
        )
    ]


def evaluations_due(query: DueQuery) -> list[DueItem]:
    """Held sessions whose effectiveness is to be evaluated (7.2 c), on the chosen day."""
    url = url_maker("people:session_evaluate", query.organization)
    label = _("Evaluate training effectiveness")
    return [
        DueItem(
            kind="people.evaluation",
            kind_label=label,
            title=title,
            due_on=day,
            url=url(pk),
            model="people.trainingsession",
            object_id=pk,
            owner_id=trainer_id,
            owner_name=trainer or "",
            updated_at=updated_at,
            version=version,
            overdue=day < query.today,
        )
        for pk, title, day, trainer_id, trainer, updated_at, version in _sessions(
            query, "evaluate_on", status=SessionStatus.HELD, evaluated_on__isnull=True
        )
    ]
