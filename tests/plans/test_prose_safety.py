"""Nothing a user types into a plan can run in the browser or make the server fetch anything.

A loopback HTTP server started by the test records every request it gets: after the page and the
PDF have been rendered with hostile prose, it must have received none.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from plans.models import Section
from plans.rendering.markdown import render_markdown
from plans.rendering.pdf import StaticFilesFetcher, html_to_pdf, plan_pdf_bytes
from tests.factories import ContributionShareFactory, MembershipFactory, PlanFactory, UserFactory

PASSWD = Path("/etc/passwd")

pytestmark = pytest.mark.django_db


class Recorder(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        body = b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server: its base URL and the list of paths it was asked for."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", server.requests  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_the_loopback_server_really_records_requests(loopback):
    # Guards the tests below: a server that records nothing would make them pass for nothing.
    import urllib.request

    base, requests = loopback
    with urllib.request.urlopen(f"{base}/probe.css", timeout=5) as response:  # noqa: S310
        assert response.status == 200
    assert requests == ["/probe.css"]


def hostile_prose(base: str) -> str:
    return f"""Vanlig text med **fetstil**.

<script>alert("hej")</script>

<img src="{base}/raw-img.png" onerror="alert(1)">

![bild]({base}/markdown-img.png)

[lösenorden](file:///etc/passwd) och [skript](javascript:alert(1)) och [intern](/admin/)

<style>@import url("{base}/import.css");</style>

<link rel="stylesheet" href="{base}/link.css">

<svg xmlns="http://www.w3.org/2000/svg"><image href="{base}/svg-image.png"/></svg>

<iframe src="{base}/frame.html"></iframe>

<object data="file:///etc/passwd"></object>

<div style="background: url({base}/style.png)">stil</div>

[säker länk](https://example.se/rapport) och <mailto:kansli@example.se>
"""


@pytest.fixture
def hostile_plan(loopback):
    base, _ = loopback
    plan = PlanFactory()
    for kind, pct in (("state", 50), ("region", 25), ("municipality", 25)):
        ContributionShareFactory(plan=plan, member__kind=kind, share_pct=pct)
    Section.objects.create(plan=plan, title="Fientlig text", body=hostile_prose(base), order=1)
    return plan


class Tags(HTMLParser):
    """The elements of a page with their attributes, as a browser would see them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def test_page_with_hostile_prose_has_no_script_image_style_or_foreign_url(
    client, loopback, hostile_plan
):
    base, requests = loopback
    user = UserFactory()
    MembershipFactory(user=user, association=hostile_plan.association)
    client.force_login(user)
    response = client.get(reverse("plans:plan_detail", args=[hostile_plan.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    elements = Tags(html).elements
    tags = {tag for tag, _ in elements}
    assert not tags & {"script", "img", "iframe", "object", "embed", "image", "style"}
    for tag, attrs in elements:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "style" not in attrs, (tag, attrs)
        for name in ("src", "href", "data", "action"):
            value = attrs.get(name, "")
            assert not value.startswith(base), (tag, attrs)
            assert not value.lower().startswith(("file:", "javascript:", "data:")), (tag, attrs)
        if tag == "link":
            assert attrs["href"].startswith("/static/css/"), attrs
        if tag == "a" and attrs.get("href", "").startswith("http"):
            assert attrs["rel"] == "noopener noreferrer nofollow"
    # The charts are ours: no references out of them.
    assert all(
        "href" not in attrs for tag, attrs in elements if tag in ("svg", "rect", "line", "text")
    )
    # What was typed as HTML is shown as text, so the writer sees what happened.
    assert "&lt;script&gt;alert" in html
    assert '<a href="https://example.se/rapport" rel="noopener noreferrer nofollow">' in html
    assert requests == []


def test_pdf_with_hostile_prose_fetches_nothing_and_holds_no_local_file(loopback, hostile_plan):
    _, requests = loopback
    pdf = plan_pdf_bytes(plan=hostile_plan)
    assert pdf.startswith(b"%PDF")
    assert requests == []
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Vanlig text med fetstil" in text
    first_line = PASSWD.read_text().splitlines()[0]
    assert first_line not in text
    assert first_line.encode() not in pdf


def test_fetcher_guards_weasyprint_even_if_raw_html_got_through(loopback):
    base, requests = loopback
    html = f"""<!DOCTYPE html><html lang="sv"><head>
      <link rel="stylesheet" href="{base}/link.css">
      <link rel="stylesheet" href="file:///etc/passwd">
      <style>@import url("{base}/import.css"); p {{ background: url({base}/bg.png) }}</style>
      </head><body>
      <p>Text</p>
      <img src="{base}/img.png">
      <img src="file:///etc/passwd">
      <img src="file:///static/../../../../etc/passwd">
      <img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=">
      <svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
        <image href="{base}/svg-image.png" width="10" height="10"/>
      </svg>
      <object data="{base}/object.svg"></object>
      <embed src="{base}/embed.svg">
      <iframe src="{base}/frame.html"></iframe>
      </body></html>"""
    fetcher = StaticFilesFetcher()
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert requests == []
    assert fetcher.served == []
    refused = "\n".join(fetcher.refused)
    for name in ("link.css", "import.css", "bg.png", "img.png", "svg-image.png"):
        assert f"{base}/{name}" in refused, name
    assert "file:///etc/passwd" in refused
    assert "data:image/svg+xml" in refused
    assert PASSWD.read_text().splitlines()[0].encode() not in pdf


def test_fetcher_serves_our_stylesheet_and_fonts_and_nothing_else():
    fetcher = StaticFilesFetcher()
    response = fetcher.fetch("file:///static/css/plan.css")
    assert b"@font-face" in response.read()
    assert response.content_type == "text/css"
    font = Path(settings.BASE_DIR, "static", "fonts", "OpenSans-Regular.ttf")
    assert fetcher.fetch(font.as_uri()).read()[:4] == font.read_bytes()[:4]
    for url in (
        "file:///etc/passwd",
        "file:///static/../../../../etc/passwd",
        "file:///static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        Path(settings.BASE_DIR, "finsam", "settings.py").as_uri(),
        Path(settings.BASE_DIR, "static", "css", "..", "..", "manage.py").as_uri(),
        "file://remote-host/static/css/plan.css",
        "http://127.0.0.1:9/static/css/plan.css",
        "https://example.se/static/css/plan.css",
        "data:text/css,body{}",
        "ftp://example.se/x",
    ):
        with pytest.raises(ValueError, match="Hämtar bara projektets egna statiska filer"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 10


def test_fetcher_does_not_follow_a_symlink_out_of_the_static_directory(tmp_path, settings):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p { color: black }")
    (static / "escape.css").symlink_to(PASSWD)
    settings.STATICFILES_DIRS = [static]
    settings.STATIC_ROOT = None
    fetcher = StaticFilesFetcher()
    assert fetcher.fetch((static / "ok.css").as_uri()).read() == b"p { color: black }"
    with pytest.raises(ValueError):
        fetcher.fetch((static / "escape.css").as_uri())
    with pytest.raises(ValueError):
        fetcher.fetch("file:///static/escape.css")


@pytest.mark.parametrize(
    ("markdown", "allowed", "forbidden"),
    [
        ("[x](javascript:alert(1))", "<a", "javascript"),
        ("[x](file:///etc/passwd)", "<a", "file:"),
        ("[x](/admin/)", "<a", "/admin/"),
        ("![x](https://example.se/a.png)", "", "<img"),
        ('<a href="https://example.se" onclick="x()">y</a>', "&lt;a", "<a href"),
        ("# Rubrik", "<h4>Rubrik</h4>", "<h1"),
        ("[x](mailto:kansli@example.se)", 'href="mailto:kansli@example.se"', "<script"),
    ],
)
def test_markdown_keeps_only_the_allow_list(markdown, allowed, forbidden):
    html = render_markdown(markdown)
    assert allowed in html
    assert forbidden not in html
