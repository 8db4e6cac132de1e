"""The soak: many simulated people use gunicorn at once, then nothing they were told was saved
may be missing.

`make soak` (run.py --soak) serves the benchmark organization from gunicorn (2 sync workers)
to 50 simulated people for 60 s: management representatives, process owners, auditors and
employees, each signed in once with a session of their own. 80 % of their steps read a page
their role may see (the dashboard, lists, detail pages: the scenarios' pages that answer 200
for the role); 20 % write through the real forms, as a browser does: fetch the form (the CSRF
token), post it, follow the redirect. The writes: raising a nonconformity, acknowledging a
document revision from the reading list, keeping a record (process owners, auditors and the
management representative). Each person pauses between steps (uniformly 0 to twice
--soak-think seconds).

After the run every write whose answer was a success (the redirect to the new object, or to
the reading list after an acknowledgement) is looked up in the database: a write that is not
there is lost. Then `pdca verify-trail` recomputes every hash chain. The second run does the
same and SIGKILLs one gunicorn worker halfway; the master starts another. The requests that
worker was serving fail (a reset connection): those are counted apart from the other errors.
"""

import contextlib
import datetime
import http.client
import logging
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks.common import BenchContext, Page, percentile
from benchmarks.server import Server, gunicorn, session_cookie

