from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDatabase(models.Model):
    """Present (one row) only in a database `theodoi demo` created: the demo's own database.

    `theodoi demo` refuses any database holding people but no such row, so it can never pour
    its fictional ward into a real installation.
    """

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("dấu cơ sở dữ liệu trình diễn")
        verbose_name_plural = _("dấu cơ sở dữ liệu trình diễn")

    def __str__(self) -> str:
        return f"demo {self.created_at:%Y-%m-%d}"
