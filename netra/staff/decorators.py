"""The one line every staff page starts with: signed in, second factor done, permitted."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from netra.staff.middleware import needs_second_factor, second_factor_redirect
from netra.staff.models import User

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def staff_view(permission: str) -> Callable[[View], View]:
    """Guard a view: anonymous visitors go to the login page, users who still owe the TOTP
    step go to it (the middleware does so too; this holds even where it is not installed),
    and users without ``permission`` (a ``rules`` permission, e.g. ``monitor.view``) get
    403 with an Indonesian message."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if needs_second_factor(user):
                return second_factor_redirect(request)
            if not user.has_perm(permission):
                raise PermissionDenied(_("Halaman ini hanya untuk staf Bawaslu yang berwenang."))
            response: HttpResponseBase = view(request, *args, **kwargs)
            return response

        return cast(View, guarded)

    return decorate


def staff_user(request: HttpRequest) -> User:
    """The signed-in user of a request that ``staff_view`` let through: the actor of its
    writes (``actor: User | None``)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied(_("Halaman ini hanya untuk staf Bawaslu yang berwenang."))
    return user
