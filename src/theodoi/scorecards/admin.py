from django.contrib import admin

from .models import Assessment, AssessmentEntry, Criterion, CriterionGroup, Scorecard


class GroupInline(admin.TabularInline):
    model = CriterionGroup
    extra = 0


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "year", "version", "status", "published_at"]
    list_filter = ["status", "year", "province"]
    search_fields = ["name"]
    readonly_fields = ["public_id", "created_at", "published_at", "source_sha256"]
    inlines = [GroupInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "scorecard", "kind", "max_points", "source"]
    list_filter = ["scorecard", "kind"]
    search_fields = ["code", "name"]


class EntryInline(admin.TabularInline):
    model = AssessmentEntry
    extra = 0
    fields = ["criterion", "status", "value", "yes", "appraised_score"]
    readonly_fields = ["criterion"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["commune", "scorecard", "created_at"]
    list_filter = ["scorecard"]
    inlines = [EntryInline]
