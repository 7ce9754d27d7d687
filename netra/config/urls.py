from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("netra.web.urls")),
    path("akun/", include("netra.staff.urls")),
    path("pantau/", include("netra.monitor.urls")),
    path("registri/", include("netra.registry.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("netra.config.api")),
]
