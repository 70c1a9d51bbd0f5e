from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "theodoi.accounts"
    verbose_name = _("Tài khoản và vai trò")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in audit)
