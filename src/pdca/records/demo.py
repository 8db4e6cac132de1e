"""Demo records: Acme's register of kept records, one past retention waiting for disposal and
one under legal hold, its evaluation of compliance, competence files kept from the end of
employment; Northwind's security records. References carry the year (and quarter) of their
record's date, as a register would."""

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pdca.core.demo import DemoContext
from pdca.documents.models import Document
from pdca.records import services
from pdca.records.models import RecordType
from pdca.standards.selectors import clauses_by_reference

PDF = b"%PDF-1.4\n%demo record\ntrailer<<>>\n%%EOF\n"

TYPES: dict[str, list[tuple[Any, ...]]] = {
    "acme": [
        # name, owner, where kept, months, disposal, confidentiality, roles, clause refs (the
        # name and the place are written in the demo's language)
        (
            gettext_noop("Training records"),
            "mr@acme.example",
            gettext_noop("pdca and HR file"),
            72,
            "shred",
            "internal",
            [],
            ["9001:7.2", "14001:7.2"],
        ),
        (
            gettext_noop("Calibration certificates"),
            "owner@acme.example",
            gettext_noop("Quality office, cabinet 2"),
            36,
            "shred",
            "internal",
            [],
            ["9001:7.1.5", "9001:7.1.5.1", "9001:7.1.5.2"],
        ),
        (
            gettext_noop("Internal audit reports"),
            "mr@acme.example",
            "pdca",
            72,
            "delete",
            "internal",
            [],
            ["9001:9.2"],
        ),
        (
            gettext_noop("Management review minutes"),
            "top@acme.example",
            "pdca",
            120,
            "archive",
            "confidential",
            [],
            ["9001:9.3", "9001:9.3.3", "14001:9.3"],
        ),
        (
            gettext_noop("Customer complaint files"),
            "mr@acme.example",
            gettext_noop("pdca and Sales shared drive"),
            36,
            "delete",
            "confidential",
            [],
            ["9001:9.1.2"],
        ),
        (
            gettext_noop("Evaluation of compliance"),
            "mr@acme.example",
            "pdca",
            72,
            "archive",
            "internal",
            [],
            ["14001:9.1.2"],
        ),
        (
            gettext_noop("Waste transfer notes"),
            "owner@acme.example",
            gettext_noop("Maintenance office"),
            36,
            "shred",
            "internal",
            [],
            ["14001:9.1.1"],
        ),
    ]
    + [
        # The records a certification auditor samples, each kept against the exact clause
        # whose mandatory record it is.
        (name, owner, where, months, "shred", "internal", [], refs)
        for name, owner, where, months, refs in (
            (
                gettext_noop("Job cards and inspection records"),
                "owner@acme.example",
                gettext_noop("pdca and Quality office"),
                120,
                ["9001:4.4.2", "9001:8.1", "9001:8.5.2", "9001:8.6"],
            ),
            (
                gettext_noop("Contract review records"),
                "mr@acme.example",
                gettext_noop("Sales shared drive"),
                72,
                ["9001:8.2.3.2"],
            ),
            (
                gettext_noop("Supplier evaluations"),
                "auditor@acme.example",
                "pdca",
                72,
                ["9001:8.4.1"],
            ),
            (
                gettext_noop("Customer property reports"),
                "owner@acme.example",
                "pdca",
                72,
                ["9001:8.5.3"],
            ),
            (
                gettext_noop("Process change approvals"),
                "owner@acme.example",
                "pdca",
                72,
                ["9001:8.5.6"],
            ),
            (
                gettext_noop("Nonconforming output reports"),
                "owner@acme.example",
                "pdca",
                72,
                ["9001:8.7.2"],
            ),
            (
                gettext_noop("Monthly KPI reports"),
                "mr@acme.example",
                "pdca",
                72,
                ["9001:9.1.1"],
            ),
            (
                gettext_noop("Environmental communications"),
                "mr@acme.example",
                "pdca",
                72,
                ["14001:7.4.1"],
            ),
        )
    ],
    "northwind": [
        (
            gettext_noop("Access reviews"),
            "mr@northwind.example",
            "pdca",
            36,
            "delete",
            "restricted",
            ["mr", "top", "auditor", "external"],
            ["27001:A.5.18"],
        ),
        (
            gettext_noop("Security incident reports"),
            "mr@northwind.example",
            "pdca",
            60,
            "delete",
            "confidential",
            [],
            ["27001:A.5.28"],
        ),
    ],
}


