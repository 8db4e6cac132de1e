# ruff: noqa: E501  (demo data tables)
"""Demo documents: Acme's quality and environmental system, Northwind's security documents.

Procedures go through the real signed workflow (review, approval, release), so the demo's
trail and signatures are what production would hold. Some reviews are overdue and staff have
reading to acknowledge."""

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pdca.core.demo import DEMO_PASSWORD, DemoContext
from pdca.core.models import Department
from pdca.documents import services
from pdca.documents.external import external_register as register_external
from pdca.documents.models import Document
from pdca.standards.models import Process
from pdca.standards.selectors import clauses_by_reference

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

ACME = [
    # type, title, owner, department, clauses (ISO 9001 / 14001 numbers), text, overdue, distribute
    # (title and text are written in the demo's language)
    (
        "policy",
        gettext_noop("Quality policy"),
        "top@acme.example",
        "Management",
        ["9001:5.2", "9001:5.2.2"],
        gettext_noop(
            "# Quality policy\n\nAcme Precision Ltd machines parts that fit first time.\n\n"
            "- We agree requirements with each customer before we quote.\n"
            "- We measure what we make and act on what we find.\n"
            "- We train our people and give them the right tools.\n"
            "- We improve our processes every year through objectives and audits.\n"
        ),
        False,
        ["employee", "owner"],
    ),
    (
        "policy",
        gettext_noop("Environmental policy"),
        "top@acme.example",
        "Management",
        ["14001:5.2"],
        gettext_noop(
            "# Environmental policy\n\nWe cut coolant waste, recycle swarf and metal offcuts, "
            "and meet every permit and legal requirement that applies to the Sheffield plant.\n"
        ),
        True,
        ["employee"],
    ),
    (
        "procedure",
        gettext_noop("Control of documented information"),
        "mr@acme.example",
        "Quality",
        ["9001:7.5"],
        gettext_noop(
            "# Purpose\n\nKeep every procedure, work instruction and form current, approved and available.\n\n"
            "## Numbering\n\nPolicies POL, procedures PRO, work instructions WI, forms FRM.\n\n"
            "## Approval\n\nThe owner drafts; a reviewer checks; the quality manager approves and releases. "
            "Obsolete copies are withdrawn from the shop floor.\n"
        ),
        False,
        ["owner", "auditor"],
    ),
    (
        "procedure",
        gettext_noop("Internal audit"),
        "mr@acme.example",
        "Quality",
        ["9001:9.2"],
        gettext_noop(
            "# Purpose\n\nPlan and run internal audits so that every process is audited at least once a year.\n\n"
            "## Auditor independence\n\nNo one audits their own work.\n"
        ),
        True,
        ["auditor"],
    ),
    (
        "procedure",
        gettext_noop("Corrective action"),
        "mr@acme.example",
        "Quality",
        ["9001:10.2"],
        gettext_noop(
            "# Purpose\n\nContain, find the root cause, correct and verify.\n\n"
            "## Root cause\n\nUse 5 whys or a fishbone diagram; record the cause in pdca.\n"
        ),
        False,
        ["owner"],
    ),
    (
        "procedure",
        gettext_noop("Control of nonconforming output"),
        "owner@acme.example",
        "Production",
        ["9001:8.7"],
        gettext_noop(
            "# Purpose\n\nStop nonconforming parts from reaching the customer.\n\n"
            "## Quarantine\n\nTag with a red label and move to the quarantine cage; record in pdca.\n"
        ),
        False,
        ["employee"],
    ),
    (
        "work_instruction",
        gettext_noop("CNC lathe setup"),
        "owner@acme.example",
        "Production",
        ["9001:8.5.1"],
        gettext_noop(
            "# CNC lathe setup\n\n1. Check the job card and drawing revision.\n2. Load the program from the DNC server.\n"
            "3. Set tool offsets with the presetter.\n4. Run the first-off part and have it inspected before the batch.\n"
        ),
        False,
        ["employee"],
    ),
    (
        "work_instruction",
        gettext_noop("Deburring of machined parts"),
        "owner@acme.example",
        "Production",
        ["9001:8.5.1"],
        gettext_noop(
            "# Deburring\n\nWear cut-resistant gloves. Deburr all edges to 0.2 mm max chamfer. "
            "Blow off swarf with low-pressure air and eye protection.\n"
        ),
        False,
        ["employee"],
    ),
    (
        "form",
        gettext_noop("First-off inspection record"),
        "owner@acme.example",
        "Production",
        ["9001:8.6"],
        gettext_noop(
            "# First-off inspection\n\n| Feature | Nominal | Measured | OK |\n|---|---|---|---|\n| | | | |\n"
        ),
        False,
        [],
    ),
    (
        "form",
        gettext_noop("Corrective action request"),
        "mr@acme.example",
        "Quality",
        ["9001:10.2"],
        gettext_noop("# CAR form\n\nProblem / containment / root cause / action / verification.\n"),
        False,
        [],
    ),
    # The management system's own documented information: each row names the exact clause
    # whose mandatory item it is, so the stage 1 checklist finds it.
    (
        "manual",
        gettext_noop("Scope of the management system"),
        "mr@acme.example",
        "Management",
        ["9001:4.3", "14001:4.3"],
        gettext_noop(
            "# Scope\n\nContract machining of precision metal parts to customers' drawings "
            "at the Sheffield plant.\n\n## Not applicable\n\nISO 9001 8.3 (design and "
            "development): Acme designs no products; customers own every design.\n"
        ),
        False,
        ["employee"],
    ),
    (
        "manual",
        gettext_noop("Process descriptions"),
        "mr@acme.example",
        "Quality",
        ["9001:4.4.2"],
        gettext_noop(
            "# Process descriptions\n\nOne page per process: owner, inputs, outputs, "
            "controls, KPIs and the documents it follows.\n"
        ),
        False,
        ["owner"],
    ),
    (
        "form",
        gettext_noop("Quality and environmental objectives"),
        "top@acme.example",
        "Management",
        ["9001:6.2.1", "14001:6.2.1"],
        gettext_noop(
            "# Objectives this year\n\n- First-pass yield at least 98 %.\n"
            "- On-time delivery at least 95 %.\n- Coolant waste down 10 % on last year.\n"
            "- Swarf recycled: 100 %.\n"
        ),
        False,
        ["employee"],
    ),
    (
        "procedure",
        gettext_noop("Production planning and control"),
        "owner@acme.example",
        "Production",
        ["9001:8.1", "14001:8.1"],
        gettext_noop(
            "# Purpose\n\nPlan each order from the confirmed order to release: routing, "
            "machines, inspection plan, coolant and waste handling.\n"
        ),
        False,
        ["employee"],
    ),
    (
        "form",
        gettext_noop("Risks and opportunities register"),
        "mr@acme.example",
        "Quality",
        ["14001:6.1.1"],
        gettext_noop(
            "# Risks and opportunities\n\nReviewed at each management review: coolant "
            "spill, supplier of recycled bar stock, energy price.\n"
        ),
        False,
        [],
    ),
    (
        "form",
        gettext_noop("Environmental aspects and impacts register"),
        "mr@acme.example",
        "Production",
        ["14001:6.1.2"],
        gettext_noop(
            "# Aspects\n\nSignificance = severity × likelihood, significant from 12.\n\n"
            "- Coolant waste (significant).\n- Swarf and offcuts.\n- Electricity use "
            "(significant).\n"
        ),
        False,
        [],
    ),
    (
        "form",
        gettext_noop("Register of compliance obligations"),
        "mr@acme.example",
        "Quality",
        ["14001:6.1.3"],
        gettext_noop(
            "# Compliance obligations\n\nEnvironmental permit, waste duty of care, trade "
            "effluent consent, customers' material declarations.\n"
        ),
        False,
        [],
    ),
    (
        "procedure",
        gettext_noop("Emergency preparedness and response"),
        "owner@acme.example",
        "Production",
        ["14001:8.2"],
        gettext_noop(
            "# Coolant or oil spill\n\nStop the leak, use the spill kit, keep it out of "
            "drains, report to the quality manager. Drill twice a year.\n"
        ),
        False,
        ["employee"],
    ),
]
NORTHWIND = [
    (
        "policy",
        gettext_noop("Information security policy"),
        "mr@northwind.example",
        "IT & Security",
        ["27001:5.2"],
        gettext_noop(
            "# Information security policy\n\nWe protect customer shipment data and our systems: "
            "confidentiality, integrity and availability.\n"
        ),
        False,
        ["employee"],
    ),
    (
        "procedure",
        gettext_noop("Access control"),
        "mr@northwind.example",
        "IT & Security",
        ["27001:A.5.15"],
        gettext_noop(
            "# Access control\n\nAccess is granted on least privilege, reviewed quarterly and removed on leaving.\n"
        ),
        True,
        ["employee"],
    ),
    (
        "procedure",
        gettext_noop("Incident management"),
        "mr@northwind.example",
        "IT & Security",
        ["27001:A.5.24"],
        gettext_noop(
            "# Incident management\n\nReport suspected incidents to the service desk at once. "
            "The security manager classifies, contains and records each incident.\n"
        ),
        False,
        ["employee"],
    ),
]


