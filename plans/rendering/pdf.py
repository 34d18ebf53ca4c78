"""The plan as a PDF: the same document as the page, typeset by WeasyPrint for A4.

WeasyPrint reads our stylesheets, fonts and images through ``StaticFilesFetcher``, which answers
only with files from the project's static directories and refuses every other URL: HTTP and
HTTPS, ``file:`` anywhere else, ``data:`` and any other scheme. So nothing a user types can make
the server fetch anything, and rendering never waits on the network (a sync worker fetching from
itself would hang).
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from plans.models import Plan
from plans.rendering.document import plan_document

logger = logging.getLogger(__name__)

PDF_TEMPLATE = "plans/plan_pdf.html"
REFUSED = "Hämtar bara projektets egna statiska filer, inte {url}"


class RefusedURL(ValueError):
    """A URL outside the project's static files. WeasyPrint skips the resource and goes on."""


class StaticFilesFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that reads only files under the project's static directories.

    Accepted: ``file:`` URLs whose path, with every ``..`` and symlink resolved, lies in
    ``STATIC_ROOT``, a ``STATICFILES_DIRS`` entry or an app's ``static/`` directory; and paths
    under ``STATIC_URL`` (``/static/css/plan.css``), looked up in ``STATIC_ROOT`` first (hashed
    names after collectstatic) and then through the staticfiles finders. Everything else raises
    ``RefusedURL`` and is listed in ``refused``.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, **kwargs)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("PDF: refused to fetch %s", url[:200])
            raise RefusedURL(REFUSED.format(url=url[:200]))
        self.served.append(url)
        content_type, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            path.as_uri(),
            body=path.read_bytes(),
            headers={"Content-Type": content_type or "application/octet-stream"},
        )

    def _static_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        raw = unquote(parts.path)
        if "\x00" in raw:
            return None
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        candidates: list[Path] = []
        if raw.startswith(static_prefix):
            relative = raw[len(static_prefix) :]
            if settings.STATIC_ROOT:
                candidates.append(Path(settings.STATIC_ROOT) / relative)
            found = _find_static(relative)
            if found:
                candidates.append(Path(found))
        candidates.append(Path(raw))
        roots = static_roots()
        for candidate in candidates:
            try:
                resolved = candidate.resolve(strict=True)
            except (OSError, RuntimeError):
                continue
            if resolved.is_file() and any(resolved.is_relative_to(root) for root in roots):
                return resolved
        return None


def _find_static(relative: str) -> str | None:
    try:
        found = finders.find(relative)
    except Exception:  # SuspiciousFileOperation on traversal, among others
        return None
    return found if isinstance(found, str) else None


def static_roots() -> list[Path]:
    """The directories WeasyPrint may read from: the project's static files, nothing else."""
    roots = [Path(directory) for directory in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    for finder in finders.get_finders():
        storages = getattr(finder, "storages", {})
        roots.extend(Path(storage.location) for storage in storages.values())
    resolved = []
    for root in roots:
        try:
            resolved.append(root.resolve(strict=True))
        except OSError:
            continue
    return resolved


def base_url() -> str:
    """The base URL of the PDF's HTML: the project's first static directory as a file URL."""
    roots = static_roots()
    return (roots[0] if roots else Path(settings.BASE_DIR)).as_uri() + "/"


def plan_pdf_html(*, plan: Plan) -> str:
    """Return the HTML that WeasyPrint typesets for ``plan``."""
    return render_to_string(PDF_TEMPLATE, {"doc": plan_document(plan=plan)})


def html_to_pdf(html: str, *, fetcher: StaticFilesFetcher | None = None) -> bytes:
    """Return ``html`` typeset as PDF, reading resources only through ``StaticFilesFetcher``."""
    document = HTML(string=html, base_url=base_url(), url_fetcher=fetcher or StaticFilesFetcher())
    return document.write_pdf()


def plan_pdf_bytes(*, plan: Plan) -> bytes:
    """Return ``plan`` as a PDF document (A4, Swedish)."""
    return html_to_pdf(plan_pdf_html(plan=plan))
