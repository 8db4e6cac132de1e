"""The roles page ("Who may do what") shows every action of every policy by its label and every
object rule in words, in the reader's language; a policy cannot be declared without them."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from pdca.core.permissions import POLICIES, described, register_policy, rule_described
from pdca.core.roles import Role


def _actions():
    return [(p.app, action) for p in POLICIES.values() for action in p.table]


def test_every_action_of_every_policy_has_a_label_in_english_and_german():
    missing = []
    for app, action in _actions():
        label = POLICIES[app].labels.get(action)
        if label is None:
            missing.append(f"{app}.{action}: no label")
            continue
        with translation.override("en"):
            english = str(label)
        with translation.override("de"):
            german = str(label)
        if english == action or german == english:
            missing.append(f"{app}.{action}: {english!r} / {german!r}")
    assert not missing, missing
    # The calendar's, the trail export's and the notifications' actions among them.
    assert {"view_calendar", "export_trail", "read_notifications"} <= set(POLICIES["core"].table)


def test_every_object_rule_says_what_it_checks_in_english_and_german():
    silent = []
    for policy in POLICIES.values():
        for action, rule in policy.object_rules.items():
            with translation.override("en"):
                english = rule_described(rule)
            with translation.override("de"):
                german = rule_described(rule)
            if not english or german == english:
                silent.append(f"{policy.app}.{action}")
    assert not silent, silent


def test_a_policy_without_labels_or_with_a_silent_rule_is_refused():
    def anyone(membership, obj):
        return True

    with pytest.raises(ValueError, match="without a label"):
        register_policy("nowhere", {"view": {Role.EMPLOYEE}}, labels={})
    with pytest.raises(ValueError, match="does not say what it checks"):
        register_policy(
            "nowhere",
            {"view": {Role.EMPLOYEE}},
            labels={"view": "View"},
            object_rules={"view": anyone},
        )
    register_policy(
        "nowhere",
        {"view": {Role.EMPLOYEE}},
        labels={"view": "View"},
        object_rules={"view": described("Anyone.")(anyone)},
    )
    assert rule_described(POLICIES.pop("nowhere").object_rules["view"]) == "Anyone."
    assert "nowhere" not in POLICIES


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
def test_the_roles_page_lists_every_action_and_object_rule_in_words(world, client, language):
    world.employee.language = language
    world.employee.save(update_fields=["language"])
    client.force_login(world.employee)
    html = client.get(reverse("core:roles", kwargs={"org": world.org.slug})).content.decode()
    with translation.override(language):
        for app, action in _actions():
            assert escape(str(POLICIES[app].labels[action])) in html, (app, action)
        for policy in POLICIES.values():
            for rule in policy.object_rules.values():
                assert escape(rule_described(rule)) in html, policy.app
    # No action is shown by its code alone: outside the <code> beside each label, none appears.
    visible = re.sub(r"(?s)<code\b.*?</code>", " ", html)
    codes = {action for _app, action in _actions() if "_" in action}
    assert not [c for c in codes if re.search(rf"\b{c}\b", visible)]
