"""Every write of management reviews.

A review is planned (date, standards, chair from top management, attendees), prepared (each
required input compiled from live data and frozen), held (every required input addressed, the
conclusion written) and its minutes signed by top management with the password, after which
it is the retained 9.3 record and nothing of it changes but the progress of its actions.
Nothing here is ever deleted.
"""

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pdca.core.access import ensure_allowed
from pdca.core.assignable import check_assignable
from pdca.core.models import Membership, Organization, User
from pdca.core.roles import Role
from pdca.core.signatures import confirm_password
from pdca.core.updating import check_version, model_create, model_transition, model_update
from pdca.core.validators import check_single_line
from pdca.reviews.inputs import Period, required_inputs
from pdca.reviews.minutes import minutes_parts, minutes_pdf, minutes_text
from pdca.reviews.models import OutputKind, Review, ReviewInput, ReviewOutput
from pdca.reviews.providers import period_before
from pdca.standards.models import Edition, OrgStandard

REVIEW_FIELDS = (
    "title",
    "planned_on",
    "period_start",
    "period_end",
    "chair",
    "interval_months",
    "communication",
    "editions",
    "attendees",
)
INPUT_FIELDS = ("entered_data", "notes", "conclusion")
OUTPUT_FIELDS = ("kind", "title", "owner", "due_on", "status", "done_on", "notes")


def _locked_refusal(review: Review) -> None:
    if review.status == Review.Status.SIGNED:
        raise ValidationError(
            _(
                "The minutes are signed: the review is a retained record and cannot be changed. "
                "Record a correction in the next review."
            )
        )


def is_top_management(organization: Organization, user: User | None) -> bool:
    if user is None:
        return False
    membership = Membership.objects.current().filter(organization=organization, user=user).first()
    return membership is not None and membership.has_role(Role.TOP_MANAGEMENT)


def _check_chair(organization: Organization, chair: User | None) -> None:
    if chair is None:
        raise ValidationError({"chair": _("Name the chair.")})
    if not is_top_management(organization, chair):
        raise ValidationError(
            {
                "chair": _("%(name)s is not top management: top management chairs the review.")
                % {"name": chair}
            }
        )


def _check_editions(organization: Organization, editions: list[Edition]) -> None:
    if not editions:
        raise ValidationError({"editions": _("Choose the standards the review covers.")})
    held = set(
        OrgStandard.objects.filter(organization=organization)
        .exclude(status=OrgStandard.Status.WITHDRAWN)
        .values_list("edition_id", flat=True)
    )
    foreign = [str(e) for e in editions if e.pk not in held]
    if foreign:
        raise ValidationError(
            {
                "editions": _("Not a standard the organization holds: %(list)s.")
                % {"list": ", ".join(foreign)}
            }
        )


def _validate_dates(review: Review) -> None:
    if review.period_start and review.period_end and review.period_start > review.period_end:
        raise ValidationError({"period_start": _("The period starts after it ends.")})
    if not 1 <= review.interval_months <= 36:
        raise ValidationError({"interval_months": _("Plan the next review within 1 to 36 months.")})


