from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "theodoi.scorecards"
    verbose_name = _("Bộ chỉ số chuyển đổi số")
