"""gunicorn settings for production: ``gunicorn finsam.wsgi`` from the project directory reads this.

Every value can be changed from the environment (the systemd unit's env file, docs/deploy.md):

GUNICORN_BIND     where to listen (default 127.0.0.1:8000; under systemd the socket unit passes
                  the listening socket and this is ignored)
WEB_CONCURRENCY   worker processes (default: one per CPU core, at least 2)
GUNICORN_TIMEOUT  seconds a request may take before its worker is restarted (default 60)
"""

from __future__ import annotations

import multiprocessing
import os


def env_int(name: str, default: int) -> int:
    """Return the whole number in ``name``; anything else stops the server from starting."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None


# Sync workers, about one per core (docs/deploy.md): a request is either a short database
# round-trip or a PDF, and WeasyPrint keeps a core busy for seconds, so more workers than cores
# only makes PDFs queue inside the kernel instead of in the listen backlog. At least two so that
# one PDF never holds up every other page.
workers = env_int("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count()))
worker_class = "sync"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# A 15-page plan renders in ~3 s; a minute leaves room for the largest without letting a stuck
# worker live forever.
timeout = env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then so slow growth (PDF rendering caches fonts and images) never
# becomes an outage; the jitter keeps all workers from restarting at the same moment.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# nginx in front: it buffers slow clients and sets X-Forwarded-Proto, which Django reads
# (SECURE_PROXY_SSL_HEADER). Forwarded headers are trusted from the local proxy only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The request log is the application's JSON line (finsam.middleware), so no access log here;
# gunicorn's own messages go to stdout in the same JSON shape.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "finsam.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}

# No runtime control socket (gunicornc): systemd starts, reloads and stops the server, and a
# fixed socket path in the home directory would clash between two instances on one machine.
control_socket_disable = True

# Load the application once in the master and fork: faster restarts of workers, less memory.
preload_app = True
