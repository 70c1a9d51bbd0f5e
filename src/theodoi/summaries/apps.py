from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummariesConfig(AppConfig):
    name = "theodoi.summaries"
    verbose_name = _("Số liệu tổng hợp")
