"""The link with documents: a competence follows the current revision of its documents.

When a revision of a document tied to a competence that needs retraining on a new revision
becomes effective (and it replaces an earlier one), the competence's records from before that
day stop counting: the matrix shows the people whose job roles require it as not up to date
(or in training, once a session is planned) until they are trained again, and each of them is
told. Reading the revision is assigned by the documents app as always. One update per
competence, whatever the number of people affected.
"""

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse

from pdca.core.notifications import notify
from pdca.core.updating import model_transition
from pdca.people.models import Competence, Person


def on_revision_effective(*, actor: Any, revision: Any, today: datetime.date) -> None:
    if revision.seq <= 1:
        return  # the first revision: nothing was learnt from an earlier one
    _ask_again(actor=actor, revision=revision, today=today)
    competences = list(
        Competence.objects.filter(
            organization_id=revision.organization_id,
            documents=revision.document_id,
            retrain_on_revision=True,
            is_active=True,
        )
    )
    start = revision.effective_from or today
    for competence in competences:
        model_transition(
            instance=competence,
            actor=actor,
            action="people.competence.retraining",
            to={"current_since": start},
            context={"revision": [None, str(revision)]},
        )
    if not competences:
        return
    users = list(
        Person.objects.filter(
            organization_id=revision.organization_id,
            left_on__isnull=True,
            assignments__job_role__requirements__competence__in=competences,
        )
        .values_list("membership__user_id", flat=True)
        .distinct()
    )
    organization = competences[0].organization

    def send() -> None:
        for competence in competences:
            notify(
                kind="people.retraining",
                organization=organization,
                recipients=users,
                obj=competence,
                key=f"people.retraining:{competence.pk}:{revision.pk}",
                url=reverse("people:matrix", kwargs={"org": organization.slug})
                + f"?competence={competence.pk}",
                title=f"{competence.name} ({revision})",
            )

    transaction.on_commit(send)


def _ask_again(*, actor: Any, revision: Any, today: datetime.date) -> None:
    """A new revision of a policy (or any document an awareness item names) asks everyone the
    item concerns to acknowledge it again."""
    from django.utils.translation import gettext

    from pdca.people.models import AwarenessItem
    from pdca.people.services import awareness_ask_again

    for item in AwarenessItem.objects.filter(
        organization_id=revision.organization_id, document=revision.document_id, is_active=True
    ):
        awareness_ask_again(
            actor=actor,
            item=item,
            reason=gettext("New revision: %(revision)s") % {"revision": revision},
            revision=str(revision),
            today=revision.effective_from or today,
            check_permission=False,
        )
