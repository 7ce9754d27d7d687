from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_safe

from netra.law.selectors import law_catalogue
from netra.web.forms import LawDateForm
from netra.web.selectors import dashboard_for


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"dashboard": dashboard_for(request.user)})


@login_required
@permission_required("law.view_catalogue", raise_exception=True)
@require_safe
def law(request: HttpRequest) -> HttpResponse:
    """The law catalogue, read-only (Data rujukan); staff edit it in the admin.

    ``?tanggal=`` marks the rules in force on that date instead of today; a date that
    does not parse is shown as a form error and today is used.
    """
    form = LawDateForm(request.GET)
    on = timezone.localdate()
    if form.is_valid() and form.cleaned_data["tanggal"] is not None:
        on = form.cleaned_data["tanggal"]
    return render(request, "web/law.html", {"catalogue": law_catalogue(on=on), "form": form})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: answers once the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
