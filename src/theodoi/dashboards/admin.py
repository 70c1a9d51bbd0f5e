"""The indicator catalogue in the admin: the province edits names and aliases here."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from theodoi.plans.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "measure_unit", "target_count"]
    list_filter = ["group"]
    search_fields = ["code", "name", "aliases"]
    ordering = ["group", "name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Indicator]:
        return super().get_queryset(request).annotate(target_count=Count("targets"))

    @admin.display(description=_("số chỉ tiêu đã gắn"), ordering="target_count")
    def target_count(self, obj: Indicator) -> int:
        return int(getattr(obj, "target_count", 0))
