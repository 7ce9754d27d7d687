from __future__ import annotations

from django.urls import path

from netra.registry import views

app_name = "registry"
urlpatterns = [
    path("tautan/", views.account_links, name="account_links"),
    path(
        "tautan/<int:link_id>/putuskan/",
        views.account_link_decision,
        name="account_link_decision",
    ),
]
