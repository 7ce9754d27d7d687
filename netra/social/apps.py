from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "netra.social"
    label = "social"
    verbose_name = _("Media sosial")

    def ready(self) -> None:
        # Registers the social permissions with rules (social.view_social, …) at start-up.
        from netra.social import access  # noqa: F401
