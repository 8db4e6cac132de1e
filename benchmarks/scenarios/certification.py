"""The certification lifecycle at scale: 15 years of certificates for four standards (five
three-year cycles each), 60 external audits and 500 external findings (large), bulk-created.

Timed pages: the certification overview (every cycle as a timeline), the external audit list,
the audit with the most findings and the newest certificate's page.
"""

import datetime
import random

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from benchmarks.common import BenchContext, Page
from pdca.certification.models import (
    Certificate,
    CertificationBody,
    CertificationEvent,
    ExternalAudit,
    ExternalFinding,
)
from pdca.core.dates import add_months
from pdca.standards.models import Edition, OrgStandard

ORDER = 60
SIZES = {
    # audits, findings
    "demo": (30, 100),
    "large": (60, 500),
}
CODES = ("iso9001", "iso14001", "iso45001", "iso27001")


def generate(ctx: BenchContext) -> None:
    rng = random.Random(20)
    org = ctx.org
    n_audits, n_findings = SIZES[ctx.scale]
    today = timezone.localdate()
    mr = ctx.by_role["mr"]
    standards = []
    for code in CODES:
        edition = Edition.objects.filter(standard__code=code, is_current=True).first()
        if edition is not None:
            standards.append(
                OrgStandard.objects.get_or_create(organization=org, edition=edition)[0]
            )
    with transaction.atomic():
        body = CertificationBody.objects.create(
            organization=org,
            name="Bench Certification AG",
            accreditation_body="DAkkS",
            accreditation_number="D-ZM-00000-01-00",
        )
        certificates = []
        for os in standards:
            for cycle in range(5):
                decided = add_months(today, -36 * (5 - cycle) + 6)
                certificates.append(
                    Certificate(
                        organization=org,
                        body=body,
                        number=f"B-{os.pk}-{cycle}",
                        scope="Bench scope",
                        initial_certified_on=add_months(today, -36 * 5 + 6),
                        decided_on=decided,
                        issued_on=decided,
                        expires_on=add_months(decided, 36),
                        status=Certificate.Status.ACTIVE
                        if cycle == 4
                        else Certificate.Status.EXPIRED,
                    )
                )
        certificates = Certificate.objects.bulk_create(certificates)
        Certificate.standards.through.objects.bulk_create(
            Certificate.standards.through(certificate_id=c.pk, orgstandard_id=os.pk)
            for i, c in enumerate(certificates)
            for os in [standards[i // 5]]
        )
        CertificationEvent.objects.bulk_create(
            CertificationEvent(
                organization=org,
                certificate=c,
                kind=CertificationEvent.Kind.DECISION,
                occurred_on=c.decided_on,
                recorded_by=mr,
            )
            for c in certificates
        )
        kinds = [k for k in ExternalAudit.Kind.values if k not in ("stage1", "stage2")]
        audits = []
        for i in range(n_audits):
            cert = certificates[i % len(certificates)]
            start = add_months(cert.decided_on, rng.choice((11, 23, 33)))
            audits.append(
                ExternalAudit(
                    organization=org,
                    body=body,
                    certificate=cert,
                    kind=rng.choice(kinds),
                    starts_on=start,
                    ends_on=start + datetime.timedelta(days=1),
                    lead_auditor="Bench Auditor",
                    status=ExternalAudit.Status.HELD
                    if start < today
                    else ExternalAudit.Status.PLANNED,
                )
            )
        audits = ExternalAudit.objects.bulk_create(audits)
        ExternalAudit.standards.through.objects.bulk_create(
            ExternalAudit.standards.through(externalaudit_id=a.pk, orgstandard_id=os.pk)
            for a in audits
            for os in a.certificate.standards.all()  # type: ignore[union-attr]
        )
        held = [a for a in audits if a.status == ExternalAudit.Status.HELD] or audits
        grades = ExternalFinding.Grade.values
        ExternalFinding.objects.bulk_create(
            ExternalFinding(
                organization=org,
                audit=(audit := rng.choice(held)),
                grade=(grade := rng.choice(grades)),
                statement=f"Bench external finding {i}",
                response_due_on=audit.ends_on + datetime.timedelta(days=60)
                if grade in ExternalFinding.NONCONFORMITIES
                else None,
                status=rng.choice(ExternalFinding.Status.values),
                created_by=mr,
            )
            for i in range(n_findings)
        )


def pages(ctx: BenchContext) -> list[Page]:
    slug = ctx.org.slug
    mr = ctx.by_role["mr"]
    audit = (
        ExternalAudit.objects.filter(organization=ctx.org)
        .annotate(n=Count("findings"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[0]
    )
    certificate = (
        Certificate.objects.filter(organization=ctx.org)
        .order_by("-expires_on")
        .values_list("pk", flat=True)[0]
    )
    return [
        Page("certification overview", f"/o/{slug}/certification/", mr),
        Page("external audit list", f"/o/{slug}/certification/audits/", mr),
        Page("an external audit page", f"/o/{slug}/certification/audits/{audit}/", mr),
        Page("a certificate page", f"/o/{slug}/certification/certificates/{certificate}/", mr),
    ]
