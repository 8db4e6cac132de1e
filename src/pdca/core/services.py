"""Writes of the foundation: organizations, sites, departments, memberships, accounts.

Each service runs in one transaction, takes the acting user explicitly and records its
audit-trail entry; e-mails go out only after the transaction commits.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core import trail
from pdca.core.models import AccessGrant, ApiToken, Department, Membership, Organization, Site, User
from pdca.core.models.tokens import hash_token
from pdca.core.notifications.kinds import invitation_notify
from pdca.core.roles import Role
from pdca.core.updating import ConflictError, check_same_organization, model_save, model_update

__all__ = ["ConflictError"]  # the stale-edit refusal lives in core.updating; kept importable here

ORG_FIELDS = ("name", "require_two_factor", "external_access_max_days")
SITE_FIELDS = ("name", "address", "is_active")
DEPARTMENT_FIELDS = ("name", "site", "head", "is_active")
MEMBERSHIP_FIELDS = ("roles", "department", "manager", "expires_on", "is_active")


def _validate_membership(roles: list[str], expires_on: datetime.date | None) -> None:
    if not roles:
        raise ValidationError({"roles": _("Choose at least one role.")})
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(
            {"roles": _("Unknown roles: %(roles)s.") % {"roles": ", ".join(sorted(unknown))}}
        )
    if Role.EXTERNAL_AUDITOR in roles:
        if expires_on is None:
            raise ValidationError(
                {"expires_on": _("An external auditor's access needs an end date.")}
            )
        if len(roles) > 1:
            raise ValidationError(
                {"roles": _("An external auditor has read-only access and no other role.")}
            )


def _is_grant(
    roles: list[str],
    expires_on: datetime.date | None,
    before_roles: list[str],
    before_expires: datetime.date | None,
) -> bool:
    """Whether a change gives an external auditor access, or more of it: a new grant."""
    if Role.EXTERNAL_AUDITOR not in roles or expires_on is None:
        return False
    return (
        Role.EXTERNAL_AUDITOR not in before_roles
        or before_expires is None
        or expires_on > before_expires
    )


def _check_grant(
    organization: Organization, expires_on: datetime.date, reason: str, *, needs_reason: bool
) -> None:
    today = timezone.localdate()
    limit = organization.external_access_max_days
    if expires_on < today:
        raise ValidationError({"expires_on": _("Access cannot be granted into the past.")})
    if expires_on > today + datetime.timedelta(days=limit):
        raise ValidationError(
            {
                "expires_on": _(
                    "An external auditor's access is granted for at most %(days)d days at a time "
                    "(until %(last)s at the latest); extend it again when needed."
                )
                % {"days": limit, "last": today + datetime.timedelta(days=limit)}
            }
        )
    if needs_reason and not reason.strip():
        raise ValidationError(
            {"access_reason": _("Say why the external auditor's access is extended.")}
        )


def _record_grant(
    *,
    actor: User | None,
    membership: Membership,
    before_expires: datetime.date | None,
    reason: str,
) -> AccessGrant:
    assert membership.expires_on is not None
    grant = AccessGrant.objects.create(
        membership=membership,
        granted_by=actor,
        valid_from=timezone.localdate(),
        valid_until=membership.expires_on,
        reason=reason.strip() or _("First access"),
    )
    trail.record(
        action="core.membership.access_granted",
        actor=actor,
        organization=membership.organization,
        obj=membership,
        changes={
            "expires_on": [
                before_expires.isoformat() if before_expires else None,
                membership.expires_on.isoformat(),
            ],
            "reason": [None, grant.reason],
        },
    )
    return grant


def organization_create(*, actor: User | None, name: str, slug: str) -> Organization:
    with transaction.atomic():
        org = Organization.objects.create(name=name, slug=slug)
        trail.record(
            action="core.organization.created",
            actor=actor,
            organization=org,
            obj=org,
            changes=trail.created_fields(org, ("name", "slug")),
        )
    return org


def organization_update(*, actor: User, organization: Organization, **values: Any) -> Organization:
    updated, _changes = model_update(
        instance=organization,
        actor=actor,
        fields=values,
        allowed=ORG_FIELDS,
        expected_version=None,
        action="core.organization.updated",
    )
    return updated


def site_save(
    *, actor: User, organization: Organization, site: Site | None = None, **values: Any
) -> Site:
    """Add a site, or change one: only its name, address and whether it is active."""
    return model_save(
        model=Site,
        instance=site,
        organization=organization,
        actor=actor,
        fields=values,
        allowed=SITE_FIELDS,
        expected_version=None,
        action="core.site",
    )


def department_save(
    *,
    actor: User,
    organization: Organization,
    department: Department | None = None,
    **values: Any,
) -> Department:
    """Add a department, or change one; its site and head belong to the organization."""
    check_same_organization(organization, "site", values.get("site"))
    return model_save(
        model=Department,
        instance=department,
        organization=organization,
        actor=actor,
        fields=values,
        allowed=DEPARTMENT_FIELDS,
        expected_version=None,
        action="core.department",
    )


def membership_add(
    *,
    actor: User | None,
    organization: Organization,
    user: User,
    roles: list[str],
    department: Department | None = None,
    manager: User | None = None,
    expires_on: datetime.date | None = None,
    access_reason: str = "",
) -> Membership:
    """Add a user to the organization; an external auditor's access is recorded as a grant."""
    _validate_membership(roles, expires_on)
    granting = _is_grant(roles, expires_on, [], None)
    if granting:
        assert expires_on is not None
        _check_grant(organization, expires_on, access_reason, needs_reason=False)
    with transaction.atomic():
        if Membership.objects.filter(organization=organization, user=user).exists():
            raise ValidationError(
                {"email": _("%(email)s is already a member.") % {"email": user.email}}
            )
        membership = Membership.objects.create(
            organization=organization,
            user=user,
            roles=sorted(set(roles)),
            department=department,
            manager=manager,
            expires_on=expires_on,
        )
        trail.record(
            action="core.membership.created",
            actor=actor,
            organization=organization,
            obj=membership,
            changes=trail.created_fields(membership, MEMBERSHIP_FIELDS),
        )
        if granting:
            _record_grant(
                actor=actor, membership=membership, before_expires=None, reason=access_reason
            )
    return membership


