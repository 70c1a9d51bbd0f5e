from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background jobs for the operator: what ran, for whom, and what went wrong."""

    list_display = ["created_at", "kind", "state", "owner", "commune", "progress", "error"]
    list_filter = ["state", "kind"]
    search_fields = ["kind", "owner__username", "error", "message"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Job._meta.fields]

    @admin.display(description=_("tiến độ"))
    def progress(self, job: Job) -> str:
        return f"{job.done}/{job.total}" if job.total else ""

    def has_add_permission(self, request: object) -> bool:
        return False