def build(ctx: DemoContext) -> None:
    acme = ctx.orgs["acme"]
    if RecordType.objects.filter(organization=acme).exists():
        return
    types: dict[str, RecordType] = {}
    for slug, rows in TYPES.items():
        org = ctx.orgs[slug]
        for name, owner, where, months, disposal, conf, roles, refs in rows:
            types[name] = services.record_type_save(
                actor=ctx.users[owner],
                organization=org,
                name=_(name),
                owner=ctx.users[owner],
                location=_(where),
                retention_months=months,
                disposal_method=disposal,
                confidentiality=conf,
                allowed_roles=roles,
                clauses=clauses_by_reference(org, refs),
            )
    mr, owner = ctx.users["mr@acme.example"], ctx.users["owner@acme.example"]
    today = ctx.today

    def keep(t: str, title: str, ref: str, days_ago: int, actor=mr, file: str = "", obj=None):  # type: ignore[no-untyped-def]
        # `ref` and `file` name the year and quarter of the record's date: {y}, {q}.
        date = today - datetime.timedelta(days=days_ago)
        marks = {"y": date.year, "q": (date.month - 1) // 3 + 1}
        ref, file = ref.format(**marks), file.format(**marks)
        uploads = [SimpleUploadedFile(file, PDF)] if file else []
        return services.record_create(
            actor=actor,
            organization=types[t].organization,
            record_type=types[t],
            title=title.format(**marks),
            reference=ref,
            date=date,
            uploads=uploads,
            linked_object=obj,
        )

    keep(
        "Training records",
        _("CNC lathe setup training – Lucy Brennan"),
        "TR-{y}-031",
        40,
        file="TR-{y}-031.pdf",
    )
    keep(
        "Training records",
        _("Internal auditor course – Tomasz Nowak"),
        "TR-{y}-007",
        400,
        file="auditor-cert.pdf",
    )
    keep(
        "Calibration certificates",
        _("Micrometer M-07 calibration"),
        "CAL-{y}-007",
        90,
        owner,
        "CAL-{y}-007.pdf",
    )
    old = keep(
        "Calibration certificates",
        _("Height gauge HG-02 calibration"),
        "CAL-{y}-002",
        5 * 365,
        owner,
        "CAL-{y}-002.pdf",
    )
    held = keep(
        "Customer complaint files",
        _("Complaint: bore out of tolerance, Boreham Hydraulics"),
        "CC-{y}-004",
        4 * 365,
        file="CC-{y}-004.pdf",
    )
    services.legal_hold_place(
        actor=mr, record=held, reason=_("Warranty claim by Boreham Hydraulics under negotiation")
    )
    keep(
        "Internal audit reports",
        _("Internal audit: production and purchasing"),
        "IA-{y}-02",
        120,
        file="IA-{y}-02.pdf",
    )
    keep(
        "Management review minutes",
        _("Management review {y}"),
        "MR-{y}",
        150,
        ctx.users["top@acme.example"],
        "MR-{y}.pdf",
    )
    keep("Waste transfer notes", _("Swarf collection – Q{q} {y}"), "WTN-{y}-0931", 60, owner)
    keep(
        "Evaluation of compliance",
        _("Evaluation of compliance with legal and other requirements {y}"),
        "EC-{y}",
        45,
        file="EC-{y}.pdf",
    )
    policy = Document.objects.filter(organization=acme, title=_("Quality policy")).first()
    if policy is not None:
        keep(
            "Training records",
            _("Quality policy briefing attendance"),
            "TR-{y}-040",
            30,
            obj=policy,
        )
    for t, title, ref, days_ago, actor in (
        (
            "Job cards and inspection records",
            _("Job card and release: order 24-211, flange"),
            "JC-{y}-0211",
            12,
            owner,
        ),
        (
            "Contract review records",
            _("Contract review: Boreham Hydraulics frame order"),
            "CR-{y}-018",
            35,
            mr,
        ),
        (
            "Supplier evaluations",
            _("Annual supplier evaluation {y}"),
            "SE-{y}",
            80,
            ctx.users["auditor@acme.example"],
        ),
        (
            "Customer property reports",
            _("Customer gauge received damaged – Boreham"),
            "CP-{y}-002",
            150,
            owner,
        ),
        (
            "Process change approvals",
            _("Change: new coolant on lathe cell 2"),
            "CH-{y}-005",
            70,
            owner,
        ),
        (
            "Nonconforming output reports",
            _("Batch 24-118 re-measured and released on concession"),
            "NCO-{y}-014",
            110,
            owner,
        ),
        ("Monthly KPI reports", _("KPI report Q{q} {y}"), "KPI-{y}-Q{q}", 20, mr),
        (
            "Environmental communications",
            _("Neighbour enquiry about noise answered"),
            "ENV-{y}-003",
            50,
            mr,
        ),
    ):
        keep(t, title, ref, days_ago, actor)
    nw = ctx.users["mr@northwind.example"]
    keep(
        "Access reviews",
        _("Quarterly access review Q{q} {y}"),
        "AR-{y}-Q{q}",
        100,
        nw,
        "AR-{y}-Q{q}.pdf",
    )
    keep(
        "Security incident reports",
        _("Phishing e-mail reported by warehouse"),
        "INC-{y}-0042",
        30,
        nw,
    )
    _competence_files(ctx, mr)
    assert old.retention_until is not None and old.retention_until < today


def _competence_files(ctx: DemoContext, mr: Any) -> None:
    """Competence files are kept five years from the end of employment: a current employee's
    has no disposal date yet, a leaver's has one from the day they left."""
    org = ctx.orgs["acme"]
    rtype = services.record_type_save(
        actor=mr,
        organization=org,
        name=_("Employee competence files"),
        owner=mr,
        location=_("HR office, locked cabinet"),
        retention_months=60,
        retention_trigger="end_of_employment",
        disposal_method="shred",
        confidentiality="confidential",
        allowed_roles=[],
        clauses=clauses_by_reference(org, ["9001:7.2"]),
    )
    today = ctx.today
    for title, ref, years, left_days_ago in (
        (_("Competence file – Lucy Brennan"), "HR-CF-0112", 3, None),
        (_("Competence file – Peter Hale (left)"), "HR-CF-0087", 6, 200),
    ):
        record = services.record_create(
            actor=mr,
            organization=org,
            record_type=rtype,
            title=title,
            reference=ref,
            date=today - datetime.timedelta(days=365 * years),
        )
        if left_days_ago is not None:
            services.record_trigger_set(
                actor=mr,
                record=record,
                expected_version=record.version,
                trigger_date=today - datetime.timedelta(days=left_days_ago),
            )
