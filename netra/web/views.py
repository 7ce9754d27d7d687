from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import DisallowedHost, SuspiciousFileOperation
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe

from netra.law.selectors import law_catalogue
from netra.staff.decorators import staff_view
from netra.web.forms import LawDateForm
from netra.web.selectors import dashboard_for


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"dashboard": dashboard_for(request.user)})


@staff_view("law.view_catalogue")
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


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    """The icon at ``/favicon.ico``, where browsers and feed readers look without a link."""
    path = finders.find("netra/favicon.ico")
    if not isinstance(path, str):
        raise Http404
    # FileResponse closes the file once sent.
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


# What Django's MultiPartParser says when the headers of one part of an upload pass its limit
# (MAX_TOTAL_HEADER_SIZE, 1,024 bytes): in practice a file name of about a thousand characters.
MULTIPART_HEADER_TOO_BIG = "Request max total header size exceeded."


def _bad_request_reason(exception: Exception | None) -> str:
    """What went wrong and what to do, in the user's words; empty when Netra cannot tell."""
    if isinstance(exception, MultiPartParserError):
        if str(exception) == MULTIPART_HEADER_TOO_BIG:
            return _(
                "Nama berkas yang Anda unggah terlalu panjang (lebih dari sekitar 900 karakter), "
                "sehingga unggahan tidak dapat dibaca dan tidak ada yang disimpan. Ganti nama "
                "berkas menjadi lebih pendek (paling banyak 200 karakter), lalu unggah lagi."
            )
        return _(
            "Unggahan tidak dapat dibaca dan tidak ada yang disimpan. Muat ulang formulir, pilih "
            "berkasnya lagi, lalu kirim sekali lagi."
        )
    if isinstance(exception, SuspiciousFileOperation):
        return _(
            "Nama berkas yang Anda unggah tidak dapat dipakai. Ganti nama berkas dengan huruf, "
            "angka, titik atau tanda hubung saja, lalu unggah lagi."
        )
    return ""


def _same_site_referer(request: HttpRequest) -> str:
    """The page the request came from, when it is a page of this site; else empty."""
    referer = request.headers.get("Referer", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return ""
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return ""


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page (``handler400``): Indonesian, naming the problem where Netra knows it."""
    context = {"reason": _bad_request_reason(exception), "back": _same_site_referer(request)}
    return render(request, "400.html", context, status=400)
