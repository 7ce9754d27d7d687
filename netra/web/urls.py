from __future__ import annotations

from django.urls import path

from netra.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("rujukan/", views.law, name="law"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
]
