from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "theodoi.jobs"
    verbose_name = _("Công việc chạy nền")

    def ready(self) -> None:
        # Each app declares its kinds of job in `job_kinds.py`; the worker and the web
        # process must know them all before the first job runs.
        autodiscover_modules("job_kinds")
