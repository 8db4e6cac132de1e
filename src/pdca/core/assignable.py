"""Who may be given responsibility: owners, verifiers, reviewers, auditees and audit teams.

One rule for every app: a person put in charge of something is an internal member whose access
is current today. The certification body's external auditor reads, and is never made the owner of
a nonconformity, an action or a document (their access ends, the responsibility would not), and
neither is a member whose access has ended. Services call `check_assignable()`; the forms offer
`assignable_members()` as their choices, so the page and the API refuse the same people.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pdca.core.models import Membership, Organization, User
from pdca.core.roles import Role


def assignable_memberships(organization: Organization | int) -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(organization=organization)
        .exclude(roles__icontains=f'"{Role.EXTERNAL_AUDITOR}"')
    )


def assignable_members(organization: Organization | int) -> QuerySet[User]:
    """The users who can be given responsibility in `organization`, by name (form choices)."""
    return User.objects.filter(
        pk__in=assignable_memberships(organization).values("user_id")
    ).order_by("full_name", "email")


def check_assignable(
    organization: Organization | int, people: User | Iterable[User | None] | None, field: str
) -> None:
    """Refuse, on `field`, anyone in `people` who is not a current internal member."""
    if people is None:
        return
    users: list[Any] = [people] if isinstance(people, User) else [p for p in people if p]
    if not users:
        return
    allowed = set(
        assignable_memberships(organization)
        .filter(user__in=[u.pk for u in users])
        .values_list("user_id", flat=True)
    )
    refused = [u for u in users if u.pk not in allowed]
    if refused:
        raise ValidationError(
            {
                field: _(
                    "Only current internal members can be given this responsibility "
                    "(not an external auditor, nor someone whose access has ended): %(names)s."
                )
                % {"names": ", ".join(str(u) for u in refused)}
            }
        )


def assignable_by_id(organization: Organization | int, pk: Any, field: str) -> User | None:
    """The API's reading of a person's id for `field`: None for None, else a current internal
    member of `organization`, refused (on `field`) like the pages' choices refuse it."""
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, memberships__organization=organization).first()
    if user is None:
        raise ValidationError({field: _("Unknown member %(pk)s.") % {"pk": pk}})
    check_assignable(organization, user, field)
    return user


def assignable_by_ids(
    organization: Organization | int, pks: Iterable[Any], field: str
) -> list[User]:
    """Several ids for `field` (a team, reviewers), each read as `assignable_by_id` reads one."""
    wanted = list(dict.fromkeys(pks))
    users = list(User.objects.filter(pk__in=wanted, memberships__organization=organization))
    if len(users) != len(wanted):
        raise ValidationError({field: _("One or more ids are unknown.")})
    check_assignable(organization, users, field)
    return users
