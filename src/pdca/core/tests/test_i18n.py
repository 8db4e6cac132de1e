"""German throughout: the language choice in the profile, the shell's pages in German, and
committed translations that match their sources."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from pdca.core.models import TrailEntry
from pdca.core.testing import english_left

PACKAGE = Path(__file__).resolve().parents[2]


def _url(name, **kwargs):
    return reverse(f"core:{name}", kwargs={"org": "acme", **kwargs})


def _german(user):
    user.language = "de"
    user.save(update_fields=["language"])
    return user


def _text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# Each page: English labels it shows that must be gone in German, and their German counterparts.
PAGES = {
    "dashboard": (
        ["Needs your attention", "Skip to content", "Sign out", "Audit trail", "People"],
        ["Braucht Ihre Aufmerksamkeit", "Zum Inhalt springen", "Abmelden", "Personen"],
    ),
    "members": (
        ["Invite someone", "Department", "Access", "Name or e-mail", ">Search<"],
        ["Jemanden einladen", "Abteilung", "Zugang", "Name oder E-Mail"],
    ),
    "organization": (
        ["Organization settings", "Save settings", "Add a site", "Add a department"],
        ["Einstellungen der Organisation", "Einstellungen speichern", "Standort hinzufügen"],
    ),
    "roles": (
        ["Who may do what", ">Module<", ">Process owner<", ">External auditor<"],
        [
            "Wer darf was",
            "Modul",
            "Managementbeauftragter",
            "Prozesseigner",
            "Organisationen und Personen",
        ],
    ),
    "trail": (
        ["Every change in", "When (UTC)", "Who (e-mail)", "Older entries", ">Filter<"],
        ["Jede Änderung in", "Wann (UTC)", "Wer (E-Mail)", "Filtern"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_shell_pages_speak_german(world, login, page):
    client = login(_german(world.mr))
    html = _text(client.get(_url(page)))
    english, german = PAGES[page]
    assert '<html lang="de"' in html
    for label in english:
        assert label not in html, f"{page}: {label!r} is still English"
    for label in german:
        assert label in html, f"{page}: {label!r} missing"
    # And no message of pdca's catalogues is left in English anywhere on the page (the roles
    # table names each permission by its code, e.g. "documents" "manage").
    assert [m for m in english_left(html) if m != "manage"] == []


@pytest.mark.django_db
def test_the_profile_and_the_sign_in_page_speak_german(world, client):
    html = _text(client.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="de"))
    assert "Bei pdca anmelden" in html and "Passwort vergessen?" in html
    assert "Sign in to pdca" not in html and "Forgotten your password?" not in html
    client.force_login(_german(world.employee))
    html = _text(client.get(reverse("core:profile")))
    for label in ["Your profile", "About you", "Change your password", "Recent sign-ins"]:
        assert label not in html
    for label in ["Ihr Profil", "Über Sie", "Passwort ändern", "Letzte Anmeldungen", "Sprache"]:
        assert label in html


@pytest.mark.django_db
def test_without_a_choice_the_browser_language_counts(world, client):
    client.force_login(world.employee)
    assert "Ihr Profil" in _text(client.get(reverse("core:profile"), HTTP_ACCEPT_LANGUAGE="de"))
    assert "Your profile" in _text(client.get(reverse("core:profile"), HTTP_ACCEPT_LANGUAGE="en"))


@pytest.mark.django_db
def test_the_language_chosen_in_the_profile_takes_effect_and_is_on_the_trail(world, client):
    user = world.employee
    client.force_login(user)
    html = _text(client.get(reverse("core:profile"), HTTP_ACCEPT_LANGUAGE="en"))
    assert 'name="language"' in html and ">Deutsch<" in html
    response = client.post(
        reverse("core:profile"),
        {"full_name": user.full_name, "job_title": "", "language": "de"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "de"
    entry = TrailEntry.objects.filter(action="core.user.language_changed").latest("at")
    assert entry.changes == {"language": ["", "de"]} and entry.actor_id == user.pk
    # The browser still asks for English: the choice wins, and the confirmation is German.
    html = _text(client.get(reverse("core:profile"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Ihr Profil wurde gespeichert." in html and "Ihr Profil" in html
    # Back to the browser's choice.
    client.post(
        reverse("core:profile"),
        {"full_name": user.full_name, "job_title": "", "language": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    user.refresh_from_db()
    assert user.language == ""
    assert "Your profile" in _text(client.get(reverse("core:profile"), HTTP_ACCEPT_LANGUAGE="en"))


@pytest.mark.django_db
def test_an_unknown_language_is_refused_next_to_the_field(world, client):
    client.force_login(world.employee)
    response = client.post(
        reverse("core:profile"), {"full_name": "X", "job_title": "", "language": "xx"}
    )
    assert response.status_code == 200
    assert 'id="id_language_error"' in response.content.decode()
    world.employee.refresh_from_db()
    assert world.employee.language == ""


@pytest.mark.django_db
def test_the_service_refuses_an_unknown_language(world):
    from django.core.exceptions import ValidationError

    from pdca.core.language import user_set_language

    with pytest.raises(ValidationError) as error:
        user_set_language(actor=world.employee, user=world.employee, language="xx")
    assert "language" in error.value.message_dict


@pytest.mark.django_db
def test_a_refusal_from_a_service_reads_german(world):
    from django.core.exceptions import ValidationError

    from pdca.core import services

    with translation.override("de"), pytest.raises(ValidationError) as error:
        services.membership_add(actor=None, organization=world.org, user=world.outsider, roles=[])
    assert error.value.message_dict["roles"] == ["Wählen Sie mindestens eine Rolle."]


def _catalogues():
    return sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/django.po"))


def test_there_are_german_catalogues_for_the_shell_core_and_standards():
    names = {str(p.relative_to(PACKAGE)) for p in _catalogues()}
    for expected in ("locale", "core/locale", "standards/locale"):
        assert f"{expected}/de/LC_MESSAGES/django.po" in names


@pytest.mark.parametrize("po_path", _catalogues(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_catalogue_is_complete_and_compiled(po_path):
    """Every message has its translation, and the committed .mo holds exactly the .po's
    translations: run `msgfmt -o django.mo django.po` after editing a .po (README)."""
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po if not e.translated() and not e.obsolete]
    assert not untranslated, f"{po_path}: untranslated {untranslated[:5]}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: compile the .po with msgfmt"

    def pairs(catalogue):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid and not e.obsolete and "fuzzy" not in e.flags
        }

    assert pairs(po) == pairs(polib.mofile(str(mo_path))), f"{mo_path} is out of date"


@pytest.mark.django_db
def test_a_german_users_request_leaves_the_language_it_found(world, client):
    """The user's language holds for their request only: the thread (here the test's own)
    speaks the language it spoke before, so the next request or test is not answered in it."""
    client.force_login(_german(world.mr))
    with translation.override("en"):
        response = client.get(_url("dashboard"))
        assert response.headers["Content-Language"] == "de"
        assert "Braucht Ihre Aufmerksamkeit" in response.content.decode()
        assert translation.get_language() == "en"
        assert translation.gettext("Sign out") == "Sign out"


def test_every_model_is_named_in_german():
    """The names of pdca's models reach the reader (the edit-conflict message names the thing
    changed): each is marked for translation and has its German."""
    from django.apps import apps
    from django.utils.functional import Promise

    unnamed = []
    for model in apps.get_models():
        if not model.__module__.startswith("pdca."):
            continue
        for name in (model._meta.verbose_name, model._meta.verbose_name_plural):
            with translation.override("de"):
                german = str(name)
            if not isinstance(name, Promise) or german == str(name):
                unnamed.append(f"{model._meta.label}: {name}")
    assert not unnamed, unnamed


@pytest.mark.django_db
def test_the_edit_conflict_names_the_thing_in_german(world):
    from pdca.core.updating import conflict
    from pdca.improvement.models import CorrectiveAction

    with translation.override("de"):
        message = conflict(CorrectiveAction()).messages[0]
    assert "(Korrekturmaßnahme)" in message and "corrective" not in message
