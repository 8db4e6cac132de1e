"""Reads of the engagement module: the suggestion board, the feedback list, the announcements
with the share of their audience who acknowledged, and the figures other modules ask for."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from pdca.core.access import visible_rows
from pdca.core.models import Membership
from pdca.engagement.models import Announcement, Feedback, FeedbackKind, Suggestion


def suggestion_list(membership: Any, data: dict[str, Any]) -> QuerySet[Suggestion]:
    """The board, newest first; `mine` narrows to the suggestions the member made under their
    name (an anonymous one is nobody's, not even its author's, to find)."""
    qs = visible_rows(membership, Suggestion)
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("mine"):
        qs = qs.filter(author_id=membership.user_id)
    if data.get("q"):
        qs = qs.filter(Q(title__icontains=data["q"]) | Q(description__icontains=data["q"]))
    return qs.select_related("department", "author").order_by("-number")


def feedback_list(membership: Any, data: dict[str, Any]) -> QuerySet[Feedback]:
    qs = visible_rows(membership, Feedback)
    for name in ("kind", "status", "severity", "subject", "owner"):
        if data.get(name):
            qs = qs.filter(**{name: data[name]})
    if data.get("overdue"):
        qs = qs.filter(status=Feedback.Status.OPEN, response_due_on__lt=timezone.localdate())
    if data.get("q"):
        q = data["q"]
        qs = qs.filter(
            Q(customer__icontains=q) | Q(reference__icontains=q) | Q(description__icontains=q)
        )
    return qs.select_related("owner").order_by("-number")


def nonconformities_of(objs: list[Any], model: Any) -> dict[int, Any]:
    """The nonconformity raised from each of `objs` (one query), by the object's id."""
    from django.contrib.contenttypes.models import ContentType

    from pdca.improvement.models import Nonconformity

    if not objs:
        return {}
    ct = ContentType.objects.get_for_model(model)
    ncs = Nonconformity.objects.filter(source_type=ct, source_id__in=[o.pk for o in objs]).only(
        "pk", "number", "title", "status", "source_id"
    )
    return {int(nc.source_id or 0): nc for nc in ncs}


# --- Announcements ------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    user_id: int
    roles: tuple[str, ...]
    department_id: int | None
    site_id: int | None


def current_members(organization: Any) -> list[Member]:
    """Every current active member with what an audience is chosen by (one query)."""
    rows = (
        Membership.objects.current()
        .filter(organization=organization, is_active=True)
        .values_list("user_id", "roles", "department_id", "department__site_id")
    )
    return [Member(u, tuple(r or ()), d, s) for u, r, d, s in rows]


def _addressed(
    announcement: Announcement, member: Member, departments: set[int], sites: set[int]
) -> bool:
    if not (announcement.roles or departments or sites):
        return True
    return bool(
        set(member.roles) & set(announcement.roles)
        or (member.department_id in departments)
        or (member.site_id in sites)
    )


def _targets(announcement: Announcement) -> tuple[set[int], set[int]]:
    return (
        {d.pk for d in announcement.departments.all()},
        {s.pk for s in announcement.sites.all()},
    )


def in_audience(announcement: Announcement, membership: Any) -> bool:
    departments, sites = _targets(announcement)
    site = membership.department.site_id if membership.department_id else None
    member = Member(
        membership.user_id, tuple(membership.roles or ()), membership.department_id, site
    )
    return _addressed(announcement, member, departments, sites)


def audience_of(announcement: Announcement) -> list[Member]:
    departments, sites = _targets(announcement)
    return [
        m
        for m in current_members(announcement.organization)
        if _addressed(announcement, m, departments, sites)
    ]


def announcement_list(membership: Any, data: dict[str, Any]) -> QuerySet[Announcement]:
    qs = visible_rows(membership, Announcement)
    if data.get("q"):
        qs = qs.filter(Q(title__icontains=data["q"]) | Q(body__icontains=data["q"]))
    return (
        qs.select_related("published_by")
        .prefetch_related("departments", "sites")
        .annotate(acknowledged=Count("acknowledgements"))
        .order_by("-published_at", "-pk")
    )


def with_reach(announcements: list[Any], membership: Any) -> list[Any]:
    """Each announcement with `audience` (how many it addresses), `share` (the per cent who
    acknowledged), `for_me` and `acked_by_me`, in two queries whatever the page holds."""
    from pdca.engagement.models import Acknowledgement

    members = current_members(membership.organization) if announcements else []
    mine = (
        set(
            Acknowledgement.objects.filter(
                announcement__in=announcements, user_id=membership.user_id
            ).values_list("announcement_id", flat=True)
        )
        if announcements
        else set()
    )
    site = membership.department.site_id if membership.department_id else None
    me = Member(membership.user_id, tuple(membership.roles or ()), membership.department_id, site)
    for a in announcements:
        departments, sites = _targets(a)
        a.audience = sum(1 for m in members if _addressed(a, m, departments, sites))
        acknowledged = getattr(a, "acknowledged", None)
        if acknowledged is None:
            acknowledged = a.acknowledgements.count()
            a.acknowledged = acknowledged
        a.share = round(100 * acknowledged / a.audience) if a.audience else 0
        a.for_me = _addressed(a, me, departments, sites)
        a.acked_by_me = a.pk in mine
    return announcements