def default_period_start(organization: Organization, planned_on: datetime.date) -> datetime.date:
    """The day after the last signed review, or a year before the first one."""
    last = (
        Review.objects.filter(organization=organization, status=Review.Status.SIGNED)
        .exclude(held_on__isnull=True)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    if last is not None and last < planned_on:
        return last + datetime.timedelta(days=1)
    return period_before(planned_on)


def review_plan(
    *,
    actor: User,
    organization: Organization,
    title: str,
    planned_on: datetime.date,
    editions: Iterable[Edition],
    chair: User | None,
    attendees: Iterable[User] = (),
    period_start: datetime.date | None = None,
    interval_months: int = 12,
    communication: str = "",
) -> Review:
    """Plan a review: its date, the standards it covers, its chair (top management) and who
    attends; its inputs cover the time since the previous review."""
    ensure_allowed(actor=actor, organization=organization, permission="reviews.manage")
    check_single_line(title=title)
    if not title.strip():
        raise ValidationError({"title": _("Give the review a title.")})
    editions = list(editions)
    attendees = list(attendees)
    _check_editions(organization, editions)
    _check_chair(organization, chair)
    check_assignable(organization, attendees, "attendees")
    with transaction.atomic():
        # Lock the organization row so that two plans cannot take the same number.
        Organization.objects.select_for_update(no_key=True).filter(pk=organization.pk).first()
        last = Review.objects.filter(organization=organization).aggregate(n=Max("number"))["n"]
        return model_create(
            model=Review,
            organization=organization,
            actor=actor,
            fields={
                "title": title.strip(),
                "planned_on": planned_on,
                "period_start": period_start or default_period_start(organization, planned_on),
                "period_end": planned_on,
                "chair": chair,
                "interval_months": interval_months,
                "communication": communication,
            },
            allowed=REVIEW_FIELDS,
            defaults={"number": (last or 0) + 1},
            related={"editions": editions, "attendees": attendees},
            validate=_validate_dates,
            action="reviews.review.planned",
        )


def review_update(
    *,
    actor: User,
    review: Review,
    expected_version: int | None,
    editions: Iterable[Edition] | None = None,
    attendees: Iterable[User] | None = None,
    **fields: Any,
) -> Review:
    """Change the plan (until the minutes are signed)."""
    organization = review.organization
    ensure_allowed(actor=actor, organization=organization, permission="reviews.manage")
    _locked_refusal(review)
    if "title" in fields:
        check_single_line(title=fields["title"])
    if "chair" in fields:
        _check_chair(organization, fields["chair"])
    related: dict[str, list[Any]] = {}
    if editions is not None:
        related["editions"] = list(editions)
        _check_editions(organization, related["editions"])
    if attendees is not None:
        related["attendees"] = list(attendees)
        check_assignable(organization, related["attendees"], "attendees")

    def validate(locked: Review) -> None:
        _locked_refusal(locked)
        _validate_dates(locked)

    saved, _changes = model_update(
        instance=review,
        actor=actor,
        fields=fields,
        related=related,
        allowed=REVIEW_FIELDS,
        expected_version=expected_version,
        action="reviews.review.updated",
        validate=validate,
    )
    return saved


def review_prepare(*, actor: User, review: Review) -> Review:
    """Compile every input the covered standards require from live data and freeze it in the
    review (compiling again refreshes the figures and keeps what was written). Inputs no module
    of pdca compiles are listed to be entered by hand."""
    organization = review.organization
    ensure_allowed(actor=actor, organization=organization, permission="reviews.manage")
    with transaction.atomic():
        locked = Review.objects.select_for_update(no_key=True).get(pk=review.pk)
        if locked.status not in (Review.Status.PLANNED, Review.Status.PREPARED):
            raise ValidationError(
                _("The review was held: its inputs are kept as they were discussed.")
            )
        codes = set(locked.editions.values_list("standard__code", flat=True))
        period = Period(locked.period_start, locked.period_end)
        now = timezone.now()
        existing = {i.code: i for i in locked.inputs.all()}
        for kind in required_inputs(codes):
            summary = {}
            if kind.provider is not None:
                # Kept in English message ids (choice labels included), translated when shown.
                with translation.override("en"):
                    summary = kind.provider(organization, period).as_json()
            values = {
                "title": str(kind.title),
                "clauses": kind.clauses_for(codes),
                "order": kind.order,
                "available": kind.provider is not None,
                "summary": summary,
                "compiled_at": now if kind.provider else None,
            }
            item = existing.get(kind.code)
            if item is None:
                ReviewInput.objects.create(
                    organization=organization, review=locked, code=kind.code, **values
                )
            else:
                for name, value in values.items():
                    setattr(item, name, value)
                item.version += 1
                item.save()
        return model_transition(
            instance=locked,
            actor=actor,
            action="reviews.review.prepared",
            to={"status": Review.Status.PREPARED, "prepared_at": now},
            record=("status",),
            always_record=True,
        )


def input_record(
    *,
    actor: User,
    review_input: ReviewInput,
    expected_version: int | None,
    notes: str,
    conclusion: str,
    entered_data: str = "",
) -> ReviewInput:
    """Record what the meeting said of an input: its discussion and conclusion, and, where pdca
    compiles nothing, the information itself."""
    ensure_allowed(actor=actor, organization=review_input.organization, permission="reviews.manage")
    review = Review.objects.get(pk=review_input.review_id)

    def validate(locked: ReviewInput) -> None:
        _locked_refusal(Review.objects.get(pk=locked.review_id))

    saved, _changes = model_update(
        instance=review_input,
        actor=actor,
        fields={
            "notes": notes.strip(),
            "conclusion": conclusion.strip(),
            "entered_data": entered_data.strip(),
        },
        allowed=INPUT_FIELDS,
        expected_version=expected_version,
        action="reviews.input.recorded",
        validate=validate,
        record_on=review,
        context={"input": [None, review_input.title]},
    )
    return saved


def output_add(
    *,
    actor: User,
    review: Review,
    kind: str,
    title: str,
    owner: User | None,
    due_on: datetime.date | None,
    notes: str = "",
) -> ReviewOutput:
    """Record a decision of the review with the action that carries it out: an owner and a due
    date are required."""
    organization = review.organization
    ensure_allowed(actor=actor, organization=organization, permission="reviews.manage")
    _locked_refusal(Review.objects.get(pk=review.pk))
    errors: dict[str, str] = {}
    if kind not in OutputKind.values:
        errors["kind"] = _("Choose what kind of decision it is.")
    if not title.strip():
        errors["title"] = _("Say what was decided and what will be done.")
    if owner is None:
        errors["owner"] = _("Name who owns the action.")
    if due_on is None:
        errors["due_on"] = _("Give the action a due date.")
    if errors:
        raise ValidationError(errors)
    check_single_line(title=title)
    check_assignable(organization, owner, "owner")
    output = model_create(
        model=ReviewOutput,
        organization=organization,
        actor=actor,
        fields={
            "kind": kind,
            "title": title.strip(),
            "owner": owner,
            "due_on": due_on,
            "notes": notes.strip(),
        },
        allowed=OUTPUT_FIELDS,
        defaults={"review": review},
        action="reviews.output.added",
    )
    return output


def output_update(
    *,
    actor: User,
    output: ReviewOutput,
    expected_version: int | None,
    status: str | None = None,
    notes: str | None = None,
    **decision: Any,
) -> ReviewOutput:
    """The owner (or a manager) reports progress, also after the minutes are signed; the
    decision itself (kind, title, owner, due date) changes only until then."""
    organization = output.organization
    ensure_allowed(
        actor=actor,
        organization=organization,
        permission="reviews.update_output",
        obj=output,
        refusal=_("Only the action's owner or a manager can update it."),
    )
    unknown = set(decision) - {"kind", "title", "owner", "due_on"}
    if unknown:
        raise ValueError(f"Not a field of the decision: {sorted(unknown)}")
    fields: dict[str, Any] = dict(decision)
    if decision:
        ensure_allowed(actor=actor, organization=organization, permission="reviews.manage")
        _locked_refusal(Review.objects.get(pk=output.review_id))
        if "title" in fields:
            check_single_line(title=fields["title"])
        if "owner" in fields:
            if fields["owner"] is None:
                raise ValidationError({"owner": _("Name who owns the action.")})
            check_assignable(organization, fields["owner"], "owner")
        if "due_on" in fields and fields["due_on"] is None:
            raise ValidationError({"due_on": _("Give the action a due date.")})
    if status is not None:
        if status not in ReviewOutput.Status.values:
            raise ValidationError({"status": _("Unknown status.")})
        fields["status"] = status
    if notes is not None:
        fields["notes"] = notes.strip()

    def validate(locked: ReviewOutput) -> None:
        if locked.status == ReviewOutput.Status.DONE and not locked.notes.strip():
            raise ValidationError({"notes": _("Say what was done.")})
        locked.follow_status_with_done_on(timezone.localdate())

    saved, _changes = model_update(
        instance=output,
        actor=actor,
        fields=fields,
        allowed=OUTPUT_FIELDS,
        expected_version=expected_version,
        action="reviews.output.updated",
        validate=validate,
    )
    return saved


def holding_problems(review: Review) -> list[str]:
    """Why the review cannot be recorded as held: its inputs not compiled, a required input
    missing or not addressed, the chair no longer top management. Empty when it can."""
    if review.status == Review.Status.PLANNED:
        return [_("Compile the inputs first.")]
    if review.status != Review.Status.PREPARED:
        return [_("The review is already held.")]
    problems = []
    codes = set(review.editions.values_list("standard__code", flat=True))
    inputs = {i.code: i for i in review.inputs.all()}
    missing = [k for k in required_inputs(codes) if k.code not in inputs]
    if missing:
        problems.append(
            _("Inputs not compiled yet (compile the inputs again): %(list)s.")
            % {"list": "; ".join(str(k.title) for k in missing)}
        )
    open_inputs = [
        i for k in required_inputs(codes) if (i := inputs.get(k.code)) and not i.is_addressed
    ]
    if open_inputs:
        problems.append(
            _(
                "Every required input needs its conclusion (and, where pdca compiles nothing, "
                "its information): %(list)s."
            )
            % {"list": "; ".join(i.title for i in open_inputs)}
        )
    if not is_top_management(review.organization, review.chair):
        problems.append(
            _("The chair %(name)s is no longer top management: name another chair.")
            % {"name": review.chair}
        )
    return problems


def review_hold(
    *,
    actor: User,
    review: Review,
    held_on: datetime.date,
    conclusion: str,
    expected_version: int | None = None,
    communication: str | None = None,
) -> Review:
    """Record the meeting as held, with its conclusion on the system's suitability, adequacy
    and effectiveness; refused until every required input of every covered standard is
    addressed."""
    ensure_allowed(actor=actor, organization=review.organization, permission="reviews.manage")
    if not conclusion.strip():
        raise ValidationError(
            {"conclusion": _("Write the conclusion on suitability, adequacy and effectiveness.")}
        )
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A review cannot be held in the future.")})

    def check(locked: Review) -> None:
        if expected_version is not None:
            # A stale page first: what it shows as unaddressed may have changed meanwhile.
            check_version(locked, expected_version)
        _locked_refusal(locked)
        problems = holding_problems(locked)
        if problems:
            raise ValidationError(problems)

    to: dict[str, Any] = {
        "status": Review.Status.HELD,
        "held_on": held_on,
        "conclusion": conclusion.strip(),
    }
    if communication is not None:
        to["communication"] = communication.strip()
    return model_transition(
        instance=review,
        actor=actor,
        action="reviews.review.held",
        to=to,
        record=("status", "held_on"),
        check=check,
        expected_version=expected_version,
    )


def review_sign(*, actor: User, review: Review, password: str) -> Review:
    """Top management (the chair, or another member in the chair's absence) signs the minutes
    with the password: the signed text, its SHA-256 and the PDF are kept, and the review is
    locked as the retained 9.3 record."""
    organization = review.organization
    ensure_allowed(
        actor=actor,
        organization=organization,
        permission="reviews.sign",
        refusal=_("Only the chair or another member of top management signs the minutes."),
    )
    current = Review.objects.get(pk=review.pk)
    _locked_refusal(current)
    if current.status != Review.Status.HELD:
        raise ValidationError(_("Record the review as held before signing its minutes."))
    confirm_password(
        actor=actor,
        password=password,
        organization=organization,
        obj=current,
        refused_action="reviews.review.signature_refused",
    )
    now = timezone.now()

    def check(locked: Review) -> None:
        _locked_refusal(locked)
        if locked.status != Review.Status.HELD:
            raise ValidationError(_("Record the review as held before signing its minutes."))

    with transaction.atomic():
        locked = Review.objects.select_for_update(no_key=True).get(pk=review.pk)
        check(locked)
        text = minutes_text(locked, minutes_parts(locked))
        digest = hashlib.sha256(text.encode()).hexdigest()
        when = now.strftime("%Y-%m-%d %H:%M UTC")
        locked.status = Review.Status.SIGNED  # the PDF's header says what it is
        pdf = minutes_pdf(locked, text, signed_by=str(actor), signed_at=when, digest=digest)
        signed = model_transition(
            instance=locked,
            actor=actor,
            action="reviews.review.signed",
            to={
                "status": Review.Status.SIGNED,
                "minutes": text,
                "sha256": digest,
                "pdf": pdf,
                "signed_by": actor,
                "signed_at": now,
            },
            record=("status", "sha256"),
            check=check,
            reason=_("Signed by top management with password re-entry."),
        )
    return signed
