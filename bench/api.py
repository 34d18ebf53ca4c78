"""Benchmark: the API under gunicorn on loopback, against a bare JSON endpoint of the same server.

    .venv/bin/python bench/api.py [--seconds 10] [--concurrency 2] [--workers 2]

On a fresh SQLite database in a temporary directory (or ``BENCH_DATABASE_URL``, a scratch
database: the demo plans are written into it), the three demo plans are loaded and an auditor gets a personal token. One gunicorn (sync workers, production
settings: DEBUG off, the whole middleware stack) serves, in the same run:

- ``bare``: a Django view that returns ``{"ok": true}``: the floor every request of this app pays
  (WSGI, middleware, routing, JSON), without authentication, database or serializers;
- ``plan detail``: GET /api/v1/plans/<VärNa>/ with the token: the plan, its computed summary per
  column and the checks;
- ``budget lines``: GET /api/v1/budget-lines/?plan=<VärNa>: one page (22 lines with amounts).

Each endpoint gets a warm-up, then ``--concurrency`` client threads send requests one after the
other (a new connection each: sync workers close it) for ``--seconds`` or ``--max-requests``,
whichever ends first. Every request goes to 127.0.0.1 only. Printed: requests per second, median
and 95th percentile latency, and each endpoint's throughput as a share of ``bare``: a Markdown
table for docs/performance.md. Not a test.

This module is also the server's WSGI entry: gunicorn loads ``bench.api:application``, which is
the project's application with the bare endpoint added in front of the project's URLs.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest, JsonResponse

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "finsam.settings",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production",
    "ALLOWED_HOSTS": HOST,
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",  # no request log line: the bench measures the app, not stdout
    "API_THROTTLE_USER": "100000000/hour",
    "API_THROTTLE_ANON": "100000000/hour",
}


# ---------------------------------------------------------------------------------------------
# The server side: the WSGI application gunicorn loads.
# ---------------------------------------------------------------------------------------------


def _server_application() -> Callable[..., Any]:
    import django
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = "bench.api"
    django.setup()
    return get_wsgi_application()


def bare(request: HttpRequest) -> JsonResponse:
    from django.http import JsonResponse

    return JsonResponse({"ok": True})


if os.environ.get("FINSAM_BENCH_SERVER") == "1":
    application = _server_application()

    from django.urls import include, path

    # This module is the server's ROOT_URLCONF: the bare endpoint, then the project's URLs.
    urlpatterns = [path("bench/bare/", bare), path("", include("finsam.urls"))]


# ---------------------------------------------------------------------------------------------
# The client side: data, server, load.
# ---------------------------------------------------------------------------------------------


def prepare_data(env: dict[str, str]) -> tuple[int, str]:
    """Migrate, load the demo plans and an auditor's token; return VärNa's plan id and the token."""
    script = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from knox.models import AuthToken
from plans.management.commands.load_demo import demo_plan_data
from plans.models import Membership, Role
from plans.planfile import plan_import
from django.contrib.auth import get_user_model
plans = [plan_import(data=data, replace=True) for data in demo_plan_data()]
user, _ = get_user_model().objects.get_or_create(username="bench-revisor")
for plan in plans:
    Membership.objects.get_or_create(user=user, association=plan.association, role=Role.REVISOR)
_, token = AuthToken.objects.create(user=user)
print(plans[0].pk, token)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    plan_id, token = out.stdout.split()[-2:]
    return int(plan_id), token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int, workers: int, workdir: Path) -> subprocess.Popen:
    config = workdir / "gunicorn_bench.py"
    config.write_text(
        f"bind = '{HOST}:{port}'\nworkers = {workers}\nworker_class = 'sync'\n"
        "accesslog = None\nloglevel = 'warning'\npreload_app = True\n"
    )
    log = (workdir / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(config), "bench.api:application"],
        env={**env, "FINSAM_BENCH_SERVER": "1"},
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "/bench/bare/", {})
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start:\n" + (workdir / "gunicorn.log").read_text()[-3000:])


def request(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def worker_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU seconds (user + system) the gunicorn workers have used so far: Linux /proc only."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


@dataclass
class Result:
    name: str
    seconds: float = 0.0
    cpu: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.latencies, n=20)[-1] * 1000

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request: less disturbed by other load on the machine than the clock."""
        return self.cpu / self.requests * 1000