# The process each of Acme's documents belongs to (standards' demo codes): an audit of the
# process asks whether its documents are followed.
PROCESS_OF = {
    "Internal audit": "M2",
    "Corrective action": "M3",
    "Corrective action request": "M3",
    "Control of nonconforming output": "C4",
    "First-off inspection record": "C4",
    "CNC lathe setup": "C3",
    "Deburring of machined parts": "C3",
}


def _build(ctx: DemoContext, slug: str, rows: list[Any], approver: str, reviewer: str) -> None:
    org = ctx.orgs[slug]
    depts = {d.name: d for d in Department.objects.filter(organization=org)}
    processes = {p.code: p for p in Process.objects.filter(organization=org)}
    for doc_type, title, owner, dept, refs, text, overdue, roles in rows:
        owner_user = ctx.users[owner]
        approver_user = ctx.users[approver]
        author = owner_user if owner_user != approver_user else ctx.users[reviewer]
        doc = services.document_create(
            actor=author,
            organization=org,
            doc_type=doc_type,
            title=_(title),
            owner=owner_user,
            department=depts.get(dept),
            process=processes.get(PROCESS_OF.get(title, "")),
            text=_(text),
            clauses=clauses_by_reference(org, refs),
            reviewers=[ctx.users[reviewer]] if ctx.users[reviewer] != author else [],
            approvers=[approver_user],
            review_interval_months=12 if doc_type != "form" else 24,
        )
        if roles:
            services.distribution_set(actor=ctx.users[approver], document=doc, roles=roles)
        rev = doc.latest_revision
        assert rev is not None
        services.revision_submit(actor=author, revision=rev)
        if doc.reviewers.exists():
            services.revision_sign(
                actor=ctx.users[reviewer], revision=rev, password=DEMO_PASSWORD, meaning="reviewed"
            )
        services.revision_sign(
            actor=approver_user, revision=rev, password=DEMO_PASSWORD, meaning="approved"
        )
        services.revision_release(
            actor=approver_user,
            revision=rev,
            password=DEMO_PASSWORD,
            effective_from=ctx.today - datetime.timedelta(days=400 if overdue else 60),
            today=ctx.today,
        )


