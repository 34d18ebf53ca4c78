"""Request rates per user and per anonymous client.

DRF's throttles read their rates once, at import; these read them on every request, so a change
of ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (an environment variable in production, an
override in a test) takes effect. The counters live in the default cache: with several worker
processes use a shared cache, or each process counts on its own.
"""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings


class _SettingsRate:
    scope: str

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserThrottle(_SettingsRate, throttling.UserRateThrottle):
    scope = "user"


class AnonThrottle(_SettingsRate, throttling.AnonRateThrottle):
    scope = "anon"
