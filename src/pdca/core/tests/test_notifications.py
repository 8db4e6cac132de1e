"""The notification core: de-duplication in the database, after-commit only, visibility,
delivery failures, the digest, preferences, the bell and the list's URLs."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from pdca.core.models import EmailStatus, Membership, Notification, NotificationPreference
from pdca.core.notifications import delivery, notify
from pdca.core.notifications.kinds import access_ending_notify
from pdca.core.notifications.selectors import unread_count
from pdca.core.roles import Role
from pdca.core.tasks import deliver_email, send_digests
from pdca.core.tests import failing_mail
from pdca.documents.models import Confidentiality, Document

pytestmark = pytest.mark.django_db


def _doc_notify(world, recipients, key="k:1", kind="documents.revision_signed"):
    rev = world.extra["effective_revision"]
    return notify(
        kind=kind,
        organization=world.org,
        recipients=recipients,
        obj=rev,
        key=key,
        url=f"/o/acme/documents/revisions/{rev.pk}/",
        title=str(rev.document),
        data={"by": "Someone", "comment": ""},
    )


def _list(client, org="acme", **params):
    return client.get(reverse("core:notifications", kwargs={"org": org}), params)


def test_the_same_key_tells_a_recipient_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _doc_notify(world, [world.employee, world.auditor])
        again = _doc_notify(world, [world.employee, world.auditor, world.owner])
    assert len(first) == 2
    assert [n.recipient_id for n in again] == [world.owner.pk]
    assert Notification.objects.filter(key="k:1").count() == 3
    assert len(mail.outbox) == 3


def test_the_database_refuses_a_second_row_for_the_same_key(world):
    _doc_notify(world, [world.employee])
    n = Notification.objects.get(key="k:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            organization=world.org, recipient=world.employee, kind=n.kind, key="k:1"
        )


def test_a_retried_delivery_task_sends_nothing_twice(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (n,) = _doc_notify(world, [world.employee])
    assert deliver_email.delay(n.pk).get() == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_a_rolled_back_write_tells_nobody(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _doc_notify(world, [world.employee])
        transaction.set_rollback(True)
    assert not Notification.objects.filter(key="k:1").exists()
    assert mail.outbox == []


def test_mail_goes_only_after_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _doc_notify(world, [world.employee])
        assert mail.outbox == []
    assert len(callbacks) == 1


def test_who_may_not_see_the_object_is_not_told(world, django_capture_on_commit_callbacks):
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(
        confidentiality=Confidentiality.RESTRICTED, allowed_roles=[Role.MANAGEMENT_REP]
    )
    with django_capture_on_commit_callbacks(execute=True):
        told = _doc_notify(world, [world.employee, world.mr])
    assert [n.recipient_id for n in told] == [world.mr.pk]
    assert mail.outbox[0].to == [world.mr.email]


def test_a_notification_about_an_object_no_longer_visible_shows_no_title(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (n,) = _doc_notify(world, [world.employee])
    client.force_login(world.employee)
    assert "Control of documents" in _list(client).content.decode()
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(
        confidentiality=Confidentiality.RESTRICTED, allowed_roles=[Role.MANAGEMENT_REP]
    )
    html = _list(client).content.decode()
    assert "Control of documents" not in html
    assert "An object you can no longer see." in html
    opened = client.get(reverse("core:notification_open", kwargs={"org": "acme", "pk": n.pk}))
    assert opened.url == reverse("core:notifications", kwargs={"org": "acme"})


def test_mail_is_not_sent_to_someone_who_lost_sight_before_delivery(world):
    with transaction.atomic():
        (n,) = _doc_notify(world, [world.employee])
    Document.objects.filter(pk=world.extra["document"].pk).update(
        confidentiality=Confidentiality.RESTRICTED, allowed_roles=[Role.MANAGEMENT_REP]
    )
    assert delivery.deliver(n.pk) == EmailStatus.NOT_SENT
    assert mail.outbox == []


def test_a_refusing_mail_server_keeps_the_notification_records_and_retries(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "pdca.core.tests.failing_mail.RefusingBackend"
    failing_mail.ATTEMPTS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        (n,) = _doc_notify(world, [world.employee])
    n.refresh_from_db()
    assert n.read_at is None  # still in the bell
    assert n.email_status == EmailStatus.FAILED
    assert n.email_attempts == delivery.MAX_ATTEMPTS == len(failing_mail.ATTEMPTS)
    assert "SMTPServerDisconnected" in n.email_error
    # The server is back: the next attempt sends it and clears the error.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_email.delay(n.pk).get() == EmailStatus.SENT
    n.refresh_from_db()
    assert n.email_error == "" and n.emailed_at is not None
    assert len(mail.outbox) == 1


def test_mail_has_text_and_html_in_the_recipients_language_with_an_absolute_link(
    world, settings, django_capture_on_commit_callbacks
):
    settings.PDCA_BASE_URL = "https://pdca.example"
    world.employee.language = "de"
    world.employee.save()
    with django_capture_on_commit_callbacks(execute=True):
        _doc_notify(world, [world.employee])
    message = mail.outbox[0]
    assert (
        f"https://pdca.example/o/acme/documents/revisions/{world.extra['effective_revision'].pk}/"
        in message.body
    )
    assert "Hallo" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and '<a href="https://pdca.example/' in html


def test_digest_collects_the_day_in_one_mail(world, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(
        user=world.employee, kind="documents.revision_signed", delivery="digest"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _doc_notify(world, [world.employee], key="k:1")
        _doc_notify(world, [world.employee], key="k:2")
    assert mail.outbox == []
    send_digests.delay().get()
    send_digests.delay().get()  # a second scheduler run: nothing is waiting any more
    mine = [m for m in mail.outbox if m.to == [world.employee.email]]
    assert len(mine) == 1
    assert mine[0].body.count("Control of documents") == 2
    assert set(
        Notification.objects.filter(key__in=["k:1", "k:2"]).values_list("email_status", flat=True)
    ) == {EmailStatus.SENT}


def test_in_the_app_only_sends_no_mail(world, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(
        user=world.employee, kind="documents.revision_signed", delivery="app"
    )
    with django_capture_on_commit_callbacks(execute=True):
        (n,) = _doc_notify(world, [world.employee])
    assert n.email_status == EmailStatus.NOT_SENT and mail.outbox == []


def test_preferences_page_saves_a_choice_and_refuses_silencing_a_mandatory_kind(world, client):
    client.force_login(world.employee)
    url = reverse("core:notification_preferences")
    page = client.get(url)
    assert page.status_code == 200 and "Cannot be turned off" in page.content.decode()
    saved = client.post(url, {"documents.reading_assigned": "digest"})
    assert saved.status_code == 302
    assert (
        NotificationPreference.objects.get(
            user=world.employee, kind="documents.reading_assigned"
        ).delivery
        == "digest"
    )
    refused = client.post(
        url, {"documents.review_requested": "app", "documents.reading_assigned": "app"}
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "cannot be turned off" in html
    assert not NotificationPreference.objects.filter(
        user=world.employee, kind="documents.review_requested"
    ).exists()
    # Nothing of a refused form is saved.
    assert (
        NotificationPreference.objects.get(
            user=world.employee, kind="documents.reading_assigned"
        ).delivery
        == "digest"
    )
    bad = client.post(url, {"documents.reading_assigned": "pigeon"})
    assert "Choose how you want to be told." in bad.content.decode()


def test_the_profile_links_to_the_notification_settings(world, client):
    client.force_login(world.employee)
    html = client.get(reverse("core:profile")).content.decode()
    assert reverse("core:notification_preferences") in html


def test_bell_shows_the_unread_count_with_one_query(world, client, django_assert_num_queries):
    membership = Membership.objects.get(organization=world.org, user=world.employee)
    with django_assert_num_queries(1):
        before = unread_count(membership)
    for i in range(3):
        _doc_notify(world, [world.employee], key=f"bell:{i}")
    client.force_login(world.employee)
    html = client.get(reverse("core:dashboard", kwargs={"org": "acme"})).content.decode()
    assert 'id="notification-bell"' in html
    assert f'data-unread="{before + 3}"' in html


def test_bell_costs_the_same_queries_with_many_notifications(
    world, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.employee)
    url = reverse("core:notifications", kwargs={"org": "acme"})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(40):
        _doc_notify(world, [world.employee], key=f"many:{i}")
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count('<li class="notification') == 25


def test_list_pages_and_marks_read(world, client):
    for i in range(30):
        _doc_notify(world, [world.employee], key=f"page:{i}")
    client.force_login(world.employee)
    first = _list(client).content.decode()
    assert "?page=2" in first
    n = Notification.objects.filter(recipient=world.employee, key="page:29").get()
    url = reverse("core:notification_read", kwargs={"org": "acme", "pk": n.pk})
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="notification-rows"' in response.content.decode()
    n.refresh_from_db()
    assert n.read_at is not None
    client.post(reverse("core:notifications_read_all", kwargs={"org": "acme"}))
    assert not Notification.objects.filter(
        recipient=world.employee, organization=world.org, read_at__isnull=True
    ).exists()


def test_open_marks_read_and_goes_to_the_object(world, client):
    (n,) = _doc_notify(world, [world.employee])
    client.force_login(world.employee)
    response = client.get(reverse("core:notification_open", kwargs={"org": "acme", "pk": n.pk}))
    assert response.url == n.url
    n.refresh_from_db()
    assert n.read_at is not None


def test_a_colleagues_notification_is_refused_and_another_organization_sees_nothing(world, client):
    (n,) = _doc_notify(world, [world.employee])
    client.force_login(world.auditor)
    for name in ("core:notification_open", "core:notification_read"):
        url = reverse(name, kwargs={"org": "acme", "pk": n.pk})
        assert client.post(url).status_code in (403, 405) and client.get(url).status_code in (
            403,
            405,
        )
    assert "Someone signed" not in _list(client).content.decode()
    client.force_login(world.outsider)
    assert _list(client).status_code == 404
    url = reverse("core:notification_open", kwargs={"org": "globex", "pk": n.pk})
    assert client.get(url).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_the_list_says_what_to_expect_when_empty(world, client):
    Notification.objects.filter(recipient=world.auditor).delete()
    client.force_login(world.auditor)
    assert "No notifications yet" in _list(client).content.decode()


def test_an_invitation_cannot_be_turned_off_and_carries_the_password_link(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.mr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("core:member_invite", kwargs={"org": "acme"}),
            {"email": "new@acme.test", "full_name": "New", "roles": ["employee"]},
        )
    n = Notification.objects.get(kind="core.invitation", recipient__email="new@acme.test")
    assert n.email_status == EmailStatus.SENT
    assert "/accounts/reset/" in mail.outbox[0].body
    assert "/accounts/reset/" not in str(n.data) + n.url  # the token is never stored


def test_external_auditor_and_mr_are_told_once_that_access_ends(
    world, django_capture_on_commit_callbacks
):
    membership = world.memberships[Role.EXTERNAL_AUDITOR]
    membership.expires_on = timezone.localdate() + datetime.timedelta(days=3)
    membership.save()
    with django_capture_on_commit_callbacks(execute=True):
        access_ending_notify()
        access_ending_notify()
    told = set(
        Notification.objects.filter(kind="core.access_ending").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {world.external.pk, world.mr.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.external.email, world.mr.email])
