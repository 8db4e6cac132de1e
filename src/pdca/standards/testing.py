"""Example objects of the standards app for the shared test world and the URL-walking test."""

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType

from pdca.core.testing import World, register_url_examples, register_world_builder
from pdca.standards import services
from pdca.standards.catalogue import load_catalogues
from pdca.standards.models import Clause, Edition, EvidenceLink, Process


def build(world: World) -> None:
    # Transactional tests flush the database; the loader is a no-op when catalogues are there.
    load_catalogues()
    org, mr = world.org, world.mr
    iso9001 = services.org_standard_choose(
        actor=mr,
        organization=org,
        edition=Edition.objects.get(standard__code="iso9001"),
        scope="Machining of precision parts",
        sites=[world.site] if world.site else [],
    )
    iso27001 = services.org_standard_choose(
        actor=mr,
        organization=org,
        edition=Edition.objects.get(standard__code="iso27001"),
    )
    clause = Clause.objects.get(edition=iso9001.edition, number="4.1")
    excludable = Clause.objects.get(edition=iso9001.edition, number="8.3.1")
    control = Clause.objects.get(edition=iso27001.edition, number="A.5.1")
    exclusion = services.exclusion_declare(
        actor=mr,
        org_standard=iso9001,
        clause=excludable,
        justification="We make to customer designs.",
    )
    services.soa_set(
        actor=mr, org_standard=iso27001, clause=control, applicable=True, justification="Needed."
    )
    process = services.process_save(
        actor=mr, organization=org, code="P1", name="Sales", owner=world.owner, purpose="Win orders"
    )
    services.evidence_link(actor=mr, organization=org, clause=clause, obj=process)
    action = services.roadmap_action_create(
        actor=mr,
        organization=org,
        title="Write the context analysis",
        owner=world.owner,
        due_on=datetime.date.today() + datetime.timedelta(days=10),
        clause=clause,
    )
    world.extra.update(
        iso9001=iso9001,
        iso27001=iso27001,
        clause=clause,
        control=control,
        exclusion=exclusion,
        process=process,
        roadmap_action=action,
        evidence=EvidenceLink.objects.get(
            clause=clause, content_type=ContentType.objects.get_for_model(Process)
        ),
    )


def url_examples(world: World) -> dict[str, dict[str, Any]]:
    x = world.extra
    os9, os27 = x["iso9001"].pk, x["iso27001"].pk
    pk = {"pk": os9}
    return {
        "standards:gap": pk,
        "standards:scope": pk,
        "standards:exclusions": pk,
        "standards:exclusion_withdraw": {"pk": os9, "ex": x["exclusion"].pk},
        "standards:soa": {"pk": os27},
        "standards:soa_export": {"pk": os27},
        "standards:soa_print": {"pk": os27},
        "standards:soa_edit": {"pk": os27, "clause": x["control"].pk},
        "standards:clause": {"pk": os9, "clause": x["clause"].pk},
        "standards:evidence_add": {"pk": os9, "clause": x["clause"].pk},
        "standards:action_from_gap": {"pk": os9, "clause": x["clause"].pk},
        "standards:evidence_unlink": {"pk": os9, "link": x["evidence"].pk},
        "standards:evidence_share": {"pk": os9, "link": x["evidence"].pk},
        "standards:assessment_confirm": {"pk": os9, "clause": x["clause"].pk},
        "standards:gap_row": {"pk": os9, "clause": x["clause"].pk},
        "standards:gap_bulk": pk,
        "standards:process": {"pk": x["process"].pk},
        "standards:process_edit": {"pk": x["process"].pk},
        "standards:roadmap_edit": {"pk": x["roadmap_action"].pk},
        "api-standards-edition": {"pk": x["iso9001"].edition_id},
        "api-standards-clauses": {"edition": x["iso9001"].edition_id},
        "api-standards-hs": {},
        "api-standards-org-standard": pk,
        "api-standards-exclusion": {"pk": x["exclusion"].pk},
        "api-standards-soa": {"pk": os27},
        "api-standards-assessment": {"pk": os9, "clause": x["clause"].pk},
        "api-standards-assessment-confirm": {"pk": os9, "clause": x["clause"].pk},
        "api-standards-evidence-share": {"pk": x["evidence"].pk},
        "api-standards-process": {"pk": x["process"].pk},
        "api-standards-roadmap-action": {"pk": x["roadmap_action"].pk},
        "api-standards-evidence-link": {"pk": x["evidence"].pk},
    }


register_world_builder(build)
register_url_examples(url_examples)
