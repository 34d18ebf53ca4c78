"""Logging in and out, in Swedish. Django's own views with our template and messages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth
from django.contrib.auth.forms import AuthenticationForm

INVALID_LOGIN = (
    "Fel användarnamn eller lösenord. Observera att lösenordet skiljer på stora och små bokstäver."
)
INACTIVE = "Kontot är avstängt. Kontakta förbundets kansli."


class LoginForm(AuthenticationForm):
    error_messages = {"invalid_login": INVALID_LOGIN, "inactive": INACTIVE}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Användarnamn"
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].label = "Lösenord"
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )


login = auth.LoginView.as_view(
    template_name="registration/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)
# POST only (Django's LogoutView): a link or a prefetch cannot log anyone out.
logout = auth.LogoutView.as_view()
