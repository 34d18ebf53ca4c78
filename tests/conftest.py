"""Shared pytest fixtures. Kept small on purpose: tests build what they need with
``tests.factories``; nothing here builds a world for every test."""

from __future__ import annotations

import os

import pytest

# --- Browser tests (pytest-playwright, Debian's Chromium; never ``playwright install``) ---------

# Playwright's sync API runs an event loop in the test thread; the live server's database work
# happens in its own thread, so Django's guard against ORM calls from async code does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}
