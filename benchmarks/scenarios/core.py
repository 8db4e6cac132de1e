"""The foundation at scale: one organization with many members and a long audit trail.

`setup(scale)` creates (or finds) the organization, its people and memberships and returns the
BenchContext every other scenario builds on. `generate(ctx)` appends the audit-trail entries to
the organization's chain with bulk_create, computing each entry's hash in Python exactly as
`pdca.core.trail.record()` would, so that `pdca verify-trail` passes on the result.
"""

import datetime
import random
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from benchmarks.common import BenchContext, Measure, Page
from pdca.core import services, trail
from pdca.core.models import (
    Department,
    Job,
    Membership,
    Organization,
    Site,
    TrailChain,
    TrailEntry,
    User,
)
from pdca.core.roles import Role

ORDER = 0
SLUG = "bench"
SIZES = {
    # users, audit-trail entries
    "demo": (200, 20_000),
    "large": (5_000, 1_000_000),
}
CHUNK = 5_000
DEPARTMENTS = ["Management", "Quality", "Production", "Purchasing", "Sales", "Maintenance", "HR"]
# One named user per role first; everyone after them is an employee, with some owners/auditors.
ROLE_ORDER = [
    Role.TOP_MANAGEMENT,
    Role.MANAGEMENT_REP,
    Role.PROCESS_OWNER,
    Role.INTERNAL_AUDITOR,
    Role.EMPLOYEE,
    Role.EXTERNAL_AUDITOR,
    Role.CONSULTANT,
]
ACTIONS = [
    "core.membership.updated",
    "core.membership.roles_changed",
    "core.department.updated",
    "core.site.updated",
    "core.organization.updated",
    "core.membership.created",
]


def _email(i: int) -> str:
    return f"user{i:05d}@bench.example"


def _role_for(i: int) -> str:
    if i < len(ROLE_ORDER):
        return ROLE_ORDER[i]
    if i % 20 == 0:
        return Role.PROCESS_OWNER
    if i % 50 == 1:
        return Role.INTERNAL_AUDITOR
    return Role.EMPLOYEE


def setup(scale: str) -> BenchContext:
    """The organization under test with its people: created once, found afterwards."""
    n_users = SIZES[scale][0]
    org = Organization.objects.filter(slug=SLUG).first()
    if org is None:
        started = time.perf_counter()
        with transaction.atomic():
            org = services.organization_create(actor=None, name="Bench Industries", slug=SLUG)
            site = Site.objects.create(organization=org, name="Main works")
            depts = Department.objects.bulk_create(
                [Department(organization=org, name=name, site=site) for name in DEPARTMENTS]
            )
            # One argon2 hash shared by every bench account: hashing 5,000 times takes minutes.
            password = make_password("bench")
            now = timezone.now()
            for start in range(0, n_users, CHUNK):
                users = User.objects.bulk_create(
                    [
                        User(
                            email=_email(i),
                            full_name=f"Person {i:05d}",
                            job_title="Bench user",
                            password=password,
                            date_joined=now,
                        )
                        for i in range(start, min(n_users, start + CHUNK))
                    ]
                )
                Membership.objects.bulk_create(
                    [
                        Membership(
                            organization=org,
                            user=user,
                            roles=[_role_for(start + k)],
                            department=depts[(start + k) % len(depts)],
                            expires_on=(now.date() + datetime.timedelta(days=60))
                            if _role_for(start + k) == Role.EXTERNAL_AUDITOR
                            else None,
                        )
                        for k, user in enumerate(users)
                    ]
                )
        print(f"  core: {n_users} users and memberships in {time.perf_counter() - started:.1f} s")
    users = list(
        User.objects.filter(email__endswith="@bench.example").order_by("email").only("id", "email")
    )
    by_role = {str(role): users[i] for i, role in enumerate(ROLE_ORDER)}
    return BenchContext(scale=scale, org=org, users=users, by_role=by_role)


