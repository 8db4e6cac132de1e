"""What customer feedback contributes to the due-item registry: each complaint (or other
feedback with a date) awaiting its response, for the person handling it. Every member sees
customer feedback, so the viewer narrows nothing; one query whatever the amount of data."""

from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery, url_maker
from pdca.engagement.models import Feedback


def responses_due(query: DueQuery) -> list[DueItem]:
    qs = Feedback.objects.filter(
        organization=query.organization,
        status=Feedback.Status.OPEN,
        **query.date_range("response_due_on"),
    )
    if query.owners is not None:
        qs = qs.filter(owner_id__in=query.owners)
    if query.standard and query.standard != "iso9001":
        return []
    rows = list(
        query.cut(
            qs.order_by("response_due_on", "pk").values_list(
                "pk",
                "number",
                "customer",
                "response_due_on",
                "owner_id",
                "owner__full_name",
                "updated_at",
                "version",
            )
        )
    )
    url = url_maker("engagement:feedback_detail", query.organization)
    return [
        DueItem(
            kind="engagement.feedback",
            kind_label=_("Response to a customer"),
            title=_("Answer C-%(number)s: %(customer)s") % {"number": number, "customer": name},
            due_on=due,
            url=url(pk),
            model="engagement.feedback",
            object_id=pk,
            owner_id=owner_id,
            owner_name=owner_name or "",
            standards=("iso9001",),
            updated_at=updated_at,
            version=version,
            overdue=due < query.today,
        )
        for pk, number, name, due, owner_id, owner_name, updated_at, version in rows
    ]