def member_invite(
    *,
    actor: User,
    organization: Organization,
    email: str,
    full_name: str,
    roles: list[str],
    department: Department | None = None,
    expires_on: datetime.date | None = None,
    access_reason: str = "",
) -> Membership:
    """Create the account if needed, add the membership and e-mail a link to set a password."""
    email = email.strip().lower()
    _validate_membership(roles, expires_on)
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        new_account = user is None
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=full_name)
            trail.record(
                action="core.user.created",
                actor=actor,
                organization=organization,
                obj=user,
                changes=trail.created_fields(user, ("email", "full_name")),
            )
        membership = membership_add(
            actor=actor,
            organization=organization,
            user=user,
            roles=roles,
            department=department,
            expires_on=expires_on,
            access_reason=access_reason,
        )
        membership.invited_at = timezone.now()
        membership.save(update_fields=["invited_at"])
        trail.record(
            action="core.membership.invited",
            actor=actor,
            organization=organization,
            obj=membership,
            changes={"email": [None, email]},
        )
        invitation_notify(
            membership=membership, organization=organization, user=user, set_password=new_account
        )
    return membership


def membership_update(
    *,
    actor: User,
    membership: Membership,
    expected_version: int,
    access_reason: str = "",
    **values: Any,
) -> Membership:
    """Change roles, department, line manager or end date; refuses a stale edit.

    Giving an external auditor access or more of it is a grant: at most the organization's
    `external_access_max_days` from today, with a reason, recorded as an `AccessGrant`."""
    if "roles" in values:
        values["roles"] = sorted(set(values["roles"]))
    check_same_organization(membership.organization_id, "department", values.get("department"))
    before_roles, before_expires = list(membership.roles), membership.expires_on
    granting = False

    def validate(current: Membership) -> None:
        nonlocal granting, before_roles, before_expires
        stored = Membership.objects.get(pk=current.pk)
        before_roles, before_expires = list(stored.roles), stored.expires_on
        _validate_membership(current.roles, current.expires_on)
        granting = _is_grant(current.roles, current.expires_on, before_roles, before_expires)
        if granting:
            assert current.expires_on is not None
            _check_grant(current.organization, current.expires_on, access_reason, needs_reason=True)
        if (
            current.user_id == actor.pk
            and Role.MANAGEMENT_REP in before_roles
            and Role.MANAGEMENT_REP not in current.roles
            and not Membership.objects.current()
            .with_role(Role.MANAGEMENT_REP)
            .filter(organization=current.organization)
            .exclude(pk=current.pk)
            .exists()
        ):
            raise ValidationError(
                {"roles": _("You are the only management representative: appoint another first.")}
            )

    def action(changes: dict[str, Any]) -> str:
        return "core.membership.roles_changed" if "roles" in changes else "core.membership.updated"

    with transaction.atomic():
        current, _changes = model_update(
            instance=membership,
            actor=actor,
            fields=values,
            allowed=MEMBERSHIP_FIELDS,
            expected_version=expected_version,
            action=action,
            validate=validate,
        )
        if granting:
            _record_grant(
                actor=actor,
                membership=current,
                before_expires=before_expires,
                reason=access_reason,
            )
    return current


def user_update_profile(*, actor: User, user: User, full_name: str, job_title: str) -> User:
    updated, _changes = model_update(
        instance=user,
        actor=actor,
        fields={"full_name": full_name, "job_title": job_title},
        allowed=("full_name", "job_title"),
        expected_version=None,
        action="core.user.updated",
        organization=None,
    )
    return updated


def api_token_create(
    *, actor: User, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a personal API token; returns the token and its secret, shown only once."""
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    raw = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name.strip(),
            digest=hash_token(raw),
            prefix=raw[:9],
            expires_at=expires_at,
        )
        trail.record(
            action="core.auth.token_created",
            actor=actor,
            organization=None,
            obj=token,
            changes={"name": [None, token.name]},
        )
    return token, raw


def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        trail.record(action="core.auth.token_revoked", actor=actor, organization=None, obj=token)
