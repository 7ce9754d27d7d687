"""Staff pages over ingested social media data: items, accounts, imports, quarantine, and
manual entry.

Every page needs a login (and the second factor, by middleware) and a jurisdiction:
partners and office-less users get 403. Rows come only through ``netra.monitor.access``,
so an item or account outside the user's jurisdiction is a 404 like a missing one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from netra.elections.selectors import elections_for_user
from netra.monitor.access import (
    access_account_for_user,
    access_item_for_user,
    access_provenance_for_user,
    access_run_for_user,
    access_source_for_user,
    sources_for_user,
    visible_account,
)
from netra.monitor.details import account_detail, item_detail, raw_text, screenshot_of
from netra.monitor.forms import (
    AccountSearchForm,
    ItemSearchForm,
    ManualItemForm,
    QuarantineFilterForm,
    RerunForm,
    UploadForm,
)
from netra.monitor.pages import (
    PAGE_SIZE,
    Page,
    id_page,
    id_page_before,
    items_page,
    items_page_before,
    total_capped,
)
from netra.monitor.selectors import (
    account_rows,
    accounts_search,
    item_rows,
    items_search,
    quarantine_list,
    quarantine_rows,
    quarantine_sources,
    run_detail,
    run_earlier,
    sources_list,
)
from netra.social.ingest import IngestError, NothingLoaded
from netra.social.models import Item, Source
from netra.social.services import (
    archive_upload_ingest,
    item_manual_create,
    source_rerun,
    source_upload_ingest,
    upload_is_zip,
)
from netra.social.zipped import not_read_lines
from netra.staff.decorators import staff_user, staff_view

QUARANTINE_PAGE_SIZE = 50
_IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
# The most groups of archive members not read that one message names.
_GROUPS_SHOWN = 20
_M = TypeVar("_M", bound=Model)
# Which form field a service's ValidationError belongs to, by its code.
_ENTRY_FIELDS = {
    "url": "url",
    "platform": "platform",
    "platform_mismatch": "platform",
    "too_big": "screenshot",
    "empty": "screenshot",
    "not_image": "screenshot",
}


def _htmx(request: HttpRequest) -> bool:
    """Whether to answer with a fragment: an HTMX request, but not a history restore
    (which needs the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _cursor_url(request: HttpRequest, name: str, cursor: str) -> str:
    """This page's URL with the cursor ``name`` (``setelah``, ``sebelum``) set to
    ``cursor`` and the other one dropped; the first page when ``name`` is empty; ``""``
    when there is no such page (no cursor)."""
    if name and not cursor:
        return ""
    params = request.GET.copy()
    params.pop("setelah", None)
    params.pop("sebelum", None)
    if name:
        params[name] = cursor
    return "?" + params.urlencode()


def _pager(request: HttpRequest, page: Page[Any]) -> dict[str, Any]:
    """The links of a keyset pager: first, previous and next page."""
    return {
        "page": page,
        "next_url": _cursor_url(request, "setelah", page.next_cursor),
        "prev_url": _cursor_url(request, "sebelum", page.prev_cursor),
        "first_url": _cursor_url(request, "", ""),
    }


def _id_page(request: HttpRequest, qs: QuerySet[_M], size: int = PAGE_SIZE) -> Page[_M]:
    """The page a request asks for of a list paged by descending key."""
    before = request.GET.get("sebelum", "")
    if before:
        return id_page_before(qs, before, size=size)
    return id_page(qs, request.GET.get("setelah", ""), size=size)


def _errors_to(form: Form, error: ValidationError, fields: dict[str, str]) -> None:
    for item in error.error_list:
        form.add_error(fields.get(item.code or ""), item)


# --- items ----------------------------------------------------------------------------------


@staff_view("monitor.view")
@require_safe
def item_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ItemSearchForm(
        request.GET, elections=elections_for_user(user), sources=sources_for_user(user)
    )
    valid = form.is_valid()
    page: Page[Item] = Page(rows=[], next_cursor="", first=True)
    total = None
    account = None
    if valid:
        filters = form.filters()
        found = items_search(user, filters)
        before = request.GET.get("sebelum", "")
        if before:
            page = items_page_before(found, before)
        else:
            page = items_page(found, request.GET.get("setelah", ""))
        total = total_capped(found)
        if filters.account_id is not None:
            account = visible_account(user, filters.account_id)
    context = {
        "form": form,
        "valid": valid,
        "rows": item_rows(page.rows, user),
        "total": total,
        "filter_account": account,
        "filter_source": form.cleaned_data.get("source") if valid else None,
        **_pager(request, page),
    }
    template = "monitor/_item_results.html" if _htmx(request) else "monitor/item_list.html"
    return render(request, template, context)


@staff_view("monitor.view")
@require_safe
def item_page(request: HttpRequest, item_id: int) -> HttpResponse:
    user = request.user
    item = access_item_for_user(user, item_id)
    return render(request, "monitor/item_detail.html", {"detail": item_detail(user, item)})


@staff_view("monitor.view")
@require_safe
def item_raw(request: HttpRequest, item_id: int, provenance_id: int) -> HttpResponse:
    user = request.user
    provenance = access_provenance_for_user(user, item_id, provenance_id)
    context = {
        "provenance": provenance,
        "item": provenance.item,
        "raw": raw_text(provenance.raw_block_id, provenance.raw_start, provenance.raw_length),
    }
    template = "monitor/_raw.html" if _htmx(request) else "monitor/item_raw.html"
    return render(request, template, context)


@staff_view("monitor.view")
@require_safe
def item_screenshot(request: HttpRequest, item_id: int, provenance_id: int) -> FileResponse:
    """The screenshot of a manual entry of the item, as an image the item page shows.

    Read only through ``access_provenance_for_user`` (the item and the entry's source
    both visible), with the type read from its bytes, never its name; no media URL
    serves it.
    """
    user = request.user
    provenance = access_provenance_for_user(user, item_id, provenance_id)
    found = screenshot_of(provenance)
    if found is None:
        raise Http404("no screenshot")
    source, kind = found
    response = FileResponse(
        source.attachment.open("rb"),
        content_type=_IMAGE_TYPES[kind],
        filename=f"tangkapan-{provenance.item_id}.{kind}",
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@staff_view("monitor.enter_item")
@require_http_methods(["GET", "HEAD", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    elections = elections_for_user(user)
    if request.method != "POST":
        form = ManualItemForm(elections=elections)
        return render(request, "monitor/item_form.html", {"form": form})
    form = ManualItemForm(request.POST, request.FILES, elections=elections)
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = item_manual_create(
                url=data["url"],
                platform=data["platform"],
                text=data["text"],
                author_handle=data["author_handle"],
                created_at=data["created_at"],
                screenshot=data["screenshot"] or None,
                actor=staff_user(request),
                election=data["election"],
            )
        except ValidationError as error:
            _errors_to(form, error, _ENTRY_FIELDS)
        else:
            messages.success(
                request,
                _("Konten tersimpan. Tautan yang sama selalu menjadi satu konten yang sama."),
            )
            return redirect("monitor:item", item_id=item.pk)
    return render(request, "monitor/item_form.html", {"form": form}, status=400)


# --- accounts -------------------------------------------------------------------------------


@staff_view("monitor.view")
@require_safe
def account_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AccountSearchForm(request.GET)
    valid = form.is_valid()
    accounts = accounts_search(
        user,
        text=form.cleaned_data.get("q", "") if valid else "",
        platform=form.cleaned_data.get("platform", "") if valid else "",
    )
    page = _id_page(request, accounts)
    context = {
        "form": form,
        "rows": account_rows(user, page.rows),
        "total": total_capped(accounts),
        **_pager(request, page),
    }
    return render(request, "monitor/account_list.html", context)


@staff_view("monitor.view")
@require_safe
def account_page(request: HttpRequest, account_id: int) -> HttpResponse:
    user = request.user
    account = access_account_for_user(user, account_id)
    return render(request, "monitor/account_detail.html", {"detail": account_detail(user, account)})


# --- imports --------------------------------------------------------------------------------


def _archive_upload(request: HttpRequest, form: UploadForm) -> bool:
    """Load an uploaded ZIP export; its outcome as messages, or the form's errors. Whether
    anything of it was read."""
    try:
        archive = archive_upload_ingest(
            upload=form.cleaned_data["file"],
            format_name=form.cleaned_data["format"] or None,
            election=form.cleaned_data["election"],
            actor=staff_user(request),
        )
    except ValidationError as error:
        _errors_to(form, error, {"too_big": "file", "empty": "file"})
        return False
    except IngestError as error:
        form.add_error("file", str(error))
        return False
    totals = archive.tally.totals()
    messages.success(
        request,
        _(
            "Arsip dimuat: %(files)d berkas di dalamnya dimuat; %(read)d dibaca, %(new)d baru, "
            "%(updated)d diperbarui, %(duplicate)d duplikat, %(quarantined)d dikarantina."
        )
        % {"files": len(archive.loaded), **totals},
    )
    for failure in archive.failed:
        messages.error(request, failure.error)
    if archive.skipped:
        messages.info(
            request,
            _("%(count)d berkas di arsip tidak dibaca: %(members)s")
            % {
                "count": len(archive.skipped),
                "members": "; ".join(not_read_lines(archive.skipped, _GROUPS_SHOWN)),
            },
        )
    return True


@staff_view("monitor.import_source")
@require_http_methods(["GET", "HEAD", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    user = request.user
    elections = elections_for_user(user)
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, elections=elections)
        if form.is_valid() and upload_is_zip(form.cleaned_data["file"]):
            loaded = _archive_upload(request, form)
            if loaded:
                return redirect("monitor:imports")
        elif form.is_valid():
            try:
                summary = source_upload_ingest(
                    upload=form.cleaned_data["file"],
                    format_name=form.cleaned_data["format"] or None,
                    election=form.cleaned_data["election"],
                    actor=staff_user(request),
                )
            except ValidationError as error:
                _errors_to(form, error, {"too_big": "file", "empty": "file"})
            except NothingLoaded as error:
                # Read to its end, its records quarantined: the run page shows them.
                messages.error(request, str(error))
                return redirect("monitor:run", run_id=error.summary.run_id)
            except IngestError as error:
                form.add_error("file", str(error))
            else:
                totals = summary.tally.totals()
                messages.success(
                    request,
                    _(
                        "Berkas dimuat: %(read)d dibaca, %(new)d baru, %(updated)d diperbarui, "
                        "%(duplicate)d duplikat, %(quarantined)d dikarantina."
                    )
                    % totals,
                )
                earlier = run_earlier(user, summary.run_id)
                if earlier is not None:
                    # The run page links the earlier run too; the message says why.
                    messages.info(
                        request,
                        _(
                            "Berkas yang sama sudah pernah dimuat (proses impor %(run)d); "
                            "isinya tidak disimpan dua kali."
                        )
                        % {"run": earlier.pk},
                    )
                return redirect("monitor:run", run_id=summary.run_id)
        status = 400
    else:
        form = UploadForm(elections=elections)
    page = _id_page(request, sources_list(user), size=25)
    context = {"form": form, **_pager(request, page)}
    return render(request, "monitor/imports.html", context, status=status)


@staff_view("monitor.import_source")
@require_safe
def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    user = request.user
    run = access_run_for_user(user, run_id)
    return render(request, "monitor/run_detail.html", {"run": run, "detail": run_detail(user, run)})


@staff_view("monitor.view")
@require_safe
def source_attachment(request: HttpRequest, source_id: int) -> FileResponse:
    """The source's stored file (an uploaded file, a screenshot), always as a download."""
    user = request.user
    source = access_source_for_user(user, source_id)
    if not source.attachment:
        raise Http404("no attachment")
    return FileResponse(
        source.attachment.open("rb"),
        as_attachment=True,
        filename=Path(source.attachment.name or "lampiran").name,
    )


# --- quarantine -----------------------------------------------------------------------------


def _quarantine_page(
    request: HttpRequest,
    source: Source | None,
    rerun_form: RerunForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    sources = quarantine_sources(user)
    filter_form = QuarantineFilterForm({"source": source.pk} if source else None, sources=sources)
    paginator = Paginator(quarantine_list(user, source), QUARANTINE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("halaman"))
    open_count = 0
    if source is not None:
        open_count = quarantine_list(user, source).filter(resolved_by__isnull=True).count()
    context: dict[str, Any] = {
        "filter_form": filter_form,
        "source": source,
        "page": page,
        "rows": quarantine_rows(page.object_list),
        "open_count": open_count,
        "rerun_form": rerun_form or RerunForm(),
    }
    return render(request, "monitor/quarantine.html", context, status=status)


@staff_view("monitor.import_source")
@require_safe
def quarantine(request: HttpRequest) -> HttpResponse:
    user = request.user
    source = None
    form = QuarantineFilterForm(request.GET, sources=quarantine_sources(user))
    if form.is_valid():
        source = form.cleaned_data.get("source")
    return _quarantine_page(request, source)


@staff_view("monitor.import_source")
@require_POST
def quarantine_rerun(request: HttpRequest, source_id: int) -> HttpResponse:
    user = request.user
    old_source = access_source_for_user(user, source_id)
    form = RerunForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            rerun = source_rerun(
                old_source=old_source,
                upload=form.cleaned_data["file"],
                format_name=form.cleaned_data["format"] or None,
                actor=staff_user(request),
            )
        except ValidationError as error:
            _errors_to(form, error, {"too_big": "file", "empty": "file", "same_file": "file"})
        except IngestError as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request,
                _(
                    "%(resolved)d rekaman karantina diselesaikan oleh proses impor %(run)d "
                    "(%(quarantined)d rekaman baru dikarantina)."
                )
                % {
                    "resolved": rerun.resolved,
                    "run": rerun.summary.run_id,
                    "quarantined": rerun.summary.tally.total("quarantined"),
                },
            )
            if rerun.still_open:
                messages.warning(
                    request,
                    _(
                        "%(open)d rekaman tetap terbuka: berkas perbaikan tidak memuat rekaman "
                        "yang sama (ID platform yang sama)."
                    )
                    % {"open": rerun.still_open},
                )
            return redirect(reverse("monitor:quarantine") + f"?source={old_source.pk}")
    return _quarantine_page(request, old_source, form, status=400)
