"""Object history and the trail page name fields and choices as the models label them."""

import pytest
from django.urls import reverse

from pdca.core.models import TrailEntry
from pdca.core.templatetags.pdca import entry_changes
from pdca.documents import services


@pytest.fixture
def document(world):
    return services.document_create(
        actor=world.owner,
        organization=world.org,
        doc_type="procedure",
        title="Control of documents",
        owner=world.owner,
        text="Text",
        reviewers=[world.auditor],
        approvers=[world.mr],
    )


@pytest.mark.django_db
def test_entry_changes_use_the_entry_model_labels_and_choices(world, document):
    services.revision_submit(actor=world.owner, revision=document.latest_revision)
    entries = TrailEntry.objects.for_object(document.latest_revision)
    submitted = entries.filter(action="documents.revision.submitted").get()
    assert ("Status", "Draft", "In review") in entry_changes(submitted)
    created = TrailEntry.objects.for_object(document).get(action="documents.document.created")
    rows = {label: new for label, _old, new in entry_changes(created)}
    assert rows["Type"] == "Procedure"
    assert rows["Confidentiality"] == "Internal"
    assert "doc_type" not in rows and "Doc type" not in rows


@pytest.mark.django_db
def test_history_and_trail_page_show_words_not_names(world, client, document):
    services.revision_submit(actor=world.owner, revision=document.latest_revision)
    client.force_login(world.mr)
    org = world.org.slug
    page = client.get(
        reverse("documents:revision", kwargs={"org": org, "pk": document.latest_revision.pk})
    ).content.decode()
    assert "Status: Draft → In review" in page
    assert "in_review" not in page
    trail = client.get(reverse("core:trail", kwargs={"org": org})).content.decode()
    assert "<strong>Status</strong>: Draft → In review" in trail
    assert "<strong>Type</strong>: — → Procedure" in trail
    assert "doc_type" not in trail


def test_recorded_moments_are_shown_as_time_of_day_in_utc(world):
    entry = TrailEntry(changes={"acknowledged_at": [None, "2026-12-02T05:50:51.829148+00:00"]})
    assert entry_changes(entry) == [("Acknowledged at", "—", "2026-12-02 05:50 UTC")]
