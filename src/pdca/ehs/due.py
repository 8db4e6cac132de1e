"""What the aspects and hazard registers and the incidents contribute to the due-item
registry: each current aspect's and hazard's planned review (for its owner), each open control
on a current hazard (for its owner) and each incident's investigation (for its lead). One or
two fixed queries each, whatever the registers' size."""

from typing import Any

from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery, dated_items
from pdca.ehs.models import Aspect, EntryStatus, Hazard, HazardControl, Incident, IncidentStatus
from pdca.standards.due import evidence_of_standard, evidence_standards


def _evidence_of(query: DueQuery, model: Any) -> Any:
    """`rows -> {pk: standard codes}` of the clauses the rows are linked to as evidence."""
    return lambda rows: evidence_standards(query.organization, model, [r["pk"] for r in rows])


def aspect_reviews_due(query: DueQuery) -> list[DueItem]:
    qs = Aspect.objects.filter(organization=query.organization, status=EntryStatus.ACTIVE)
    if query.standard:
        qs = qs.filter(evidence_of_standard(query.organization, Aspect, query.standard))
    return dated_items(
        query,
        qs,
        kind="ehs.aspect_review",
        label=_("Aspect review"),
        date="review_on",
        url_name="ehs:aspect",
        fields=("activity", "aspect"),
        title=lambda r: (
            _("Reassess: %(activity)s, %(aspect)s")
            % {"activity": r["activity"], "aspect": r["aspect"]}
        ),
        standards=_evidence_of(query, Aspect),
    )


def hazard_reviews_due(query: DueQuery) -> list[DueItem]:
    """Each current hazard's planned review, for its owner (two fixed queries)."""
    qs = Hazard.objects.filter(organization=query.organization, status=EntryStatus.ACTIVE)
    if query.standard:
        qs = qs.filter(evidence_of_standard(query.organization, Hazard, query.standard))
    return dated_items(
        query,
        qs,
        kind="ehs.hazard_review",
        label=_("Hazard review"),
        date="review_on",
        url_name="ehs:hazard",
        fields=("location_or_task", "hazard"),
        title=lambda r: (
            _("Review the hazard: %(place)s, %(hazard)s")
            % {"place": r["location_or_task"], "hazard": r["hazard"]}
        ),
        standards=_evidence_of(query, Hazard),
    )


def controls_due(query: DueQuery) -> list[DueItem]:
    """Each open control on a current hazard, for its owner (one query)."""
    qs = HazardControl.objects.filter(
        organization=query.organization,
        status__in=HazardControl.OPEN_STATUSES,
        hazard__status=EntryStatus.ACTIVE,
    )
    if query.standard:
        qs = qs.filter(
            hazard_id__in=Hazard.objects.filter(organization=query.organization)
            .filter(evidence_of_standard(query.organization, Hazard, query.standard))
            .values("pk")
        )
    return dated_items(
        query,
        qs,
        kind="ehs.control",
        label=_("Control on a hazard"),
        date="due_on",
        url_name="ehs:hazard",
        link="hazard_id",
        fields=("title",),
        title=lambda r: _("Put the control in place: %(title)s") % {"title": r["title"]},
    )


def investigations_due(query: DueQuery) -> list[DueItem]:
    """Each incident not yet closed, to be investigated by its set day: for its lead (the
    management representatives while it has none). One query."""
    qs = Incident.objects.filter(
        organization=query.organization,
        status__in=(IncidentStatus.REPORTED, IncidentStatus.INVESTIGATING),
    )
    if query.standard:
        qs = qs.filter(evidence_of_standard(query.organization, Incident, query.standard))
    return dated_items(
        query,
        qs,
        kind="ehs.investigation",
        label=_("Incident investigation"),
        date="investigate_by",
        url_name="ehs:incident",
        owner="lead",
        fields=("number", "place"),
        title=lambda r: (
            _("Investigate INC-%(number)04d: %(place)s")
            % {"number": r["number"], "place": r["place"]}
        ),
    )
