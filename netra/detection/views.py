"""The triage pages: the queue of flags (filters, keyset pages, bulk decisions) and the
flag page (content, context, explanation, history, the decision).

Every page needs a login, the second factor and ``detection.view_flags`` (supervisors
and above with a jurisdiction). Flags come only through ``netra.detection.access``, so a
flag of another office is a 404 like a missing one; decisions go through the services
(``flag_confirm``, ``flag_dismiss`` and their bulk forms), which check
``detection.decide_flag`` and record one Event per flag.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from netra.detection.access import (
    access_flag_for_user,
    access_flags_for_user,
    access_lexicon_for_user,
    may_add_alias,
    may_decide_flag,
)
from netra.detection.details import flag_detail
from netra.detection.forms import (
    CONTENT_CHOICES,
    AliasForm,
    Decision,
    FlagBulkForm,
    FlagDismissForm,
    FlagFilterForm,
)
from netra.detection.lexicon import lexicon_rows
from netra.detection.models import Flag
from netra.detection.pages import flags_page, flags_page_before, with_moment
from netra.detection.selectors import (
    flag_rows,
    flags_search,
    last_runs_for_user,
    lexicons_for_user,
    region_choices_for_user,
    regions_for_user,
    violation_codes_for_user,
)
from netra.detection.services import (
    FlagDecisionError,
    flag_confirm,
    flag_dismiss,
    flags_confirm,
    flags_dismiss,
    lexicon_alias_add,
)
from netra.monitor.pages import Page, total_capped
from netra.registry.selectors import agencies_for_user
from netra.staff.decorators import staff_user, staff_view


def _cursor_url(request: HttpRequest, name: str, cursor: str) -> str:
    """This page's URL with the cursor ``name`` (``setelah``, ``sebelum``) set to
    ``cursor`` and the other dropped; the first page when ``name`` is empty; ``""`` when
    there is no such page."""
    if name and not cursor:
        return ""
    params = request.GET.copy()
    params.pop("setelah", None)
    params.pop("sebelum", None)
    if name:
        params[name] = cursor
    return "?" + params.urlencode()


def _filter_form(request: HttpRequest) -> FlagFilterForm:
    user = request.user
    return FlagFilterForm(
        request.GET,
        regions=regions_for_user(user),
        region_choices=region_choices_for_user(user),
        agencies=agencies_for_user(user).order_by("name"),
        codes=violation_codes_for_user(user),
    )


@staff_view("detection.view_flags")
@require_safe
def flag_list(request: HttpRequest) -> HttpResponse:
    """The queue: the flags the user may see, highest priority first, filtered."""
    user = request.user
    form = _filter_form(request)
    valid = form.is_valid()
    page: Page[Flag] = Page(rows=[], next_cursor="", first=True)
    total = None
    if valid:
        found = with_moment(flags_search(user, form.filters()))
        before = request.GET.get("sebelum", "")
        if before:
            page = flags_page_before(found, before)
        else:
            page = flags_page(found, request.GET.get("setelah", ""))
        total = total_capped(found)
    rows = flag_rows(user, page.rows)
    query = request.GET.copy()
    context: dict[str, Any] = {
        "form": form,
        "valid": valid,
        "rows": rows,
        "total": total,
        "runs": last_runs_for_user(user),
        "bulk": any(row.selectable for row in rows),
        "bulk_form": FlagBulkForm(initial={"saring": query.urlencode()}),
        "page": page,
        "next_url": _cursor_url(request, "setelah", page.next_cursor),
        "prev_url": _cursor_url(request, "sebelum", page.prev_cursor),
        "first_url": _cursor_url(request, "", ""),
    }
    return render(request, "detection/flag_list.html", context)


def _flag_page(
    request: HttpRequest, flag: Flag, dismiss_form: FlagDismissForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    context = {
        "detail": flag_detail(user, flag),
        "may_decide": may_decide_flag(user, flag),
        "dismiss_form": dismiss_form or FlagDismissForm(),
        "content_label_text": dict(CONTENT_CHOICES).get(flag.content_label, ""),
    }
    return render(request, "detection/flag_detail.html", context, status=status)


@staff_view("detection.view_flags")
@require_safe
def flag_page(request: HttpRequest, flag_id: int) -> HttpResponse:
    return _flag_page(request, access_flag_for_user(request.user, flag_id))


@staff_view("detection.view_flags")
@require_POST
def flag_confirm_view(request: HttpRequest, flag_id: int) -> HttpResponse:
    """Confirm one flag: it is held a suspected violation, ready to become a case."""
    flag = access_flag_for_user(request.user, flag_id)
    try:
        flag_confirm(flag=flag, actor=staff_user(request))
    except FlagDecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Tanda dikonfirmasi: siap dijadikan temuan."))
    return redirect("detection:flag", flag_id=flag.pk)


@staff_view("detection.view_flags")
@require_POST
def flag_dismiss_view(request: HttpRequest, flag_id: int) -> HttpResponse:
    """Dismiss one flag with the reason given; without one, the page again with the error."""
    flag = access_flag_for_user(request.user, flag_id)
    form = FlagDismissForm(request.POST)
    if form.is_valid():
        try:
            flag_dismiss(
                flag=flag,
                actor=staff_user(request),
                reason=form.cleaned_data["alasan"],
                content=form.cleaned_data["isi"],
            )
        except ValidationError as error:
            form.add_error("alasan", error.messages)
        except FlagDecisionError as error:
            messages.error(request, str(error))
            return redirect("detection:flag", flag_id=flag.pk)
        else:
            messages.success(request, _("Tanda ditolak; alasannya tercatat."))
            return redirect("detection:flag", flag_id=flag.pk)
    return _flag_page(request, flag, form, status=400)


@staff_view("detection.view_flags")
@require_POST
def flags_bulk(request: HttpRequest) -> HttpResponse:
    """Confirm or dismiss the flags chosen in the queue: all of them, or none."""
    form = FlagBulkForm(request.POST)
    valid = form.is_valid()
    back = reverse("detection:flags")
    query = form.back_query()
    if query:
        back += "?" + query
    if not valid:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    flags = access_flags_for_user(request.user, form.cleaned_data["tanda"])
    actor = staff_user(request)
    try:
        if form.cleaned_data["keputusan"] == Decision.CONFIRM:
            decided = flags_confirm(flags=flags, actor=actor)
            done = ngettext(
                "%(count)d tanda dikonfirmasi.", "%(count)d tanda dikonfirmasi.", len(decided)
            )
        else:
            decided = flags_dismiss(
                flags=flags,
                actor=actor,
                reason=form.cleaned_data["alasan"],
                content=form.cleaned_data["isi"],
            )
            done = ngettext("%(count)d tanda ditolak.", "%(count)d tanda ditolak.", len(decided))
    except (FlagDecisionError, ValidationError) as error:
        text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, done % {"count": len(decided)})
    return redirect(back)


@staff_view("detection.view_flags")
@require_safe
def lexicons(request: HttpRequest) -> HttpResponse:
    """The elections whose lexicons the user may read."""
    return render(
        request, "detection/lexicons.html", {"elections": lexicons_for_user(request.user)}
    )


@staff_view("detection.view_flags")
def lexicon(request: HttpRequest, election_id: int) -> HttpResponse:
    """One election's lexicon: each candidate's terms as detection matches them, the
    aliases staff added, and (for who may add) the form to add one; the service refuses
    an alias from whoever may not add it (403)."""
    election = access_lexicon_for_user(request.user, election_id)
    form = AliasForm(request.POST or None, election=election)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                lexicon_alias_add(
                    candidate=form.cleaned_data["calon"],
                    term=form.cleaned_data["istilah"],
                    kind=form.cleaned_data["jenis"],
                    actor=staff_user(request),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error({"term": "istilah", "kind": "jenis"}.get(field), errors)
            else:
                messages.success(request, _("Istilah ditambahkan ke leksikon pemilihan ini."))
                return redirect("detection:lexicon", election_id=election.pk)
        status = 400
    context = {
        "election": election,
        "rows": lexicon_rows(election),
        "form": form,
        "may_add": may_add_alias(request.user, election),
    }
    return render(request, "detection/lexicon.html", context, status=status)
