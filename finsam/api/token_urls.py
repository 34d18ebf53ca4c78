from __future__ import annotations

from django.urls import path

from finsam.api import views

app_name = "account"
urlpatterns = [
    path("", views.token_list, name="tokens"),
    path("<str:token_key>/ta-bort/", views.token_delete, name="token_delete"),
]
