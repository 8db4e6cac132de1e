"""Every write to the incident register (45001 10.2).

Any internal member reports an incident or near miss, from a phone with a photo; it is to be
investigated within the organization's set number of days, with a worker representative taking
part; the corrective action is a nonconformity of the improvement app (source: incident).
Incidents are never deleted. Their health details are seen only by the roles the organization
names and the reporter (`selectors.may_see_health`)."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.compliance.evidence import chosen_clauses
from pdca.core import trail
from pdca.core.access import ensure_allowed
from pdca.core.assignable import check_assignable
from pdca.core.models import Organization, User
from pdca.core.roles import Role
from pdca.core.updating import (
    conflict,
    model_create,
    model_transition,
    model_update,
    take_related,
)
from pdca.core.uploads import UPLOAD_REFUSED, check_upload
from pdca.ehs.models import (
    HEALTH_FIELDS,
    Incident,
    IncidentPhoto,
    IncidentSettings,
    IncidentStatus,
)
from pdca.standards.evidence import evidence_set

# The health details are never among the fields the trail records with their values: the
# history of an incident is read by people who may not see them.
REPORT_FIELDS = (
    "occurred_at",
    "place",
    "kind",
    "description",
    "people_involved",
    "person_status",
    "immediate_action",
)
INVESTIGATION_FIELDS = (
    "lead",
    "worker_representative",
    "team",
    "root_cause",
    "communicated",
    "reportable",
    "report_due_on",
    "authority_reference",
    "immediate_action",
)
SETTINGS_FIELDS = ("health_roles", "investigate_days")
DEFAULT_HEALTH_ROLES = [Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP]
INCIDENT_CLAUSES = [("iso45001", "10.2")]


def settings_for(organization: Organization) -> IncidentSettings:
    """The organization's settings; the defaults (top management and the management
    representative see health details, seven days to investigate) until it saves its own."""
    found = IncidentSettings.objects.filter(organization=organization).first()
    return found or IncidentSettings(
        organization=organization, health_roles=list(DEFAULT_HEALTH_ROLES), version=0
    )


def settings_save(
    *, actor: User, organization: Organization, version: int | None = None, **values: Any
) -> IncidentSettings:
    ensure_allowed(actor=actor, organization=organization, permission="ehs.manage")
    if "health_roles" in values:  # left out, the roles named before stay
        roles = list(dict.fromkeys(values["health_roles"] or []))
        if set(roles) - set(Role.values) or Role.EXTERNAL_AUDITOR in roles:
            raise ValidationError(
                {"health_roles": _("Choose roles of the organization's members.")}
            )
        values["health_roles"] = roles
    with transaction.atomic():
        current = (
            IncidentSettings.objects.select_for_update(no_key=True)
            .filter(organization=organization)
            .first()
        )
        if current is None:
            if version not in (None, 0):
                raise conflict(IncidentSettings(organization=organization))
            return model_create(
                model=IncidentSettings,
                organization=organization,
                actor=actor,
                fields=values,
                allowed=SETTINGS_FIELDS,
                action="ehs.incident_settings.saved",
            )
        saved, _changes = model_update(
            instance=current,
            actor=actor,
            fields=values,
            allowed=SETTINGS_FIELDS,
            expected_version=version,
            action="ehs.incident_settings.saved",
        )
        return saved


def _check_photo(photo: UploadedFile | None) -> Any:
    if photo is None:
        return None
    checked = check_upload(photo)
    if checked.kind not in ("png", "jpeg"):
        raise ValidationError(_("Attach a photo: a JPEG or PNG image."), code=UPLOAD_REFUSED)
    return checked


def incident_report(
    *,
    actor: User,
    organization: Organization,
    occurred_at: datetime.datetime | None,
    place: str,
    kind: str,
    description: str,
    photo: UploadedFile | None = None,
    **values: Any,
) -> Incident:
    """Report an incident or near miss (any internal member): it is to be investigated within
    the organization's set days."""
    ensure_allowed(actor=actor, organization=organization, permission="ehs.report")
    errors: dict[str, str] = {}
    if occurred_at is None:
        errors["occurred_at"] = _("Say when it happened.")
    elif occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["occurred_at"] = _("An incident cannot be dated in the future.")
    if not (place or "").strip():
        errors["place"] = _("Say where it happened.")
    if not (description or "").strip():
        errors["description"] = _("Say what happened.")
    if errors:
        raise ValidationError(errors)
    checked = _check_photo(photo)
    assert occurred_at is not None
    health = {name: values.pop(name) for name in HEALTH_FIELDS if name in values}
    days = settings_for(organization).investigate_days
    with transaction.atomic():
        # Lock the organization's incidents so two reports cannot take the same number.
        Organization.objects.select_for_update(no_key=True).filter(pk=organization.pk).first()
        last = (
            Incident.objects.filter(organization=organization)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        incident = model_create(
            model=Incident,
            organization=organization,
            actor=actor,
            fields={
                "occurred_at": occurred_at,
                "place": place,
                "kind": kind,
                "description": description,
                **values,
            },
            allowed=REPORT_FIELDS,
            action="ehs.incident.reported",
            defaults={
                **health,
                "number": (last or 0) + 1,
                "reported_by": actor,
                "investigate_by": timezone.localtime(occurred_at).date()
                + datetime.timedelta(days=days),
            },
        )
        if checked is not None:
            IncidentPhoto.objects.create(
                organization=organization,
                incident=incident,
                name=checked.name,
                content_type="image/png" if checked.kind == "png" else "image/jpeg",
                data=checked.content,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=actor,
            )
            trail.record(
                action="ehs.incident.photo_added",
                actor=actor,
                organization=organization,
                obj=incident,
                changes={"photo": [None, f"{checked.name} ({checked.size} bytes)"]},
            )
        clauses = chosen_clauses(organization, INCIDENT_CLAUSES)
        if clauses:
            evidence_set(actor=actor, organization=organization, obj=incident, clauses=clauses)
    return incident


def incident_investigate(
    *,
    actor: User,
    incident: Incident,
    version: int | None,
    hazards: Any = None,
    aspects: Any = None,
    **values: Any,
) -> Incident:
    """Record the investigation: its lead and the worker representative taking part, the team,
    the root cause, the hazards and aspects reviewed, whether it is to be reported to an
    authority (and by when), and how it was communicated. The incident is then under
    investigation until closed."""
    organization = incident.organization
    ensure_allowed(
        actor=actor, organization=organization, permission="ehs.investigate", obj=incident
    )
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError(_("A closed incident is not investigated again."))
    errors: dict[str, str] = {}
    for name in ("lead", "worker_representative"):
        if name in values:
            if values[name] is None:
                errors[name] = (
                    _("Name who leads the investigation.")
                    if name == "lead"
                    else _("A worker representative takes part in every investigation.")
                )
            else:
                check_assignable(organization, values[name], name)
    lead = values.get("lead", incident.lead)
    rep = values.get("worker_representative", incident.worker_representative)
    if lead is not None and rep is not None and lead == rep:
        errors["worker_representative"] = _(
            "The worker representative is someone other than the investigation's lead."
        )
    reportable = values.get("reportable", incident.reportable)
    due = values.get("report_due_on", incident.report_due_on)
    if reportable and due is None:
        errors["report_due_on"] = _("Say by when the authority is to be told.")
    if due is not None and due < timezone.localtime(incident.occurred_at).date():
        errors["report_due_on"] = _("The report cannot be due before the incident.")
    if errors:
        raise ValidationError(errors)
    named = {
        n: items for n, items in (("hazards", hazards), ("aspects", aspects)) if items is not None
    }
    related = take_related(organization, named, REVIEWED)
    already = {name: {o.pk for o in getattr(incident, name).all()} for name in related}
    health = {name: values.pop(name) for name in HEALTH_FIELDS if name in values}
    if health and not _sees_health(actor, incident):
        # The pages and the API offer them only to those who see them; the rule is here.
        raise ValidationError(
            {name: _("Only the roles that see health details change them.") for name in health}
        )
    fields = {**values}
    if incident.status == IncidentStatus.REPORTED:
        fields["status"] = IncidentStatus.INVESTIGATING
    with transaction.atomic():
        updated, _changes = model_update(
            instance=incident,
            actor=actor,
            fields=fields,
            allowed=(*INVESTIGATION_FIELDS, "status", "hazards", "aspects"),
            expected_version=version,
            action="ehs.incident.investigated",
            related=related or None,
        )
        _ask_reviews(
            actor, updated, {n: [o for o in related[n] if o.pk not in already[n]] for n in related}
        )
        changed = [n for n, v in health.items() if getattr(updated, n) != v]
        if changed:
            for name in changed:
                setattr(updated, name, health[name])
            updated.full_clean()
            updated.save(update_fields=changed)
            # Which health details changed, never their values.
            trail.record(
                action="ehs.incident.health_changed",
                actor=actor,
                organization=organization,
                obj=updated,
                changes={name: ["…", "…"] for name in changed},
            )
    return updated


REVIEWED = ("hazards", "aspects")


def _ask_reviews(actor: User, incident: Incident, added: dict[str, list[Any]]) -> None:
    """The hazards and aspects an investigation newly names fall due for review today
    (45001 8.1.2 and 10.2: the assessment is reviewed after an incident)."""
    from pdca.ehs.models import Aspect, Hazard
    from pdca.ehs.services import ask_review

    why = _("Named in the investigation of incident %(ref)s.") % {"ref": incident.reference}
    for name, model, action in (
        ("hazards", Hazard, "ehs.hazard.review_asked"),
        ("aspects", Aspect, "ehs.aspect.review_asked"),
    ):
        if added.get(name):
            pks = [o.pk for o in added[name]]
            ask_review(actor, model.objects.filter(pk__in=pks), action, why)


def _sees_health(actor: User, incident: Incident) -> bool:
    from pdca.core.models import Membership
    from pdca.ehs.selectors import may_see_health

    membership = (
        Membership.objects.current().filter(organization=incident.organization, user=actor).first()
    )
    roles = settings_for(incident.organization).health_roles
    return may_see_health(membership, incident, roles)


def _ready(incident: Incident) -> None:
    missing = {}
    if incident.worker_representative_id is None:
        missing["worker_representative"] = _(
            "A worker representative takes part in every investigation."
        )
    if not incident.root_cause.strip():
        missing["root_cause"] = _("Find the root cause first.")
    if missing:
        raise ValidationError(list(missing.values()))


def incident_raise_action(*, actor: User, incident: Incident) -> Any:
    """Raise the corrective action as a nonconformity (source: incident), owned by the
    investigation's lead; a second raise returns the first."""
    from pdca.improvement import services as improvement
    from pdca.improvement.models import Source

    organization = incident.organization
    ensure_allowed(
        actor=actor, organization=organization, permission="ehs.investigate", obj=incident
    )
    _ready(incident)
    clauses = chosen_clauses(organization, INCIDENT_CLAUSES)
    return improvement.nonconformity_raise(
        actor=actor,
        organization=organization,
        title=_("Incident %(ref)s: %(kind)s at %(place)s")
        % {
            "ref": incident.reference,
            "kind": incident.get_kind_display(),
            "place": incident.place[:120],
        },
        description=_("%(what)s\n\nRoot cause: %(cause)s")
        % {"what": incident.description, "cause": incident.root_cause},
        source=Source.INCIDENT,
        found_on=timezone.localtime(incident.occurred_at).date(),
        clauses=clauses,
        owner=incident.lead,
        source_object=incident,
    )


def incident_close(
    *, actor: User, incident: Incident, reason: str, version: int | None = None
) -> Incident:
    """Close an investigated incident: the worker representative took part, the root cause is
    found and the workers concerned were told."""
    ensure_allowed(
        actor=actor, organization=incident.organization, permission="ehs.investigate", obj=incident
    )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what the investigation concluded.")})

    def check(locked: Incident) -> None:
        if locked.status == IncidentStatus.CLOSED:
            raise ValidationError(_("The incident is already closed."))
        _ready(locked)
        if not locked.communicated.strip():
            raise ValidationError(_("Tell the workers concerned first, and say how."))

    return model_transition(
        instance=incident,
        actor=actor,
        action="ehs.incident.closed",
        to={"status": IncidentStatus.CLOSED, "close_reason": reason},
        record=("status",),
        check=check,
        reason=reason,
        expected_version=version,
    )
