"""The types of the people code acts for: a request's user, and the actor of a write."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from netra.staff.models import User

# Whoever a request comes from: a staff user, or nobody signed in.
AnyUser = User | AnonymousUser
