"""Every write of the engagement module: suggestions (made, triaged), customer feedback
(recorded, changed, answered, raising a nonconformity) and announcements (published,
acknowledged).

An anonymous suggestion is stored without its author and recorded in the trail as made by
"anonymous", with no address or request id: nothing written here ties it to the person."""

import contextlib
import datetime
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core import context, trail
from pdca.core.access import ensure_allowed
from pdca.core.assignable import check_assignable
from pdca.core.models import Department, Organization, Site, User
from pdca.core.roles import Role
from pdca.core.updating import (
    check_same_organization,
    model_create,
    model_transition,
    model_update,
)
from pdca.engagement.models import (
    Acknowledgement,
    Announcement,
    Feedback,
    FeedbackKind,
    Severity,
    Suggestion,
)

# What the trail shows as the author of an anonymous suggestion.
ANONYMOUS_LABEL = "anonymous"
SUGGESTION_FIELDS = ("number", "title", "description", "department", "anonymous")


@contextlib.contextmanager
def _unattributed() -> Iterator[None]:
    """Write without the request's address and id, which could lead back to the person."""
    tokens = context.bind(request_id="", client_ip=None)
    client = context.bind_client_request_id("")
    try:
        yield
    finally:
        context.unbind_client_request_id(client)
        context.unbind(tokens)


def _next_number(model: Any, organization: Organization) -> int:
    # Lock the organization row so two writers cannot take the same number.
    Organization.objects.select_for_update(no_key=True).filter(pk=organization.pk).first()
    last = model.objects.filter(organization=organization).aggregate(n=Max("number"))["n"]
    return int(last or 0) + 1


def suggestion_make(
    *,
    actor: User,
    organization: Organization,
    title: str,
    description: str,
    anonymous: bool = False,
    department: Department | None = None,
) -> Suggestion:
    """Any employee's suggestion for improvement. Made anonymously, it keeps no author: not on
    the row, not in the trail (which records that an anonymous suggestion was made)."""
    ensure_allowed(actor=actor, organization=organization, permission="engagement.suggest")
    check_same_organization(organization, "department", department)
    if not title.strip() or not description.strip():
        raise ValidationError({"description": _("Say what you suggest: a title and a few words.")})
    with transaction.atomic():
        suggestion = Suggestion(
            organization=organization,
            number=_next_number(Suggestion, organization),
            title=title.strip(),
            description=description.strip(),
            department=department,
            anonymous=anonymous,
            author=None if anonymous else actor,
        )
        suggestion.full_clean()
        suggestion.save()
        fields = SUGGESTION_FIELDS if anonymous else (*SUGGESTION_FIELDS, "author")
        changes = trail.created_fields(suggestion, fields)
        if anonymous:
            with _unattributed():
                trail.record(
                    action="engagement.suggestion.made",
                    actor=None,
                    actor_label=ANONYMOUS_LABEL,
                    organization=organization,
                    obj=suggestion,
                    changes=changes,
                )
        else:
            trail.record(
                action="engagement.suggestion.made",
                actor=actor,
                organization=organization,
                obj=suggestion,
                changes=changes,
            )
    return suggestion


def _awaiting_triage(locked: Suggestion) -> None:
    if locked.status != Suggestion.Status.NEW:
        raise ValidationError(
            _("This suggestion was already triaged: %(status)s.")
            % {"status": locked.get_status_display()}
        )


def suggestion_accept(
    *,
    actor: User,
    suggestion: Suggestion,
    action_title: str,
    owner: User,
    due_on: datetime.date,
    response: str = "",
    version: int | None = None,
) -> Suggestion:
    """Accept a suggestion: it becomes an improvement action (a corrective action, with its
    owner and due date, of a nonconformity raised from the suggestion, source "reported by an
    employee"). The nonconformity names the suggestion, never its author."""
    from pdca.improvement import services as improvement
    from pdca.improvement.models import Source

    organization = suggestion.organization
    ensure_allowed(
        actor=actor, organization=organization, permission="engagement.triage", obj=suggestion
    )
    errors = {}
    if not action_title.strip():
        errors["action_title"] = _("Say what will be done.")
    if due_on is None:
        errors["due_on"] = _("Give the action a due date.")
    elif due_on < timezone.localdate():
        errors["due_on"] = _("The due date cannot be in the past.")
    if owner is None:
        errors["owner"] = _("Name the action's owner.")
    if errors:
        raise ValidationError(errors)
    check_assignable(organization, owner, "owner")
    with transaction.atomic():
        accepted = model_transition(
            instance=suggestion,
            actor=actor,
            action="engagement.suggestion.accepted",
            to={
                "status": Suggestion.Status.ACCEPTED,
                "response": response.strip(),
                "triaged_by": actor,
                "triaged_at": timezone.now(),
            },
            record=("status", "response"),
            check=_awaiting_triage,
            expected_version=version,
        )
        nc = improvement.nonconformity_raise(
            actor=actor,
            organization=organization,
            title=(
                _("Suggestion %(ref)s: %(title)s")
                % {"ref": accepted.reference, "title": accepted.title}
            )[:200],
            description=accepted.description,
            source=Source.EMPLOYEE,
            department=accepted.department,
            owner=owner,
            source_object=accepted,
        )
        action = improvement.action_plan(
            actor=actor, nonconformity=nc, title=action_title.strip(), owner=owner, due_on=due_on
        )
        Suggestion.objects.filter(pk=accepted.pk).update(action=action)
        accepted.action = action
    return accepted


