"""Load test: the production setup under concurrent users, on loopback only.

    .venv/bin/python bench/load.py [--users 30] [--seconds 60] [--think 1 3]

What it does, from nothing to a report, and nothing left behind:

1. creates a scratch PostgreSQL database (``--database-url``, default
   postgres://postgres@127.0.0.1:5432/finsam_load; its name must end in ``_load``, because a
   leftover database of that name is dropped), then runs the deploy steps of docs/deploy.md:
   ``migrate``, ``createcachetable``, ``collectstatic`` (into a temporary directory) and
   ``load_demo`` (the three demo plans, kansli@demo.se with the password "demo");
2. gives every virtual user an auditor account of its own with a personal API token (knox), so
   that the API throttle (3000/hour per user) counts each user's requests as in production;
3. starts gunicorn with the project's ``gunicorn.conf.py`` (sync workers, one per core, at least
   two) on a free port of 127.0.0.1 with production settings: DEBUG off, a random SECRET_KEY,
   ALLOWED_HOSTS=127.0.0.1, the database cache for throttles, the JSON request log to a file.
   SECURE_SSL_REDIRECT is off; every request carries ``X-Forwarded-Proto: https`` as nginx would
   send it, so the Secure session and CSRF cookies and the CSRF origin check work as behind nginx;
4. logs every virtual user in as kansli@demo.se through /konto/login/ (a session each), then for
   ``--seconds`` each user repeats: pick an action by weight, do it, wait ``--think`` seconds
   (uniformly between the two bounds). The actions (``ACTIONS``):

   - ``start page`` GET / and ``plan page`` GET /planer/<id>/;
   - ``grid save``: change one amount in the budget grid and POST the whole grid as the browser
     does (CSRF token, line versions and digests from the page), then follow the redirect:
     that GET is a ``grid page``. Each user owns one line of one plan (users are spread over the
     three plans, ten lines each by default), so saves of one plan meet all the time but never on
     the same line: a 409 there would be a false edit conflict and counts as an error.
     ``--users-per-line 2`` or more puts users on the same line: then 409s happen by design and
     are counted apart, not as errors;
   - ``API plan detail`` GET /api/v1/plans/<id>/ and ``API budget lines``
     GET /api/v1/budget-lines/?plan=<id>, with the user's token;
   - ``PDF`` GET /planer/<id>/pdf/ (a draft, so typeset on every request). ``--pdf-weight``
     changes its share; ``--pdf-pool N`` serves PDFs from a second gunicorn with N workers, as
     nginx would send them to a socket of their own;

5. stops starting requests when the time or ``--max-requests`` runs out, lets the requests under
   way finish, shuts gunicorn down, and checks the database for lost writes: every line's version
   must have moved once per acknowledged save (302), and its amount must be the one the last
   acknowledged save wrote;
6. prints a Markdown report for docs/performance.md: requests per second, client-side p50/p95
   latency per kind, the server's own p50/p95 from its request log (the difference is time spent
   waiting for a free worker), the share of the workers' time each kind took, errors, conflicts,
   lost writes and the CPU gunicorn and the client used; then drops the database.

An error is any answer other than the expected one (200 for pages, the API and PDFs, 302 for a
save, 409 for a save of a shared line) or no answer at all: a 302 to the login page where a page
was expected counts. The exit status is 1 when there were errors or lost writes.

Everything runs on this machine: the client threads share the cores with gunicorn and PostgreSQL
(the report gives the client's CPU time). Not a test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.editor.pages import FormData, form_fields  # noqa: E402 - after the path is set

HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/finsam_load"
KANSLI = ("kansli@demo.se", "demo")
REQUEST_TIMEOUT = 90.0  # longer than gunicorn's 60 s worker timeout: gunicorn decides
TARGET_P95_MS = 300.0

# What a virtual user does next, by weight (per cent). A grid save is two requests: the POST and
# the grid page it redirects to.
ACTIONS = {
    "start page": 15,
    "plan page": 25,
    "grid save": 20,
    "API plan detail": 19,
    "API budget lines": 19,
    "PDF": 2,
}
KINDS = (
    "start page",
    "plan page",
    "grid page",
    "grid save",
    "API plan detail",
    "API budget lines",
    "PDF",
)
TARGET_EXEMPT = {"PDF"}
# Settings of docs/deploy.md the caller may set for a run; everything else is fixed here.
SERVER_TUNING = (
    "WEB_CONCURRENCY",
    "CONN_MAX_AGE",
    "GUNICORN_TIMEOUT",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
    "API_THROTTLE_USER",
)


# ---------------------------------------------------------------------------------------------
# The scratch database and the deploy steps.
# ---------------------------------------------------------------------------------------------


def database_parts(url: str) -> dict[str, Any]:
    import dj_database_url

    parts = dj_database_url.parse(url)
    if parts["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"--database-url must be a PostgreSQL URL, not {url!r}")
    if not str(parts["NAME"]).endswith("_load"):
        raise SystemExit(
            f"The database name must end in _load (it is dropped and created): {parts['NAME']!r}"
        )
    return parts


def maintenance_run(parts: dict[str, Any], sql: str) -> None:
    """Run ``sql`` (CREATE/DROP DATABASE) on the server's maintenance database ``postgres``."""
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres",
        user=parts["USER"] or None,
        password=parts["PASSWORD"] or None,
        host=parts["HOST"] or None,
        port=parts["PORT"] or None,
    )
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def database_create(parts: dict[str, Any]) -> None:
    name = parts["NAME"].replace('"', '""')
    maintenance_run(parts, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    maintenance_run(parts, f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")


def database_drop(parts: dict[str, Any]) -> None:
    name = parts["NAME"].replace('"', '""')
    maintenance_run(parts, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str) -> None:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    note(f"manage.py {' '.join(args)}: {time.perf_counter() - started:.1f} s")


def django_snippet(env: dict[str, str], script: str, data: object) -> Any:
    """Run ``script`` with Django set up; it reads ``data`` as JSON on stdin, prints JSON last."""
    out = subprocess.run(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + script],
        env=env,
        cwd=ROOT,
        input=json.dumps(data),
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


# The demo plans, one line of each virtual user and an auditor with a token per user.
SETUP_SCRIPT = """
import json, sys
from django.contrib.auth import get_user_model
from django.db import connection
from knox.models import AuthToken
from budget.models import BudgetAmount, BudgetColumn, BudgetLine
from plans.models import Membership, Plan, Role

users = json.load(sys.stdin)["users"]
plans = []
for plan in Plan.objects.order_by("pk"):
    column = BudgetColumn.objects.filter(plan=plan).order_by("order", "pk").first()
    parents = set(BudgetLine.objects.filter(group__plan=plan, parent__isnull=False)
                  .values_list("parent_id", flat=True))
    lines = [line for line in BudgetLine.objects.filter(group__plan=plan)
             .order_by("group__order", "order", "pk") if line.pk not in parents]
    plans.append({"id": plan.pk, "title": str(plan), "column": column.pk,
                  "lines": [{"id": line.pk, "name": line.name} for line in lines]})
tokens = []
for number in range(1, users + 1):
    user, _ = get_user_model().objects.get_or_create(username=f"load-revisor-{number:02d}")
    user.set_unusable_password()
    user.save()
    for plan in Plan.objects.select_related("association"):
        Membership.objects.get_or_create(user=user, association=plan.association,
                                         defaults={"role": Role.REVISOR})
    tokens.append(AuthToken.objects.create(user=user)[1])
with connection.cursor() as cursor:
    cursor.execute("SHOW server_version")
    server_version = cursor.fetchone()[0]
print(json.dumps({"plans": plans, "tokens": tokens, "postgres": server_version}))
"""

# The stored version and amount of every line the users wrote to.
STORED_SCRIPT = """
import json, sys
from budget.models import BudgetAmount, BudgetLine
cells = json.load(sys.stdin)
versions = dict(BudgetLine.objects.filter(pk__in=[c[0] for c in cells])
                .values_list("pk", "version"))
amounts = {}
for line_id, column_id in cells:
    amount = BudgetAmount.objects.filter(line_id=line_id, column_id=column_id).first()
    amounts[f"{line_id}-{column_id}"] = None if amount is None else str(amount.amount.amount)
print(json.dumps({"versions": {str(k): v for k, v in versions.items()}, "amounts": amounts}))
"""


# ---------------------------------------------------------------------------------------------
# The server.
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_start(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    log = log_path.open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "finsam.wsgi"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/healthz", headers={"Host": HOST})
            if connection.getresponse().status == 200:
                connection.close()
                return server
            connection.close()
        except OSError:
            pass
        time.sleep(0.2)
    server_stop(server)
    raise SystemExit("gunicorn did not start:\n" + log_path.read_text()[-3000:])


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU seconds (user + system) gunicorn has used so far: the master, its live workers and the
    workers it has recycled (their time is in the master's ``cutime``). Linux /proc only.
    """
    ticks = os.sysconf("SC_CLK_TCK")

    def fields(pid: int | str) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    master = fields(server.pid)
    total = sum(int(master[i]) for i in (11, 12, 13, 14))  # utime, stime, cutime, cstime
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    for pid in children:
        try:
            worker = fields(pid)
        except OSError:  # exited in between: its time is in the master's cutime by now
            continue
        total += int(worker[11]) + int(worker[12])
    return total / ticks


def server_stop(server: subprocess.Popen) -> None:
    """Stop gunicorn as systemd does: TERM (graceful, requests under way finish), then KILL."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


# ---------------------------------------------------------------------------------------------
# The client: a browser-like session over http.client, and the virtual users.
# ---------------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int  # 0: no answer (refused, reset, timed out)
    location: str
    body: bytes
    seconds: float
    error: str = ""


class Browser:
    """Cookies, the headers nginx adds, and a new connection per request (sync workers close it).

    The server sees every request as https (``X-Forwarded-Proto``), so its cookies are Secure;
    unlike a cookie jar on plain http, this client sends them back.
    """

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.port = port
        self.origin = f"https://{HOST}:{port}"
        self.cookies: dict[str, str] = {}
        self.headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": HOST, **(headers or {})}

    def get(self, path: str) -> Answer:
        return self.send("GET", path)

    def post(self, path: str, pairs: list[tuple[str, str]]) -> Answer:
        body = urllib.parse.urlencode(pairs).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.origin,
            "Referer": self.origin + path,
        }
        return self.send("POST", path, body, headers)

    def send(
        self, method: str, path: str, body: bytes | None = None, extra: dict[str, str] | None = None
    ) -> Answer:
        headers = {**self.headers, **(extra or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            seconds = time.perf_counter() - started
            for header in response.headers.get_all("Set-Cookie") or []:
                self._keep(header)
            return Answer(response.status, response.getheader("Location", ""), content, seconds)
        except (OSError, http.client.HTTPException) as error:
            seconds = time.perf_counter() - started
            return Answer(0, "", b"", seconds, f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    def _keep(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.coded_value


@dataclass
class Sample:
    kind: str
    status: int
    seconds: float
    outcome: str  # "ok", "conflict" or "error"
    detail: str = ""


@dataclass
class Budget:
    """The run's bounds, shared by the users: a deadline and a number of requests."""

    deadline: float
    max_requests: int
    stop: threading.Event = field(default_factory=threading.Event)
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> bool:
        """Return True if one more request may start."""
        if self.stop.is_set() or time.perf_counter() >= self.deadline:
            return False
        with self.lock:
            if self.sent >= self.max_requests:
                return False
            self.sent += 1
            return True


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Cell:
    plan_id: int
    line_id: int
    column_id: int
    line_name: str

    @property
    def field(self) -> str:
        return f"line-{self.line_id}-amount-{self.column_id}"


class VirtualUser(threading.Thread):
    def __init__(
        self,
        *,
        number: int,
        port: int,
        pdf_port: int,
        cell: Cell,
        token: str,
        budget: Budget,
        think: tuple[float, float],
        actions: dict[str, int],
        shared_line: bool,
        seed: int,
    ) -> None:
        super().__init__(name=f"user-{number}", daemon=True)
        self.number = number
        self.cell = cell
        self.budget = budget
        self.think = think
        self.actions = actions
        self.shared_line = shared_line
        self.random = random.Random(seed)
        self.browser = Browser(port)
        # PDFs may come from a gunicorn of their own (--pdf-pool), with the same session.
        self.pdf = Browser(pdf_port)
        self.pdf.cookies = self.browser.cookies
        self.api = Browser(port, {"Authorization": f"Token {token}", "Accept": "application/json"})
        self.samples: list[Sample] = []
        self.form: FormData | None = None
        self.saved: list[str] = []  # values whose save was acknowledged, in order
        self.unconfirmed: list[str] = []  # values whose save got no clear answer
        self.sequence = 0
        self.login_seconds = 0.0
        self.failed = ""
        self.measuring = False

    # --- before the clock starts ---

    def log_in(self) -> None:
        page = self.browser.get("/konto/login/")
        match = CSRF_FIELD.search(page.body.decode("utf-8", "replace"))
        if page.status != 200 or match is None:
            raise RuntimeError(f"login page answered {page.status} {page.error}")
        answer = self.browser.post(
            "/konto/login/",
            [
                ("csrfmiddlewaretoken", match.group(1)),
                ("username", KANSLI[0]),
                ("password", KANSLI[1]),
                ("next", ""),
            ],
        )
        self.login_seconds = answer.seconds
        if answer.status != 302 or "sessionid" not in self.browser.cookies:
            raise RuntimeError(f"login answered {answer.status} {answer.error}")
        if not self.grid_page():
            raise RuntimeError(f"the budget grid of plan {self.cell.plan_id} did not load")
        if self.form is None or self.cell.field not in self.form:
            raise RuntimeError(f"no field {self.cell.field} in the grid of {self.cell.plan_id}")

    # --- the run ---

    def run(self) -> None:
        self.measuring = True
        kinds, weights = list(self.actions), list(self.actions.values())
        try:
            # Users start spread over one think time, not all in the same millisecond.
            if self.budget.stop.wait(self.random.uniform(0, self.think[1])):
                return
            while True:
                action = self.random.choices(kinds, weights)[0]
                if not self.act(action):
                    return
                if self.budget.stop.wait(self.random.uniform(*self.think)):
                    return
        except Exception as error:  # a bug in the client must not pass for a quiet server
            self.failed = f"{type(error).__name__}: {error}"
            raise

    def act(self, action: str) -> bool:
        """Do ``action``; return False when the run's bounds are reached."""
        plan = self.cell.plan_id
        if action == "start page":
            return self.fetch(self.browser, "start page", "/")
        if action == "plan page":
            return self.fetch(self.browser, "plan page", f"/planer/{plan}/")
        if action == "API plan detail":
            return self.fetch(self.api, "API plan detail", f"/api/v1/plans/{plan}/")
        if action == "API budget lines":
            return self.fetch(self.api, "API budget lines", f"/api/v1/budget-lines/?plan={plan}")
        if action == "PDF":
            return self.fetch(self.pdf, "PDF", f"/planer/{plan}/pdf/", pdf=True)
        return self.save()

    def fetch(self, browser: Browser, kind: str, path: str, *, pdf: bool = False) -> bool:
        if not self.budget.take():
            return False
        answer = browser.get(path)
        ok = answer.status == 200 and (not pdf or answer.body.startswith(b"%PDF"))
        self.record(kind, answer, "ok" if ok else "error")
        return True

    def grid_path(self) -> str:
        return f"/redigera/planer/{self.cell.plan_id}/budget/"

    def grid_page(self) -> bool:
        if not self.budget.take():
            return False
        answer = self.browser.get(self.grid_path())
        if answer.status == 200:
            self.form = FormData(form_fields(answer.body.decode(), "budget-form"))
            self.record("grid page", answer, "ok")
        else:
            self.form = None
            self.record("grid page", answer, "error")
        return True

    def save(self) -> bool:
        if self.form is None:
            if not self.grid_page():
                return False
            if self.form is None:
                return True  # the page failed (recorded as an error): try again next time
        if not self.budget.take():
            return False
        self.sequence += 1
        # Unique per user and save: a value in the database tells which save wrote it.
        value = str(1_000_000 * self.number + self.sequence)
        self.form[self.cell.field] = value
        answer = self.browser.post(self.grid_path(), [*self.form.pairs, ("op", "save")])
        if answer.status == 302 and answer.location.endswith(self.grid_path()):
            self.saved.append(value)
            self.record("grid save", answer, "ok")
            return self.grid_page()
        self.form = None  # the next save starts from a fresh page
        if answer.status == 409 and self.shared_line:
            self.record("grid save", answer, "conflict")
        else:
            # A 409 on a line nobody else edits is a false conflict: an error like the rest.
            if answer.status == 0 or answer.status >= 500:
                self.unconfirmed.append(value)  # it may have been written all the same
            self.record("grid save", answer, "error")
        return True

    def record(self, kind: str, answer: Answer, outcome: str) -> None:
        if not self.measuring:
            return
        detail = answer.error or (
            f"{answer.status} {answer.location}".strip() if outcome == "error" else ""
        )
        self.samples.append(Sample(kind, answer.status, answer.seconds, outcome, detail))


# ---------------------------------------------------------------------------------------------
# Figures.
# ---------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)]


def server_durations(log_path: Path, since: float, until: float) -> dict[str, list[float]]:
    """The request log's ``duration_ms`` per kind, for requests that ended in the window."""
    routes = [
        ("GET", re.compile(r"^/$"), "start page"),
        ("GET", re.compile(r"^/planer/\d+/$"), "plan page"),
        ("GET", re.compile(r"^/planer/\d+/pdf/$"), "PDF"),
        ("GET", re.compile(r"^/redigera/planer/\d+/budget/$"), "grid page"),
        ("POST", re.compile(r"^/redigera/planer/\d+/budget/$"), "grid save"),
        ("GET", re.compile(r"^/api/v1/plans/\d+/$"), "API plan detail"),
        ("GET", re.compile(r"^/api/v1/budget-lines/$"), "API budget lines"),
    ]
    found: dict[str, list[float]] = defaultdict(list)
    for raw in log_path.read_text(errors="replace").splitlines():
        if '"finsam.request"' not in raw:
            continue
        try:
            line = json.loads(raw)
            ended = datetime.fromisoformat(line["time"]).timestamp()
        except (ValueError, KeyError):
            continue
        if not since <= ended <= until:
            continue
        for method, pattern, kind in routes:
            if line.get("method") == method and pattern.match(line.get("path", "")):
                found[kind].append(float(line["duration_ms"]))
                break
    return found


@dataclass
class WriteCheck:
    acknowledged: int = 0
    unconfirmed: int = 0
    version_moves: int = 0
    lost: int = 0
    problems: list[str] = field(default_factory=list)


def check_writes(users: list[VirtualUser], stored: dict[str, Any], initial: dict[int, int]):
    """Compare what the users were told was saved with what the database holds, line by line."""
    by_line: dict[int, list[VirtualUser]] = defaultdict(list)
    for user in users:
        by_line[user.cell.line_id].append(user)
    result = WriteCheck()
    for line_id, owners in by_line.items():
        cell = owners[0].cell
        acknowledged = sum(len(u.saved) for u in owners)
        unconfirmed = sum(len(u.unconfirmed) for u in owners)
        moves = stored["versions"][str(line_id)] - initial[line_id]
        amount = stored["amounts"][f"{line_id}-{cell.column_id}"]
        result.acknowledged += acknowledged
        result.unconfirmed += unconfirmed
        result.version_moves += moves
        missing = acknowledged - moves if moves < acknowledged else 0
        if missing:
            result.problems.append(
                f"line {line_id} ({cell.line_name}): {acknowledged} saves acknowledged, "
                f"version moved {moves} times"
            )
        # The amount stored must be the last acknowledged value of the line's one user; with
        # several users on a line, one of their acknowledged values (the last one committed).
        if len(owners) == 1:
            user = owners[0]
            # A save without a clear answer may have been written after the last acknowledged.
            expected = {user.saved[-1], *user.unconfirmed} if user.saved else set()
        else:
            expected = {value for u in owners for value in [*u.saved, *u.unconfirmed]}
        wrong = bool(expected) and (
            amount is None or Decimal(amount) not in {Decimal(v) for v in expected}
        )
        if wrong:
            result.problems.append(
                f"line {line_id} ({cell.line_name}): holds {amount}, the last acknowledged save "
                f"wrote {sorted(expected)}"
            )
        result.lost += missing or int(wrong)
    return result


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# The run.
# ---------------------------------------------------------------------------------------------


def assign_cells(plans: list[dict[str, Any]], users: int, per_line: int) -> list[Cell]:
    """User n works in plan n mod 3, on a line of its own (or shared by ``per_line`` users)."""
    cells = []
    for number in range(users):
        plan = plans[number % len(plans)]
        index = (number // len(plans)) // per_line
        if index >= len(plan["lines"]):
            raise SystemExit(
                f"{plan['title']} has {len(plan['lines'])} lines: too few for {users} users "
                f"with {per_line} per line"
            )
        line = plan["lines"][index]
        cells.append(Cell(plan["id"], line["id"], plan["column"], line["name"]))
    return cells


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30, help="concurrent virtual users")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the run")
    parser.add_argument(
        "--max-requests", type=int, default=50_000, help="stop after this many requests"
    )
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 3.0),
        metavar=("MIN", "MAX"),
        help="seconds a user waits between actions (uniform)",
    )
    parser.add_argument(
        "--users-per-line", type=int, default=1, help="users saving the same budget line"
    )
    parser.add_argument(
        "--pdf-weight",
        type=int,
        default=ACTIONS["PDF"],
        help=f"weight of PDF downloads among the actions (default {ACTIONS['PDF']} of 100)",
    )
    parser.add_argument(
        "--pdf-pool",
        type=int,
        default=0,
        metavar="WORKERS",
        help="serve PDFs from a second gunicorn with this many workers, as nginx would send "
        "/planer/<id>/pdf/ to a socket of its own (default 0: one gunicorn for everything)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="scratch PostgreSQL database, created and dropped (name ending in _load)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and the server log afterwards"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the users' choices")
    args = parser.parse_args()
    if args.users < 1 or args.seconds <= 0 or args.users_per_line < 1 or args.pdf_weight < 0:
        parser.error("--users, --seconds and --users-per-line must be positive")
    if not 0 <= args.think[0] <= args.think[1]:
        parser.error("--think MIN MAX with 0 <= MIN <= MAX")
    return args


def main() -> int:
    args = parse_args()
    # Stopped by `kill` or `timeout`: unwind as for Ctrl-C, so gunicorn and the database go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parts = database_parts(args.database_url)
    # The command as run, with the environment variables that change the server's setup.
    command = " ".join(
        [
            *(f"{name}={os.environ[name]}" for name in SERVER_TUNING if name in os.environ),
            ".venv/bin/python bench/load.py",
            *sys.argv[1:],
        ]
    )
    workdir = Path(tempfile.mkdtemp(prefix="finsam-load-"))
    log_path = workdir / "gunicorn.log"
    pdf_log_path = workdir / "gunicorn-pdf.log"
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "finsam.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": args.database_url,
        "STATIC_ROOT": str(workdir / "static"),
        "CACHE_URL": "db://",
        "LOG_LEVEL": "INFO",
        "GUNICORN_BIND": f"{HOST}:{port}",
        "XDG_CACHE_HOME": str(workdir / "cache"),
    }
    servers: list[subprocess.Popen] = []
    created = False
    try:
        note(f"Database {parts['NAME']} on {parts['HOST'] or 'the local socket'}")
        database_create(parts)
        created = True
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "createcachetable")
        manage(env, "collectstatic", "--no-input", "-v0")
        manage(env, "load_demo")
        data = django_snippet(env, SETUP_SCRIPT, {"users": args.users})
        cells = assign_cells(data["plans"], args.users, args.users_per_line)
        written = [[c.line_id, c.column_id] for c in cells]
        before = django_snippet(env, STORED_SCRIPT, written)
        initial = {int(k): v for k, v in before["versions"].items()}

        servers.append(server_start(env, log_path))
        workers = int(env.get("WEB_CONCURRENCY") or max(2, os.cpu_count() or 1))
        note(f"gunicorn on {HOST}:{port} ({workers} workers)")
        pdf_port = port
        if args.pdf_pool:
            pdf_port = free_port()
            pdf_env = {
                **env,
                "GUNICORN_BIND": f"{HOST}:{pdf_port}",
                "WEB_CONCURRENCY": str(args.pdf_pool),
            }
            servers.append(server_start(pdf_env, pdf_log_path))
            note(f"gunicorn for PDFs on {HOST}:{pdf_port} ({args.pdf_pool} workers)")
        note(f"Logging {args.users} users in")
        budget = Budget(deadline=math.inf, max_requests=args.max_requests)
        users = [
            VirtualUser(
                number=n + 1,
                port=port,
                pdf_port=pdf_port,
                cell=cells[n],
                token=data["tokens"][n],
                budget=budget,
                think=(args.think[0], args.think[1]),
                actions={**ACTIONS, "PDF": args.pdf_weight},
                shared_line=args.users_per_line > 1,
                seed=args.seed * 1000 + n,
            )
            for n in range(args.users)
        ]
        login_errors: list[str] = []

        def guarded(user: VirtualUser) -> None:
            try:
                user.log_in()
            except Exception as error:
                login_errors.append(f"user {user.number}: {error}")

        login_threads = [threading.Thread(target=guarded, args=(u,)) for u in users]
        for thread in login_threads:
            thread.start()
        for thread in login_threads:
            thread.join()
        if login_errors:
            raise SystemExit("Logging in failed:\n" + "\n".join(login_errors[:5]))

        note(f"Running for {args.seconds:g} s")
        load_before = os.getloadavg()
        cpu_before = time.process_time()
        server_cpu_before = sum(server_cpu_seconds(server) for server in servers)
        wall_start = time.time()
        began = time.perf_counter()
        budget.deadline = began + args.seconds
        for user in users:
            user.start()
        try:
            while time.perf_counter() < budget.deadline and any(u.is_alive() for u in users):
                time.sleep(0.1)
        except KeyboardInterrupt:
            note("Interrupted: letting the requests under way finish")
        # Users thinking stop now; a request under way finishes and counts.
        budget.stop.set()
        for user in users:
            user.join(timeout=REQUEST_TIMEOUT + 5)
        elapsed = time.perf_counter() - began
        wall_end = time.time()
        client_cpu = time.process_time() - cpu_before
        server_cpu = sum(server_cpu_seconds(server) for server in servers) - server_cpu_before
        load_after = os.getloadavg()

        while servers:
            server_stop(servers.pop())
        stored = django_snippet(env, STORED_SCRIPT, written)
        writes = check_writes(users, stored, initial)
        durations = server_durations(log_path, wall_start, wall_end + 1)
        if args.pdf_pool:
            durations["PDF"] = server_durations(pdf_log_path, wall_start, wall_end + 1)["PDF"]
        failed = [f"user {u.number}: {u.failed}" for u in users if u.failed or u.is_alive()]
        return report(
            args=args,
            command=command,
            users=users,
            elapsed=elapsed,
            client_cpu=client_cpu,
            server_cpu=server_cpu,
            loads=(load_before, load_after),
            postgres=data["postgres"],
            workers=workers,
            writes=writes,
            durations=durations,
            client_failures=failed,
        )
    finally:
        for server in servers:
            server_stop(server)
        if created and not args.keep:
            database_drop(parts)
        if args.keep:
            note(f"Kept: database {parts['NAME']}, server log {log_path}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def report(
    *,
    args: argparse.Namespace,
    command: str,
    users: list[VirtualUser],
    elapsed: float,
    client_cpu: float,
    server_cpu: float,
    loads: tuple[tuple[float, float, float], tuple[float, float, float]],
    postgres: str,
    workers: int,
    writes: WriteCheck,
    durations: dict[str, list[float]],
    client_failures: list[str],
) -> int:
    samples = [s for u in users for s in u.samples]
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    errors = [s for s in samples if s.outcome == "error"]
    conflicts = [s for s in samples if s.outcome == "conflict"]
    logins = [u.login_seconds * 1000 for u in users]
    pool = f" + {args.pdf_pool} for PDFs in a second gunicorn" if args.pdf_pool else ""
    pool_workers = {kind: workers for kind in KINDS}
    if args.pdf_pool:
        pool_workers["PDF"] = args.pdf_pool

    print(
        f"`{command}` — {args.users} users, {args.seconds:g} s, think time "
        f"{args.think[0]:g}–{args.think[1]:g} s, PDF weight {args.pdf_weight} of "
        f"{sum({**ACTIONS, 'PDF': args.pdf_weight}.values())}, {args.users_per_line} user(s) per "
        f"budget line; "
        f"gunicorn {workers} sync workers (gunicorn.conf.py){pool}, PostgreSQL {postgres}, "
        f"Python {platform.python_version()}; {os.cpu_count()} cores ({cpu_model()}); "
        f"load average {loads[0][0]:.1f} before, {loads[1][0]:.1f} at the end; "
        f"the client used {client_cpu:.1f} s of CPU ({client_cpu / elapsed * 100:.0f} % of "
        f"one core).\n"
    )
    print(
        "| kind | requests | req/s | p50 ms | p95 ms | max ms | server p50 / p95 ms "
        "| worker time | errors | conflicts (409) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    target_met = True
    for kind in KINDS:
        rows = by_kind.get(kind, [])
        if not rows:
            print(f"| {kind} | 0 | – | – | – | – | – | – | – | – |")
            continue
        ms = [s.seconds * 1000 for s in rows]
        p95 = percentile(ms, 95)
        server = durations.get(kind)
        on_server = (
            f"{percentile(server, 50):.0f} / {percentile(server, 95):.0f}" if server else "–"
        )
        # The share of its gunicorn's worker time spent on this kind (from the request log).
        share = sum(server) / 1000 / (elapsed * pool_workers[kind]) if server else 0.0
        busy = f"{share * 100:.0f} %" if server else "–"
        if kind not in TARGET_EXEMPT and p95 >= TARGET_P95_MS:
            target_met = False
        print(
            f"| {kind} | {len(rows)} | {len(rows) / elapsed:.1f} | {percentile(ms, 50):.0f} "
            f"| {p95:.0f} | {max(ms):.0f} | {on_server} | {busy} "
            f"| {sum(s.outcome == 'error' for s in rows)} "
            f"| {sum(s.outcome == 'conflict' for s in rows) if kind == 'grid save' else '–'} |"
        )
    rest = [s for s in samples if s.kind not in TARGET_EXEMPT]
    if rest:
        ms = [s.seconds * 1000 for s in rest]
        print(
            f"| **all but PDF** | {len(ms)} | {len(ms) / elapsed:.1f} | {percentile(ms, 50):.0f} "
            f"| {percentile(ms, 95):.0f} | {max(ms):.0f} | – | – "
            f"| {sum(s.outcome == 'error' for s in rest)} | – |"
        )
    print(
        f"| **all** | {len(samples)} | {len(samples) / elapsed:.1f} | – | – | – | – | – "
        f"| {len(errors)} | {len(conflicts)} |"
    )
    print()
    print(
        f"- {len(samples)} requests in {elapsed:.1f} s: "
        f"**{len(samples) / elapsed:.1f} requests/s**; {len(errors)} errors, "
        f"{len(conflicts)} edit conflicts (409)."
    )
    print(
        f"- Saves: {writes.acknowledged} acknowledged (302), {writes.unconfirmed} without a clear "
        f"answer; the users' lines moved {writes.version_moves} versions in the database. "
        f"**Lost writes: {writes.lost}.**"
    )
    print(
        f"- gunicorn used {server_cpu:.1f} s of CPU: {server_cpu / elapsed:.2f} of the "
        f"{os.cpu_count()} cores on average, {server_cpu / max(1, len(samples)) * 1000:.0f} ms "
        f"per request (PostgreSQL's share not included)."
    )
    print(
        f"- Logins before the run (argon2, {len(logins)} at once): p50 "
        f"{percentile(logins, 50):.0f} ms, max {max(logins):.0f} ms."
    )
    if errors:
        print("- Errors, first of each kind:")
        seen: set[tuple[str, str]] = set()
        for sample in errors:
            key = (sample.kind, sample.detail.split(" ", 1)[0])
            if key not in seen:
                seen.add(key)
                print(f"  - {sample.kind}: {sample.detail}")
    for problem in writes.problems:
        print(f"- Write check: {problem}")
    for failure in client_failures:
        print(f"- Client failure: {failure}")
    verdict = target_met and not errors and not writes.lost and not client_failures
    print(
        f"- Target (no errors, no lost writes, p95 < {TARGET_P95_MS:.0f} ms for every kind but "
        f"PDF): **{'met' if verdict else 'not met'}**."
    )
    return 1 if errors or writes.lost or client_failures else 0


if __name__ == "__main__":
    sys.exit(main())
