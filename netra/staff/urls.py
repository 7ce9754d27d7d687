from __future__ import annotations

from django.urls import path

from netra.staff import views

app_name = "staff"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("verifikasi/", views.otp_verify, name="otp_verify"),
    path("verifikasi/daftar/", views.otp_setup, name="otp_setup"),
]
