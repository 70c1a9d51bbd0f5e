from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEntry, RefusalTally


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "summary", "commune"]
    list_filter = ["action", "commune"]
    search_fields = ["summary", "object_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(RefusalTally)
class RefusalTallyAdmin(admin.ModelAdmin):
    list_display = ["minute", "actor", "count", "last_what"]
    search_fields = ["last_what", "actor_key"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
