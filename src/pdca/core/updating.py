"""The one way a service changes a stored object: `model_update()` for an edit,
`model_transition()` for a state change (approve, close, dispose).

Every update service of every app goes through them, so that an edit is done the same way
everywhere: the row is locked (FOR NO KEY UPDATE, so that rows pointing at it can still be
written), a stale edit is refused with one message (`ConflictError`, a 409 in the API), only the
fields the service names may be set, the model's own validation runs, only the changed columns are
saved, and the trail entry holds the difference. `check_same_organization()` is the one rule for
"this related object belongs to the organization" (`core.assignable.check_assignable` is its
counterpart for people given responsibility).
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from pdca.core import trail
from pdca.core.models import Organization, User

M = TypeVar("M", bound=models.Model)


class ConflictError(ValidationError):
    """Someone else saved the same record since it was loaded."""


def conflict(instance: models.Model) -> ConflictError:
    """The refusal of a stale edit of `instance`, worded the same for every kind of object."""
    return ConflictError(
        _(
            "Someone else changed this %(thing)s since you opened it. Nothing was overwritten: "
            "reload the page to see their change, then make yours again."
        )
        % {"thing": instance._meta.verbose_name}
    )


def is_versioned(instance: models.Model) -> bool:
    try:
        instance._meta.get_field("version")
    except FieldDoesNotExist:
        return False
    return True


def check_version(instance: models.Model, expected_version: int | None) -> None:
    """Refuse a stale edit of a locked, versioned `instance`, and one that sends no version."""
    if expected_version is None:  # an API client or a page that left it out: a 400, not a crash
        raise ValidationError(
            {"version": _("Send the version you loaded, so that no one's change is overwritten.")}
        )
    if getattr(instance, "version") != expected_version:  # noqa: B009 - not every model has one
        raise conflict(instance)


def check_same_organization(organization: Organization | int, field: str, objs: Any) -> None:
    """Refuse, on `field`, a related object (or any of several) of another organization."""
    if objs is None:
        return
    items = [objs] if isinstance(objs, models.Model) else [o for o in objs if o is not None]
    org_id = organization if isinstance(organization, int) else organization.pk
    foreign = [o for o in items if getattr(o, "organization_id", None) != org_id]
    if foreign:
        raise ValidationError(
            {
                field: _("%(names)s belongs to another organization: choose one of yours.")
                % {"names": ", ".join(str(o) for o in foreign)}
            }
        )


def take_related(
    organization: Organization, values: dict[str, Any], names: Iterable[str]
) -> dict[str, list[Any]]:
    """The many-to-many sets `names` given among a service's `values`, taken out of them (for
    `model_create`/`model_update`'s `related`), each refused on its field when an object is
    another organization's."""
    related = {}
    for name in names:
        if name in values:
            items = list(values.pop(name) or [])
            check_same_organization(organization, name, items)
            related[name] = items
    return related


