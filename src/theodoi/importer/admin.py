from django.contrib import admin

from .models import PlanImport


@admin.register(PlanImport)
class PlanImportAdmin(admin.ModelAdmin):
    list_display = ["source_name", "commune", "status", "uploaded_by", "created_at"]
    list_filter = ["status", "commune"]
    readonly_fields = ["public_id", "source_sha256", "created_at", "updated_at", "version"]
