"""The one HTTP API root (django-ninja), mounted at ``/api/``: one router per app.

Each app that speaks HTTP to machines (collectors today; the public portal and detection
next) keeps a ``Router`` in its own ``api.py`` and is added here under ``/v1/``. The
OpenAPI schema is at ``/api/v1/openapi.json`` and its pages at ``/api/v1/docs``, both for
logged-in staff only (in every environment: docs/operations.md).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from netra.social.api import router as social_router

api = NinjaAPI(
    title="Netra API",
    version="1",
    description="Antarmuka mesin Netra: kiriman data dari kolektor.",
    urls_namespace="api",
    docs_url="/v1/docs",
    openapi_url="/v1/openapi.json",
    # The schema names every endpoint and field: not for anonymous visitors.
    docs_decorator=login_required,
)
api.add_router("/v1/", social_router)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    """401 with the router's own words when it gave any, and the Bearer challenge."""
    detail = error.message if error.message != "Unauthorized" else _("Perlu autentikasi.")
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


urlpatterns = [path("", api.urls)]