def suggestion_decline(
    *, actor: User, suggestion: Suggestion, reason: str, version: int | None = None
) -> Suggestion:
    """Decline a suggestion, with the reason the suggester reads."""
    ensure_allowed(
        actor=actor,
        organization=suggestion.organization,
        permission="engagement.triage",
        obj=suggestion,
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the suggestion is declined.")})
    return model_transition(
        instance=suggestion,
        actor=actor,
        action="engagement.suggestion.declined",
        to={
            "status": Suggestion.Status.DECLINED,
            "response": reason.strip(),
            "triaged_by": actor,
            "triaged_at": timezone.now(),
        },
        record=("status", "response"),
        check=_awaiting_triage,
        expected_version=version,
    )


def suggestion_mark_duplicate(
    *,
    actor: User,
    suggestion: Suggestion,
    duplicate_of: Suggestion,
    response: str = "",
    version: int | None = None,
) -> Suggestion:
    """Merge a suggestion into an earlier one that says the same."""
    ensure_allowed(
        actor=actor,
        organization=suggestion.organization,
        permission="engagement.triage",
        obj=suggestion,
    )
    if duplicate_of is None:
        raise ValidationError({"duplicate_of": _("Name the suggestion this one repeats.")})
    check_same_organization(suggestion.organization, "duplicate_of", duplicate_of)
    if duplicate_of.pk == suggestion.pk:
        raise ValidationError({"duplicate_of": _("A suggestion cannot duplicate itself.")})
    if duplicate_of.status == Suggestion.Status.DUPLICATE:
        raise ValidationError(
            {"duplicate_of": _("That one is a duplicate itself: name the suggestion it repeats.")}
        )
    return model_transition(
        instance=suggestion,
        actor=actor,
        action="engagement.suggestion.duplicate",
        to={
            "status": Suggestion.Status.DUPLICATE,
            "duplicate_of": duplicate_of,
            "response": response.strip(),
            "triaged_by": actor,
            "triaged_at": timezone.now(),
        },
        record=("status", "duplicate_of", "response"),
        check=_awaiting_triage,
        expected_version=version,
    )


# --- Customer feedback --------------------------------------------------------------------

FEEDBACK_FIELDS = (
    "kind",
    "customer",
    "contact",
    "channel",
    "received_on",
    "subject",
    "reference",
    "description",
    "severity",
    "satisfaction",
    "owner",
    "response_due_on",
)
# Days to answer a complaint, by its severity, when no date is given.
RESPONSE_DAYS: dict[str, int] = {
    Severity.CRITICAL: 2,
    Severity.HIGH: 5,
    Severity.MEDIUM: 10,
    Severity.LOW: 15,
}


def default_response_due(received_on: datetime.date, severity: str) -> datetime.date:
    return received_on + datetime.timedelta(days=RESPONSE_DAYS.get(severity, 15))


def _check_received(values: dict[str, Any]) -> None:
    received = values.get("received_on")
    if received and received > timezone.localdate():
        raise ValidationError({"received_on": _("Feedback cannot be received in the future.")})


def feedback_record(*, actor: User, organization: Organization, **values: Any) -> Feedback:
    """Record what a customer said. A complaint is answered by its due date (by default a few
    days after it was received, fewer the more severe it is)."""
    ensure_allowed(actor=actor, organization=organization, permission="engagement.record_feedback")
    check_assignable(organization, values.get("owner"), "owner")
    _check_received(values)
    if (
        values.get("kind") == FeedbackKind.COMPLAINT
        and not values.get("response_due_on")
        and values.get("received_on")
    ):
        values["response_due_on"] = default_response_due(
            values["received_on"], values.get("severity") or Severity.LOW
        )
    with transaction.atomic():
        return model_create(
            model=Feedback,
            organization=organization,
            actor=actor,
            fields=values,
            allowed=FEEDBACK_FIELDS,
            action="engagement.feedback.recorded",
            defaults={"number": _next_number(Feedback, organization)},
        )


def feedback_update(
    *, actor: User, feedback: Feedback, version: int | None, **values: Any
) -> Feedback:
    ensure_allowed(
        actor=actor,
        organization=feedback.organization,
        permission="engagement.record_feedback",
        obj=feedback,
    )
    if "owner" in values:
        check_assignable(feedback.organization, values["owner"], "owner")
    _check_received(values)
    updated, _changes = model_update(
        instance=feedback,
        actor=actor,
        fields=values,
        allowed=FEEDBACK_FIELDS,
        expected_version=version,
        action="engagement.feedback.updated",
    )
    return updated


def feedback_respond(
    *,
    actor: User,
    feedback: Feedback,
    response: str,
    responded_on: datetime.date | None = None,
    version: int | None = None,
) -> Feedback:
    """Record the response sent to the customer; the item no longer falls due."""
    ensure_allowed(
        actor=actor,
        organization=feedback.organization,
        permission="engagement.record_feedback",
        obj=feedback,
    )
    if not response.strip():
        raise ValidationError({"response": _("Say what was answered to the customer.")})
    responded_on = responded_on or timezone.localdate()
    if responded_on > timezone.localdate():
        raise ValidationError({"responded_on": _("The response cannot be dated in the future.")})

    def check(locked: Feedback) -> None:
        if locked.status == Feedback.Status.RESPONDED:
            raise ValidationError(_("The response was already recorded."))
        if responded_on < locked.received_on:
            raise ValidationError(
                {"responded_on": _("The response cannot be dated before the feedback arrived.")}
            )

    return model_transition(
        instance=feedback,
        actor=actor,
        action="engagement.feedback.responded",
        to={
            "status": Feedback.Status.RESPONDED,
            "response": response.strip(),
            "responded_on": responded_on,
            "responded_by": actor,
        },
        record=("status", "response", "responded_on"),
        check=check,
        expected_version=version,
    )


def feedback_raise_nonconformity(
    *, actor: User, feedback: Feedback, owner: User | None = None
) -> Any:
    """Raise a nonconformity (source: customer complaint) from a complaint, with its CAPA to
    follow in improvement; raising it twice returns the first."""
    from pdca.improvement import services as improvement
    from pdca.improvement.models import Nonconformity, Source

    ensure_allowed(
        actor=actor,
        organization=feedback.organization,
        permission="engagement.record_feedback",
        obj=feedback,
    )
    ensure_allowed(actor=actor, organization=feedback.organization, permission="improvement.raise")
    if feedback.kind != FeedbackKind.COMPLAINT:
        raise ValidationError(_("Only a complaint raises a nonconformity."))
    severe = feedback.severity in (Severity.HIGH, Severity.CRITICAL)
    return improvement.nonconformity_raise(
        actor=actor,
        organization=feedback.organization,
        title=(
            _("Complaint %(ref)s from %(customer)s")
            % {"ref": feedback.ref, "customer": feedback.customer}
        )[:200],
        description="\n\n".join(
            part for part in (feedback.reference, feedback.description) if part
        ),
        source=Source.COMPLAINT,
        severity=Nonconformity.Severity.MAJOR if severe else Nonconformity.Severity.MINOR,
        found_on=feedback.received_on,
        owner=owner or feedback.owner,
        source_object=feedback,
    )


# --- Announcements ------------------------------------------------------------------------


def announcement_publish(
    *,
    actor: User,
    organization: Organization,
    title: str,
    body: str,
    roles: list[str] | None = None,
    departments: list[Department] | None = None,
    sites: list[Site] | None = None,
    requires_ack: bool = False,
) -> Announcement:
    """Publish management's announcement to everyone, or to the members of the roles,
    departments and sites named (any of them)."""
    ensure_allowed(actor=actor, organization=organization, permission="engagement.announce")
    roles = list(roles or [])
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        raise ValidationError({"roles": _("Unknown roles: %(roles)s.") % {"roles": unknown}})
    check_same_organization(organization, "departments", departments or [])
    check_same_organization(organization, "sites", sites or [])
    with transaction.atomic():
        return model_create(
            model=Announcement,
            organization=organization,
            actor=actor,
            fields={
                "title": title.strip(),
                "body": body.strip(),
                "roles": sorted(roles),
                "requires_ack": requires_ack,
            },
            allowed=("title", "body", "roles", "requires_ack", "departments", "sites"),
            related={"departments": list(departments or []), "sites": list(sites or [])},
            action="engagement.announcement.published",
            defaults={"published_by": actor},
        )


def announcement_acknowledge(*, actor: User, announcement: Announcement) -> Acknowledgement:
    """The member confirms they read the announcement (once; a second time changes nothing)."""
    from pdca.engagement.selectors import in_audience

    organization = announcement.organization
    membership = ensure_allowed(
        actor=actor,
        organization=organization,
        permission="engagement.acknowledge",
        obj=announcement,
    )
    if not announcement.requires_ack:
        raise ValidationError(_("This announcement asks for no acknowledgement."))
    if not in_audience(announcement, membership):
        raise ValidationError(_("This announcement is not addressed to you."))
    with transaction.atomic():
        ack, created = Acknowledgement.objects.get_or_create(announcement=announcement, user=actor)
        if created:
            trail.record(
                action="engagement.announcement.acknowledged",
                actor=actor,
                organization=organization,
                obj=announcement,
            )
    return ack
