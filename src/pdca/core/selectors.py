"""Reads of the foundation that are more than a one-line query."""

import datetime
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core.attention import Attention, OnboardingStep
from pdca.core.forms import TrailFilterForm
from pdca.core.models import Membership, TrailEntry, User
from pdca.core.permissions import can
from pdca.core.roles import Role

TRAIL_PAGE = 25
TRAIL_PAGE_FIELDS = (
    "seq",
    "at",
    "actor_label",
    "ip",
    "action",
    "object_repr",
    "changes",
    "reason",
    "content_type",
)


def trail_page(
    *, organization: Any, filters: TrailFilterForm, limit: int = TRAIL_PAGE
) -> tuple[list[TrailEntry], int | None]:
    """One page of the organization's trail, newest first, and the cursor of the next page.

    Keyset pagination on the chain position: a page of a million-entry trail costs the same as
    the first page, and no COUNT(*) is ever run.
    """
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = trail_filtered(organization=organization, data=data)
    if data.get("before"):
        qs = qs.filter(seq__lt=data["before"])
    # Only what the page shows: the entry carries its actor's label, so no join is needed.
    rows = list(qs.only(*TRAIL_PAGE_FIELDS).order_by("-seq")[: limit + 1])
    next_cursor = rows[limit - 1].seq if len(rows) > limit else None
    return rows[:limit], next_cursor


def trail_filtered(*, organization: Any, data: dict[str, Any]) -> QuerySet[TrailEntry]:
    """The organization's trail entries that match the filter form's cleaned data."""
    qs: QuerySet[TrailEntry] = TrailEntry.objects.filter(chain=organization.pk)
    if data.get("action"):
        qs = qs.filter(_action_filter(data["action"]))
    if data.get("actor"):
        # Labels are stored lower-case; an exact match uses the (chain, actor_label, seq)
        # index, where iexact (LIKE / UPPER()) scans the whole chain for a rare person.
        qs = qs.filter(actor_label=data["actor"].lower())
    if data.get("since") or data.get("until"):
        qs = _within_days(qs, organization, since=data.get("since"), until=data.get("until"))
    return qs


def _within_days(
    qs: QuerySet[TrailEntry],
    organization: Any,
    *,
    since: datetime.date | None,
    until: datetime.date | None,
) -> QuerySet[TrailEntry]:
    """Entries made on the days from `since` to `until`, in the viewer's time zone.

    `at__date` runs a function on every row of the chain, which no index serves. The days become
    timestamp bounds instead, and those become bounds on the chain position, each found with one
    probe of the (chain, at) index: the page's `ORDER BY seq DESC` then walks only the range.
    Positions follow time because an entry takes its time under the chain head's lock; the
    timestamp test stays so that a clock stepping back can never add an entry of another day.
    """
    tz = timezone.get_current_timezone()
    chain = TrailEntry.objects.filter(chain=organization.pk)
    if since:
        start = datetime.datetime.combine(since, datetime.time.min, tz)
        first = chain.filter(at__gte=start).order_by("at", "seq").values_list("seq", flat=True)
        qs = qs.filter(at__gte=start, seq__gte=models.Subquery(first[:1]))
    if until:
        end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tz)
        last = chain.filter(at__lt=end).order_by("-at", "-seq").values_list("seq", flat=True)
        qs = qs.filter(at__lt=end, seq__lte=models.Subquery(last[:1]))
    return qs


def _action_filter(text: str) -> Q:
    """A registered code, or the registered codes it begins ("core.membership"), matched
    exactly so that the (chain, action, seq) index serves them; a prefix of no registered
    code (e.g. one retired since) falls back to a prefix match."""
    from pdca.core.actions import ACTIONS

    if text in ACTIONS:
        return Q(action=text)
    codes = sorted(code for code in ACTIONS if code.startswith(text))
    if codes:
        return Q(action__in=codes)
    return Q(action__startswith=text)


def object_history(obj: Any, limit: int = 50) -> list[TrailEntry]:
    return list(TrailEntry.objects.for_object(obj).select_related("actor").order_by("-seq")[:limit])


# What the dashboard's people cards count (the member list's `needs` filter).
MEMBER_NEEDS = ("access_ending", "two_factor")
ACCESS_ENDING_DAYS = 14


def members(organization: Any, query: str = "", needs: str = "") -> QuerySet[Membership]:
    qs = Membership.objects.filter(organization=organization).select_related(
        "user", "department", "manager"
    )
    if needs == "access_ending":
        soon = timezone.localdate() + datetime.timedelta(days=ACCESS_ENDING_DAYS)
        qs = (
            qs.filter(pk__in=Membership.objects.current().filter(organization=organization))
            .filter(expires_on__lte=soon)
            .with_role(Role.EXTERNAL_AUDITOR)
        )
    elif needs == "two_factor":
        qs = qs.filter(
            pk__in=Membership.objects.current().filter(organization=organization)
        ).exclude(user__totpdevice__confirmed=True)
    if query:
        qs = qs.filter(Q(user__email__icontains=query) | Q(user__full_name__icontains=query))
    return qs.order_by("-is_active", "user__full_name", "user__email")


def recent_sign_ins(user: User, limit: int = 10) -> list[TrailEntry]:
    return list(
        TrailEntry.objects.filter(chain=0, action__in=["core.auth.login", "core.auth.login_failed"])
        .filter(Q(actor=user) | Q(actor__isnull=True, actor_label=user.email))
        .order_by("-seq")[:limit]
    )


def foundation_attention(membership: Membership) -> list[Attention]:
    """External auditors whose access ends soon; members still lacking two-factor sign-in."""
    items: list[Attention] = []
    org = membership.organization
    slug = org.slug
    if membership.expires_on is not None:
        days = (membership.expires_on - timezone.localdate()).days
        items.append(
            Attention(
                title=_("Your access ends in %(days)d days") % {"days": days},
                url=reverse("core:profile"),
                severity="warning" if days <= 7 else "info",
                module="core",
            )
        )
    if can(membership, "core.manage_members"):
        url = reverse("core:members", kwargs={"org": slug})
        # Each card counts the member list it opens.
        ending = members(org, needs="access_ending").count()
        if ending:
            items.append(
                Attention(
                    title=_("External auditor access ending within 14 days"),
                    url=url + "?needs=access_ending",
                    count=ending,
                    severity="info",
                    module="core",
                    icon="user-check",
                )
            )
        if org.require_two_factor:
            missing = members(org, needs="two_factor").count()
            if missing:
                items.append(
                    Attention(
                        title=_("Members who have not set up two-factor sign-in"),
                        url=url + "?needs=two_factor",
                        count=missing,
                        severity="warning",
                        module="core",
                    )
                )
    return items


def onboarding_people(membership: Membership) -> list[OnboardingStep]:
    """The first step of the people: someone else invited into the organization."""
    if not can(membership, "core.manage_members"):
        return []
    org = membership.organization
    step = OnboardingStep(
        _("Invite people"),
        Membership.objects.current().filter(organization=org).exclude(pk=membership.pk).exists(),
        reverse("core:member_invite", kwargs={"org": org.slug}),
        _("Colleagues, process owners and auditors, each in their role."),
        icon="users",
    )
    return [step]
