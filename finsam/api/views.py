"""Pages around the API: the user's personal tokens (/konto/nycklar/) and the API's own 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from finsam.api.tokens import (
    TOKEN_LIFETIMES_DAYS,
    TokenLimitError,
    token_create,
    token_revoke,
    tokens_for,
)

API_NOT_FOUND = "Finns inte. Se /api/v1/docs/ för vad API:t har."


class TokenForm(forms.Form):
    days = forms.TypedChoiceField(
        label="Giltig i",
        choices=[(days, f"{days} dagar") for days in TOKEN_LIFETIMES_DAYS],
        coerce=int,
        initial=90,
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """List the user's tokens; on POST create one and show its text this once."""
    form = TokenForm(request.POST or None)
    new_token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _, new_token = token_create(user=request.user, days=form.cleaned_data["days"])
            except TokenLimitError as exc:
                form.add_error(None, str(exc))
        if new_token is None:
            status = 400
        else:
            form = TokenForm()
    context = {"form": form, "tokens": tokens_for(user=request.user), "new_token": new_token}
    response = render(request, "account/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the page may hold a token's only copy
    return response


@login_required
@require_POST
def token_delete(request: HttpRequest, token_key: str) -> HttpResponse:
    if not token_revoke(user=request.user, token_key=token_key):
        raise Http404
    messages.success(
        request, "Nyckeln är borttagen. Program som använder den släpps inte längre in."
    )
    return redirect("account:tokens")


@csrf_exempt  # it changes nothing; a refused token must not turn into a CSRF page
def api_not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other path under /api/v1/: a JSON 404, or the path with its missing slash."""
    if not request.path.endswith("/"):
        try:
            resolve(request.path + "/")
        except Resolver404:
            pass
        else:
            if request.method in ("GET", "HEAD"):
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(
                    request.path + "/" + (f"?{query}" if query else "")
                )
    return JsonResponse({"detail": API_NOT_FOUND}, status=404)