# How many of the simulated people have each role (scaled to --soak-users).
MIX = {"mr": 5, "owner": 10, "auditor": 5, "employee": 30}
RECORD_KEEPERS = {"mr", "owner", "auditor"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OPTION = re.compile(r'<option value="(\d+)"')
ACK_ACTION = re.compile(r'action="([^"]*/documents/reading/(\d+)/acknowledge/)"')
FORMS = ["improvement/raise/", "records/new/", "documents/reading/"]
TIMEOUT = 30  # seconds: gunicorn's own worker timeout


@dataclass
class Person:
    """One simulated person: a user signed in once, the pages their role may read."""

    name: str
    role: str
    user_id: int
    reads: list[str]
    cookies: dict[str, str] = field(default_factory=dict)

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


@dataclass
class Write:
    kind: str  # "nonconformity", "record" or "acknowledgement"
    key: str  # the title written (nonconformity, record) or the acknowledgement's pk
    pk: int


@dataclass
class Tally:
    """What one person saw; merged after the run."""

    latencies: list[float] = field(default_factory=list)
    by_path: dict[str, list[float]] = field(default_factory=dict)
    post_latencies: list[float] = field(default_factory=list)
    reads: int = 0
    writes: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    acknowledged: list[Write] = field(default_factory=list)


# --- before the run: the people and their pages -----------------------------------------


def detail_pages(ctx: BenchContext) -> list[Page]:
    """A few detail pages besides the scenarios' lists (a different object per page)."""
    from pdca.audits.models import Audit
    from pdca.improvement.models import Nonconformity
    from pdca.records.models import Record

    slug, mr = ctx.org.slug, ctx.by_role["mr"]
    found: list[Page] = []
    for model, prefix in (
        (Nonconformity, "improvement"),
        (Record, "records"),
        (Audit, "audits"),
    ):
        pks = model.objects.filter(organization=ctx.org).order_by("pk").values_list("pk", flat=True)
        for pk in list(pks[:500:100]):
            found.append(Page(f"{prefix} {pk}", f"/o/{slug}/{prefix}/{pk}/", mr))
    return found


def top_up_reading(org: Any, user_ids: set[int], per_user: int) -> int:
    """Give each of these users at least `per_user` revisions to acknowledge (earlier soaks
    acknowledged what the generator assigned), as a release's distribution would."""
    from django.db import transaction
    from django.utils import timezone

    from pdca.documents.models import Acknowledgement, Revision, RevisionStatus

    effective = list(
        Revision.objects.filter(organization=org, status=RevisionStatus.EFFECTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    have: dict[int, set[int]] = {pk: set() for pk in user_ids}
    pending: dict[int, int] = dict.fromkeys(user_ids, 0)
    for user_id, revision_id, at in Acknowledgement.objects.filter(
        organization=org, user_id__in=user_ids
    ).values_list("user_id", "revision_id", "acknowledged_at"):
        have[user_id].add(revision_id)
        pending[user_id] += at is None
    now, rng, new = timezone.now(), random.Random(len(effective)), []
    for user_id in sorted(user_ids):
        free = [pk for pk in effective if pk not in have[user_id]]
        for revision_id in rng.sample(free, max(0, min(len(free), per_user - pending[user_id]))):
            new.append(
                Acknowledgement(
                    organization=org, revision_id=revision_id, user_id=user_id, assigned_at=now
                )
            )
    with transaction.atomic():
        Acknowledgement.objects.bulk_create(new, batch_size=1000)
    return len(new)


def people(ctx: BenchContext, pages: list[Page], count: int) -> list[Person]:
    """`count` people in the proportions of MIX, each with the pages that answer 200 for their
    role (checked here with the test client) and a session of their own."""
    from django.test import Client

    from pdca.core.models import Membership

    by_role: dict[str, list[int]] = {role: [] for role in MIX}
    for user_id, roles in Membership.objects.filter(organization=ctx.org).values_list(
        "user_id", "roles"
    ):
        for role in roles:
            if role in by_role:
                by_role[role].append(user_id)
    users = {u.pk: u for u in ctx.users}
    urls = list(dict.fromkeys(p.url for p in pages + detail_pages(ctx)))
    total = sum(MIX.values())
    crowd: list[Person] = []
    for role, share in MIX.items():
        wanted = max(1, round(count * share / total))
        ids = sorted(by_role[role])
        client = Client()
        client.force_login(users[ids[0]])
        quiet = logging.getLogger("django.request")
        level = quiet.level
        quiet.setLevel(logging.ERROR)  # a 403 here is an answer, not news
        try:
            reads = [url for url in urls if client.get(url).status_code == 200]
        finally:
            quiet.setLevel(level)
        for i in range(wanted):
            user = users[ids[i % len(ids)]]  # fewer users than people: a second session
            person = Person(f"{role} {i + 1}", role, user.pk, reads)
            name, value = session_cookie(user).split("=", 1)
            person.cookies[name] = value
            crowd.append(person)
    crowd = crowd[:count]
    top_up_reading(ctx.org, {p.user_id for p in crowd}, per_user=60)
    return crowd


# --- the run -----------------------------------------------------------------------------


class Browser:
    """One person's requests: a new connection each (gunicorn's sync workers close them),
    cookies kept, every request timed."""

    def __init__(self, port: int, person: Person, tally: Tally, started: float) -> None:
        self.port, self.person, self.tally, self.started = port, person, tally, started

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """(status, Location, body); raises OSError or HTTPException after noting the error."""
        headers = {"Cookie": self.person.cookie_header()}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        began = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.tally.errors.append(
                {
                    "person": self.person.name,
                    "request": f"{method} {path}",
                    "error": type(error).__name__,
                    "sent_at": round(began - self.started, 3),
                    "failed_at": round(time.perf_counter() - self.started, 3),
                }
            )
            raise
        finally:
            conn.close()
        elapsed = (time.perf_counter() - began) * 1000
        self.tally.latencies.append(elapsed)
        shape = f"{method} {re.sub(r'[0-9]+', 'N', path)}"
        self.tally.by_path.setdefault(shape, []).append(elapsed)
        if method == "POST":
            self.tally.post_latencies.append(elapsed)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.person.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), text

    def expect(self, status: int, wanted: int, method: str, path: str) -> bool:
        if status == wanted:
            return True
        self.tally.errors.append(
            {
                "person": self.person.name,
                "request": f"{method} {path}",
                "error": f"HTTP {status}",
                "failed_at": round(time.perf_counter() - self.started, 3),
            }
        )
        return False

    def get(self, path: str) -> str | None:
        status, _, text = self.request("GET", path)
        return text if self.expect(status, 200, "GET", path) else None

    def post(self, path: str, form: dict[str, str]) -> str | None:
        """The redirect's target after a successful post (then followed), else None."""
        status, location, _ = self.request("POST", path, form)
        if not self.expect(status, 302, "POST", path):
            return None
        self.get(location)
        return location


def raise_nonconformity(b: Browser, base: str, title: str) -> Write | None:
    page = b.get(f"{base}improvement/raise/")
    token = TOKEN.search(page or "")
    if token is None:
        return None
    form = {
        "csrfmiddlewaretoken": token.group(1),
        "title": title,
        "description": "Raised by the soak test: a gauge found out of calibration.",
        "found_on": datetime.date.today().isoformat(),
    }
    location = b.post(f"{base}improvement/raise/", form)
    found = re.search(r"/improvement/(\d+)/$", location or "")
    return Write("nonconformity", title, int(found.group(1))) if found else None


def keep_record(b: Browser, base: str, title: str, rng: random.Random) -> Write | None:
    page = b.get(f"{base}records/new/")
    token = TOKEN.search(page or "")
    types = OPTION.findall(page or "")
    if token is None or not types:
        return None
    form = {
        "csrfmiddlewaretoken": token.group(1),
        "record_type": rng.choice(types),
        "title": title,
        "reference": title.rsplit(" ", 1)[-1],
        "date": datetime.date.today().isoformat(),
    }
    location = b.post(f"{base}records/new/", form)
    found = re.search(r"/records/(\d+)/$", location or "")
    return Write("record", title, int(found.group(1))) if found else None


def acknowledge(b: Browser, base: str, rng: random.Random) -> Write | bool | None:
    """A pending reading acknowledged; False when the person has nothing left to read."""
    page = b.get(f"{base}documents/reading/")
    token = TOKEN.search(page or "")
    pending = ACK_ACTION.findall(page or "")
    if token is None or not pending:
        return False if page is not None else None
    action, pk = rng.choice(pending)
    if b.post(unescape(action), {"csrfmiddlewaretoken": token.group(1)}) is None:
        return None
    return Write("acknowledgement", pk, int(pk))


def simulate(
    port: int, base: str, person: Person, tally: Tally, run: dict[str, Any], seed: int
) -> None:
    rng = random.Random(seed)
    b = Browser(port, person, tally, run["started"])
    kinds = ["nonconformity", "acknowledgement"]
    if person.role in RECORD_KEEPERS:
        kinds.append("record")
    n = 0
    while time.perf_counter() < run["deadline"]:
        try:
            if rng.random() >= run["write_share"]:
                tally.reads += 1
                b.get(rng.choice(person.reads))
            else:
                tally.writes += 1
                n += 1
                title = f"Soak {run['id']} {person.name} {n}"
                kind = rng.choice(kinds)
                done: Write | bool | None
                if kind == "acknowledgement":
                    done = acknowledge(b, base, rng)
                    if done is False:  # the reading list is empty: raise something instead
                        kinds.remove("acknowledgement")
                        done = raise_nonconformity(b, base, title)
                elif kind == "record":
                    done = keep_record(b, base, title, rng)
                else:
                    done = raise_nonconformity(b, base, title)
                if isinstance(done, Write):
                    tally.acknowledged.append(done)
        except (OSError, http.client.HTTPException):
            pass  # noted by Browser.request
        time.sleep(rng.uniform(0, 2 * run["think"]))


def warm_up(port: int, base: str, crowd: list[Person]) -> None:
    """Each role's pages and the forms once from two threads, so that both workers have
    compiled their templates before the clock starts (not counted)."""
    first = {p.role: p for p in reversed(crowd)}
    paths = [(p, url) for p in first.values() for url in p.reads]
    paths += [
        (p, f"{base}{form}")
        for p in first.values()
        for form in FORMS
        if p.role in RECORD_KEEPERS or not form.startswith("records")
    ]

    def walk(share: list[tuple[Person, str]]) -> None:
        for person, url in share:
            with contextlib.suppress(OSError, http.client.HTTPException):
                Browser(port, person, Tally(), time.perf_counter()).request("GET", url)

    threads = [threading.Thread(target=walk, args=(paths[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def kill_one_worker(server: Server, at: float, run: dict[str, Any]) -> None:
    time.sleep(max(0.0, at - time.perf_counter()))
    workers = server.workers
    if not workers:
        run["killed"] = None
        return
    victim = workers[0]
    os.kill(victim, signal.SIGKILL)
    run["killed"] = {"pid": victim, "at": round(time.perf_counter() - run["started"], 3)}


# --- after the run: what was acknowledged is there ----------------------------------------


def lost_writes(org: Any, writes: list[Write], run_id: str) -> dict[str, Any]:
    """Every acknowledged write looked up; also the writes that were saved although their
    answer never arrived (a request in flight in the killed worker may have committed)."""
    from django.contrib.contenttypes.models import ContentType
    from django_scopes import scopes_disabled

    from pdca.core.models import TrailEntry
    from pdca.documents.models import Acknowledgement
    from pdca.improvement.models import Nonconformity
    from pdca.records.models import Record

    lost: list[dict[str, Any]] = []
    untrailed: list[dict[str, Any]] = []
    unanswered = 0
    with scopes_disabled():
        for kind, model in (("nonconformity", Nonconformity), ("record", Record)):
            mine = {w.pk: w.key for w in writes if w.kind == kind}
            saved = dict(
                model.objects.filter(organization=org, title__startswith=f"Soak {run_id} ")
                .values_list("pk", "title")
                .iterator()
            )
            lost += [
                {"kind": kind, "pk": pk, "title": t} for pk, t in mine.items() if saved.get(pk) != t
            ]
            unanswered += len(set(saved) - set(mine))
            trailed = set(
                TrailEntry.objects.filter(
                    organization_id=org.pk,
                    content_type=ContentType.objects.get_for_model(model),
                    object_id__in=[str(pk) for pk in mine],
                ).values_list("object_id", flat=True)
            )
            untrailed += [{"kind": kind, "pk": pk} for pk in mine if str(pk) not in trailed]
        acks = {w.pk for w in writes if w.kind == "acknowledgement"}
        done = set(
            Acknowledgement.objects.filter(pk__in=acks, acknowledged_at__isnull=False).values_list(
                "pk", flat=True
            )
        )
        lost += [{"kind": "acknowledgement", "pk": pk} for pk in sorted(acks - done)]
    return {"lost": lost, "without_trail_entry": untrailed, "saved_without_answer": unanswered}


def verify_trail(env: dict[str, str]) -> dict[str, Any]:
    command = [str(Path(sys.executable).with_name("pdca")), "verify-trail"]
    done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
    return {"ok": done.returncode == 0, "output": (done.stdout + done.stderr).strip()}


# --- one soak ----------------------------------------------------------------------------


def soak(
    env: dict[str, str], ctx: BenchContext, crowd: list[Person], args: Any, kill: bool
) -> dict[str, Any]:
    run_id = time.strftime("%Y%m%d-%H%M%S") + ("k" if kill else "")
    base = f"/o/{ctx.org.slug}/"
    probe = crowd[0]
    tallies = [Tally() for _ in crowd]
    with gunicorn(env, base, probe.cookie_header()) as server:
        warm_up(server.port, base, crowd)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        run: dict[str, Any] = {
            "id": run_id,
            "started": started,
            "deadline": started + args.soak_seconds,
            "write_share": args.soak_writes,
            "think": args.soak_think,
        }
        threads = [
            threading.Thread(target=simulate, args=(server.port, base, p, t, run, i))
            for i, (p, t) in enumerate(zip(crowd, tallies, strict=True))
        ]
        if kill:
            at = started + args.soak_seconds / 2
            threads.append(threading.Thread(target=kill_one_worker, args=(server, at, run)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        workers_after = len(server.workers)
    latencies = [x for t in tallies for x in t.latencies]
    posts = [x for t in tallies for x in t.post_latencies]
    errors = [e for t in tallies for e in t.errors]
    killed = run.get("killed")
    in_flight: list[dict[str, Any]] = []
    if killed:
        # A request the killed worker was serving: sent before the kill, its connection reset
        # (no HTTP answer) at the kill. A sync worker serves one request at a time.
        in_flight = [
            e
            for e in errors
            if not e["error"].startswith("HTTP")
            and e.get("sent_at", 1e9) <= killed["at"] <= e["failed_at"] + 0.5
        ]
    writes = [w for t in tallies for w in t.acknowledged]
    by_path: dict[str, list[float]] = {}
    for t in tallies:
        for shape, values in t.by_path.items():
            by_path.setdefault(shape, []).extend(values)
    pages = sorted(
        (
            {
                "request": shape,
                "count": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
            }
            for shape, values in by_path.items()
        ),
        key=lambda row: -row["p50_ms"],
    )
    from django.db import connections

    connections.close_all()  # see the workers' commits from a new connection
    check = lost_writes(ctx.org, writes, run_id)
    return {
        "db": args.db,
        "killed_worker": killed,
        # Other processes on the machine slow every request: keep the load with the figures.
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "workers_after": workers_after,
        "people": len(crowd),
        "roles": {role: sum(p.role == role for p in crowd) for role in MIX},
        "seconds": round(elapsed, 1),
        "requests": len(latencies) + len(errors),
        "requests_per_second": round((len(latencies) + len(errors)) / elapsed, 1),
        "reads": sum(t.reads for t in tallies),
        "writes_tried": sum(t.writes for t in tallies),
        "writes_acknowledged": {
            kind: sum(w.kind == kind for w in writes)
            for kind in ("nonconformity", "acknowledgement", "record")
        },
        "errors": len(errors),
        "errors_in_killed_worker": len(in_flight),
        "error_samples": errors[:10],
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
        "post_p50_ms": round(statistics.median(posts), 1) if posts else None,
        "post_p95_ms": round(percentile(posts, 0.95), 1) if posts else None,
        "slowest": pages[:8],
        "lost_writes": len(check["lost"]),
        "lost_samples": check["lost"][:10],
        "without_trail_entry": len(check["without_trail_entry"]),
        "saved_without_answer": check["saved_without_answer"],
        "trail": verify_trail(env),
    }


def print_soak(result: dict[str, Any]) -> None:
    killed = result["killed_worker"]
    print(
        f"\nSoak on {result['db']}: {result['people']} people "
        f"({', '.join(f'{n} {r}' for r, n in result['roles'].items())}) for "
        f"{result['seconds']} s, gunicorn 2 sync workers, load average "
        f"{result['load_average'][0]} → {result['load_average'][1]}"
        + (f", worker {killed['pid']} killed at {killed['at']:.1f} s" if killed else "")
    )
    acked = result["writes_acknowledged"]
    print(
        f"  {result['requests']} requests ({result['requests_per_second']}/s), "
        f"{result['reads']} reads and {result['writes_tried']} writes; acknowledged: "
        f"{acked['nonconformity']} nonconformities, {acked['acknowledgement']} "
        f"acknowledgements, {acked['record']} records"
    )
    print(
        f"  latency p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms "
        f"(posts: p50 {result['post_p50_ms']} ms, p95 {result['post_p95_ms']} ms)"
    )
    other = result["errors"] - result["errors_in_killed_worker"]
    print(
        f"  errors: {result['errors']} ({result['errors_in_killed_worker']} in flight in the "
        f"killed worker, {other} others)  goal 0 others: {'OK' if other == 0 else 'FAILED'}"
    )
    for error in result["error_samples"]:
        print(f"    {error}")
    print(
        f"  lost writes: {result['lost_writes']}  goal 0: "
        f"{'OK' if result['lost_writes'] == 0 else 'FAILED'}; writes without a trail entry: "
        f"{result['without_trail_entry']}; saved without an answer: "
        f"{result['saved_without_answer']}"
    )
    print("  slowest requests (p50 / p95 ms, count):")
    for row in result["slowest"][:5]:
        print(f"    {row['p50_ms']:>7} / {row['p95_ms']:>7}  {row['count']:>5}  {row['request']}")
    for lost in result["lost_samples"]:
        print(f"    {lost}")
    if killed:
        print(f"  workers after the kill: {result['workers_after']} (the master started another)")
    print(
        f"  pdca verify-trail: {'OK' if result['trail']['ok'] else 'FAILED'} — "
        f"{result['trail']['output']}"
    )


def passed(result: dict[str, Any]) -> bool:
    return (
        result["errors"] == result["errors_in_killed_worker"]
        and result["lost_writes"] == 0
        and result["without_trail_entry"] == 0
        and result["trail"]["ok"]
    )
