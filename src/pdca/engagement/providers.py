"""The management review's inputs this module compiles: customer satisfaction and feedback
(9001 9.3.2 c) 1)), communications from interested parties including complaints (14001 and
45001 9.3 f), 27001 9.3.2 e)) and, from the suggestions, opportunities for improvement.

Sentences and labels are English message ids (`gettext_noop`): the review freezes them and
each page translates them for its reader."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_noop as _

from pdca.engagement import selectors
from pdca.reviews.inputs import InputSummary, Period, set_input_provider


def _url(name: str, organization: Any) -> str:
    return reverse(name, kwargs={"org": organization.slug})


def customer_feedback(organization: Any, period: Period) -> InputSummary:
    f = selectors.feedback_figures(organization, period.start, period.end)
    average = f.pop("average")
    satisfaction = f"{average:.1f}" if average is not None else "—"
    text = _(
        "%(complaints)s complaints, %(compliments)s compliments and %(feedback)s other "
        "feedback received in the period; %(answered_in_time)s complaints answered in time, "
        "%(open_overdue)s awaiting a response past their due date; %(nonconformities)s "
        "nonconformities raised from complaints. Average satisfaction %(satisfaction)s of 5 "
        "(%(rated)s ratings)."
    )
    return InputSummary(
        text,
        {**f, "satisfaction": satisfaction},
        figures=[
            (_("Complaints"), str(f["complaints"])),
            (_("Compliments"), str(f["compliments"])),
            (_("Complaints answered in time"), str(f["answered_in_time"])),
            (_("Responses overdue"), str(f["open_overdue"])),
            (_("Nonconformities from complaints"), str(f["nonconformities"])),
            (_("Average satisfaction (1–5)"), satisfaction),
        ],
        links=[(_("Customer feedback"), _url("engagement:feedback", organization))],
    )


def suggestions(organization: Any, period: Period) -> InputSummary:
    f = selectors.suggestion_figures(organization, period.start, period.end)
    return InputSummary(
        _(
            "%(made)s suggestions from employees in the period (%(anonymous)s anonymous): "
            "%(accepted)s accepted as improvement actions, %(declined)s declined; "
            "%(waiting)s awaiting triage."
        ),
        dict(f),
        figures=[
            (_("Suggestions made"), str(f["made"])),
            (_("Accepted"), str(f["accepted"])),
            (_("Awaiting triage"), str(f["waiting"])),
        ],
        links=[(_("Suggestions"), _url("engagement:suggestions", organization))],
    )


def register() -> None:
    set_input_provider("customer_satisfaction", customer_feedback)
    set_input_provider("communications", customer_feedback)
    set_input_provider("improvement", suggestions)
