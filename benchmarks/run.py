"""`make bench`: generate the benchmark data, time the key pages and serve them under load.

    .venv/bin/python benchmarks/run.py [--scale demo|large] [--db sqlite|postgres]
                                       [--skip-generate] [--requests 30] [--no-throughput]
                                       [--only TEXT] [--profile] [--pg-database NAME]
    .venv/bin/python benchmarks/run.py --soak [--soak-seconds 60] [--soak-users 50] …

Every scenario in benchmarks/scenarios/ (see benchmarks/common.py) generates its data once per
database (a marker table remembers what was generated), then each of its pages is requested
with django.test.Client as the page's user: after a warm-up, the median and 95th percentile of
the server time and the page's SQL query count are printed against the page's target, with the
median CPU time the process spent on the request ("cpu ms"): on a loaded machine the wall time
also counts waiting for a core, the CPU time much less so. Finally
gunicorn (2 sync workers) serves the audit-trail page to a concurrent client of our own, which
reports requests per second and each worker's resident memory. Results also go to
benchmarks/results/<scale>-<db>.json.

--soak (`make soak`) instead serves the generated data to simulated people reading and writing
at once, with and without a worker killed, and checks that no acknowledged write was lost
(benchmarks/soak.py); results go to benchmarks/results/soak-<scale>-<db>.json.
"""

import argparse
import http.client
import importlib
import json
import os
import pkgutil
import platform
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "src"))

from benchmarks import soak  # noqa: E402  (needs the path above)
from benchmarks.common import percentile  # noqa: E402
from benchmarks.server import gunicorn, rss_mib, session_cookie  # noqa: E402

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
GOALS = {"requests_per_second": 150, "worker_rss_mib": 150}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["demo", "large"], default="demo")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--skip-generate", action="store_true", help="use the data as it is")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--no-throughput", action="store_true", help="skip the gunicorn run")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of the load run")
    parser.add_argument("--only", default="", help="time only pages whose name contains this")
    parser.add_argument(
        "--profile", action="store_true", help="print where each page spends its time"
    )
    parser.add_argument(
        "--pg-database", default="", help="PostgreSQL database name (pdca_bench_<scale>)"
    )
    soak = parser.add_argument_group("soak (benchmarks/soak.py)")
    soak.add_argument(
        "--soak", action="store_true", help="run the soak instead of the page timings"
    )
    soak.add_argument("--soak-users", type=int, default=50, help="simulated people")
    soak.add_argument("--soak-seconds", type=float, default=60.0, help="length of each run")
    soak.add_argument("--soak-writes", type=float, default=0.2, help="share of steps that write")
    soak.add_argument(
        "--soak-think", type=float, default=1.0, help="mean pause between steps (seconds)"
    )
    soak.add_argument(
        "--soak-kill",
        choices=["both", "without", "with"],
        default="both",
        help="run without a killed worker, with one killed halfway, or both",
    )
    return parser.parse_args()


def pg_database(args: argparse.Namespace) -> str:
    return args.pg_database or f"pdca_bench_{args.scale}"


def database_url(args: argparse.Namespace) -> str:
    if args.db == "postgres":
        return f"{PG_SERVER}/{pg_database(args)}"
    return f"sqlite:///{ROOT / 'var' / f'bench-{args.scale}.sqlite3'}"


def ensure_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')  # name is ours: see pg_database()
            print(f"Created PostgreSQL database {name}.")


