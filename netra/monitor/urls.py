from __future__ import annotations

from django.urls import path

from netra.monitor import views

app_name = "monitor"
urlpatterns = [
    path("konten/", views.item_list, name="items"),
    path("konten/baru/", views.item_create, name="item_create"),
    path("konten/<int:item_id>/", views.item_page, name="item"),
    path("konten/<int:item_id>/mentah/<int:provenance_id>/", views.item_raw, name="item_raw"),
    path(
        "konten/<int:item_id>/tangkapan/<int:provenance_id>/",
        views.item_screenshot,
        name="item_screenshot",
    ),
    path("akun/", views.account_list, name="accounts"),
    path("akun/<int:account_id>/", views.account_page, name="account"),
    path("impor/", views.imports, name="imports"),
    path("impor/proses/<int:run_id>/", views.run_page, name="run"),
    path("impor/sumber/<int:source_id>/lampiran/", views.source_attachment, name="attachment"),
    path("karantina/", views.quarantine, name="quarantine"),
    path("karantina/<int:source_id>/ulang/", views.quarantine_rerun, name="quarantine_rerun"),
]
