"""Reads of the registers of environmental aspects, hazards and incidents."""

from typing import Any

from django.db.models import Q, QuerySet

from pdca.core.access import visible_rows
from pdca.ehs.models import (
    Aspect,
    Barrier,
    EntryStatus,
    Hazard,
    Incident,
    Mechanism,
    ParticipationEvent,
)


def aspect_list(membership: Any, data: dict[str, Any]) -> QuerySet[Aspect]:
    """Current aspects unless the status says otherwise; significant and highest first."""
    qs = visible_rows(membership, Aspect)
    status = data.get("status") or EntryStatus.ACTIVE
    if status != "all":
        qs = qs.filter(status=status)
    if data.get("impact_on"):
        qs = qs.filter(impact_on=data["impact_on"])
    if data.get("condition"):
        qs = qs.filter(condition=data["condition"])
    if data.get("significant") in ("yes", "no"):
        qs = qs.filter(significant=data["significant"] == "yes")
    if data.get("q"):
        q = data["q"]
        qs = qs.filter(Q(activity__icontains=q) | Q(aspect__icontains=q))
    return qs.select_related("owner").order_by("-significant", "-score", "pk")


def hazard_list(membership: Any, data: dict[str, Any]) -> QuerySet[Hazard]:
    """Current hazards unless the status says otherwise; PPE-only high risks, then the highest
    scores first."""
    qs = visible_rows(membership, Hazard)
    status = data.get("status") or EntryStatus.ACTIVE
    if status != "all":
        qs = qs.filter(status=status)
    if data.get("hazard_type"):
        qs = qs.filter(hazard_type=data["hazard_type"])
    if data.get("flag") == "high":
        qs = qs.filter(high=True)
    elif data.get("flag") == "ppe_only":
        qs = qs.filter(ppe_only=True)
    if data.get("q"):
        q = data["q"]
        qs = qs.filter(Q(location_or_task__icontains=q) | Q(hazard__icontains=q))
    return qs.select_related("owner").order_by("-ppe_only", "-score", "pk")


def may_see_health(membership: Any, incident: Incident, roles: list[str]) -> bool:
    """Whether `membership` sees the incident's health details: the roles the organization
    names (`roles`, from its incident settings) and the person who reported it."""
    if membership is None:
        return False
    if incident.reported_by_id == membership.user_id:
        return True
    return bool(set(membership.roles) & set(roles))


def incident_list(membership: Any, data: dict[str, Any]) -> QuerySet[Incident]:
    """Incidents, the latest first (filters: q, kind, status)."""
    qs = visible_rows(membership, Incident)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("q"):
        q = data["q"]
        qs = qs.filter(Q(place__icontains=q) | Q(description__icontains=q))
    return qs.select_related("reported_by", "lead").order_by("-occurred_at", "-pk")


def event_list(membership: Any, data: dict[str, Any]) -> QuerySet[ParticipationEvent]:
    """The log of consultation and participation, the latest first (filters: q, mechanism,
    topic, status)."""
    qs = visible_rows(membership, ParticipationEvent)
    status = data.get("status") or EntryStatus.ACTIVE
    if status != "all":
        qs = qs.filter(status=status)
    if data.get("mechanism"):
        qs = qs.filter(mechanism=data["mechanism"])
    if data.get("topic"):
        # The lists' codes are distinct: a quoted code matches that element of either list.
        code = f'"{data["topic"]}"'
        qs = qs.filter(
            Q(consultation_topics__icontains=code) | Q(participation_topics__icontains=code)
        )
    if data.get("q"):
        q = data["q"]
        qs = qs.filter(Q(topic__icontains=q) | Q(outcome__icontains=q))
    return qs.select_related("mechanism").order_by("-held_on", "-pk")


def mechanisms(organization: Any) -> list[Mechanism]:
    return list(Mechanism.objects.filter(organization=organization).order_by("status", "name"))


def barriers(organization: Any, limit: int = 20) -> list[Barrier]:
    """The barriers not yet removed, and the latest removed ones (a bounded list)."""
    qs = Barrier.objects.filter(organization=organization).select_related("owner")
    return list(qs[:limit])  # the model's order: open ones first