def unacknowledged_count(membership: Any) -> int:
    """Announcements asking this member for an acknowledgement they have not given."""
    from pdca.engagement.models import Acknowledgement

    pending = list(
        Announcement.objects.filter(organization=membership.organization, requires_ack=True)
        .exclude(
            pk__in=Acknowledgement.objects.filter(user_id=membership.user_id).values(
                "announcement_id"
            )
        )
        .prefetch_related("departments", "sites")[:200]
    )
    return sum(1 for a in pending if in_audience(a, membership))


# --- Figures for management review --------------------------------------------------------


def feedback_figures(organization: Any, start: Any, end: Any) -> dict[str, Any]:
    """Customer feedback received from `start` to `end` (one query, plus one for the NCs)."""
    from django.contrib.contenttypes.models import ContentType

    from pdca.improvement.models import Nonconformity

    today = timezone.localdate()
    base = Feedback.objects.filter(organization=organization)
    period = Q(received_on__gte=start, received_on__lte=end)
    complaint = Q(kind=FeedbackKind.COMPLAINT)
    figures = base.aggregate(
        complaints=Count("pk", filter=period & complaint),
        compliments=Count("pk", filter=period & Q(kind=FeedbackKind.COMPLIMENT)),
        feedback=Count("pk", filter=period & Q(kind=FeedbackKind.FEEDBACK)),
        answered_in_time=Count(
            "pk",
            filter=period
            & complaint
            & Q(status=Feedback.Status.RESPONDED, responded_on__lte=F("response_due_on")),
        ),
        open_overdue=Count(
            "pk",
            filter=complaint & Q(status=Feedback.Status.OPEN, response_due_on__lt=today),
        ),
        average=Avg("satisfaction", filter=period & Q(satisfaction__isnull=False)),
        rated=Count("pk", filter=period & Q(satisfaction__isnull=False)),
    )
    ct = ContentType.objects.get_for_model(Feedback)
    figures["nonconformities"] = Nonconformity.objects.filter(
        organization=organization, source_type=ct, found_on__gte=start, found_on__lte=end
    ).count()
    return figures


def suggestion_figures(organization: Any, start: Any, end: Any) -> dict[str, int]:
    made = Q(created_at__date__gte=start, created_at__date__lte=end)
    return Suggestion.objects.filter(organization=organization).aggregate(
        made=Count("pk", filter=made),
        anonymous=Count("pk", filter=made & Q(anonymous=True)),
        accepted=Count("pk", filter=made & Q(status=Suggestion.Status.ACCEPTED)),
        declined=Count("pk", filter=made & Q(status=Suggestion.Status.DECLINED)),
        waiting=Count("pk", filter=Q(status=Suggestion.Status.NEW)),
    )


def attention(membership: Any) -> list[Any]:
    """For those who triage: suggestions awaiting triage; for the person handling it: customer
    responses overdue; for everyone: announcements waiting for their acknowledgement."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from pdca.core.attention import Attention, capped_count
    from pdca.core.permissions import can

    items: list[Attention] = []
    organization = membership.organization
    slug = organization.slug
    if can(membership, "engagement.triage"):
        waiting = capped_count(
            Suggestion.objects.filter(organization=organization, status=Suggestion.Status.NEW)
        )
        if waiting:
            items.append(
                Attention(
                    _("Suggestions awaiting triage"),
                    reverse("engagement:suggestions", kwargs={"org": slug}) + "?status=new",
                    waiting,
                    "info",
                    module="engagement",
                    icon="rocket",
                )
            )
    overdue = capped_count(
        Feedback.objects.filter(
            organization=organization,
            owner_id=membership.user_id,
            status=Feedback.Status.OPEN,
            response_due_on__lt=timezone.localdate(),
        )
    )
    if overdue:
        items.append(
            Attention(
                _("Customer responses overdue"),
                reverse("engagement:feedback", kwargs={"org": slug}) + "?overdue=on",
                overdue,
                "danger",
                module="engagement",
                icon="circle-user",
            )
        )
    if can(membership, "engagement.acknowledge"):
        pending = unacknowledged_count(membership)
        if pending:
            items.append(
                Attention(
                    _("Announcements to acknowledge"),
                    reverse("engagement:announcements", kwargs={"org": slug}),
                    pending,
                    "warning",
                    module="engagement",
                    icon="send",
                )
            )
    return items


def role_labels(codes: list[str]) -> list[str]:
    from pdca.core.roles import Role

    labels = dict(Role.choices)
    return [str(labels.get(code, code)) for code in codes]
