"""Document control and records at scale.

large: 20,000 documents with 3 revisions each (two superseded, one effective), 100,000
acknowledgements, 200,000 records of 12 types. Built with bulk_create; the SQLite FTS5 table is
filled in the same way the service layer keeps it in step (`pdca.documents.search`).
"""

import datetime
import random
import time

from django.db import transaction
from django.utils import timezone

from benchmarks.common import BenchContext, Page, followed_next_link
from pdca.core.roles import Role
from pdca.documents import search
from pdca.documents.models import (
    DEFAULT_PREFIXES,
    Acknowledgement,
    DocType,
    Document,
    DocumentStatus,
    NumberingScheme,
    Revision,
    RevisionStatus,
)
from pdca.records.models import Record, RecordType

ORDER = 20
SIZES = {
    # documents, acknowledgements, records
    "demo": (1_000, 5_000, 10_000),
    "large": (20_000, 100_000, 200_000),
}
CHUNK = 2_000
WORDS = [
    "inspection",
    "calibration",
    "torque",
    "supplier",
    "gauge",
    "drawing",
    "tolerance",
    "coolant",
    "swarf",
    "audit",
    "training",
    "competence",
    "customer",
    "complaint",
    "deburr",
    "lathe",
    "milling",
    "spindle",
    "fixture",
    "batch",
    "traceability",
    "label",
    "quarantine",
    "release",
    "sampling",
    "record",
    "retention",
    "review",
    "approval",
    "operator",
    "setup",
    "maintenance",
]
TYPES = list(DocType.values)


def _text(rng: random.Random, i: int) -> str:
    paras = [" ".join(rng.choice(WORDS) for _ in range(40)) for _ in range(4)]
    if i % 100 == 0:  # a word found in 1% of the documents
        paras.append("Check the hydraulic clamping pressure before each batch.")
    return f"# Document {i}\n\n" + "\n\n".join(paras)


