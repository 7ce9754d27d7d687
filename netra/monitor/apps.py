from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "netra.monitor"
    label = "monitor"
    verbose_name = _("Pantau")

    def ready(self) -> None:
        # Registers the monitoring page permissions with rules (monitor.view, …) at start-up.
        from netra.monitor import access  # noqa: F401
