"""Acme's demo suggestions, customer feedback and announcements, built once; and the key pages
in German."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from pdca.core.demo import build_foundation
from pdca.core.models import Organization
from pdca.core.testing import assert_page_translated
from pdca.engagement import demo
from pdca.engagement.models import Acknowledgement, Announcement, Feedback, Suggestion
from pdca.improvement.models import Nonconformity, Source


@pytest.mark.django_db
def test_acme_suggestions_feedback_and_announcements_built_once():
    Organization.objects.filter(slug="acme").update(slug="acme-world")
    ctx = build_foundation()
    with scopes_disabled():
        demo.build(ctx)
        demo.build(ctx)
        acme = ctx.orgs["acme"]
        suggestions = Suggestion.objects.filter(organization=acme)
        assert suggestions.count() == 12
        assert set(suggestions.values_list("status", flat=True)) == set(Suggestion.Status.values)
        anonymous = suggestions.filter(anonymous=True)
        assert anonymous.count() == 2 and not anonymous.exclude(author=None).exists()
        assert suggestions.filter(status="accepted", action__isnull=False).count() == 3
        complaints = Feedback.objects.filter(organization=acme, kind="complaint")
        assert complaints.count() == 5
        assert Nonconformity.objects.filter(organization=acme, source=Source.COMPLAINT).count() == 1
        project = Announcement.objects.get(organization=acme, title="We start on ISO 45001")
        assert (
            project.requires_ack
            and Acknowledgement.objects.filter(announcement=project).count() == 3
        )


@pytest.mark.django_db
def test_the_pages_in_german(world, login):
    client = login(world.mr)
    org = world.org.slug
    assert_page_translated(
        client,
        reverse("engagement:suggestions", kwargs={"org": org}),
        ["Make a suggestion", "Awaiting triage", "Anonymous"],
        ["Vorschlag machen", "Anonym"],
    )
    assert_page_translated(
        client,
        reverse("engagement:feedback", kwargs={"org": org}),
        ["Record feedback", "Complaint", "Handled by"],
        ["Reklamation"],
    )
    assert_page_translated(
        client,
        reverse("engagement:suggest", kwargs={"org": org}),
        ["Make it anonymously", "Send the suggestion"],
        ["anonym"],
    )
    assert_page_translated(
        client,
        reverse("engagement:announcements", kwargs={"org": org}),
        ["New announcement", "Acknowledged"],
        ["Mitteilungen"],
    )