def generate(ctx: BenchContext) -> None:
    n_docs, n_acks, n_records = SIZES[ctx.scale]
    org, rng = ctx.org, random.Random(7)
    owners = [u for u in ctx.users[:200]]
    author = ctx.by_role[Role.MANAGEMENT_REP]
    today = timezone.localdate()
    now = timezone.now()
    started = time.perf_counter()
    counters = {t: 0 for t in TYPES}
    with transaction.atomic():
        for start in range(0, n_docs, CHUNK):
            docs = []
            for i in range(start, min(n_docs, start + CHUNK)):
                t = TYPES[i % len(TYPES)]
                counters[t] += 1
                docs.append(
                    Document(
                        organization=org,
                        doc_type=t,
                        number=f"{DEFAULT_PREFIXES[t]}-{counters[t]:05d}",
                        title=f"{t.replace('_', ' ').title()} {rng.choice(WORDS)} {i}",
                        owner=owners[i % len(owners)],
                        review_interval_months=12,
                        next_review_date=today + datetime.timedelta(days=rng.randrange(-60, 365)),
                        status=DocumentStatus.OBSOLETE if i % 50 == 0 else DocumentStatus.EFFECTIVE,
                        confidentiality="confidential" if i % 20 == 0 else "internal",
                    )
                )
            docs = Document.objects.bulk_create(docs)
            revs = []
            for d in docs:
                text = _text(rng, d.pk)
                d.search_text = text
                for seq in (1, 2, 3):
                    last = seq == 3
                    status = (
                        (
                            RevisionStatus.OBSOLETE
                            if d.status == DocumentStatus.OBSOLETE
                            else RevisionStatus.EFFECTIVE
                        )
                        if last
                        else RevisionStatus.SUPERSEDED
                    )
                    revs.append(
                        Revision(
                            organization=org,
                            document=d,
                            seq=seq,
                            label=str(seq),
                            change_reason="Periodic review" if seq > 1 else "First issue",
                            author=author,
                            text=text,
                            content_hash=f"{d.pk:064x}",
                            status=status,
                            effective_from=today - datetime.timedelta(days=(4 - seq) * 300),
                        )
                    )
            revs = Revision.objects.bulk_create(revs, batch_size=1000)
            for d, rev in zip(docs, revs[2::3], strict=True):
                d.latest_revision = rev
                d.current_revision = rev if d.status == DocumentStatus.EFFECTIVE else None
            Document.objects.bulk_update(
                docs, ["latest_revision", "current_revision", "search_text"], batch_size=500
            )
            search.index_documents(docs)
        NumberingScheme.objects.bulk_create(
            [
                NumberingScheme(
                    organization=org,
                    doc_type=t,
                    prefix=DEFAULT_PREFIXES[t],
                    digits=5,
                    next_number=counters[t] + 1,
                )
                for t in TYPES
            ]
        )
        print(
            f"  documents: {n_docs:,} documents, {3 * n_docs:,} revisions "
            f"({time.perf_counter() - started:.0f} s)"
        )
        effective = list(
            Revision.objects.filter(organization=org, status=RevisionStatus.EFFECTIVE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        users = [u.pk for u in ctx.users]
        acks, seen = [], set()
        while len(acks) < n_acks:
            key = (effective[rng.randrange(len(effective))], users[rng.randrange(len(users))])
            if key in seen:
                continue
            seen.add(key)
            acks.append(
                Acknowledgement(
                    organization=org,
                    revision_id=key[0],
                    user_id=key[1],
                    assigned_at=now,
                    acknowledged_at=now if len(acks) % 3 else None,
                )
            )
        Acknowledgement.objects.bulk_create(acks, batch_size=2000)
        print(f"  documents: {n_acks:,} acknowledgements ({time.perf_counter() - started:.0f} s)")
        types = RecordType.objects.bulk_create(
            [
                RecordType(
                    organization=org,
                    name=f"Record type {k}",
                    owner=owners[k],
                    location="pdca",
                    retention_months=12 * (1 + k % 6),
                    disposal_method="shred",
                    confidentiality="confidential" if k == 11 else "internal",
                )
                for k in range(12)
            ]
        )
        for start in range(0, n_records, 5_000):
            batch = []
            for i in range(start, min(n_records, start + 5_000)):
                rt = types[i % len(types)]
                date = today - datetime.timedelta(days=rng.randrange(0, 3650))
                batch.append(
                    Record(
                        organization=org,
                        record_type=rt,
                        title=f"{rng.choice(WORDS).title()} record {i}",
                        reference=f"R-{i:07d}",
                        date=date,
                        retention_until=date + datetime.timedelta(days=30 * rt.retention_months),
                        legal_hold=i % 997 == 0,
                        legal_hold_reason="Claim" if i % 997 == 0 else "",
                        created_by=author,
                    )
                )
            Record.objects.bulk_create(batch, batch_size=1000)
        print(f"  documents: {n_records:,} records ({time.perf_counter() - started:.0f} s)")


def pages(ctx: BenchContext) -> list[Page]:
    slug = ctx.org.slug
    mr = ctx.by_role[Role.MANAGEMENT_REP]
    employee = ctx.by_role[Role.EMPLOYEE]
    doc = (
        Document.objects.filter(organization=ctx.org, status=DocumentStatus.EFFECTIVE)
        .order_by("pk")[100:101]
        .get()
    )
    base = f"/o/{slug}/documents/"
    n_records = Record.objects.filter(organization=ctx.org).count()
    return [
        Page("documents: master list", base, mr),
        Page(
            "documents: master list, procedures due for review",
            f"{base}?doc_type=procedure&review=due",
            mr,
        ),
        Page("documents: master list, page 40", f"{base}?page=40", mr),
        Page(
            "documents: master list, page 40 by its Next link",
            followed_next_link(base, mr, 39),
            mr,
        ),
        Page("documents: a document page", f"{base}{doc.pk}/", mr),
        Page("documents: a revision page", f"{base}revisions/{doc.current_revision_id}/", mr),
        Page("documents: search 'hydraulic' (1% of documents)", f"{base}?q=hydraulic", mr),
        Page("documents: search 'torque' (every document)", f"{base}?q=torque", mr),
        Page("documents: search 'calibration gauge'", f"{base}?q=calibration+gauge", employee),
        Page("documents: my reading list", f"{base}reading/", employee),
        Page("records: register", f"/o/{slug}/records/", mr),
        # Halfway through the register (page 4,000 of 200,000 records at the large scale).
        Page(
            "records: register, halfway, by its Next link",
            followed_next_link(f"/o/{slug}/records/", mr, max(1, n_records // 50)),
            mr,
        ),
        Page("records: disposal queue", f"/o/{slug}/records/?queue=disposal", mr),
        Page("documents: register an external document", f"{base}external/new/", mr),
        Page("API documents (25 rows)", f"/api/v1/o/{slug}/documents/", mr),
        Page("API documents of external origin", f"/api/v1/o/{slug}/documents/external/", mr),
    ]
