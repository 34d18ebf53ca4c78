from __future__ import annotations

from django.apps import AppConfig


class FinsamConfig(AppConfig):
    """The project package as an app, so that it can connect its log receivers at start-up."""

    name = "finsam"
    verbose_name = "Finsam"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from finsam.logging import log_failed_login

        user_login_failed.connect(log_failed_login, dispatch_uid="finsam.log_failed_login")