def generate(ctx: BenchContext) -> None:
    """Append the audit-trail entries to the organization's chain, with correct hashes."""
    total = SIZES[ctx.scale][1]
    org = ctx.org
    started = time.perf_counter()
    rng = random.Random(42)
    member_type = ContentType.objects.get_for_model(Membership)
    member_ids = list(
        Membership.objects.filter(organization=org).order_by("pk").values_list("pk", "user_id")
    )
    emails = {u.pk: u.email for u in ctx.users}
    if connection.vendor == "sqlite":
        # A large page cache keeps the four trail indexes in memory while a million rows go in.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    with transaction.atomic():
        TrailChain.objects.get_or_create(key=org.pk)
        head = TrailChain.objects.select_for_update().get(key=org.pk)
        seq, prev = head.last_seq, head.last_hash
        # Spread the entries over the last three years, oldest first, like a real history.
        end = timezone.now()
        at = end - datetime.timedelta(days=3 * 365)
        step = (end - at) / total
        done = 0
        while done < total:
            batch = []
            for _ in range(min(CHUNK, total - done)):
                seq += 1
                at += step
                member_pk, user_id = member_ids[rng.randrange(len(member_ids))]
                actor_id = ctx.users[rng.randrange(len(ctx.users))].pk
                action = ACTIONS[seq % len(ACTIONS)]
                entry = TrailEntry(
                    chain=org.pk,
                    seq=seq,
                    organization_id=org.pk,
                    at=at,
                    actor_id=actor_id,
                    actor_label=emails[actor_id],
                    action=action,
                    content_type_id=member_type.pk,
                    object_id=str(member_pk),
                    object_repr=f"{emails[user_id]} in {org.name}",
                    changes={"roles": [["employee"], ["employee", "auditor"]]}
                    if action == "core.membership.roles_changed"
                    else {"is_active": [True, seq % 2 == 0]},
                    reason="" if seq % 7 else "Reorganisation of the department",
                    ip=f"10.0.{seq % 250}.{seq % 200 + 1}",
                    request_id=f"{seq:032x}",
                    prev_hash=prev,
                )
                entry.seal()
                prev = entry.hash
                batch.append(entry)
            TrailEntry.objects.bulk_create(batch, batch_size=1000)
            done += len(batch)
            if done % 100_000 == 0 or done == total:
                print(f"  core: {done:,} trail entries ({time.perf_counter() - started:.0f} s)")
        TrailChain.objects.filter(key=org.pk).update(last_seq=seq, last_hash=prev)
    ctx.extra["trail_entries"] = total


def pages(ctx: BenchContext) -> list[Page]:
    slug = ctx.org.slug
    mr = ctx.by_role[Role.MANAGEMENT_REP]
    head = TrailChain.objects.get(key=ctx.org.pk)
    middle = head.last_seq // 2
    day = timezone.localdate() - datetime.timedelta(days=500)
    # An export half done, as its page shows it while the browser polls it every second.
    job, _ = Job.objects.get_or_create(
        organization=ctx.org,
        requested_by=mr,
        kind="core.trail",
        defaults={"status": "running", "progress_done": 5_000, "progress_total": 20_000},
    )
    return [
        Page("export progress page (polled)", f"/jobs/{job.pk}/", mr),
        Page("dashboard", f"/o/{slug}/", mr),
        Page("people, two-factor missing", f"/o/{slug}/people/?needs=two_factor", mr),
        Page("audit trail (newest 25)", f"/o/{slug}/trail/", mr),
        Page("audit trail, older page", f"/o/{slug}/trail/?before={middle}", mr),
        Page("audit trail by action", f"/o/{slug}/trail/?action=core.site.updated", mr),
        Page("audit trail by person", f"/o/{slug}/trail/?actor={_email(42)}", mr),
        # The history spans three years back from today: one day and one month in its middle.
        Page("audit trail, one day", f"/o/{slug}/trail/?since={day}&until={day}", mr, target_ms=20),
        Page(
            "audit trail, one month",
            f"/o/{slug}/trail/?since={day - datetime.timedelta(days=30)}&until={day}",
            mr,
            target_ms=20,
        ),
        Page("people", f"/o/{slug}/people/", mr),
        Page("people, search", f"/o/{slug}/people/?q=person%2004", mr),
        Page("API trail (10 rows)", f"/api/v1/o/{slug}/trail/?page_size=10", mr, target_ms=12),
        Page("API members (50 rows)", f"/api/v1/o/{slug}/members/", mr),
    ]


def measures(ctx: BenchContext) -> list[Measure]:
    def append_one() -> Any:
        # One trail append (chain head lock + insert), rolled back to leave the data as it is.
        with transaction.atomic():
            trail.record(
                action="core.organization.updated",
                actor=ctx.by_role[Role.MANAGEMENT_REP],
                organization=ctx.org,
                obj=ctx.org,
                changes={"name": ["a", "b"]},
            )
            transaction.set_rollback(True)

    client = Client()
    client.force_login(ctx.by_role[Role.MANAGEMENT_REP])
    dashboard = f"/o/{ctx.org.slug}/"

    def dashboard_after_a_change() -> Any:
        # The dashboard caches its figures until the organization's next write: this is the
        # first view after one, which computes every figure again.
        cache.clear()
        return client.get(dashboard)

    return [
        Measure("trail.record() append", append_one, target_ms=10),
        Measure("dashboard, first view after a change", dashboard_after_a_change, target_ms=50),
    ]