def related_snapshot(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The many-to-many sets `names` of `instance` as sorted names (for the trail and the
    versions a register keeps)."""
    return {name: sorted(str(o) for o in getattr(instance, name).all()) for name in names}


def model_update(
    *,
    instance: M,
    actor: User | None,
    fields: Mapping[str, Any],
    allowed: Iterable[str],
    expected_version: int | None,
    action: str | Callable[[dict[str, list[Any]]], str],
    reason: str = "",
    validate: Callable[[M], None] | None = None,
    related: Mapping[str, Iterable[models.Model]] | None = None,
    clean_exclude: Iterable[str] = (),
    organization: Organization | None = None,
    context: Mapping[str, list[Any]] | None = None,
    record_on: models.Model | None = None,
) -> tuple[M, dict[str, list[Any]]]:
    """Change `fields` (and the many-to-many sets in `related`) of `instance`; record the diff.

    `allowed` is the service's whitelist: naming another field is a programming error
    (ValueError). A model with a `version` needs `expected_version` (a ValidationError on
    "version" without it) and refuses a stale one (`ConflictError`); a model without one must not
    be given it (ValueError). `validate(locked)` runs after
    the fields are set and before the model's `full_clean()`, for the rules that need the new
    values. `action` is the trail's action code, or a function of the changes that names it.
    `record_on` is the object whose history shows the entry, when it is not `instance` (a
    nonconformity for its actions). `context` is recorded beside the changes to say which thing
    changed (a control's number). Nothing is saved or recorded when nothing changed. Returns the
    locked, saved object (the caller's `instance` may be a stale copy) and the changes as
    {field: [old, new]}."""
    model: type[M] = instance._meta.model  # type: ignore[assignment]  # request.user is a lazy proxy
    allowed = tuple(allowed)
    related = dict(related or {})
    unknown = sorted((set(fields) | set(related)) - set(allowed))
    if unknown:
        raise ValueError(f"{model.__name__} fields not allowed here: {unknown}")
    versioned = is_versioned(instance)
    if not versioned and expected_version is not None:
        raise ValueError(f"A {model.__name__} has no version to compare.")
    relation_names = [n for n in allowed if model._meta.get_field(n).many_to_many]
    plain = [n for n in allowed if n not in relation_names]
    with transaction.atomic():
        locked = model._default_manager.select_for_update(no_key=True).get(pk=instance.pk)
        if versioned:
            check_version(locked, expected_version)
        before = {**trail.snapshot(locked, plain), **related_snapshot(locked, relation_names)}
        for name, value in fields.items():
            setattr(locked, name, value)
        if validate is not None:
            validate(locked)
        locked.full_clean(exclude=list(clean_exclude) or None)
        after_plain = trail.snapshot(locked, plain)
        changed = [n for n in plain if after_plain[n] != before[n]]
        if changed:
            _save_changed(locked, changed, versioned)
        for name, objs in related.items():
            getattr(locked, name).set(list(objs))
        changes = trail.changes_between(
            before, {**after_plain, **related_snapshot(locked, relation_names)}
        )
        if changes:
            if versioned and not changed:  # only a many-to-many set changed
                locked.version += 1  # type: ignore[attr-defined]
                locked.save(update_fields=["version"])
            trail.record(
                action=action if isinstance(action, str) else action(changes),
                actor=actor,
                organization=organization or _organization_of(locked),
                obj=record_on or locked,
                changes={**(context or {}), **changes},
                reason=reason,
            )
    return locked, changes


def model_transition(
    *,
    instance: M,
    actor: User | None,
    action: str,
    to: Mapping[str, Any],
    record: Iterable[str] | None = None,
    check: Callable[[M], None] | None = None,
    reason: str = "",
    context: Mapping[str, list[Any]] | None = None,
    organization: Organization | None = None,
    expected_version: int | None = None,
    record_on: models.Model | None = None,
    always_record: bool = False,
) -> M:
    """Move `instance` to a new state: set the fields in `to` (a status and its companions),
    save them and record one trail entry, the way every state change of every app is done.

    The row is locked (FOR NO KEY UPDATE) and fetched afresh, so the caller's copy may be stale,
    or the very row the caller locked earlier in the same transaction; use the returned object.
    `check(locked)` runs before anything is set, for the service's own preconditions (the states
    it moves from, who may): it raises the service's ValidationError. `expected_version`, when
    given, refuses a stale change (`ConflictError`); transitions confirmed on their own page send
    none. Only the changed fields are saved, with `version` bumped and the auto_now fields.
    The entry's changes are the differences of the `record` fields (all of `to` when None, e.g.
    `("status",)` for a closure that also sets who closed it and when), after `context`. A
    transition that changes nothing is a no-op: nothing is saved or recorded (the service refuses
    a move to the same state in `check` when that is an error), unless `always_record`: for an
    act that happened whatever the fields (a signature that leaves the status as it is), the
    version is bumped and the entry written all the same."""
    model: type[M] = instance._meta.model  # type: ignore[assignment]  # request.user is a lazy proxy
    recorded = tuple(to) if record is None else tuple(record)
    unknown = sorted(set(recorded) - set(to))
    if unknown:
        raise ValueError(f"{model.__name__} fields recorded but not set: {unknown}")
    versioned = is_versioned(instance)
    if not versioned and expected_version is not None:
        raise ValueError(f"A {model.__name__} has no version to compare.")
    fields: dict[str, models.Field[Any, Any]] = {}
    for name in to:
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field) or field.many_to_many:
            raise ValueError(f"{model.__name__}.{name} is not a column a transition can set.")
        fields[name] = field
    with transaction.atomic():
        locked = model._default_manager.select_for_update(no_key=True).get(pk=instance.pk)
        if check is not None:
            check(locked)
        if expected_version is not None:
            check_version(locked, expected_version)
        before = trail.snapshot(locked, recorded)
        old = {name: f.value_from_object(locked) for name, f in fields.items()}
        for name, value in to.items():
            setattr(locked, name, value)
        changed = [n for n, f in fields.items() if f.value_from_object(locked) != old[n]]
        if not changed and not always_record:
            return locked
        _save_changed(locked, changed, versioned)
        trail.record(
            action=action,
            actor=actor,
            organization=organization or _organization_of(locked),
            obj=record_on or locked,
            changes={
                **(context or {}),
                **trail.changes_between(before, trail.snapshot(locked, recorded)),
            },
            reason=reason,
        )
    return locked


def model_create(
    *,
    model: type[M],
    organization: Organization,
    actor: User | None,
    fields: Mapping[str, Any],
    allowed: Iterable[str],
    action: str,
    validate: Callable[[M], None] | None = None,
    related: Mapping[str, Iterable[models.Model]] | None = None,
    clean_exclude: Iterable[str] = (),
    defaults: Mapping[str, Any] | None = None,
) -> M:
    """Create a `model` of `organization` from `fields` (within the `allowed` whitelist, with
    `defaults` the service sets itself), validated as `model_update` validates a change, and
    record its creation with every allowed field."""
    allowed = tuple(allowed)
    related = dict(related or {})
    unknown = sorted((set(fields) | set(related)) - set(allowed))
    if unknown:
        raise ValueError(f"{model.__name__} fields not allowed here: {unknown}")
    plain = [n for n in allowed if not model._meta.get_field(n).many_to_many]
    with transaction.atomic():
        instance = model(organization=organization, **(defaults or {}), **fields)
        if validate is not None:
            validate(instance)
        instance.full_clean(exclude=list(clean_exclude) or None)
        instance.save()
        for name, objs in related.items():
            getattr(instance, name).set(list(objs))
        changes = {
            **trail.created_fields(instance, plain),
            **{name: [None, v] for name, v in related_snapshot(instance, related).items()},
        }
        trail.record(
            action=action, actor=actor, organization=organization, obj=instance, changes=changes
        )
    return instance


def model_save(
    *,
    model: type[M],
    instance: M | None,
    organization: Organization,
    actor: User | None,
    fields: Mapping[str, Any],
    allowed: Iterable[str],
    expected_version: int | None,
    action: str,
    validate: Callable[[M], None] | None = None,
    related: Mapping[str, Iterable[models.Model]] | None = None,
    clean_exclude: Iterable[str] = (),
) -> M:
    """The "add or change" services: `model_create` when `instance` is None, else
    `model_update`; `action` is the trail code's stem ("core.site" → "core.site.created" or
    "core.site.updated")."""
    rules: dict[str, Any] = {
        "actor": actor,
        "fields": fields,
        "allowed": allowed,
        "validate": validate,
        "related": related,
        "clean_exclude": clean_exclude,
    }
    if instance is None:
        return model_create(
            model=model, organization=organization, action=f"{action}.created", **rules
        )
    return model_update(
        instance=instance, expected_version=expected_version, action=f"{action}.updated", **rules
    )[0]


def _save_changed(locked: models.Model, changed: list[str], versioned: bool) -> None:
    """Save only the `changed` columns of `locked`, with the version bumped and the auto_now
    fields touched."""
    meta = locked._meta
    names = [meta.get_field(n).name for n in changed]
    if versioned:
        locked.version += 1  # type: ignore[attr-defined]
        names.append("version")
    touched = [f.name for f in meta.concrete_fields if getattr(f, "auto_now", False)]
    names += [n for n in touched if n not in names]
    locked.save(update_fields=names)


def _organization_of(instance: models.Model) -> Organization | None:
    if isinstance(instance, Organization):
        return instance
    return getattr(instance, "organization", None)
