"""Acme's suggestions, customer feedback and announcements: twelve suggestions in every state
(two made anonymously, three accepted as improvement actions), five customer complaints (one
raising a nonconformity) with a compliment and two survey answers, and management's
announcement of the ISO 45001 project, acknowledged by part of the staff. The next management
review's inputs are compiled again afterwards, so that they show these figures."""

import datetime
from typing import Any

from django.utils.translation import gettext as _

from pdca.core.demo import DemoContext
from pdca.core.models import Department
from pdca.engagement import services
from pdca.engagement.models import Feedback, Suggestion


def build(ctx: DemoContext) -> None:
    org = ctx.orgs["acme"]
    if Suggestion.objects.filter(organization=org).exists():
        return
    today = ctx.today
    u = ctx.users
    top, mr, owner = u["top@acme.example"], u["mr@acme.example"], u["owner@acme.example"]
    auditor, staff = u["auditor@acme.example"], u["staff@acme.example"]
    production = Department.objects.filter(organization=org, name="Production").first()

    def days(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

    ideas = [
        (
            staff,
            False,
            _("Shadow board for the setup tools on cell 3"),
            _("We lose ten minutes a setup looking for the right hex keys and gauges."),
        ),
        (
            staff,
            True,
            _("Shift handover is rushed"),
            _("Night shift leaves before the morning shift has read the log; problems get lost."),
        ),
        (
            owner,
            False,
            _("Date labels on coolant drums"),
            _("Old and new coolant get mixed; a label with the opening date would stop it."),
        ),
        (
            auditor,
            False,
            _("One supplier questionnaire instead of three"),
            _("Quality, environment and purchasing each send suppliers their own questionnaire."),
        ),
        (
            staff,
            False,
            _("Second torque wrench for assembly"),
            _("The only calibrated torque wrench is often at the other bench."),
        ),
        (
            staff,
            True,
            _("Better lighting at the deburring bench"),
            _("It is hard to see burrs on the inner bores in the afternoon."),
        ),
        (
            owner,
            False,
            _("Scan the travellers instead of typing them"),
            _("Typing order numbers into the MES causes wrong bookings."),
        ),
        (
            auditor,
            False,
            _("Short monthly quality talk"),
            _("Ten minutes at the start of the month on last month's complaints."),
        ),
        (
            staff,
            False,
            _("Recycle the cardboard from incoming goods"),
            _("The cardboard goes into general waste; a baler would pay for itself."),
        ),
        (
            owner,
            False,
            _("Shadow board for the setup tools on cell 4"),
            _("Same as on cell 3: the setup tools are never where they should be."),
        ),
        (
            staff,
            False,
            _("Spill kits next to the coolant station"),
            _("The nearest spill kit is at the other end of the hall."),
        ),
        (
            auditor,
            False,
            _("Canteen opening hours for the night shift"),
            _("The night shift has no warm meal."),
        ),
    ]
    made = [
        services.suggestion_make(
            actor=who,
            organization=org,
            title=title,
            description=text,
            anonymous=anonymous,
            department=production,
        )
        for who, anonymous, title, text in ideas
    ]
    for suggestion, action, who, due in (
        (made[0], _("Shadow boards for the setup tools of cells 3 and 4"), owner, 30),
        (made[1], _("Handover checklist signed by both shift leaders"), owner, 21),
        (made[10], _("Spill kit at the coolant station"), mr, 14),
    ):
        services.suggestion_accept(
            actor=mr,
            suggestion=suggestion,
            action_title=action,
            owner=who,
            due_on=days(due),
            response=_("Thank you: a good idea, we do it."),
        )
    services.suggestion_mark_duplicate(
        actor=mr,
        suggestion=made[9],
        duplicate_of=made[0],
        response=_("Cell 4 is part of the same action."),
    )
    services.suggestion_decline(
        actor=top,
        suggestion=made[11],
        reason=_("The canteen is run by the landlord; we give the night shift a meal allowance."),
    )
    services.suggestion_decline(
        actor=mr,
        suggestion=made[3],
        reason=_("Customers require their own questionnaires; we share one answer set instead."),
    )

    def record(**values: Any) -> Feedback:
        return services.feedback_record(actor=mr, organization=org, **values)

    complaints = [
        record(
            kind="complaint",
            customer="Bosch Rexroth AG",
            contact="j.weber@boschrexroth.example",
            channel="email",
            received_on=days(-40),
            subject="product",
            reference="4711-B / 20931",
            description=_("Twelve shafts out of tolerance on the bearing seat (Ø 25 h6)."),
            severity="high",
            satisfaction=2,
            owner=owner,
        ),
        record(
            kind="complaint",
            customer="ZF Friedrichshafen AG",
            channel="phone",
            received_on=days(-25),
            subject="order",
            reference="20977",
            description=_("Delivery three days late; the line nearly stopped."),
            severity="medium",
            owner=mr,
        ),
        record(
            kind="complaint",
            customer="Festo SE",
            channel="portal",
            received_on=days(-12),
            subject="product",
            reference="F-220 bushing",
            description=_("Burrs on the inner bore of four bushings."),
            severity="low",
            owner=owner,
        ),
        record(
            kind="complaint",
            customer="Voith GmbH",
            channel="letter",
            received_on=days(-9),
            subject="process",
            reference=_("Certificates of conformity"),
            description=_("Material certificates missing from two deliveries."),
            severity="medium",
            owner=mr,
        ),
        record(
            kind="complaint",
            customer="Bosch Rexroth AG",
            channel="email",
            received_on=days(-1),
            subject="order",
            reference="21004",
            description=_("Wrong packaging: parts not separated, surfaces scratched."),
            severity="high",
            owner=owner,
        ),
    ]
    record(
        kind="compliment",
        customer="Festo SE",
        channel="visit",
        received_on=days(-30),
        subject="process",
        description=_("Praised the quick answer to the bushing question."),
        severity="low",
        satisfaction=5,
        owner=mr,
    )
    for customer, score in (("ZF Friedrichshafen AG", 4), ("Voith GmbH", 3)):
        record(
            kind="feedback",
            customer=customer,
            channel="survey",
            received_on=days(-60),
            subject="other",
            description=_("Annual customer survey."),
            severity="low",
            satisfaction=score,
            owner=mr,
        )
    services.feedback_raise_nonconformity(actor=mr, feedback=complaints[0])
    for feedback, text, ago in (
        (complaints[0], _("8D report sent; 12 shafts replaced, grinding programme corrected."), 30),
        (complaints[1], _("Apology; a buffer stock of two days agreed for their parts."), 20),
        (complaints[2], _("Replacement bushings sent; deburring check added."), 8),
    ):
        services.feedback_respond(
            actor=mr, feedback=feedback, response=text, responded_on=days(-ago)
        )

    announcement = services.announcement_publish(
        actor=top,
        organization=org,
        title=_("We start on ISO 45001"),
        body=_(
            "From next month we build our occupational health and safety management system to "
            "ISO 45001, alongside quality and environment. Daniel Okafor leads the project; "
            "every team will be asked about the hazards of their work. Please read the "
            "project plan on the notice board."
        ),
        requires_ack=True,
    )
    for who in (mr, owner, staff):
        services.announcement_acknowledge(actor=who, announcement=announcement)
    services.announcement_publish(
        actor=mr,
        organization=org,
        title=_("New night-shift handover checklist"),
        body=_("From Monday both shift leaders sign the handover checklist."),
        departments=[production] if production else [],
    )
    _refresh_next_review(org, mr)


def _refresh_next_review(org: Any, actor: Any) -> None:
    """The next review's inputs, compiled again with the feedback and suggestions above."""
    from pdca.reviews import services as reviews
    from pdca.reviews.models import Review

    for review in Review.objects.filter(
        organization=org, status__in=(Review.Status.PLANNED, Review.Status.PREPARED)
    ):
        if review.inputs.exists():
            reviews.review_prepare(actor=actor, review=review)
