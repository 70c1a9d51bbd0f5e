from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "theodoi.tracking"
    verbose_name = _("Theo dõi tiến độ")
