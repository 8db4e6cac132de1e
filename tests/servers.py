"""Servers that tests start in subprocesses: gunicorn under the production settings, and a local
S3-compatible object store (moto in server mode). Shared by the deployment tests."""

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """A tiny HTTP client that keeps cookies by hand: the production cookies are Secure, and
    the proxy in front of gunicorn (played by the X-Forwarded-Proto header) terminates TLS.

    `port` can be changed between requests: the same browser talking to another app server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.cookie_flags: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: str = "",
        headers: dict[str, str] | None = None,
        https: bool = True,
    ) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        sent = {
            "Host": "localhost",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if method == "POST":
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = "https://localhost/accounts/login/"
        sent.update(headers or {})
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
                self.cookie_flags[key] = rest.lower()
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text


def production_env(var_dir: Path, **values: str) -> dict[str, str]:
    """The environment of a production deployment: nothing inherited from the test run."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PDCA_", "DJANGO_", "DATABASE_URL"))
    }
    # The audit trail's key in a file outside the database, as the README advises.
    var_dir.mkdir(parents=True, exist_ok=True)
    trail_key = var_dir / "trail.key"
    trail_key.write_text("# the audit trail's key\n" + "k" * 48 + "\n")
    env.update(
        DJANGO_SETTINGS_MODULE="pdca.config.settings.production",
        PDCA_SECRET_KEY="deployment-test-" + "x" * 40,
        PDCA_TRAIL_KEY_FILE=str(trail_key),
        PDCA_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'pdca.sqlite3'}",
        PDCA_ALLOWED_HOSTS="localhost",
        PDCA_CSRF_TRUSTED_ORIGINS="https://localhost",
    )
    env.update(values)
    return env


def run_pdca(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "pdca"), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"pdca {' '.join(args)} failed:\n{result.stderr[-3000:]}"
    return result.stdout


def _wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                raise AssertionError(f"{what} exited:\n{output[-3000:]}") from None
            assert time.monotonic() < deadline, f"{what} did not start"
            time.sleep(0.2)


@contextmanager
def gunicorn(env: dict, cwd: Path, workers: int = 2) -> Iterator[int]:
    """A gunicorn server under `env`; yields its port once it accepts connections."""
    port = free_port()
    server = subprocess.Popen(
        # The production settings of pdca/config/gunicorn.py, on a port of the test's own.
        [
            str(BIN / "gunicorn"),
            "-c",
            "python:pdca.config.gunicorn",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
        ],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_port(port, server, "gunicorn")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextmanager
def moto_s3() -> Iterator[str]:
    """A local S3-compatible server (moto, from PyPI) on a free port; yields its endpoint URL."""
    port = free_port()
    env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    server = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_port(port, server, "moto_server")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)
