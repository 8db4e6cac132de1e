"""Every write to the consultation and participation of workers (45001 5.4): the mechanisms,
the log of events, the barriers to participation; and the topics covered in a review period.

An event is logged once it has happened, names at least one topic of the standard's lists
and who took part (non-managerial workers apart from managers); nothing is deleted: an
entry is changed with a reason and the version it was based on, or withdrawn."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core.access import ensure_allowed
from pdca.core.assignable import check_assignable
from pdca.core.models import Organization, User
from pdca.core.updating import check_same_organization, model_create, model_transition, model_update
from pdca.core.uploads import check_upload, discard_on_failure, store_checked
from pdca.ehs.models import (
    Barrier,
    ConsultationTopic,
    EntryStatus,
    Mechanism,
    ParticipationEvent,
    ParticipationTopic,
)

MECHANISM_FIELDS = ("kind", "name", "description")
EVENT_FIELDS = (
    "held_on",
    "mechanism",
    "topic",
    "consultation_topics",
    "participation_topics",
    "others",
    "outcome",
)
EVENT_PEOPLE = ("workers", "managers")
MINUTES_FIELDS = ("minutes", "minutes_name", "minutes_sha256")
BARRIER_FIELDS = ("kind", "description", "identified_on", "action", "owner", "removed_on")


# Mechanisms ----------------------------------------------------------------------------------


def mechanism_create(*, actor: User, organization: Organization, **values: Any) -> Mechanism:
    ensure_allowed(actor=actor, organization=organization, permission="ehs.edit")
    return model_create(
        model=Mechanism,
        organization=organization,
        actor=actor,
        fields=values,
        allowed=MECHANISM_FIELDS,
        action="ehs.mechanism.created",
    )


def mechanism_update(
    *, actor: User, mechanism: Mechanism, version: int | None, reason: str, **values: Any
) -> Mechanism:
    ensure_allowed(
        actor=actor, organization=mechanism.organization, permission="ehs.edit", obj=mechanism
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the mechanism is changed.")})
    if mechanism.status != EntryStatus.ACTIVE:
        raise ValidationError(_("A withdrawn mechanism is not changed."))
    updated, _changes = model_update(
        instance=mechanism,
        actor=actor,
        fields=values,
        allowed=MECHANISM_FIELDS,
        expected_version=version,
        action="ehs.mechanism.changed",
        reason=reason,
    )
    return updated


def mechanism_withdraw(
    *, actor: User, mechanism: Mechanism, reason: str, version: int | None = None
) -> Mechanism:
    """The mechanism is no longer used (the committee was merged, the box removed); its events
    stay in the log."""
    ensure_allowed(
        actor=actor, organization=mechanism.organization, permission="ehs.edit", obj=mechanism
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the mechanism is withdrawn.")})

    def check(locked: Mechanism) -> None:
        if locked.status != EntryStatus.ACTIVE:
            raise ValidationError(_("The mechanism is already withdrawn."))

    return model_transition(
        instance=mechanism,
        actor=actor,
        action="ehs.mechanism.withdrawn",
        to={"status": EntryStatus.WITHDRAWN, "withdrawn_reason": reason},
        record=("status",),
        check=check,
        reason=reason,
        expected_version=version,
    )


# The log -------------------------------------------------------------------------------------


def _check_event(
    organization: Organization,
    values: dict[str, Any],
    people: dict[str, list[User]],
    given: tuple[str, ...] = EVENT_PEOPLE,
) -> None:
    """The log's rules, each refused on its field. Only the people `given` now must be current
    members: a correction keeps those who took part then, whoever has left since."""
    errors: dict[str, str] = {}
    held_on = values.get("held_on")
    if isinstance(held_on, datetime.date) and held_on > timezone.localdate():
        errors["held_on"] = _("The log records what has taken place: the date is in the future.")
    mechanism = values.get("mechanism")
    if mechanism is not None:
        check_same_organization(organization, "mechanism", mechanism)
        if mechanism.status != EntryStatus.ACTIVE:
            errors["mechanism"] = _("This mechanism was withdrawn.")
    for name, choices in (
        ("consultation_topics", ConsultationTopic),
        ("participation_topics", ParticipationTopic),
    ):
        unknown = sorted(set(values.get(name) or []) - set(choices.values))
        if unknown:
            errors[name] = _("Not a topic of the standard: %(topics)s.") % {
                "topics": ", ".join(map(str, unknown))
            }
    if not (values.get("consultation_topics") or values.get("participation_topics")):
        errors.setdefault(
            "consultation_topics",
            _("Tick at least one topic the workers were consulted on or took part in."),
        )
    workers, managers = people.get("workers", []), people.get("managers", [])
    both = {u.pk for u in workers} & {u.pk for u in managers}
    if both:
        errors["managers"] = _("Someone is marked both a manager and a non-managerial worker.")
    if not (workers or managers or (values.get("others") or "").strip()):
        errors["workers"] = _("Name who took part.")
    if errors:
        raise ValidationError(errors)
    for name in given:
        check_assignable(organization, people.get(name, []), name)


def _minutes(organization: Organization, upload: UploadedFile | None, stored: list[str]) -> dict:
    """The minutes' fields for an uploaded file (checked like every upload, kept with its
    hash); none when nothing was uploaded."""
    if upload is None:
        return {}
    checked = check_upload(upload)
    name = store_checked(checked, f"ehs/{organization.pk}/minutes")
    stored.append(name)
    return {"minutes": name, "minutes_name": checked.name, "minutes_sha256": checked.sha256}


def event_record(
    *,
    actor: User,
    organization: Organization,
    workers: Any = (),
    managers: Any = (),
    minutes: UploadedFile | None = None,
    **values: Any,
) -> ParticipationEvent:
    ensure_allowed(actor=actor, organization=organization, permission="ehs.edit")
    people = {"workers": list(workers or []), "managers": list(managers or [])}
    _check_event(organization, values, people)
    stored: list[str] = []
    with discard_on_failure(stored), transaction.atomic():
        return model_create(
            model=ParticipationEvent,
            organization=organization,
            actor=actor,
            fields={**values, **_minutes(organization, minutes, stored)},
            allowed=(*EVENT_FIELDS, *EVENT_PEOPLE, *MINUTES_FIELDS),
            action="ehs.participation.recorded",
            related=people,
        )


def event_update(
    *,
    actor: User,
    event: ParticipationEvent,
    version: int | None,
    reason: str,
    workers: Any = None,
    managers: Any = None,
    minutes: UploadedFile | None = None,
    **values: Any,
) -> ParticipationEvent:
    """Correct an entry of the log, saying why (the earlier values stay in its trail; minutes
    attached anew replace the shown ones, and the earlier file stays stored, named in the
    trail)."""
    organization = event.organization
    ensure_allowed(actor=actor, organization=organization, permission="ehs.edit", obj=event)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the entry is corrected.")})
    if event.status != EntryStatus.ACTIVE:
        raise ValidationError(_("A withdrawn entry is not corrected."))
    people = {
        "workers": list(event.workers.all()) if workers is None else list(workers),
        "managers": list(event.managers.all()) if managers is None else list(managers),
    }
    merged = {name: values.get(name, getattr(event, name)) for name in EVENT_FIELDS}
    if "mechanism" not in values:
        merged.pop("mechanism")  # an unchanged mechanism may since have been withdrawn
    given = tuple(
        name for name, value in (("workers", workers), ("managers", managers)) if value is not None
    )
    _check_event(organization, merged, people, given)
    related = {
        name: people[name]
        for name, given in (("workers", workers), ("managers", managers))
        if given is not None
    }
    stored: list[str] = []
    with discard_on_failure(stored), transaction.atomic():
        updated, _changes = model_update(
            instance=event,
            actor=actor,
            fields={**values, **_minutes(organization, minutes, stored)},
            allowed=(*EVENT_FIELDS, *EVENT_PEOPLE, *MINUTES_FIELDS),
            expected_version=version,
            action="ehs.participation.corrected",
            reason=reason,
            related=related or None,
        )
    return updated


def event_withdraw(
    *, actor: User, event: ParticipationEvent, reason: str, version: int | None = None
) -> ParticipationEvent:
    """An entry made by mistake (a duplicate, a meeting that did not take place) leaves the
    coverage but stays in the log, with the reason."""
    ensure_allowed(actor=actor, organization=event.organization, permission="ehs.edit", obj=event)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the entry is withdrawn.")})

    def check(locked: ParticipationEvent) -> None:
        if locked.status != EntryStatus.ACTIVE:
            raise ValidationError(_("The entry is already withdrawn."))

    return model_transition(
        instance=event,
        actor=actor,
        action="ehs.participation.withdrawn",
        to={"status": EntryStatus.WITHDRAWN, "withdrawn_reason": reason},
        record=("status",),
        check=check,
        reason=reason,
        expected_version=version,
    )


# Barriers ------------------------------------------------------------------------------------


def _check_barrier(organization: Organization, values: dict[str, Any]) -> None:
    today = timezone.localdate()
    identified, removed = values.get("identified_on"), values.get("removed_on")
    errors = {}
    if isinstance(identified, datetime.date) and identified > today:
        errors["identified_on"] = _("The date is in the future.")
    if isinstance(removed, datetime.date):
        if removed > today:
            errors["removed_on"] = _("The date is in the future.")
        elif isinstance(identified, datetime.date) and removed < identified:
            errors["removed_on"] = _("A barrier is removed after it was identified.")
        elif not (values.get("action") or "").strip():
            errors["action"] = _("Say how the barrier was removed.")
    if errors:
        raise ValidationError(errors)
    if values.get("owner") is not None:
        check_assignable(organization, values["owner"], "owner")


def barrier_create(*, actor: User, organization: Organization, **values: Any) -> Barrier:
    ensure_allowed(actor=actor, organization=organization, permission="ehs.edit")
    _check_barrier(organization, values)
    return model_create(
        model=Barrier,
        organization=organization,
        actor=actor,
        fields=values,
        allowed=BARRIER_FIELDS,
        action="ehs.barrier.identified",
    )


def barrier_update(
    *, actor: User, barrier: Barrier, version: int | None, reason: str, **values: Any
) -> Barrier:
    """Record what was done, or that the barrier is removed, saying why."""
    ensure_allowed(
        actor=actor, organization=barrier.organization, permission="ehs.edit", obj=barrier
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say what changed.")})
    merged = {name: values.get(name, getattr(barrier, name)) for name in BARRIER_FIELDS}
    if "owner" not in values:
        merged.pop("owner")
    _check_barrier(barrier.organization, merged)
    updated, _changes = model_update(
        instance=barrier,
        actor=actor,
        fields=values,
        allowed=BARRIER_FIELDS,
        expected_version=version,
        action=lambda changes: (
            "ehs.barrier.removed"
            if "removed_on" in changes and changes["removed_on"][1]
            else "ehs.barrier.changed"
        ),
        reason=reason,
    )
    return updated


# Coverage in a review period -----------------------------------------------------------------


@dataclass(frozen=True)
class TopicCoverage:
    code: str
    label: str
    events: int
    last: datetime.date | None


@dataclass(frozen=True)
class Coverage:
    start: datetime.date
    end: datetime.date
    events: int
    workers: int  # distinct non-managerial workers who took part
    consultation: list[TopicCoverage]
    participation: list[TopicCoverage]

    @property
    def missing(self) -> list[TopicCoverage]:
        return [t for t in (*self.consultation, *self.participation) if not t.events]

    @property
    def covered(self) -> int:
        return sum(1 for t in (*self.consultation, *self.participation) if t.events)

    @property
    def total(self) -> int:
        return len(self.consultation) + len(self.participation)


def default_period(organization: Organization, today: datetime.date) -> tuple[Any, Any]:
    """The review period the checklist is for: since the last signed management review (a
    year when there is none)."""
    if apps.is_installed("pdca.reviews"):
        from pdca.reviews.services import default_period_start

        return default_period_start(organization, today), today
    return today - datetime.timedelta(days=365), today


def coverage(organization: Organization, start: datetime.date, end: datetime.date) -> Coverage:
    """Per topic of the standard's two lists, the current events in the period that covered it
    and the last of them: counted in the database (two queries, whatever the size of the
    log)."""
    events = ParticipationEvent.objects.filter(
        organization=organization,
        status=EntryStatus.ACTIVE,
        held_on__gte=start,
        held_on__lte=end,
    )
    lists = (
        ("consultation_topics", ConsultationTopic),
        ("participation_topics", ParticipationTopic),
    )
    aggregates: dict[str, Any] = {"events": Count("pk")}
    for column, choices in lists:
        for code in choices.values:
            # The codes are distinct words: a quoted code matches that element of the list.
            has = Q(**{f"{column}__icontains": f'"{code}"'})
            aggregates[f"n_{code}"] = Count("pk", filter=has)
            aggregates[f"last_{code}"] = Max("held_on", filter=has)
    found = events.aggregate(**aggregates)
    workers = (
        ParticipationEvent.workers.through.objects.filter(participationevent__in=events)
        .values("user_id")
        .distinct()
        .count()
    )

    def tally(choices: Any) -> list[TopicCoverage]:
        return [
            TopicCoverage(code, str(label), found[f"n_{code}"], found[f"last_{code}"])
            for code, label in choices.choices
        ]

    return Coverage(
        start=start,
        end=end,
        events=found["events"],
        workers=workers,
        consultation=tally(ConsultationTopic),
        participation=tally(ParticipationTopic),
    )
