from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImporterConfig(AppConfig):
    name = "theodoi.importer"
    verbose_name = _("Nhập kế hoạch")
