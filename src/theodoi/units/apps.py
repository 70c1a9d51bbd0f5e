from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "theodoi.units"
    verbose_name = _("Địa bàn và đơn vị")