def configure(args: argparse.Namespace) -> dict[str, str]:
    """The environment of the benchmark: dev settings on a separate database, no debug."""
    (ROOT / "var").mkdir(exist_ok=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "pdca.config.settings.dev",
        "DATABASE_URL": database_url(args),
        "PDCA_DEBUG": "0",  # DEBUG keeps every query in memory and renders slower
        "PDCA_LOG_LEVEL": "WARNING",
        "PDCA_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PDCA_VAR_DIR": str(ROOT / "var"),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    if args.db == "postgres":
        ensure_postgres_database(pg_database(args))
    os.environ.update(env)
    return env


# --- generation --------------------------------------------------------------------------


def load_scenarios() -> list[Any]:
    import benchmarks.scenarios as package

    modules = [
        importlib.import_module(f"benchmarks.scenarios.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def _marker_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_marker (name varchar(200) PRIMARY KEY, seconds real)"
        )


def is_generated(name: str) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM bench_marker WHERE name = %s", [name])
        return cursor.fetchone() is not None


def mark_generated(name: str, seconds: float) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_marker (name, seconds) VALUES (%s, %s)", [name, seconds])


def generate(scenarios: list[Any], ctx: Any, skip: bool) -> dict[str, float]:
    timings: dict[str, float] = {}
    for module in scenarios:
        name = module.__name__.rsplit(".", 1)[-1]
        if skip or is_generated(name):
            continue
        print(f"Generating {name} ({ctx.scale}) …")
        started = time.perf_counter()
        module.generate(ctx)
        timings[name] = round(time.perf_counter() - started, 1)
        mark_generated(name, timings[name])
        print(f"  {name}: {timings[name]} s")
    if timings:
        # Fresh statistics and, on PostgreSQL, a set visibility map (index-only scans), as
        # autovacuum or `PRAGMA optimize` would keep them (VACUUM also folds the search
        # index's pending list into the index proper): the benchmark measures a database
        # in its steady state, also on a server where autovacuum is off.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return timings


# --- page timings ------------------------------------------------------------------------


def time_page(page: Any, requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(page.user)
    for _ in range(3):
        status = client.get(page.url).status_code
    if status != 200:
        return {"page": page.name, "url": page.url, "status": status, "ok": False}
    with CaptureQueriesContext(connection) as captured:
        client.get(page.url)
    # Read now: the next request resets the connection's query log.
    queries = len(captured.captured_queries)
    timings, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(page.url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    median = statistics.median(timings)
    return {
        "page": page.name,
        "url": page.url,
        "status": status,
        "median_ms": round(median, 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "cpu_ms": round(statistics.median(cpu), 2),
        "queries": queries,
        "target_ms": page.target_ms,
        "ok": median <= page.target_ms,
    }


def profile_measure(measure: Any) -> None:
    """Where a measure (a form sent, an import, a daily run) spends its time, once."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    measure.func()
    profiler.disable()
    print(f"\n== {measure.name} (once) ==")
    stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "tottime"))
    stats.print_stats(int(os.environ.get("PROFILE_LINES", "20")))


def profile_page(page: Any, requests: int) -> None:
    """The functions a page spends its time in (cProfile, own time), to find what to fix."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(page.user)
    client.get(page.url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(page.url)
    profiler.disable()
    print(f"\n== {page.name} ({requests} requests) ==")
    # PROFILE_SORT=cumtime shows where time goes from the top down; PROFILE_LINES=60 shows more.
    stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "tottime"))
    stats.print_stats(int(os.environ.get("PROFILE_LINES", "20")))
    if os.environ.get("PROFILE_CALLERS"):  # e.g. PROFILE_CALLERS=hasattr: who calls it
        stats.print_callers(os.environ["PROFILE_CALLERS"])
    with CaptureQueriesContext(connection) as captured:
        client.get(page.url)
    print("Slowest queries (seconds):")
    for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:6]:
        print(f"  {query['time']}  {query['sql'][:600]}")


def time_measure(measure: Any, requests: int) -> dict[str, Any]:
    if measure.once:
        started = time.perf_counter()
        result = measure.func()
        ms = round((time.perf_counter() - started) * 1000, 2)
        right = measure.check(result) if measure.check else True
        return {
            "measure": measure.name,
            "median_ms": ms,
            "p95_ms": ms,
            "target_ms": measure.target_ms,
            "result": result,
            "ok": ms <= measure.target_ms and right,
        }
    for _ in range(3):
        measure.func()
    timings, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        measure.func()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    median = statistics.median(timings)
    return {
        "measure": measure.name,
        "median_ms": round(median, 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "cpu_ms": round(statistics.median(cpu), 2),
        "target_ms": measure.target_ms,
        "ok": median <= measure.target_ms,
    }


def print_pages(rows: list[dict[str, Any]]) -> None:
    print(
        f"\n{'page':<44} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>7} {'queries':>8} "
        f"{'target':>7}  result"
    )
    for row in rows:
        if "median_ms" not in row:
            print(f"{row['page']:<44} {'HTTP ' + str(row['status']):>10}{'':>34}FAILED")
            continue
        print(
            f"{row['page']:<44} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f} "
            f"{row['cpu_ms']:>7.1f} {row['queries']:>8} {row['target_ms']:>7.0f}  "
            f"{'OK' if row['ok'] else 'SLOW'}"
        )


def print_measures(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    print(f"\n{'measure':<44} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>7} {'target':>8}  result")
    for row in rows:
        print(
            f"{row['measure']:<44} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f} "
            f"{row.get('cpu_ms', row['median_ms']):>7.1f} {row['target_ms']:>8.0f}  "
            f"{'OK' if row['ok'] else 'SLOW'}"
        )
        if "result" in row:
            print(f"  {row['result']}")


# --- throughput under gunicorn -----------------------------------------------------------


def load(port: int, path: str, cookie: str, clients: int, seconds: float) -> dict[str, Any]:
    """`clients` threads request `path` as fast as they can for `seconds`; keep-alive when the
    server allows it (gunicorn's sync workers close each connection)."""
    deadline = time.perf_counter() + seconds
    counts = {"ok": 0, "errors": 0}
    latencies: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        conn: http.client.HTTPConnection | None = None
        ok = errors = 0
        mine: list[float] = []
        while time.perf_counter() < deadline:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "Connection": "keep-alive"})
                response = conn.getresponse()
                response.read()
                mine.append((time.perf_counter() - started) * 1000)
                if response.status == 200:
                    ok += 1
                else:
                    errors += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                errors += 1
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": counts["ok"],
        "errors": counts["errors"],
        "seconds": round(elapsed, 2),
        "requests_per_second": round(counts["ok"] / elapsed, 1),
        "latency_median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "latency_p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
    }


def throughput(env: dict[str, str], page: Any, args: argparse.Namespace) -> dict[str, Any]:
    cookie = session_cookie(page.user)
    try:
        with gunicorn(env, page.url, cookie) as server:
            load(server.port, page.url, cookie, clients=args.clients, seconds=2)  # warm both
            result = load(server.port, page.url, cookie, clients=args.clients, seconds=args.seconds)
            result.update(
                {
                    "page": page.name,
                    "url": page.url,
                    "clients": args.clients,
                    "workers": 2,
                    "worker_rss_mib": [rss_mib(pid) for pid in server.workers],
                }
            )
            return result
    except RuntimeError as error:
        return {"error": str(error)}


def print_throughput(result: dict[str, Any]) -> None:
    if "error" in result:
        print(f"\nThroughput: {result['error']}")
        return
    rps_ok = result["requests_per_second"] >= GOALS["requests_per_second"]
    rss = result["worker_rss_mib"]
    rss_ok = bool(rss) and max(rss) < GOALS["worker_rss_mib"]
    print(
        f"\nThroughput: {result['page']} under gunicorn (2 sync workers), "
        f"{result['clients']} concurrent clients for {result['seconds']} s"
    )
    print(
        f"  {result['requests_per_second']} requests/s ({result['requests']} requests, "
        f"{result['errors']} errors; latency median {result['latency_median_ms']} ms, "
        f"p95 {result['latency_p95_ms']} ms)  goal ≥ {GOALS['requests_per_second']}: "
        f"{'OK' if rps_ok else 'SLOW'}"
    )
    print(
        f"  worker resident memory: {', '.join(f'{m} MiB' for m in rss)}  "
        f"goal < {GOALS['worker_rss_mib']} MiB: {'OK' if rss_ok else 'TOO BIG'}"
    )


# --- soak (benchmarks/soak.py) -----------------------------------------------------------


def run_soak(env: dict[str, str], ctx: Any, pages: list[Any], args: argparse.Namespace) -> int:
    from django_scopes import scopes_disabled

    with scopes_disabled():
        crowd = soak.people(ctx, pages, args.soak_users)
    kills = {"both": [False, True], "without": [False], "with": [True]}[args.soak_kill]
    results = []
    for kill in kills:
        result = soak.soak(env, ctx, crowd, args, kill=kill)
        soak.print_soak(result)
        results.append(result)
    out = ROOT / "benchmarks" / "results" / f"soak-{args.scale}-{args.db}.json"
    out.parent.mkdir(exist_ok=True)
    record = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "runs": results,
    }
    out.write_text(json.dumps(record, indent=2) + "\n")
    print(f"\nResults written to {out.relative_to(ROOT)}")
    return 0 if all(soak.passed(r) for r in results) else 1


# --- main --------------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    env = configure(args)
    import django

    django.setup()
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    load_at_start = [round(x, 2) for x in os.getloadavg()]
    print(f"pdca benchmark: scale {args.scale}, {args.db} ({env['DATABASE_URL']})")
    print(f"Load average: {' '.join(map(str, load_at_start))} on {os.cpu_count()} CPUs")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    _marker_table()
    scenarios = load_scenarios()
    with scopes_disabled():
        from benchmarks.scenarios import core

        ctx = core.setup(args.scale)
        generated = generate(scenarios, ctx, args.skip_generate)
        pages: list[Any] = []
        measures: list[Any] = []
        for module in scenarios:
            pages += module.pages(ctx)
            if hasattr(module, "measures"):
                measures += module.measures(ctx)
    print(f"Data ready in {time.perf_counter() - started:.0f} s.")
    if args.only:
        pages = [page for page in pages if args.only.lower() in page.name.lower()]
        measures = [m for m in measures if args.only.lower() in m.name.lower()]
    if args.soak:
        return run_soak(env, ctx, pages, args)
    if args.profile:
        for page in pages:
            profile_page(page, min(args.requests, 10))
        with scopes_disabled():
            for measure in measures:
                profile_measure(measure)
        return 0

    page_rows = [time_page(page, args.requests) for page in pages]
    print_pages(page_rows)
    with scopes_disabled():
        measure_rows = [time_measure(measure, args.requests) for measure in measures]
    print_measures(measure_rows)

    load_result: dict[str, Any] = {}
    if not args.no_throughput and not args.only:
        trail_page = next(p for p in pages if p.url.endswith("/trail/"))
        load_result = throughput(env, trail_page, args)
        print_throughput(load_result)

    results = {
        "scale": args.scale,
        "db": args.db,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            # Other processes on the machine skew every figure: keep the load with them.
            "load_average_at_start": load_at_start,
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "generated_seconds": generated,
        "pages": page_rows,
        "measures": measure_rows,
        "throughput": load_result,
    }
    if args.only:  # a partial run does not replace the recorded results
        return 0
    out = ROOT / "benchmarks" / "results" / f"{args.scale}-{args.db}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nResults written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
