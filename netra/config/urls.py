from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("netra.web.urls")),
    path("akun/", include("netra.staff.urls")),
    path("pantau/", include("netra.monitor.urls")),
    path("registri/", include("netra.registry.urls")),
    path("deteksi/", include("netra.detection.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("netra.config.api")),
]

# Django's own views render 403.html, 404.html, 500.html and 403_csrf.html (netra/web/templates);
# the 400 page also says why an upload could not be read.
handler400 = "netra.web.views.bad_request"
