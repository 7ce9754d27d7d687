"""Staff pages of the registry: the review of proposed account links.

A regency office reviews the links proposed for the subjects who work within its
jurisdiction: everyone with a jurisdiction reads the list, analysts and above decide
(``netra.registry.rules``). Links come only through ``netra.registry.access``, so a link
outside the jurisdiction is a 404 like a missing one; decisions go through
``account_link_decide`` (a conditional update and one Event each).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from netra.registry.access import access_link_to_decide_for_user, may_decide_link
from netra.registry.forms import LinkDecisionForm
from netra.registry.models import LinkStatus
from netra.registry.selectors import proposed_links_for_user
from netra.registry.services import AccountLinkError, account_link_decide
from netra.staff.decorators import staff_user, staff_view

PAGE_SIZE = 50


@dataclass(frozen=True)
class ReviewRow:
    link: Any  # an AccountLink annotated by proposed_links_for_user
    may_decide: bool


@staff_view("registry.review_links")
@require_safe
def account_links(request: HttpRequest) -> HttpResponse:
    """The proposed links of subjects within the user's jurisdiction, oldest first."""
    page = Paginator(proposed_links_for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    rows = [ReviewRow(link=link, may_decide=may_decide_link(request.user, link)) for link in page]
    return render(request, "registry/links.html", {"page": page, "rows": rows})


@staff_view("registry.review_links")
@require_POST
def account_link_decision(request: HttpRequest, link_id: int) -> HttpResponse:
    """Confirm or reject one proposed link, then back to the list with a message."""
    link = access_link_to_decide_for_user(request.user, link_id)
    form = LinkDecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(" ".join(str(e) for e in form.errors["keputusan"]))
    status = LinkStatus(form.cleaned_data["keputusan"])
    try:
        account_link_decide(link=link, status=status, actor=staff_user(request))
    except AccountLinkError as error:
        messages.error(request, str(error))
    else:
        done = (
            _("Tautan %(subject)s ↔ %(account)s dikonfirmasi.")
            if status == LinkStatus.CONFIRMED
            else _("Tautan %(subject)s ↔ %(account)s ditolak.")
        )
        messages.success(request, done % {"subject": link.subject, "account": link.account})
    return redirect("registry:account_links")