def build(ctx: DemoContext) -> None:
    acme = ctx.orgs["acme"]
    if Document.objects.filter(organization=acme).exists():
        return
    # Acme: the approver is the quality manager; the policy is approved by top management.
    _build(ctx, "acme", ACME[:2], "top@acme.example", "mr@acme.example")
    _build(ctx, "acme", ACME[2:], "mr@acme.example", "auditor@acme.example")
    _build(ctx, "northwind", NORTHWIND, "consultant@pdca.example", "mr@northwind.example")
    mr = ctx.users["mr@acme.example"]
    # A document of external origin: the customer's drawing standard, registered (not
    # approved here) with its issuer, edition and where it came from, and checked for a new
    # edition every year.
    register_external(
        actor=mr,
        organization=acme,
        title=_("Customer drawing standard DS-400 (Boreham Hydraulics)"),
        owner=ctx.users["owner@acme.example"],
        issuer="Boreham Hydraulics Ltd",
        external_reference="DS-400",
        edition="2023-2",
        obtained_from=_("Boreham supplier portal"),
        next_edition_check=ctx.today + datetime.timedelta(days=40),
        upload=SimpleUploadedFile("DS-400.pdf", PDF),
        text=_("Customer-supplied specification; the customer controls its revisions."),
    )
    # A draft in progress: a revised corrective action procedure awaiting review.
    car = Document.objects.get(organization=acme, title=_("Corrective action"))
    draft = services.revision_start(
        actor=mr, document=car, change_reason=_("Add 8D for customer complaints")
    )
    services.revision_update(
        actor=mr,
        revision=draft,
        version=draft.version,
        text=draft.text
        + _("\n## Customer complaints\n\nUse the 8D method and reply within 10 days.\n"),
        change_reason=_("Add 8D for customer complaints"),
    )
    services.revision_submit(actor=mr, revision=draft)
    # Staff have read some, not all.
    staff = ctx.users["staff@acme.example"]
    from pdca.documents.models import Acknowledgement

    pending = list(
        Acknowledgement.objects.filter(user=staff, acknowledged_at__isnull=True).order_by("pk")
    )
    for ack in pending[:3]:
        services.reading_opened(actor=staff, revision=ack.revision)
    # Two read and confirmed; a third opened, its confirmation still to come.
    for ack in pending[:2]:
        ack.refresh_from_db()
        services.acknowledgement_confirm(actor=staff, acknowledgement=ack)
