"""The stage 1 gate "management review held with every required input", computed from the
signed reviews: the latest signed review covering the standard addressed every input that
standard requires (9.3.2) and is not older than its planned interval."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.standards.gates import FAIL, PASS, GateContext, GateResult


def management_review_gate(ctx: GateContext) -> GateResult:
    from pdca.reviews.selectors import add_months, latest_signed_by_edition, unaddressed_inputs

    latest: dict[int, Any] = ctx.once(
        "reviews.latest", lambda: latest_signed_by_edition(ctx.organization)
    )
    edition = ctx.org_standard.edition
    review = latest.get(edition.pk)
    if review is None:
        return GateResult(
            FAIL,
            _("Hold a management review covering %(standard)s and sign its minutes.")
            % {"standard": edition},
        )
    missing = unaddressed_inputs(review, edition.standard.code)
    if missing:
        return GateResult(
            FAIL,
            _("%(review)s did not address every required input: %(list)s.")
            % {"review": review.reference, "list": "; ".join(missing)},
        )
    if review.held_on and add_months(review.held_on, review.interval_months) < (
        timezone.localdate()
    ):
        return GateResult(
            FAIL,
            _("The last management review (%(review)s, %(date)s) is older than its interval.")
            % {"review": review.reference, "date": review.held_on},
        )
    return GateResult(
        PASS,
        _("%(review)s, held on %(date)s, addressed every required input; its minutes are signed.")
        % {"review": review.reference, "date": review.held_on},
    )
