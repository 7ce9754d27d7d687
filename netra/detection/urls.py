from __future__ import annotations

from django.urls import path

from netra.detection import views

app_name = "detection"
urlpatterns = [
    path("", views.flag_list, name="flags"),
    path("putuskan/", views.flags_bulk, name="flags_bulk"),
    path("<int:flag_id>/", views.flag_page, name="flag"),
    path("<int:flag_id>/konfirmasi/", views.flag_confirm_view, name="flag_confirm"),
    path("<int:flag_id>/tolak/", views.flag_dismiss_view, name="flag_dismiss"),
    path("leksikon/", views.lexicons, name="lexicons"),
    path("leksikon/<int:election_id>/", views.lexicon, name="lexicon"),
]
