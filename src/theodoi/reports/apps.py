from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "theodoi.reports"
    verbose_name = _("Báo cáo và kết xuất")
