"""What the registers link to and what follows from the links: an obligation's processes and
sites (kept in its versions) and the hazards citing it, which a change of the obligation makes
due for review; an aspect's controlling documents and objectives; the hazards and aspects an
incident's investigation names, due for review after it (45001 8.1.2, 10.2); the minutes of
a participation event, stored with their hash and served only inside the organization."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from pdca.compliance import services as compliance
from pdca.compliance.models import ObligationVersion
from pdca.core.models import Site, TrailEntry
from pdca.ehs.models import ParticipationEvent
from pdca.ehs.services import hazards, incidents, participation
from pdca.ehs.testing import make_aspect, make_event, make_hazard, make_incident, minutes_file
from pdca.standards.models import Process

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LATER = TODAY + datetime.timedelta(days=200)


def url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


def _process(org, name="Machining"):
    return Process.objects.create(organization=org, code="P-07", name=name)


def _objective(world, **values):
    from pdca.objectives import services as objectives

    return objectives.objective_create(
        actor=world.mr,
        organization=world.org,
        title=values.pop("title", "Halve coolant losses"),
        owner=world.owner,
        **values,
    )


# Obligations: processes and sites ------------------------------------------------------------


def test_an_obligation_names_its_processes_and_sites_and_keeps_them_in_its_versions(world):
    obligation = world.extra["obligation"]
    machining = _process(world.org)
    changed = compliance.obligation_update(
        actor=world.mr,
        obligation=obligation,
        version=obligation.version,
        reason="Applies to the machining hall",
        processes=[machining],
        sites=[world.site],
    )
    assert list(changed.processes.all()) == [machining]
    assert list(changed.sites.all()) == [world.site]
    # A later change keeps the version with the process and site it had.
    compliance.obligation_update(
        actor=world.mr,
        obligation=changed,
        version=changed.version,
        reason="Whole plant now",
        processes=[],
    )
    kept = ObligationVersion.objects.get(obligation=obligation, number=changed.version)
    assert kept.data["processes"] == [str(machining)] and kept.data["sites"] == ["Main plant"]
    entry = TrailEntry.objects.filter(
        action="compliance.obligation.updated", object_id=obligation.pk
    ).latest("pk")
    assert entry.changes["processes"] == [[str(machining)], []]


def test_processes_and_sites_of_another_organization_are_refused(world):
    with scopes_disabled():
        foreign_site = Site.objects.create(organization=world.other_org, name="Globex plant")
        foreign_process = _process(world.other_org)
    obligation = world.extra["obligation"]
    for field, value in (("sites", [foreign_site]), ("processes", [foreign_process])):
        with pytest.raises(ValidationError) as error:
            compliance.obligation_update(
                actor=world.mr,
                obligation=obligation,
                version=obligation.version,
                reason="x",
                **{field: value},
            )
        assert field in error.value.message_dict


def test_obligation_page_and_api_take_processes_and_sites(world, login):
    obligation = world.extra["obligation"]
    machining = _process(world.org)
    client = login(world.mr)
    form = client.get(url("compliance:edit", pk=obligation.pk))
    assert b"Machining" in form.content and b"Main plant" in form.content
    data = {
        "title": obligation.title,
        "discipline": obligation.discipline,
        "kind": obligation.kind,
        "requirement": obligation.requirement,
        "permit_number": obligation.permit_number,
        "permit_expires_on": obligation.permit_expires_on.isoformat(),
        "responsible": world.mr.pk,
        "evaluation_months": 12,
        "processes": [machining.pk],
        "sites": [world.site.pk],
        "reason": "Scope named",
        "version": obligation.version,
    }
    r = client.post(url("compliance:edit", pk=obligation.pk), data)
    assert r.status_code == 302
    page = client.get(url("compliance:detail", pk=obligation.pk)).content.decode()
    assert "P-07 Machining" in page and "Main plant" in page
    # A choice that is not the organization's is refused next to its field.
    r = client.post(url("compliance:edit", pk=obligation.pk), {**data, "sites": [999999]})
    assert r.status_code == 400 and "sites" in r.context["form"].errors
    # The API: ids in and out; an unknown id is refused on its field.
    obligation.refresh_from_db()
    api = url("api-compliance-obligation", pk=obligation.pk)
    body = client.get(api).json()
    assert body["processes"] == [machining.pk] and body["sites"] == [world.site.pk]
    r = client.patch(
        api,
        {"version": obligation.version, "reason": "x", "sites": [999999]},
        content_type="application/json",
    )
    assert r.status_code == 400 and "sites" in r.json()["errors"]
    r = client.patch(
        api,
        {"version": obligation.version, "reason": "Plant-wide", "processes": []},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["processes"] == []


def test_obligation_list_api_query_count_does_not_grow_with_links(
    world, login, django_assert_max_num_queries
):
    from pdca.compliance.testing import make_obligation

    client = login(world.mr)
    api = url("api-compliance-obligations")
    client.get(api)
    with django_assert_max_num_queries(12) as first:
        client.get(api)
    for n in range(5):
        make_obligation(world, title=f"Permit {n}", processes=[_process(world.org, f"P{n}")])
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(client.get(api).json()["results"]) == 6


# Hazards: obligations; reviews after a change of the obligation ------------------------------


def test_a_hazard_cites_obligations_of_its_organization_only(world):
    obligation = world.extra["obligation"]
    hazard = make_hazard(world, obligations=[obligation])
    assert list(hazard.obligations.all()) == [obligation]
    assert list(obligation.hazards.all()) == [hazard]
    with scopes_disabled():
        from pdca.compliance.models import Obligation

        foreign = Obligation.objects.create(
            organization=world.other_org,
            title="Globex permit",
            discipline="ohs",
            kind="law",
            requirement="x",
            responsible=world.outsider,
        )
    with pytest.raises(ValidationError) as error:
        hazards.hazard_update(
            actor=world.mr,
            entry=hazard,
            version=hazard.version,
            reason="x",
            obligations=[foreign],
        )
    assert "obligations" in error.value.message_dict


def test_a_changed_obligation_asks_for_the_review_of_its_hazards(world):
    obligation = world.extra["obligation"]
    cited = make_hazard(world, obligations=[obligation], review_on=LATER)
    other = make_hazard(world, hazard="Noise", review_on=LATER)
    compliance.obligation_update(
        actor=world.mr,
        obligation=obligation,
        version=obligation.version,
        reason="Exposure limit lowered",
        requirement="Lower limit.",
    )
    cited.refresh_from_db()
    other.refresh_from_db()
    assert cited.review_on == TODAY and other.review_on == LATER
    entry = TrailEntry.objects.get(action="ehs.hazard.review_asked", object_id=cited.pk)
    assert "Exposure limit lowered" in entry.reason


def test_hazard_page_shows_and_takes_its_obligations(world, login):
    obligation = world.extra["obligation"]
    hazard = world.extra["hazard"]
    hazard.refresh_from_db()  # its control changed its flag
    client = login(world.mr)
    r = client.get(url("ehs:hazard_edit", pk=hazard.pk))
    assert obligation.title.encode() in r.content
    data = {
        "location_or_task": hazard.location_or_task,
        "routine": "yes",
        "hazard_type": hazard.hazard_type,
        "hazard": hazard.hazard,
        "people_exposed": ["workers"],
        "likelihood": hazard.likelihood,
        "consequence": hazard.consequence,
        "owner": hazard.owner_id,
        "obligations": [obligation.pk],
        "reason": "Machinery directive applies",
        "version": hazard.version,
    }
    r = client.post(url("ehs:hazard_edit", pk=hazard.pk), data)
    assert r.status_code == 302
    page = client.get(url("ehs:hazard", pk=hazard.pk)).content.decode()
    assert obligation.title in page
    assert hazard.hazard in client.get(url("compliance:detail", pk=obligation.pk)).content.decode()


# Aspects: controlling documents and objectives -----------------------------------------------


def test_an_aspect_links_its_controlling_documents_and_objectives(world, login):
    document = world.extra["document"]
    objective = _objective(world)
    aspect = make_aspect(world, documents=[document], objectives=[objective])
    assert list(aspect.documents.all()) == [document]
    assert list(aspect.objectives.all()) == [objective]
    client = login(world.employee)
    page = client.get(url("ehs:aspect", pk=aspect.pk)).content.decode()
    assert document.number in page and objective.title in page
    # A significant aspect without an objective says so.
    significant = make_aspect(world, aspect="Coolant spill", severity=5, frequency=4)
    assert significant.significant
    page = client.get(url("ehs:aspect", pk=significant.pk)).content.decode()
    assert "None set for a significant aspect" in page


def test_documents_and_objectives_of_another_organization_are_refused(world, login):
    aspect = world.extra["aspect"]
    with scopes_disabled():
        from pdca.documents.models import Document

        foreign = Document.objects.filter(organization=world.other_org).first()
    if foreign is None:
        from pdca.documents import services as documents

        with scopes_disabled():
            foreign = documents.document_create(
                actor=world.outsider,
                organization=world.other_org,
                doc_type="procedure",
                title="Globex procedure",
                owner=world.outsider,
                text="How Globex works.",
            )
    from pdca.ehs import services

    with pytest.raises(ValidationError) as error:
        services.aspect_update(
            actor=world.mr, entry=aspect, version=aspect.version, reason="x", documents=[foreign]
        )
    assert "documents" in error.value.message_dict
    # Through the page, the foreign id is no choice at all.
    client = login(world.mr)
    r = client.post(
        url("ehs:aspect_edit", pk=aspect.pk),
        {
            "activity": aspect.activity,
            "aspect": aspect.aspect,
            "impact_on": aspect.impact_on,
            "impact": aspect.impact,
            "condition": aspect.condition,
            "life_cycle_stage": aspect.life_cycle_stage,
            "control": aspect.control,
            "severity": aspect.severity,
            "frequency": aspect.frequency,
            "stakeholder_concern": aspect.stakeholder_concern,
            "owner": aspect.owner_id,
            "documents": [foreign.pk],
            "reason": "x",
            "version": aspect.version,
        },
    )
    assert r.status_code == 400 and "documents" in r.context["form"].errors


# Incidents: the hazards and aspects named are due for review ---------------------------------


def test_an_investigation_asks_for_the_review_of_the_hazards_and_aspects_it_names(world):
    hazard = make_hazard(world, review_on=LATER)
    aspect = make_aspect(world, aspect="Oil to floor", review_on=LATER)
    incident = make_incident(world)
    incidents.incident_investigate(
        actor=world.owner,
        incident=incident,
        version=incident.version,
        lead=world.owner,
        worker_representative=world.employee,
        hazards=[hazard],
        aspects=[aspect],
    )
    hazard.refresh_from_db()
    aspect.refresh_from_db()
    assert hazard.review_on == TODAY and aspect.review_on == TODAY
    entry = TrailEntry.objects.get(action="ehs.hazard.review_asked", object_id=hazard.pk)
    assert incident.reference in entry.reason
    # Reassessed since, it is not asked again by a later save naming it still.
    hazard = hazards.hazard_update(
        actor=world.mr,
        entry=hazard,
        version=hazard.version,
        reason="Reassessed after the incident",
        review_on=LATER,
    )
    incident.refresh_from_db()
    incidents.incident_investigate(
        actor=world.owner,
        incident=incident,
        version=incident.version,
        hazards=[hazard],
        root_cause="Guard left open.",
    )
    hazard.refresh_from_db()
    assert hazard.review_on == LATER
    assert TrailEntry.objects.filter(action="ehs.hazard.review_asked").count() == 1


def test_a_withdrawn_hazard_named_in_an_investigation_is_not_asked(world):
    hazard = make_hazard(world, review_on=LATER)
    hazards.hazard_withdraw(actor=world.mr, hazard=hazard, reason="Machine scrapped")
    incident = make_incident(world)
    incidents.incident_investigate(
        actor=world.owner,
        incident=incident,
        version=incident.version,
        lead=world.owner,
        worker_representative=world.employee,
        hazards=[hazard],
    )
    assert not TrailEntry.objects.filter(action="ehs.hazard.review_asked").exists()


# Participation: the minutes ------------------------------------------------------------------


def test_minutes_are_stored_with_their_hash_and_replaced_only_with_a_reason(world):
    event = world.extra["event"]
    assert event.minutes_name == "committee-minutes.pdf" and len(event.minutes_sha256) == 64
    first = event.minutes.name
    corrected = participation.event_update(
        actor=world.mr,
        event=event,
        version=event.version,
        reason="Signed minutes",
        minutes=minutes_file("signed.pdf", b"%PDF-1.4\n% signed\n%%EOF\n"),
    )
    assert corrected.minutes_name == "signed.pdf" and corrected.minutes.name != first
    entry = TrailEntry.objects.filter(
        action="ehs.participation.corrected", object_id=event.pk
    ).latest("pk")
    assert entry.changes["minutes"][0] == first and entry.reason == "Signed minutes"
    from django.core.files.storage import default_storage

    assert default_storage.exists(first)  # the earlier file stays stored


def test_minutes_that_are_not_an_allowed_file_are_refused(world, login):
    with pytest.raises(ValidationError):
        make_event(world, minutes=minutes_file("minutes.pdf", b"not a pdf"))
    client = login(world.mr)
    r = client.post(
        url("ehs:event_create"),
        {
            "held_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
            "mechanism": world.extra["mechanism"].pk,
            "topic": "Toolbox talk",
            "participation_topics": ["hazards"],
            "workers": [world.employee.pk],
            "outcome": "Talked about guards.",
            "minutes": minutes_file("minutes.pdf", b"not a pdf"),
        },
    )
    assert r.status_code == 400 and "minutes" in r.context["form"].errors
    assert not ParticipationEvent.objects.filter(topic="Toolbox talk").exists()
    r = client.post(
        url("ehs:event_create"),
        {
            "held_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
            "mechanism": world.extra["mechanism"].pk,
            "topic": "Toolbox talk",
            "participation_topics": ["hazards"],
            "workers": [world.employee.pk],
            "outcome": "Talked about guards.",
            "minutes": minutes_file("toolbox.pdf"),
        },
    )
    assert r.status_code == 302
    assert ParticipationEvent.objects.get(topic="Toolbox talk").minutes_name == "toolbox.pdf"


def test_minutes_are_served_to_the_organization_only(world, login):
    event = world.extra["event"]
    client = login(world.employee)
    page = client.get(url("ehs:event", pk=event.pk)).content.decode()
    assert "committee-minutes.pdf" in page
    r = client.get(url("ehs:event_minutes", pk=event.pk))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF-")
    assert "committee-minutes.pdf" in r["Content-Disposition"]
    outsider = login(world.outsider)
    assert outsider.get(url("ehs:event_minutes", pk=event.pk)).status_code == 404
    assert outsider.get(url("ehs:event_minutes", org="globex", pk=event.pk)).status_code == 404
    without = make_event(world, topic="Toolbox talk")
    assert login(world.mr).get(url("ehs:event_minutes", pk=without.pk)).status_code == 404


# Awareness: significant aspects and high risks -----------------------------------------------


def _awareness_item(world, kind, title):
    from pdca.people import services as people

    return people.awareness_item_save(
        actor=world.mr, organization=world.org, title=title, kind=kind, description="Know them."
    )


def test_a_new_significant_aspect_asks_everyone_to_acknowledge_again(world):
    item = _awareness_item(world, "aspects", "Our significant aspects")
    policy = _awareness_item(world, "policy", "Environmental policy")
    make_aspect(world, aspect="Compressed air leaks", severity=1, frequency=2)
    item.refresh_from_db()
    assert item.round == 1  # not significant: nothing to tell
    spill = make_aspect(world, aspect="Coolant spill", severity=5, frequency=4)
    assert spill.significant
    item.refresh_from_db()
    policy.refresh_from_db()
    assert item.round == 2 and policy.round == 1
    entry = TrailEntry.objects.filter(
        action="people.awareness.asked_again", object_id=item.pk
    ).latest("pk")
    assert "Coolant spill" in entry.reason
    # Reassessed and still significant: not asked again; one that becomes significant is.
    from pdca.ehs import services

    services.aspect_update(
        actor=world.mr, entry=spill, version=spill.version, reason="Review", frequency=5
    )
    item.refresh_from_db()
    assert item.round == 2
    mist = world.extra["aspect"]
    assert not mist.significant
    services.aspect_update(
        actor=world.mr, entry=mist, version=mist.version, reason="Complaints", severity=5
    )
    item.refresh_from_db()
    assert item.round == 3


def test_new_criteria_that_make_aspects_significant_ask_again(world):
    from pdca.ehs import services

    item = _awareness_item(world, "aspects", "Our significant aspects")
    services.criteria_save(actor=world.mr, organization=world.org, threshold=10)
    item.refresh_from_db()
    assert item.round == 2  # the coolant mist (14) is significant from 10


def test_a_newly_high_risk_asks_again_and_the_item_lists_the_current_ones(world, login):
    item = _awareness_item(world, "hazards", "Hazards at the machines")
    low = make_hazard(world, hazard="Noise", likelihood=2, consequence=2)
    item.refresh_from_db()
    assert item.round == 1
    hazards.hazard_update(
        actor=world.mr, entry=low, version=low.version, reason="Louder press", consequence=5
    )
    item.refresh_from_db()
    assert item.round == 2
    page = login(world.employee).get(
        reverse("people:awareness", kwargs={"org": "acme", "pk": item.pk})
    )
    text = page.content.decode()
    assert "What it covers today" in text and "Noise" in text and "Sharp swarf" in text
    # An item of a kind no register keeps shows no such list.
    policy = _awareness_item(world, "policy", "Policy")
    page = login(world.employee).get(
        reverse("people:awareness", kwargs={"org": "acme", "pk": policy.pk})
    )
    assert "What it covers today" not in page.content.decode()


# The same links through the API --------------------------------------------------------------


def test_api_links_aspects_and_hazards_and_refuses_unknown_ids(
    world, login, django_assert_max_num_queries
):
    client = login(world.mr)
    document, obligation = world.extra["document"], world.extra["obligation"]
    objective = _objective(world)
    aspect = world.extra["aspect"]
    api = url("api-ehs-aspect", pk=aspect.pk)
    r = client.patch(
        api,
        {
            "version": aspect.version,
            "reason": "Procedure written",
            "documents": [document.pk],
            "objectives": [objective.pk],
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["documents"] == [document.pk] and r.json()["objectives"] == [objective.pk]
    r = client.patch(
        api,
        {"version": r.json()["version"], "reason": "x", "objectives": [999999]},
        content_type="application/json",
    )
    assert r.status_code == 400 and "objectives" in r.json()["errors"]
    hazard = world.extra["hazard"]
    hazard.refresh_from_db()
    r = client.patch(
        url("api-ehs-hazard", pk=hazard.pk),
        {"version": hazard.version, "reason": "Law applies", "obligations": [obligation.pk]},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["obligations"] == [obligation.pk]
    # The lists read the links with a fixed number of queries.
    for name in ("api-ehs-aspects", "api-ehs-hazards"):
        client.get(url(name))
        with django_assert_max_num_queries(14) as first:
            client.get(url(name))
        make_aspect(world, aspect="Noise", documents=[document], obligations=[obligation])
        make_hazard(world, hazard="Noise", obligations=[obligation])
        with django_assert_max_num_queries(len(first.captured_queries)):
            client.get(url(name))


def test_api_attaches_minutes_with_a_reason_and_names_where_to_get_them(world, login):
    event = world.extra["event"]
    client = login(world.mr)
    body = client.get(url("api-ehs-event", pk=event.pk)).json()
    assert body["minutes_name"] == "committee-minutes.pdf"
    assert body["minutes_url"] == url("ehs:event_minutes", pk=event.pk)
    api = url("api-ehs-event-minutes", pk=event.pk)
    r = client.post(api, {"file": minutes_file("signed.pdf"), "version": event.version})
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = client.post(
        api, {"file": minutes_file("x.pdf", b"no pdf"), "version": event.version, "reason": "x"}
    )
    assert r.status_code == 400
    r = client.post(
        api, {"file": minutes_file("signed.pdf"), "version": event.version, "reason": "Signed"}
    )
    assert r.status_code == 200 and r.json()["minutes_name"] == "signed.pdf"
    r = client.post(
        api, {"file": minutes_file("again.pdf"), "version": event.version, "reason": "Stale"}
    )
    assert r.status_code == 409
    assert (
        login(world.employee)
        .post(api, {"file": minutes_file(), "version": event.version + 1, "reason": "x"})
        .status_code
        == 403
    )
    outsider = login(world.outsider)
    assert (
        outsider.post(
            url("api-ehs-event-minutes", org="globex", pk=event.pk),
            {"file": minutes_file(), "version": 1, "reason": "x"},
        ).status_code
        == 404
    )


def test_criteria_that_make_several_aspects_significant_ask_once(world):
    from pdca.ehs import services

    item = _awareness_item(world, "aspects", "Our significant aspects")
    make_aspect(world, aspect="Oily rags", severity=3, frequency=4, stakeholder_concern=1)
    services.criteria_save(actor=world.mr, organization=world.org, threshold=10)
    item.refresh_from_db()
    assert item.round == 2  # both became significant: one new round, naming both
    entry = TrailEntry.objects.filter(
        action="people.awareness.asked_again", object_id=item.pk
    ).latest("pk")
    assert "Oily rags" in entry.reason and "Coolant mist to air" in entry.reason
