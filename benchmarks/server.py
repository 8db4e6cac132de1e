"""gunicorn for the benchmark's load runs: a server on a free loopback port, signed-in sessions
and the workers' process ids (the throughput run reads their memory, the soak kills one)."""

import http.client
import importlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie(user: Any) -> str:
    """A signed-in session for `user`, created directly in the session store."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def worker_pids(master: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            children.append(int(stat.parent.name))
    return sorted(children)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def workers(self) -> list[int]:
        return worker_pids(self.process.pid)


@contextmanager
def gunicorn(env: dict[str, str], probe: str, cookie: str, workers: int = 2) -> Iterator[Server]:
    """gunicorn (sync workers) on 127.0.0.1, yielded once `probe` answers 200 for `cookie`.

    Raises RuntimeError when the server does not start or the probe fails. Every database
    connection of this process is closed first: the workers are forked from a fresh master, but
    SQLite must not see this process hold a write lock, nor PostgreSQL an idle transaction.
    """
    from django.db import connections

    connections.close_all()
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "pdca.config.wsgi:application",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
        "--chdir",
        str(ROOT),
    ]
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT)
    try:
        for _ in range(150):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", probe, headers={"Cookie": cookie})
                status = conn.getresponse().status
                conn.close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        if status != 200:
            raise RuntimeError(f"{probe} answered {status} under gunicorn")
        # Wait for every worker to be up, so that a kill finds `workers` of them.
        for _ in range(50):
            if len(worker_pids(process.pid)) >= workers:
                break
            time.sleep(0.1)
        yield Server(port=port, process=process)
    finally:
        process.terminate()
        process.wait(timeout=30)
