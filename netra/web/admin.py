"""The admin site's Indonesian titles (the admin's own strings come from Django's ``id``)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Administrasi Netra")
admin.site.site_title = _("Administrasi Netra")
admin.site.index_title = _("Data rujukan dan akun staf")
# The admin's "View site" link leads back to the Netra home page.
admin.site.site_url = "/"