def warm_up(port: int, path: str, headers: dict[str, str]) -> None:
    for _ in range(20):  # imports, caches and connections of every worker
        status, body = request(port, path, headers)
        if status != 200:
            raise SystemExit(f"{path} answered {status}: {body[:300]!r}")


def load(
    server: subprocess.Popen,
    port: int,
    result: Result,
    path: str,
    headers: dict[str, str],
    *,
    seconds: float,
    max_requests: int,
    concurrency: int,
) -> None:
    """Send requests from ``concurrency`` threads until the time or the count runs out."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    errors: list[str] = []

    def worker() -> None:
        while time.perf_counter() < stop_at and not errors:
            with lock:
                if len(latencies) >= max_requests:
                    return
            started = time.perf_counter()
            status, _ = request(port, path, headers)
            elapsed = time.perf_counter() - started
            with lock:
                if status != 200:
                    errors.append(f"{path} answered {status}")
                latencies.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    cpu_before = worker_cpu_seconds(server)
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds += time.perf_counter() - began
    result.cpu += worker_cpu_seconds(server) - cpu_before
    result.latencies.extend(latencies)
    if errors:
        raise SystemExit(errors[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per endpoint")
    parser.add_argument("--max-requests", type=int, default=20000, help="per endpoint")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, default=5, help="alternations of the endpoints")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="finsam-bench-api-") as tmp:
        workdir = Path(tmp)
        env = {**os.environ, **SERVER_ENV, "PYTHONPATH": str(ROOT)}
        env["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"
        )
        plan_id, token = prepare_data(env)
        port = free_port()
        server = start_server(env, port, args.workers, workdir)
        auth = {"Authorization": f"Token {token}", "Accept": "application/json"}
        endpoints = [
            ("bare", "/bench/bare/", {}),
            ("plan detail", f"/api/v1/plans/{plan_id}/", auth),
            ("budget lines", f"/api/v1/budget-lines/?plan={plan_id}", auth),
        ]
        results = [Result(name) for name, _, _ in endpoints]
        try:
            for _, path, headers in endpoints:
                warm_up(port, path, headers)
            # Rounds alternate the endpoints, so that drift in the machine's load hits all alike.
            for _ in range(args.rounds):
                for result, (_, path, headers) in zip(results, endpoints, strict=True):
                    load(
                        server,
                        port,
                        result,
                        path,
                        headers,
                        seconds=args.seconds / args.rounds,
                        max_requests=args.max_requests // args.rounds,
                        concurrency=args.concurrency,
                    )
        finally:
            server.terminate()
            server.wait(timeout=30)

    base = results[0]
    load_avg = os.getloadavg()[0]
    print(
        f"gunicorn {args.workers} sync workers, {args.concurrency} client threads, "
        f"{args.seconds:g} s per endpoint in {args.rounds} rounds, {os.cpu_count()} cores, "
        f"{'PostgreSQL' if env['DATABASE_URL'].startswith('postgres') else 'SQLite'}, "
        f"load average {load_avg:.1f} at the end\n"
    )
    print(
        "| endpoint | requests | req/s | median ms | p95 ms | server CPU ms/req "
        "| bare ÷ endpoint (req/s) | endpoint ÷ bare (CPU) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for result in results:
        print(
            f"| {result.name} | {result.requests} | {result.rps:.0f} | {result.median_ms:.1f} "
            f"| {result.p95_ms:.1f} | {result.cpu_ms:.2f} | {base.rps / result.rps:.1f} × "
            f"| {result.cpu_ms / base.cpu_ms:.1f} × |"
        )


if __name__ == "__main__":
    main()
