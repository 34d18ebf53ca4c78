"""Benchmark: the plan PDF and the plan page against their bare baselines, in one run.

    .venv/bin/python bench/pdf.py [--runs 7]

For each demo plan, on a fresh SQLite database in a temporary directory:

- PDF: the median time of ``plan_pdf_bytes`` (queries, computation, checks, prose, charts,
  template, WeasyPrint through ``StaticFilesFetcher``) against WeasyPrint alone typesetting the very
  same HTML saved to a file, with the stylesheets and fonts copied beside it and WeasyPrint's own
  URL fetcher. Target: the PDF path at most 1.2 × bare WeasyPrint.
- Page: the median time of the plan page view against rendering a static template of the same
  size (the page's own HTML in a ``{% verbatim %}`` block, compiled once).

Runs alternate between the measured path and its baseline so that drift hits both alike. Not a
test: it prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANS = ("varna-2021", "vasterdalarna-2024", "botkyrka-huddinge-salem-2018")
TARGET = 1.2


def setup(workdir: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "finsam.settings_test"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    import logging

    import django
    from django.core.management import call_command

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    call_command("migrate", verbosity=0)


@dataclass(frozen=True)
class Timing:
    wall: float  # median seconds on the clock
    cpu: float  # median seconds of this process's CPU: less disturbed by other load


def median_pair(
    measured: Callable[[], object], baseline: Callable[[], object], runs: int
) -> tuple[Timing, Timing]:
    """Median times of ``measured`` and ``baseline``, alternating, after one warm-up each."""
    measured()
    baseline()
    wall: tuple[list[float], list[float]] = ([], [])
    cpu: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for index, call in enumerate((measured, baseline)):
            start, start_cpu = time.perf_counter(), time.process_time()
            call()
            wall[index].append(time.perf_counter() - start)
            cpu[index].append(time.process_time() - start_cpu)
    first, second = (Timing(statistics.median(wall[i]), statistics.median(cpu[i])) for i in (0, 1))
    return first, second


def bare_site(html: str, workdir: Path, name: str) -> Path:
    """The HTML saved to a file with the static files beside it, as a plain web page would be."""
    site = workdir / name
    if not site.exists():
        shutil.copytree(ROOT / "static", site / "static")
    path = site / "plan.html"
    path.write_text(html.replace('"/static/', '"static/'), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per path (at least 5)")
    args = parser.parse_args()
    runs = max(args.runs, 5)
    with tempfile.TemporaryDirectory(prefix="finsam-bench-") as tmp:
        workdir = Path(tmp)
        setup(workdir)
        from django.contrib.auth import get_user_model
        from django.http import HttpResponse
        from django.template import engines
        from django.test import RequestFactory
        from weasyprint import HTML

        from plans.planfile import plan_import
        from plans.rendering.pdf import plan_pdf_bytes, plan_pdf_html
        from plans.views import plan_detail

        user = get_user_model().objects.create_superuser("bench", "bench@example.se", "x")
        factory = RequestFactory()
        rows = []
        for name in PLANS:
            data = json.loads((ROOT / "plans" / "demo" / f"{name}.json").read_text("utf-8"))
            plan = plan_import(data=data)
            path = bare_site(plan_pdf_html(plan=plan), workdir, name)
            pdf, bare = median_pair(
                lambda plan=plan: plan_pdf_bytes(plan=plan),
                lambda path=path: HTML(filename=str(path)).write_pdf(),
                runs,
            )

            def view(plan=plan):
                request = factory.get(f"/planer/{plan.pk}/")
                request.user = user
                return plan_detail(request, plan.pk)

            page_html = view().content.decode()
            static = engines["django"].from_string(
                "{% verbatim %}" + page_html + "{% endverbatim %}"
            )

            def static_page(static=static):
                request = factory.get("/static-page/")
                request.user = user
                return HttpResponse(static.render({}, request))

            page, baseline = median_pair(view, static_page, runs)
            rows.append((name, pdf, bare, page, baseline, len(page_html)))
        print(
            f"Runs per path: {runs} (median), Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} cores. Wall-clock time, CPU time of the process in brackets."
        )
        print()
        print("| plan | PDF path | bare WeasyPrint | ratio | page view | static template | ratio |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        worst = worst_cpu = 0.0
        for name, pdf, bare, page, baseline, size in rows:
            ratio, ratio_cpu = pdf.wall / bare.wall, pdf.cpu / bare.cpu
            worst, worst_cpu = max(worst, ratio), max(worst_cpu, ratio_cpu)
            print(
                f"| {name} | {pdf.wall:.2f} s ({pdf.cpu:.2f}) | {bare.wall:.2f} s ({bare.cpu:.2f}) "
                f"| {ratio:.2f} × ({ratio_cpu:.2f}) | {page.wall * 1000:.1f} ms "
                f"| {baseline.wall * 1000:.1f} ms ({size // 1024} KiB) "
                f"| {page.wall / baseline.wall:.0f} × |"
            )
        print()
        verdict = "meets" if worst <= TARGET else "MISSES"
        print(
            f"Worst PDF ratio {worst:.2f} × wall-clock ({worst_cpu:.2f} × CPU): {verdict} the "
            f"target of {TARGET} × bare WeasyPrint."
        )


if __name__ == "__main__":
    main()
