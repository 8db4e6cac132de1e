"""Demo management reviews for Acme: last year's review of ISO 9001 and ISO 14001, every input
addressed, three decisions with their actions (one done, two open) and the minutes signed by
the managing director; and the next review in five weeks with its inputs compiled."""

import datetime

from django.utils.translation import gettext as _

from pdca.core.demo import DEMO_PASSWORD, DemoContext
from pdca.reviews import services
from pdca.reviews.models import Review
from pdca.standards.models import Edition


def _by_hand() -> dict[str, tuple[str, str]]:
    """What the meeting entered for the inputs pdca does not compile, and its conclusion."""
    return {
        "issues": (
            _(
                "Two new competitors in medical flanges; energy prices up 18 %; the new ERP went "
                "live."
            ),
            _("Keep the medical segment as the strategic focus; review energy contracts."),
        ),
        "interested_parties": (
            _("Northgate Medical now asks for ISO 13485 readiness; the town plans a noise limit."),
            _("Add both to the register of interested parties."),
        ),
        "obligations": (
            _(
                "The amended waste oil regulation applies from July; the discharge permit was "
                "renewed."
            ),
            _("Obligations register updated; no gap."),
        ),
        "aspects": (
            _("Coolant consumption and waste oil stay the significant aspects; no new activity."),
            _("No change to the significant aspects."),
        ),
        "risks": (
            _(
                "Supplier failure risk re-rated after the steel shortage; the spare press reduced "
                "downtime risk."
            ),
            _("Actions on risks were effective; keep the dual sourcing."),
        ),
        "customer_satisfaction": (
            _("Survey: 8.1 of 10 (last year 7.6); two complaints, both answered within five days."),
            _("Satisfaction improved; keep the survey yearly."),
        ),
        "objectives": (
            _(
                "On-time delivery 96 % (target 95 %); scrap 2.4 % (target 2 %); energy per part "
                "-6 %."
            ),
            _("Scrap target missed: see the decision on the deburring cell."),
        ),
        "process_performance": (
            _("First-pass yield 97.1 %; customer returns 0.3 % of parts."),
            _("Processes perform as planned except deburring."),
        ),
        "monitoring": (
            _(
                "Calibration 100 % on time after the audit finding; wastewater samples all within "
                "limits."
            ),
            _("Monitoring adequate."),
        ),
        "compliance": (
            _("Evaluation of compliance in March: 41 obligations evaluated, all compliant."),
            _("Compliant; next evaluation in March."),
        ),
        "external_providers": (
            _("14 suppliers rated: 12 A, 2 B; the heat-treatment supplier was late three times."),
            _("Agree an improvement plan with the heat-treatment supplier."),
        ),
        "communications": (
            _("One neighbour complaint about noise at night shift start; answered and resolved."),
            _("Keep the loading bay closed before 6 am."),
        ),
        "resources": (
            _("One calibration technician for 48 gauges; the deburring cell is at capacity."),
            _("A second technician is needed: see the decisions."),
        ),
        "improvement": (
            _(
                "Suggestions: automated deburring, LED lighting in hall 2, a digital shift "
                "handover."
            ),
            _("Deburring and LED lighting decided; handover to be studied."),
        ),
    }


def build(ctx: DemoContext) -> None:
    org = ctx.orgs["acme"]
    if Review.objects.filter(organization=org).exists():
        return
    today = ctx.today
    u = ctx.users
    top, mr, owner = u["top@acme.example"], u["mr@acme.example"], u["owner@acme.example"]
    editions = list(
        Edition.objects.filter(
            org_standards__organization=org, standard__code__in=("iso9001", "iso14001")
        )
    )
    if not editions:
        return
    held_on = today - datetime.timedelta(days=330)
    last = services.review_plan(
        actor=mr,
        organization=org,
        title=_("Management review %(year)s") % {"year": held_on.year},
        planned_on=held_on,
        editions=editions,
        chair=top,
        attendees=[mr, owner],
        communication=_("Outputs presented at the staff meeting and posted on the notice board."),
    )
    last = services.review_prepare(actor=mr, review=last)
    by_hand = _by_hand()
    for item in last.inputs.all():
        data, conclusion = by_hand.get(item.code, ("", _("Reviewed; no action needed.")))
        services.input_record(
            actor=mr,
            review_input=item,
            expected_version=item.version,
            notes=_("Presented by the management representative and discussed."),
            conclusion=conclusion,
            entered_data=data,
        )
    decisions = [
        (
            "improvement",
            _("Automate deburring of the flange bores"),
            owner,
            held_on + datetime.timedelta(days=200),
        ),
        (
            "resources",
            _("Hire a second calibration technician"),
            mr,
            held_on + datetime.timedelta(days=120),
        ),
        (
            "system_change",
            _("Merge the environmental and quality inspection procedures"),
            mr,
            today + datetime.timedelta(days=20),
        ),
    ]
    outputs = [
        services.output_add(actor=mr, review=last, kind=kind, title=title, owner=who, due_on=due)
        for kind, title, who, due in decisions
    ]
    last.refresh_from_db()
    last = services.review_hold(
        actor=mr,
        review=last,
        held_on=held_on,
        conclusion=_(
            "The management system is suitable, adequate and effective; the scrap objective "
            "needs the deburring investment."
        ),
        expected_version=last.version,
    )
    services.review_sign(actor=top, review=last, password=DEMO_PASSWORD)
    hired = outputs[1]
    services.output_update(
        actor=mr,
        output=hired,
        expected_version=hired.version,
        status="done",
        notes=_("The second technician started in production quality."),
    )
    nxt = services.review_plan(
        actor=mr,
        organization=org,
        title=_("Management review %(year)s")
        % {"year": (today + datetime.timedelta(days=35)).year},
        planned_on=today + datetime.timedelta(days=35),
        editions=editions,
        chair=top,
        attendees=[mr, owner],
    )
    services.review_prepare(actor=mr, review=nxt)
