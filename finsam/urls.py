from django.contrib import admin
from django.urls import include, path

from finsam.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("finsam.api_urls")),
    path("konto/nycklar/", include("finsam.api.token_urls")),
    # The editor and the start page; "" comes before plans.urls so its start page is "/".
    path("", include("plans.editor.urls")),
    path("", include("plans.urls")),
]
