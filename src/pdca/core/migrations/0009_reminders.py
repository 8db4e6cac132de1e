"""The reminders of document reviews and effectiveness checks and the escalation of
corrective actions now come from the due-item registry, with a notification kind per kind of
due item. Old notifications and people's choices move to the new kinds, and the escalations already sent get the key the new
run gives them, so nobody is told a second time about a step they have been told about. (The
corrective actions' Escalation rows stay as they are: the history of what was sent.)"""

from django.db import migrations

RENAMED = {
    "documents.review_due": "documents.review.due",
    "improvement.action_overdue": "improvement.action.overdue",
    "improvement.check_due": "improvement.effectiveness.due",
}


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    Notification = apps.get_model("core", "Notification")
    Preference = apps.get_model("core", "NotificationPreference")
    for old, new in RENAMED.items():
        Preference.objects.filter(kind=old).update(kind=new)
    escalations = Notification.objects.filter(
        kind="improvement.action_overdue", key__startswith="improvement.escalation:"
    )
    for n in escalations.iterator(chunk_size=500):
        _prefix, action_id, level = n.key.split(":", 2)
        due = (n.data or {}).get("due", "")
        if due:
            n.key = f"improvement.action:{action_id}:{due}:escalation-{level}:{n.recipient_id}"
            n.save(update_fields=["key"])
    # A check's notice on its day is the new run's reminder on the day (offset 0).
    for n in Notification.objects.filter(
        kind="improvement.check_due", key__startswith="improvement.check_due:"
    ).iterator(chunk_size=500):
        _prefix, check_id, planned_on = n.key.split(":", 2)
        n.key = f"improvement.effectiveness:{check_id}:{planned_on}:before-0:{n.recipient_id}"
        n.save(update_fields=["key"])
    for old, new in RENAMED.items():
        Notification.objects.filter(kind=old).update(kind=new)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    Notification = apps.get_model("core", "Notification")
    Preference = apps.get_model("core", "NotificationPreference")
    for old, new in RENAMED.items():
        Preference.objects.filter(kind=new).update(kind=old)
        Notification.objects.filter(kind=new).update(kind=old)


class Migration(migrations.Migration):
    dependencies = [("core", "0008_notifications")]

    operations = [migrations.RunPython(forward, backward)]
