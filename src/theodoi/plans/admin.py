from django.contrib import admin

from .models import Plan, Target, Task, TaskAssignment


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["code", "group", "name", "kind", "comparator", "value", "measure_unit"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "commune", "year", "status", "created_at"]
    list_filter = ["status", "year", "commune__province", "commune"]
    search_fields = ["title", "number"]
    readonly_fields = ["public_id", "created_at", "activated_at", "source_sha256"]
    filter_horizontal = ["replaces"]
    inlines = [TargetInline]


class AssignmentInline(admin.TabularInline):
    model = TaskAssignment
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "plan", "deadline_kind", "due_on"]
    list_filter = ["plan__commune", "deadline_kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    inlines = [AssignmentInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "plan", "kind", "comparator", "value", "measure_unit"]
    list_filter = ["plan__commune", "kind"]
    search_fields = ["code", "name"]
    filter_horizontal = ["owners"]
