"""What the aspects and hazard registers contribute to the due-item registry: each current aspect's
planned review (reassessment), for its owner; every member sees the register. Two fixed
queries whatever its size."""

from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery, url_maker
from pdca.ehs.models import Aspect, EntryStatus, Hazard, HazardControl, Incident, IncidentStatus
from pdca.standards.due import evidence_of_standard, evidence_standards


def aspect_reviews_due(query: DueQuery) -> list[DueItem]:
    qs = Aspect.objects.filter(
        organization=query.organization,
        status=EntryStatus.ACTIVE,
        **query.date_range("review_on"),
    )
    if query.owners is not None:
        qs = qs.filter(owner_id__in=query.owners)
    if query.standard:
        qs = qs.filter(evidence_of_standard(query.organization, Aspect, query.standard))
    rows = list(
        query.cut(
            qs.order_by("review_on", "pk").values_list(
                "pk",
                "activity",
                "aspect",
                "review_on",
                "owner_id",
                "owner__full_name",
                "updated_at",
                "version",
            )
        )
    )
    standards = evidence_standards(query.organization, Aspect, [row[0] for row in rows])
    url = url_maker("ehs:aspect", query.organization)
    label = _("Aspect review")
    return [
        DueItem(
            kind="ehs.aspect_review",
            kind_label=label,
            title=_("Reassess: %(activity)s, %(aspect)s")
            % {"activity": activity, "aspect": aspect},
            due_on=day,
            url=url(pk),
            model="ehs.aspect",
            object_id=pk,
            owner_id=owner_id,
            owner_name=owner_name or "",
            standards=standards.get(pk, ()),
            updated_at=updated_at,
            version=version,
            overdue=day < query.today,
        )
        for pk, activity, aspect, day, owner_id, owner_name, updated_at, version in rows
    ]


def hazard_reviews_due(query: DueQuery) -> list[DueItem]:
    """Each current hazard's planned review, for its owner (two fixed queries)."""
    qs = Hazard.objects.filter(
        organization=query.organization,
        status=EntryStatus.ACTIVE,
        **query.date_range("review_on"),
    )
    if query.owners is not None:
        qs = qs.filter(owner_id__in=query.owners)
    if query.standard:
        qs = qs.filter(evidence_of_standard(query.organization, Hazard, query.standard))
    rows = list(
        query.cut(
            qs.order_by("review_on", "pk").values_list(
                "pk",
                "location_or_task",
                "hazard",
                "review_on",
                "owner_id",
                "owner__full_name",
                "updated_at",
                "version",
            )
        )
    )
    standards = evidence_standards(query.organization, Hazard, [row[0] for row in rows])
    url = url_maker("ehs:hazard", query.organization)
    label = _("Hazard review")
    return [
        DueItem(
            kind="ehs.hazard_review",
            kind_label=label,
            title=_("Review the hazard: %(place)s, %(hazard)s")
            % {"place": place, "hazard": hazard},
            due_on=day,
            url=url(pk),
            model="ehs.hazard",
            object_id=pk,
            owner_id=owner_id,
            owner_name=owner_name or "",
            standards=standards.get(pk, ()),
            updated_at=updated_at,
            version=version,
            overdue=day < query.today,
        )
        for pk, place, hazard, day, owner_id, owner_name, updated_at, version in rows
    ]


def controls_due(query: DueQuery) -> list[DueItem]:
    """Each open control on a current hazard, for its owner (one query)."""
    qs = HazardControl.objects.filter(
        organization=query.organization,
        status__in=HazardControl.OPEN_STATUSES,
        hazard__status=EntryStatus.ACTIVE,
        **query.date_range("due_on"),
    )
    if query.owners is not None:
        qs = qs.filter(owner_id__in=query.owners)
    if query.standard:
        qs = qs.filter(
            hazard_id__in=Hazard.objects.filter(organization=query.organization)
            .filter(evidence_of_standard(query.organization, Hazard, query.standard))
            .values("pk")
        )
    rows = list(
        query.cut(
            qs.order_by("due_on", "pk").values_list(
                "pk",
                "title",
                "hazard_id",
                "due_on",
                "owner_id",
                "owner__full_name",
                "updated_at",
                "version",
            )
        )
    )
    url = url_maker("ehs:hazard", query.organization)
    label = _("Control on a hazard")
    return [
        DueItem(
            kind="ehs.control",
            kind_label=label,
            title=_("Put the control in place: %(title)s") % {"title": title},
            due_on=day,
            url=url(hazard_id),
            model="ehs.hazardcontrol",
            object_id=pk,
            owner_id=owner_id,
            owner_name=owner_name or "",
            updated_at=updated_at,
            version=version,
            overdue=day < query.today,
        )
        for pk, title, hazard_id, day, owner_id, owner_name, updated_at, version in rows
    ]


def investigations_due(query: DueQuery) -> list[DueItem]:
    """Each incident not yet closed, to be investigated by its set day: for its lead (the
    management representatives while it has none). One query."""
    qs = Incident.objects.filter(
        organization=query.organization,
        status__in=(IncidentStatus.REPORTED, IncidentStatus.INVESTIGATING),
        **query.date_range("investigate_by"),
    )
    if query.owners is not None:
        qs = qs.filter(lead_id__in=query.owners)
    if query.standard:
        qs = qs.filter(evidence_of_standard(query.organization, Incident, query.standard))
    rows = list(
        query.cut(
            qs.order_by("investigate_by", "pk").values_list(
                "pk",
                "number",
                "place",
                "investigate_by",
                "lead_id",
                "lead__full_name",
                "updated_at",
                "version",
            )
        )
    )
    url = url_maker("ehs:incident", query.organization)
    label = _("Incident investigation")
    return [
        DueItem(
            kind="ehs.investigation",
            kind_label=label,
            title=_("Investigate INC-%(number)04d: %(place)s") % {"number": number, "place": place},
            due_on=day,
            url=url(pk),
            model="ehs.incident",
            object_id=pk,
            owner_id=lead_id,
            owner_name=lead_name or "",
            updated_at=updated_at,
            version=version,
            overdue=day < query.today,
        )
        for pk, number, place, day, lead_id, lead_name, updated_at, version in rows
    ]
